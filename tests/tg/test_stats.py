"""/stats for a student with a history: the exact figures, then the chart as a PNG photo."""

from __future__ import annotations

import datetime as dt
import struct

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Card, Question, Review
from bot.domain.reminders import local_date, local_day_start
from bot.render.chart import HEIGHT_PX, WIDTH_PX
from bot.services.clock import utcnow
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import STUDENT_ID, get_user, last_id

ZONE = "Europe/Paris"
REVIEW, RELEARNING = 2, 3


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def seed_history(db: sessionmaker[Session], user_id: int, now: dt.datetime) -> None:
    """Seven answers on five local days (three in a row up to yesterday), at local noon:

    ========  =====================  ======  ==========================
    days ago  question               right   card now
    ========  =====================  ======  ==========================
    1, 2, 10  allie-principal        yes     known, due tomorrow
    1, 3      otan                   no, no  relearning, overdue
    10, 11    ue-gel-avoirs-2006     yes/no  known, due in three days
    ========  =====================  ======  ==========================

    ``pouvoir-1994`` has no card yet (new).
    """
    today = local_date(now, ZONE)

    def noon(days: int) -> dt.datetime:
        return local_day_start(today + dt.timedelta(days=days), ZONE) + dt.timedelta(hours=12)

    plan = {
        "allie-principal": (REVIEW, noon(1), [(1, True), (2, True), (10, True)]),
        "otan": (RELEARNING, now - dt.timedelta(hours=1), [(1, False), (3, False)]),
        "ue-gel-avoirs-2006": (REVIEW, noon(3), [(10, True), (11, False)]),
    }
    with db() as session:
        questions = {q.key: q for q in session.scalars(select(Question))}
        for key, (state, due, answers) in plan.items():
            card = Card(
                user_id=user_id,
                question_id=questions[key].id,
                state=state,
                stability=5.0,
                difficulty=5.0,
                due=due,
                last_review=noon(-answers[0][0]),
                reps=len(answers),
                lapses=0,
            )
            session.add(card)
            session.flush()
            for days_ago, ok in answers:
                at = noon(-days_ago)
                session.add(
                    Review(
                        card_id=card.id,
                        user_id=user_id,
                        question_id=card.question_id,
                        idempotency_key=f"seed:{key}:{days_ago}",
                        rating=3 if ok else 1,
                        verdict="correct" if ok else "wrong",
                        correct=ok,
                        given_answer="",
                        reviewed_at=at,
                        prev_state=state,
                        prev_due=at,
                        prev_reps=0,
                        prev_lapses=0,
                    )
                )
        session.commit()


async def test_stats_of_a_student_with_a_history(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/aide")  # the bot registers the student
    await student.wait_for_message("Voici ce que je sais faire")
    user = get_user(db, STUDENT_ID)
    assert user is not None and user.timezone == ZONE
    seed_history(db, user.id, utcnow())

    mark = last_id(tg, student)
    student.send_command("/stats")
    text = await student.wait_for_message("Tes progrès", after=mark)
    assert text["text"] == (
        "📊 Tes progrès\n"
        "Questions : 1 nouvelle · 1 en cours · 2 connues\n"
        "Réponses : 4 en 7 jours (50 % de justes) · 7 en 30 jours (57 % de justes)\n"
        "Série : 3 jours d'affilée (record : 3 jours)\n"
        "À revoir : 1 aujourd'hui · 1 demain · 3 dans les 7 jours\n"
        "Questions à retravailler :\n"
        "• La Biélorussie est membre de l'OTAN. (2 erreurs sur 2)\n"
        "• En quelle année l'UE décide-t-elle de geler les avoirs des dirigeants biéloruss… "
        "(1 erreur sur 2)"
    )
    chart = await tg.wait_for_message(
        student.chat_id, where=lambda m: "photo" in m, after=mark, timeout=20
    )
    assert chart["message_id"] > text["message_id"]  # the figures first, then the chart
    (call,) = tg.calls("sendPhoto", chat_id=student.chat_id, ok=True)
    assert png_size(call.files["photo"].data) == (WIDTH_PX, HEIGHT_PX)
    assert (chart["photo"][0]["width"], chart["photo"][0]["height"]) == (WIDTH_PX, HEIGHT_PX)

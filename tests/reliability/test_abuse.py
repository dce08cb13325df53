"""Abuse and access: a student flooding the bot, students trying teacher commands, teachers'
uploads of the wrong kind or size, and /oublier erasing every row of a student."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Integer, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import Base, User
from bot.services.clock import utcnow
from bot.tg.context import BotApplication
from bot.tg.flood import FloodGuard, FloodLimits
from bot.tg.handlers.reminders import JOB_NAME
from tests.reliability.conftest import BOTH_ENGINES, FakeClock
from tests.reliability.support import ErrorSpy, FaultyTelegram, bot_texts, idle, open_deck
from tests.support.fake_telegram import FakeUser
from tests.tg.decks import SUEZ
from tests.tg.harness import TEACHER_ID, buttons, count_reviews, get_user, last_id

SLOW_DOWN = "Doucement"
JSON = dict[str, Any]

# -- the flood guard on its own (the rules, with a hand-moved clock) --------------------------


def test_a_burst_then_one_update_per_second() -> None:
    clock = FakeClock()
    guard = FloodGuard(FloodLimits(burst=3, per_second=1), clock=clock)
    assert [guard.allow(1) for _ in range(5)] == [True, True, True, False, False]
    assert guard.should_warn(1) and not guard.should_warn(1)  # one « Doucement » per episode
    clock.advance(1.0)
    assert [guard.allow(1) for _ in range(2)] == [True, False]
    assert not guard.should_warn(1)  # the same flood: no second warning
    assert guard.allow(2)  # others are not affected
    clock.advance(3.0)  # calm again: the allowance is full, a new flood is a new episode
    assert [guard.allow(1) for _ in range(4)] == [True, True, True, False]
    assert guard.should_warn(1)


def test_a_queue_of_updates_empties_the_allowance() -> None:
    clock = FakeClock()
    guard = FloodGuard(FloodLimits(burst=30, per_second=1, max_waiting=2), clock=clock)
    assert guard.allow(1, waiting=0)
    assert guard.allow(1, waiting=2)
    assert not guard.allow(1, waiting=3)  # sending without reading the replies
    assert not guard.allow(1, waiting=0)  # and the rest of the burst goes too
    clock.advance(1.0)
    assert guard.allow(1)


def test_the_guard_forgets_idle_students() -> None:
    clock = FakeClock()
    guard = FloodGuard(FloodLimits(burst=2, per_second=1, max_students=100), clock=clock)
    for student in range(100):
        guard.allow(student)
    clock.advance(10)
    guard.allow(1000)
    assert len(guard._students) <= 2


# -- the flood guard in the bot ----------------------------------------------------------------


@pytest.mark.parametrize("deck_yaml", [open_deck(10)], ids=["open-questions"])
async def test_an_answer_spam_is_answered_once_then_slowed_down(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    student: FakeUser,
    clock: FakeClock,
    db: sessionmaker[Session],
) -> None:
    student.send_command("/quiz")
    question = await student.wait_for_message("événement n° 1 ?")
    mark = len(tg.calls("sendMessage", chat_id=student.chat_id))
    for _ in range(50):  # 50 answers in one go
        student.send_text("1901")
    await student.wait_for_message(SLOW_DOWN)
    await idle(bot, tg)

    assert count_reviews(db) == 1  # graded once: not against the questions that follow
    sent = [c.params["text"] for c in tg.calls("sendMessage", chat_id=student.chat_id)[mark:]]
    assert len(sent) == 2, sent  # the verdict with the next question, and one « Doucement »
    assert sent[0].startswith("✅") and "événement n° 2 ?" in sent[0] and SLOW_DOWN in sent[1]
    assert question["message_id"] < min(m["message_id"] for m in student.messages()[1:])

    clock.advance(5)  # a few seconds later the student is served again, without a warning
    student.send_text("1902")
    await student.wait_for_message("événement n° 3 ?")
    assert count_reviews(db) == 2
    assert sum(SLOW_DOWN in t for t in bot_texts(tg, student.chat_id)) == 1
    assert not spy.calls


async def test_a_steady_flood_is_held_to_one_update_a_second(
    bot: BotApplication, tg: FaultyTelegram, student: FakeUser, clock: FakeClock
) -> None:
    model = FloodGuard(clock=(model_clock := FakeClock()))  # the production limits
    expected = 0
    for _ in range(40):  # ten a second for four seconds, each after the last was handled
        student.send_command("/aide")
        await idle(bot, tg)
        expected += model.allow(0)
        clock.advance(0.1)
        model_clock.advance(0.1)
    helps = sum("Voici ce que je sais faire" in t for t in bot_texts(tg, student.chat_id))
    assert helps == expected and 30 <= helps < 40  # the burst, then one a second
    assert sum(SLOW_DOWN in t for t in bot_texts(tg, student.chat_id)) == 1


async def test_a_flood_in_a_group_gets_no_reply_at_all(
    bot: BotApplication, tg: FaultyTelegram, student: FakeUser, clock: FakeClock
) -> None:
    group = student.in_group(-100777)
    for _ in range(50):
        group.send_text("spam")
    await idle(bot, tg)
    assert tg.calls("sendMessage", chat_id=group.chat_id) == []


# -- teacher commands, by a student ------------------------------------------------------------


async def test_students_cannot_use_teacher_commands(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    student: FakeUser,
    teacher: FakeUser,
    db: sessionmaker[Session],
) -> None:
    for command in ("/recharger", "/reload", "/classe", "/class", "/classe csv", "/class csv"):
        mark = last_id(tg, student)
        student.send_command(command)
        reply = await student.wait_for_message(after=mark)
        assert "réservée aux profs" in reply["text"], (command, reply["text"])
    upload = student.send_document("suez.yaml", SUEZ.encode())
    await student.wait_for_message("seuls les profs", after=upload)

    # The teacher's « Export CSV » button, pressed by a student (forwarded, or forged).
    teacher.send_command("/nouvelleclasse 3e B")
    await teacher.wait_for_message("Classe « 3e B » créée")
    teacher.send_command("/classe")
    overview = await teacher.wait_for_message("🏫 3e B")
    data = next(d for d in buttons(overview).values() if d.startswith("cl:c:"))
    press = student.press(overview, data, strict=False)
    answer = await tg.wait_for_callback_answer(press)
    assert answer.text is not None and "n'est pas la tienne" in answer.text

    assert not tg.calls("getFile")  # the student's file was never even downloaded
    assert not tg.calls("sendDocument")  # no export left the bot
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Base.metadata.tables["decks"])) == 1
    # The same commands work for the teacher (the refusals above are not a broken feature).
    teacher.send_command("/classe csv")
    await tg.wait_for(lambda: tg.calls("sendDocument", chat_id=TEACHER_ID, ok=True))
    assert not spy.calls


# -- teachers' uploads: only YAML, only so big -------------------------------------------------


def document_update(
    tg: FaultyTelegram, user: FakeUser, data: bytes, file_name: str | None, size: int | None
) -> dict[str, Any]:
    """A document message whose announced name and size are chosen (a client may lie)."""
    stored = tg.add_file(data, kind="documents", file_name=file_name)
    chat = tg._chat(user.chat_id)
    document: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    if file_name is not None:
        document["file_name"] = file_name
    if size is not None:
        document["file_size"] = size
    message: JSON = {
        "message_id": tg._next_message_id(chat),
        "from": user.info,
        "chat": chat.info,
        "date": tg._now(),
        "document": document,
    }
    chat.messages[message["message_id"]] = message
    return tg.enqueue_update("message", message)


@pytest.mark.parametrize(
    ("file_name", "content", "announced", "expected"),
    [
        ("questions.pdf", SUEZ.encode(), None, "fichier de questions .yaml"),
        # A .txt is a text to turn into a draft (never imported as questions): too short here.
        ("questions.txt", SUEZ.encode(), None, "Ce texte est trop court"),
        ("questions.yaml.exe", SUEZ.encode(), None, "fichier de questions .yaml"),
        (None, SUEZ.encode(), None, "fichier de questions .yaml"),
        ("image.yaml", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, None, "rien n'a été importé"),
        ("menteur.yaml", SUEZ.encode() + b"#" * 8000, 100, "trop gros"),  # announced 100 B
        ("gros.yaml", SUEZ.encode() + b"#" * 8000, None, "trop gros"),
    ],
    ids=[
        "pdf",
        "txt-is-a-text",
        "yaml-exe",
        "no-name",
        "png-named-yaml",
        "announced-size-lies",
        "too-big",
    ],
)
async def test_uploads_only_yaml_and_only_so_big(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    teacher: FakeUser,
    db: sessionmaker[Session],
    file_name: str | None,
    content: bytes,
    announced: int | None,
    expected: str,
) -> None:
    upload = document_update(tg, teacher, content, file_name, announced or len(content))
    reply = await teacher.wait_for_message(after=upload)
    assert expected in reply["text"], reply["text"]
    with db() as session:
        assert session.scalar(select(func.count()).select_from(Base.metadata.tables["decks"])) == 1
    assert not spy.calls


# -- /oublier ----------------------------------------------------------------------------------


async def switched(tg: FaultyTelegram, user: FakeUser, message_id: int, mark: str) -> JSON:
    """The deck menu once a deck button shows ``mark``."""

    def shows(message: JSON) -> bool:
        labels = buttons(message)
        return message["message_id"] == message_id and any(x.startswith(mark) for x in labels)

    return await tg.wait_for_message(user.chat_id, where=shows)


def rows_of(db: sessionmaker[Session], user_id: int) -> dict[str, int]:
    """Rows referring to the student, table by table (every table with a user_id)."""
    found: dict[str, int] = {}
    with db() as session:
        for table in Base.metadata.sorted_tables:
            if "user_id" in table.c:
                column = table.c.user_id
            elif table.name == "users":
                column = table.c.id
            else:
                continue
            assert isinstance(column.type, Integer)
            count = session.scalar(
                select(func.count()).select_from(table).where(column == user_id)
            )
            if count:
                found[table.name] = int(count or 0)
    return found


@BOTH_ENGINES
async def test_forget_deletes_every_row_of_the_student_and_only_theirs(
    bot: BotApplication,
    tg: FaultyTelegram,
    spy: ErrorSpy,
    student: FakeUser,
    db: sessionmaker[Session],
) -> None:
    other = tg.user(5151, "Autre")
    for user in (student, other):
        user.send_command("/decks")  # a deck choice: switched off, then on again
        menu = await user.wait_for_message("Tes paquets")
        deck = next(data for data in buttons(menu).values() if data.startswith("dk:"))
        for mark in ("⬜", "✅"):
            user.press(menu, deck)
            menu = await switched(tg, user, menu["message_id"], mark)
        user.send_command("/quiz")  # a run, a showing, a card, a review
        question = await user.wait_for_message("principal allié")
        user.press(question, buttons(question)["la Russie"])
        await user.wait_for_message("membre de l'OTAN")
    with db() as session:  # a daily prompt each: a reminders row
        session.execute(
            update(User)
            .where(User.telegram_id.in_([student.id, other.id]))
            .values(next_reminder_at=utcnow() - dt.timedelta(minutes=1))
        )
        session.commit()
    assert bot.job_queue is not None
    (job,) = bot.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(bot)  # (they studied today: the rows say « skipped », no message)

    me, them = get_user(db, student.id), get_user(db, other.id)
    assert me is not None and them is not None
    mine, theirs = rows_of(db, me.id), rows_of(db, them.id)
    expected = {"users", "deck_choices", "cards", "study_sessions", "presentations", "reviews"}
    expected |= {"reminders"}
    assert expected <= set(mine), mine

    student.send_command("/oublier")
    confirm = await student.wait_for_message("effacer toutes tes données")
    student.press(confirm, button="Oui, tout effacer")
    await student.wait_for_message("j'ai tout effacé")
    assert rows_of(db, me.id) == {}
    assert rows_of(db, them.id) == theirs
    assert count_reviews(db) == 1
    assert not spy.calls

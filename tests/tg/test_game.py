"""The class game in a group, end to end: the real bot against the fake Bot API's group chat
and quiz polls, on SQLite and PostgreSQL.

The game's clock (``bot.tg.handlers.game.utcnow``) is the test's: each vote is sent at a known
instant after its poll, so the speeds, the leaderboard and the CSV are exact. The group limits
are those of Telegram scaled down tenfold in time (20 messages per 6 s in a group, one per
0.1 s in a chat), enforced by the fake with 429s: the game must never get one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import random
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import make_session_factory
from bot.db.models import Card, Game, GameAnswer, GameQuestion, Question, Review, User
from bot.services.container import build_services
from bot.services.game import GameService, TeachersAnywhere
from bot.tg.app import build_application, running
from bot.tg.context import BotApplication, GameTuning
from bot.tg.handlers import game as game_handlers
from tests.support.fake_telegram import JSON, FakeTelegram, FakeUser, RateLimits
from tests.tg.harness import FAST, TEACHER_ID, buttons

GROUP = -100777
T0 = dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)
VOTE_STEP = dt.timedelta(milliseconds=100)
#: Telegram's group limits, ten times faster (the fake enforces them with 429s).
LIMITS = RateLimits(overall=30, per_chat=1, per_group=20, window=0.1, group_window=6.0)
GAME_TUNING = GameTuning(
    group_messages=20, group_window=6.0, min_interval=0.12, pause=0.0, grace=0.3
)

GAME_DECK = (
    """\
version: 1
deck:
  id: jeu
  title: "Jeu de test"
questions:
"""
    + "".join(
        f"""\
  - id: choix-{n}
    kind: choice
    prompt: "Question à choix numéro {n} ?"
    answer: "bonne {n}"
    distractors: ["fausse {n}a", "fausse {n}b", "fausse {n}c"]
    source: "La phrase source de la question {n}."
"""
        for n in range(1, 9)
    )
    + """\
  - id: vf-1
    kind: true_false
    prompt: "La Biélorussie est membre de l'OTAN."
    answer: faux
  - id: vf-2
    kind: true_false
    prompt: "L'UE gèle les avoirs des dirigeants en 2006."
    answer: vrai
  - id: trou
    kind: cloze
    prompt: "Loukachenko arrive au pouvoir en {{1994}}."
  - id: ouverte
    kind: open
    prompt: "Une question sans propositions ?"
    answer: "rien"
"""
)


class Clock:
    """The game's clock, set by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def deck_yaml() -> str:
    return GAME_DECK


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(rate_limits=LIMITS) as fake:
        yield fake


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock(T0)
    monkeypatch.setattr(game_handlers, "utcnow", clock)
    return clock


def make_app(settings: Settings, engine: Engine) -> BotApplication:
    services = build_services(settings, engine)
    games = GameService(
        make_session_factory(engine),
        TeachersAnywhere(settings.teacher_ids),
        rng_factory=lambda: random.Random(19),
    )
    services = dataclasses.replace(services, games=games)
    return build_application(
        settings, services, tuning=dataclasses.replace(FAST, game=GAME_TUNING)
    )


@asynccontextmanager
async def bot_on(settings: Settings, engine: Engine) -> AsyncIterator[BotApplication]:
    async with running(make_app(settings, engine)) as app:
        yield app


async def until(check: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Wait for a database state (read every 5 ms)."""
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.005)
    del what


def scalar(db: sessionmaker[Session], statement: Any) -> Any:
    with db() as session:
        return session.scalar(statement)


def answers_to(db: sessionmaker[Session], poll_id: str) -> int:
    statement = (
        select(func.count())
        .select_from(GameAnswer)
        .join(GameQuestion, GameQuestion.id == GameAnswer.game_question_id)
        .where(GameQuestion.poll_id == poll_id)
    )
    return int(scalar(db, statement) or 0)


def asked_at(db: sessionmaker[Session], poll_id: str) -> dt.datetime | None:
    value = scalar(db, select(GameQuestion.asked_at).where(GameQuestion.poll_id == poll_id))
    return value if isinstance(value, dt.datetime) else None


async def open_game(
    tg: FakeTelegram, teacher: FakeUser, count: int, seconds: int, deck: str = "Jeu de test"
) -> None:
    """The teacher sends /jeu in the group and picks the deck, ``count`` and ``seconds``."""
    in_group = teacher.in_group(GROUP)
    mark = max((m["message_id"] for m in tg.messages(GROUP, include_user=True)), default=0)
    in_group.send_command("/jeu")
    picker = await tg.wait_for_message(GROUP, "quel paquet", after=mark)
    in_group.press(picker, buttons(picker)[deck])
    picker = await tg.wait_for_message(GROUP, "combien de questions", after=mark)
    in_group.press(picker, buttons(picker)[f"{count} questions"])
    picker = await tg.wait_for_message(GROUP, "combien de temps", after=mark)
    in_group.press(picker, buttons(picker)[f"{seconds} s"])
    await tg.wait_for_message(GROUP, "C'est parti", after=mark)


async def next_poll(tg: FakeTelegram, db: sessionmaker[Session], number: int) -> JSON:
    """The ``number``-th poll of the group, once the bot has recorded it."""
    poll = await tg.wait_for_poll(GROUP, count=number, timeout=15.0)
    poll_id = poll["poll"]["id"]
    await until(lambda: asked_at(db, poll_id) is not None)
    return poll


def correct_of(poll: JSON) -> int:
    return int(poll["poll"]["correct_option_ids"][0])


def wrong_of(poll: JSON) -> int:
    return (correct_of(poll) + 1) % len(poll["poll"]["options"])


def option_text(poll: JSON, index: int) -> str:
    return str(poll["poll"]["options"][index]["text"])


def prompt_of(poll: JSON) -> str:
    return str(poll["poll"]["question"]).split(" · ", 1)[1]


# -- the 30-student game ----------------------------------------------------------------------

STUDENTS = 30
QUESTIONS = 10
#: Student i gets the first right(i) questions right and the others wrong.
RIGHT = {i: 10 - (i - 1) % 11 for i in range(1, STUDENTS + 1)}
#: Student 30 misses question 5: it closes when its time is up; their vote comes late.
ABSENT = (30, 4)


def name(i: int) -> str:
    return f"Élève {i:02d}"


def expected_ranking() -> list[int]:
    # Same right answers → same questions right, each answered i × 100 ms after its poll.
    return sorted(RIGHT, key=lambda i: (-RIGHT[i], RIGHT[i] * i, i))


def seconds_of(i: int) -> str:
    return f"{RIGHT[i] * i * 100 / 1000:.1f}".replace(".", ",")


@pytest.fixture
def players(tg: FakeTelegram) -> dict[int, FakeUser]:
    return {
        i: tg.user(7000 + i, name(i)[:5], last_name=name(i)[6:]).in_group(GROUP)
        for i in range(1, STUDENTS + 1)
    }


def give_cards(db: sessionmaker[Session], telegram_id: int) -> int:
    """A student who studies the deck privately: their user and a card for every question."""
    with db() as session:
        user = User(telegram_id=telegram_id, chat_id=telegram_id, display_name="Élève 01")
        session.add(user)
        session.flush()
        for question_id in session.scalars(select(Question.id)):
            session.add(Card(user_id=user.id, question_id=question_id, due=T0, state=1))
        session.commit()
        return user.id


async def test_thirty_students_play_ten_questions_and_the_results_are_exact(
    tg: FakeTelegram,
    bot_settings: Settings,
    bot_engine: Engine,
    db: sessionmaker[Session],
    teacher: FakeUser,
    players: dict[int, FakeUser],
    clock: Clock,
) -> None:
    async with bot_on(bot_settings, bot_engine):  # the deck is imported at start-up
        studying = give_cards(db, players[1].id)
        await open_game(tg, teacher, QUESTIONS, 10)
        polls: list[JSON] = []
        for q in range(QUESTIONS):
            poll = await next_poll(tg, db, q + 1)
            polls.append(poll)
            poll_id = poll["poll"]["id"]
            base = asked_at(db, poll_id)
            assert base is not None
            voted = 0
            for i, player in players.items():
                if (i, q) == ABSENT:
                    continue
                clock.now = base + i * VOTE_STEP
                option = correct_of(poll) if q < RIGHT[i] else wrong_of(poll)
                vote = player.answer_poll(poll, option)
                voted += 1
                if (i, q) == (1, 1):  # the same vote delivered twice, then another vote
                    tg.redeliver(vote)
                    player.answer_poll(poll, wrong_of(poll), force=True)
                    await until(lambda: tg.pending_updates == 0)
                await until(lambda n=voted, p=poll_id: answers_to(db, p) == n)  # type: ignore[misc]
            if q == ABSENT[1]:
                # Not everybody voted: the question closes when its 10 s are up.
                await tg.wait_for_message(GROUP, f"Question {q + 1}/10", timeout=15.0)
                clock.now = base + dt.timedelta(seconds=11)
                players[ABSENT[0]].answer_poll(poll, correct_of(poll), force=True)
                await until(lambda: tg.pending_updates == 0)
        final = await tg.wait_for_message(GROUP, "Classement", timeout=15.0)
        csv_call = await tg.wait_for(
            lambda: tg.calls("sendDocument", chat_id=TEACHER_ID, ok=True), timeout=5.0
        )
        await asyncio.sleep(0.3)  # the late vote's processing, if it did anything, is done

    ranking = expected_ranking()
    last = polls[-1]
    lines = [
        f"Question 10/10 : 3 sur 30 ont trouvé. Réponse : {option_text(last, correct_of(last))}",
        "",
        "🏆 Classement — « Jeu de test »",
    ]
    medals = ["🥇", "🥈", "🥉", *(f"{r}." for r in range(4, 11))]
    for medal, i in zip(medals, ranking[:10], strict=True):
        lines.append(f"{medal} {name(i)} — {RIGHT[i]}/10 ({seconds_of(i)} s)")
    lines += [
        "… et 20 autres joueurs : le détail est dans le fichier du prof.",
        "",
        f"😅 La plus difficile : « {prompt_of(last)} » (3 sur 30). "
        f"Réponse : {option_text(last, correct_of(last))}",
    ]
    assert final["text"] == "\n".join(lines)
    assert ranking[:4] == [1, 12, 23, 2]

    header = ["rang", "élève", "bonnes réponses", "réponses", "temps (s)"]
    header += [f"Q{n} : {prompt_of(p)}" for n, p in enumerate(polls, start=1)]
    rows = [";".join(header)]
    for rank, i in enumerate(ranking, start=1):
        marks = ["1" if q < RIGHT[i] else "0" for q in range(QUESTIONS)]
        answered = QUESTIONS
        if i == ABSENT[0]:
            marks[ABSENT[1]] = ""
            answered -= 1
        rows.append(
            ";".join([str(rank), name(i), str(RIGHT[i]), str(answered), seconds_of(i), *marks])
        )
    upload = csv_call[0].files["document"]
    assert upload.data == ("\r\n".join(rows) + "\r\n").encode("utf-8-sig")

    # One vote per student and question (the double and the late vote not counted).
    assert scalar(db, select(func.count()).select_from(GameAnswer)) == 299
    assert scalar(db, select(Game.state)) == "ended"
    # Student 1 studies the deck privately: 10 practice answers, their schedule untouched.
    with db() as session:
        reviews = session.scalars(select(Review).where(Review.user_id == studying)).all()
        assert len(reviews) == QUESTIONS and all(r.practice and r.correct for r in reviews)
        assert {c.due for c in session.scalars(select(Card).where(Card.user_id == studying))} == {
            T0
        }
        assert {c.reps for c in session.scalars(select(Card))} == {0}

    # The group's pace: within the (scaled) limits, no 429, one poll open at a time.
    assert tg.stats.too_many_requests == 0
    sends = sorted(
        c.at for c in tg.calls(chat_id=GROUP, ok=True) if c.method in ("sendMessage", "sendPoll")
    )
    window = LIMITS.group_window
    busiest = max(sum(1 for t in sends if s <= t < s + window) for s in sends)
    assert busiest <= 20
    assert len(tg.calls("sendPoll", chat_id=GROUP, ok=True)) == QUESTIONS


async def test_a_restart_mid_game_resumes_it_and_keeps_every_vote(
    tg: FakeTelegram,
    bot_settings: Settings,
    bot_engine: Engine,
    db: sessionmaker[Session],
    teacher: FakeUser,
    clock: Clock,
) -> None:
    group = {i: tg.user(7100 + i, name(i)).in_group(GROUP) for i in range(1, 4)}
    async with bot_on(bot_settings, bot_engine):
        await open_game(tg, teacher, 5, 10)
        first = await next_poll(tg, db, 1)
        for player in group.values():
            player.answer_poll(first, correct_of(first))
        second = await next_poll(tg, db, 2)
        group[1].answer_poll(second, correct_of(second))
        await until(lambda: answers_to(db, second["poll"]["id"]) == 1)
    # Between the two processes a vote waits at Telegram; the new process resumes the game.
    group[2].answer_poll(second, wrong_of(second))
    async with bot_on(bot_settings, bot_engine):
        await until(lambda: answers_to(db, second["poll"]["id"]) == 2)
        group[3].answer_poll(second, correct_of(second))  # the last vote closes it now
        for number in range(3, 6):
            poll = await next_poll(tg, db, number)
            for player in group.values():
                player.answer_poll(poll, correct_of(poll))
        final = await tg.wait_for_message(GROUP, "Classement", timeout=15.0)
    assert len(tg.calls("sendPoll", chat_id=GROUP, ok=True)) == 5  # none asked twice
    assert "Question 5/5 : 3 sur 3 ont trouvé" in final["text"]
    board = final["text"].split("\n")
    assert [line.split(" — ")[0] for line in board if " — " in line][1:] == [
        "🥇 Élève 01",
        "🥈 Élève 03",
        "🥉 Élève 02",
    ]
    assert scalar(db, select(func.count()).select_from(GameAnswer)) == 15


async def test_only_a_teacher_starts_a_game_and_group_commands_change_nothing(
    tg: FakeTelegram,
    bot: BotApplication,
    db: sessionmaker[Session],
    student: FakeUser,
) -> None:
    student.send_command("/start")
    await student.wait_for_message("Salut")
    in_group = student.in_group(GROUP)
    in_group.send_command("/jeu")
    refused = await tg.wait_for_message(GROUP, "Seul un prof")
    in_group.send_command("/reglages")
    in_group.send_command("/quiz")
    in_group.send_text("bonjour la classe")
    in_group.send_command("/stop")
    await tg.wait_for_message(GROUP, "Seul un prof", count=2, after=refused["message_id"] - 1)
    await until(lambda: tg.pending_updates == 0)
    await asyncio.sleep(0.3)
    assert [m["text"] for m in tg.messages(GROUP)] == [
        "Seul un prof peut lancer ou arrêter le jeu 🙂",
        "Seul un prof peut lancer ou arrêter le jeu 🙂",
    ]
    user = scalar(db, select(User).where(User.telegram_id == student.id))
    assert isinstance(user, User) and user.chat_id == student.id  # still their private chat
    assert scalar(db, select(func.count()).select_from(Game)) == 0


async def test_without_the_right_to_send_polls_the_bot_says_so_in_french(
    tg: FakeTelegram, bot: BotApplication, teacher: FakeUser
) -> None:
    tg.set_bot_member(GROUP, "restricted", can_send_polls=False)
    teacher.in_group(GROUP).send_command("/jeu")
    message = await tg.wait_for_message(GROUP, "j'ai besoin de pouvoir envoyer")
    assert "administrateur" in message["text"]
    assert not tg.poll_messages(GROUP)


async def test_a_student_cannot_press_the_teachers_buttons_and_stop_ends_the_game(
    tg: FakeTelegram,
    bot_settings: Settings,
    bot_engine: Engine,
    db: sessionmaker[Session],
    teacher: FakeUser,
    student: FakeUser,
    clock: Clock,
) -> None:
    pupil = student.in_group(GROUP)
    async with bot_on(bot_settings, bot_engine):
        in_group = teacher.in_group(GROUP)
        in_group.send_command("/jeu")
        picker = await tg.wait_for_message(GROUP, "quel paquet")
        press = pupil.press(picker, buttons(picker)["Jeu de test"])
        answer = await tg.wait_for_callback_answer(press)
        assert answer.text == "Réservé au prof."
        await open_game(tg, teacher, 5, 20)
        poll = await next_poll(tg, db, 1)
        pupil.answer_poll(poll, correct_of(poll))
        await until(lambda: answers_to(db, poll["poll"]["id"]) == 1)
        in_group.send_command("/stop")
        final = await tg.wait_for_message(GROUP, "Classement", timeout=5.0)
    assert "Jeu arrêté après 1 question sur 5." in final["text"]
    assert f"🥇 {student.info['first_name']} — 1/1 (0,0 s)" in final["text"]
    assert tg.calls("stopPoll", chat_id=GROUP, ok=True)  # the open poll was closed too
    assert scalar(db, select(Game.end_reason)) == "stopped"

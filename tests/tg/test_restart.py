"""A restart between a question and its typed answer: the open question comes from the
database, so the answer is graded by the new process, once."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.models import Review
from bot.services.container import build_services
from bot.tg.app import build_application, running
from bot.tg.handlers import quiz
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.decks import SUEZ
from tests.tg.harness import FAST, buttons, last_id

QUESTION = "En quelle année Nasser nationalise-t-il le canal de Suez ?"


@pytest.mark.parametrize("deck_yaml", [SUEZ])
async def test_a_typed_answer_after_a_restart_is_graded_once(
    tg: FakeTelegram,
    bot_settings: Settings,
    bot_engine: Engine,
    student: FakeUser,
    db: sessionmaker[Session],
) -> None:
    async with running(
        build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)
    ):
        student.send_command("/quiz")
        await student.wait_for_message(QUESTION)

    # A new process on the same database: its user_data knows nothing of the question.
    async with running(
        build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)
    ):
        mark = last_id(tg, student)
        typed = student.send_text("1956")
        verdict = await student.wait_for_message("Bravo", after=mark)
        # Verdict and next question in one message, below the question it grades: the card,
        # in learning, is due within 20 minutes and stays in the session (learn-ahead).
        assert verdict["text"].count(QUESTION) == 1

        tg.redeliver(typed)
        await tg.wait_for(lambda: tg.pending_updates == 0, what="the re-delivery consumed")
        done = last_id(tg, student)
        student.send_command("/aide")  # processed after the re-delivery (same student)
        await student.wait_for_message("Voici ce que je sais faire", after=done)

    with db() as session:
        reviews = session.scalars(select(Review)).all()
        assert [(r.given_answer, r.correct) for r in reviews] == [("1956", True)]
    texts = [m.get("text", "") for m in student.messages()]
    # The question, then its verdict with the question again: the re-delivery added nothing
    # (/aide shows the question waiting once more, below the help).
    assert sum(QUESTION in t for t in texts) == 3
    assert texts[-1].startswith("🔁 Ta question en cours") and QUESTION in texts[-1]


async def test_a_press_recorded_but_not_shown_is_shown_after_a_restart(
    tg: FakeTelegram,
    bot_settings: Settings,
    bot_engine: Engine,
    student: FakeUser,
    db: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bot stopped after committing a press and answering its button, before editing the
    message (issue 17's soak found it): the press, re-delivered to the new process, shows the
    verdict and the next question on that message instead of leaving a dead question."""
    present = quiz._present

    async def lost(*args: object, **kwargs: object) -> None:
        """The process dies before the message is edited."""

    async with running(
        build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)
    ):
        student.send_command("/quiz")
        q1 = await student.wait_for_message("principal allié")
        monkeypatch.setattr(quiz, "_present", lost)
        press = student.press(q1, buttons(q1)["la Russie"])
        await tg.wait_for_callback_answer(press)
        await tg.wait_for(lambda: tg.pending_updates == 0, what="the press handled")
    with db() as session:
        assert len(session.scalars(select(Review)).all()) == 1

    monkeypatch.setattr(quiz, "_present", present)
    async with running(
        build_application(bot_settings, build_services(bot_settings, bot_engine), tuning=FAST)
    ):
        tg.redeliver(press)
        q2 = await tg.wait_for_message(
            student.chat_id,
            "membre de l'OTAN",
            where=lambda m: m["message_id"] == q1["message_id"],
        )
        assert "principal allié" not in q2["text"] or "✅" in q2["text"]
    with db() as session:
        assert len(session.scalars(select(Review)).all()) == 1

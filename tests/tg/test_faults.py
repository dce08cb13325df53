"""Telegram failing: 429 (wait retry_after), 403 (the student blocked the bot), 5xx (retry with
backoff), a bug in a handler (logged with its traceback, never the token; a short message)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import get_user


async def test_429_waits_retry_after_then_sends(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    tg.fail_next("sendMessage", 429, retry_after=1)
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire", timeout=5)
    calls = tg.calls("sendMessage", chat_id=student.chat_id)
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0  # waited retry_after before sending again


async def test_5xx_is_retried_with_backoff(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    tg.fail_next("sendMessage", 502, times=2)
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire")
    calls = tg.calls("sendMessage", chat_id=student.chat_id)
    assert [c.status for c in calls] == [502, 502, 200]
    # Paused 10 ms, then 20 ms (the test timings): lower bounds only, the machine may be slow.
    assert calls[1].at - calls[0].at >= 0.01 and calls[2].at - calls[1].at >= 0.02


async def test_5xx_that_lasts_reaches_the_error_handler(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, caplog: pytest.LogCaptureFixture
) -> None:
    tg.fail_next("sendMessage", 500, times=4)  # the first try and the three retries
    student.send_command("/aide")
    # The error handler's apology is the fifth sendMessage, and it gets through.
    await student.wait_for_message("Oups")
    assert "Telegram unreachable" in caplog.text
    assert tg.token not in caplog.text


async def test_403_marks_the_student_blocked(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire")
    tg.block(student.chat_id)
    student.send_command("/quiz")
    await tg.wait_for(
        lambda: tg.calls("sendMessage", chat_id=student.chat_id, ok=False), what="the 403"
    )
    await tg.wait_for(
        lambda: (u := get_user(db, student.id)) is not None and u.blocked_at is not None,
        what="blocked_at set",
    )
    user = get_user(db, student.id)
    assert user is not None and user.next_reminder_at is None

    tg.unblock(student.chat_id)  # the student comes back: writing unblocks them
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire", count=2)
    user = get_user(db, student.id)
    assert user is not None and user.blocked_at is None


async def test_blocking_the_bot_stops_the_prompts(
    bot: BotApplication, tg: FakeTelegram, student: FakeUser, db: sessionmaker[Session]
) -> None:
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire")
    student.block_bot()  # Telegram sends my_chat_member: kicked
    await tg.wait_for(
        lambda: (u := get_user(db, student.id)) is not None and u.blocked_at is not None,
        what="blocked_at set",
    )


async def test_a_bug_is_logged_with_traceback_without_token(
    bot: BotApplication,
    tg: FakeTelegram,
    student: FakeUser,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"database exploded while calling {tg.base_url}/{tg.token}")

    monkeypatch.setattr(bot.bot_data.services.study, "next_question", broken)
    with caplog.at_level(logging.ERROR, logger="bot.tg.errors"):
        student.send_command("/quiz")
        message = await student.wait_for_message("Oups")
    assert "database exploded" not in message["text"]
    assert "Traceback" in caplog.text and "RuntimeError: database exploded" in caplog.text
    assert tg.token not in caplog.text and "***" in caplog.text

"""The bot's own getUpdates loop (issue 17, rows 1 and 2): an update the Telegram library
cannot read is logged once and skipped, everyone else is served; an update is confirmed only
once handled."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.tg.app import running
from bot.tg.context import BotApplication
from bot.tg.updater import IN_HAND_POLL_INTERVAL
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import JSON

SENDER = {"id": 777, "is_bot": False, "first_name": "Hostile"}
CHAT = {"id": 777, "type": "private", "first_name": "Hostile"}

#: Updates python-telegram-bot cannot parse (each made ``getUpdates`` fail for ever).
UNREADABLE: dict[str, JSON] = {
    "bad-date": {
        "message": {"message_id": 1, "date": "hier", "chat": CHAT, "from": SENDER, "text": "a"}
    },
    "no-chat": {"message": {"message_id": 2, "date": 1764748800, "from": SENDER, "text": "b"}},
    "callback-without-chat-instance": {
        "callback_query": {"id": "cq-1", "from": SENDER, "data": "go"}
    },
    "incomplete-poll-answer": {"poll_answer": {"poll_id": "p-1"}},
}


@pytest.mark.parametrize("kind", list(UNREADABLE))
async def test_an_unreadable_update_is_logged_once_skipped_and_others_served(
    bot: BotApplication,
    tg: FakeTelegram,
    student: FakeUser,
    caplog: pytest.LogCaptureFixture,
    kind: str,
) -> None:
    caplog.set_level(logging.WARNING)
    polls = tg.stats.requests["getUpdates"]
    bad = tg.enqueue_raw(UNREADABLE[kind])
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire")
    # Confirmed: Telegram will not send it again, and a restart would not meet it.
    await tg.wait_for(lambda: tg.pending_updates == 0, timeout=5)
    student.send_command("/aide")
    await student.wait_for_message("Voici ce que je sais faire", count=2)
    await asyncio.sleep(0.3)

    skipped = [r for r in caplog.records if "cannot read it" in r.getMessage()]
    if kind != "incomplete-poll-answer":  # not subscribed: Telegram (the fake) drops it
        assert len(skipped) == 1, [r.getMessage() for r in caplog.records]
        assert f"update {bad['update_id']}" in skipped[0].getMessage()
    assert len(skipped) <= 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert tg.stats.requests["getUpdates"] - polls < 40  # no tight loop of failed polls


async def test_a_batch_with_an_unreadable_update_serves_the_rest_of_the_batch(
    bot: BotApplication, tg: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    users = [tg.user(8100 + n, f"Élève {n}") for n in range(3)]
    users[0].send_command("/aide")
    tg.enqueue_raw(UNREADABLE["no-chat"])
    tg.enqueue_raw(UNREADABLE["bad-date"])
    for user in users[1:]:
        user.send_command("/aide")
    for user in users:
        await user.wait_for_message("Voici ce que je sais faire")
    assert len([r for r in caplog.records if "cannot read it" in r.getMessage()]) == 2


async def test_while_updates_are_in_hand_polls_are_spaced_not_one_per_update_done(
    app: BotApplication, tg: FakeTelegram
) -> None:
    # Every poll brings back all the updates in hand (not confirmed yet): a busy bot that
    # polled again after each update it finished would fetch them all once per update.
    finished: list[float] = []

    async def slow(update: object, _context: object) -> None:
        # 20 updates in hand at once, done one after the other over about 0.4 s.
        assert isinstance(update, Update) and update.effective_user is not None
        await asyncio.sleep(0.02 * (update.effective_user.id - 8200))
        finished.append(asyncio.get_running_loop().time())
        raise ApplicationHandlerStop

    app.add_handler(TypeHandler(Update, slow), group=-2)
    async with running(app):
        await asyncio.sleep(0.3)  # settled: the bot is long-polling
        polls = tg.stats.requests["getUpdates"]
        for n in range(1, 21):
            tg.user(8200 + n, f"Élève {n}").send_command("/aide")
        await tg.wait_for(lambda: len(finished) == 20 and tg.pending_updates == 0, timeout=10)
        spent = max(finished) - min(finished)
        during = tg.stats.requests["getUpdates"] - polls
    # One poll per update done would be 20 or more; spaced, about spent / interval + 2.
    assert during <= spent / IN_HAND_POLL_INTERVAL + 4 < 20, (during, spent)

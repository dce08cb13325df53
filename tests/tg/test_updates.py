"""The bot's own getUpdates loop (issue 17, rows 1 and 2): an update the Telegram library
cannot read is logged once and skipped, everyone else is served; an update is confirmed only
once handled."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.tg.context import BotApplication
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

"""Webhook mode: Telegram POSTs updates to the bot's own HTTP server (several instances can
sit behind a load balancer); the secret token keeps strangers out."""

from __future__ import annotations

import socket

import httpx

from bot.tg.app import WebhookServer, running
from bot.tg.context import BotApplication
from tests.support.fake_telegram import FakeTelegram, FakeUser
from tests.tg.harness import buttons


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_updates_posted_to_the_webhook(
    app: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    server = WebhookServer("127.0.0.1", port, "telegram", url, secret_token="s3cret-token")
    async with running(app, webhook=server):
        assert tg.calls("setWebhook", ok=True)[-1].params["url"] == url
        student.send_command("/quiz")
        question = await student.wait_for_message("principal allié")
        student.press(question, buttons(question)["la Russie"])
        await student.wait_for_message("membre de l'OTAN")
        assert {d.status for d in tg.webhook_deliveries} == {200}
        assert not tg.calls("getUpdates")

        async with httpx.AsyncClient() as client:  # a stranger without the secret token
            forged = await client.post(url, json={"update_id": 999, "message": {}})
        assert forged.status_code == 403


async def test_the_webhook_answers_only_once_the_update_is_handled(
    app: BotApplication, tg: FakeTelegram, student: FakeUser
) -> None:
    """Issue 17 row 2: Telegram sends again what was not answered 200, so 200 must mean
    handled. The reply is slowed down: the delivery ends after the reply was sent."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    server = WebhookServer("127.0.0.1", port, "telegram", url, secret_token="s3cret-token")
    async with running(app, webhook=server):
        tg.latency = 0.6  # every answer of the fake
        update_id = student.send_command("/aide")["update_id"]
        await tg.wait_for(lambda: any(d.update_id == update_id for d in tg.webhook_deliveries))
        # The 200 came after the reply was in the chat.
        assert any("Voici ce que je sais faire" in m.get("text", "") for m in student.messages())
        assert [d.status for d in tg.webhook_deliveries if d.update_id == update_id] == [200]
        tg.latency = 0.0

        no_chat = {"message_id": 9, "date": 1764748800, "text": "x"}
        bad = tg.enqueue_raw({"message": no_chat})  # skipped, answered 200: not sent again
        student.send_command("/aide")
        await student.wait_for_message("Voici ce que je sais faire", count=2)
        assert [d.status for d in tg.webhook_deliveries if d.update_id == bad["update_id"]] == [
            200
        ]

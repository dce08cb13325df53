"""The webhook server: Telegram's POST is answered 200 only once its update has been handled.

python-telegram-bot's webhook server answers 200 as soon as the update is queued, so an update
in its queue when the process dies is lost (Telegram only sends again what was not answered
200). This small tornado server (tornado comes with ``python-telegram-bot[webhooks]``) hands
each update to the ``Application`` (its update processor: students at once, each student's
updates in order) and answers when the handling is over — or after :data:`ANSWER_WITHIN`
seconds, well inside Telegram's timeout, while the handling goes on (a very slow update is
then at-most-once, like every update before). An update the library cannot read is logged once
and answered 200: dropped on purpose (:func:`bot.tg.updater.parse_update`). A request without
the secret token is refused (403), a body that is not JSON gets 400.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import tornado.httpserver
import tornado.web

from bot.tg.context import BotApplication
from bot.tg.updater import parse_update

log = logging.getLogger(__name__)

#: Longest wait for an update's handling before answering 200 anyway (Telegram gives up on a
#: webhook request after about a minute and sends it again; the tests' fake after 10 s).
ANSWER_WITHIN = 8.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class _UpdateHandler(tornado.web.RequestHandler):
    def initialize(self, server: WebhookReceiver) -> None:
        self.server = server

    def check_xsrf_cookie(self) -> None:  # Telegram sends no cookie
        return

    async def post(self) -> None:
        secret = self.server.secret_token
        if secret is not None and self.request.headers.get(SECRET_HEADER) != secret:
            self.set_status(403)
            return
        try:
            data: Any = json.loads(self.request.body)
        except ValueError:
            self.set_status(400)
            return
        await self.server.handle(data)
        self.set_status(200)

    def log_exception(self, *args: Any) -> None:  # pragma: no cover - tornado's own bugs
        log.warning("webhook request failed", exc_info=args if args[0] else None)


class WebhookReceiver:
    """Listen on ``listen``:``port`` at ``/url_path``; :meth:`stop` finishes what is in hand."""

    def __init__(
        self,
        app: BotApplication,
        *,
        listen: str,
        port: int,
        url_path: str,
        secret_token: str | None,
    ) -> None:
        self.app = app
        self.listen = listen
        self.port = port
        self.secret_token = secret_token
        routes = [(rf"/{url_path.strip('/')}/?", _UpdateHandler, {"server": self})]
        self._http = tornado.httpserver.HTTPServer(
            tornado.web.Application(routes, log_function=lambda _handler: None)
        )
        self._in_hand: set[asyncio.Task[None]] = set()
        self.running = False

    async def start(self) -> None:
        self._http.listen(self.port, address=self.listen)
        self.running = True

    async def stop(self) -> None:
        """Stop accepting requests, let the updates in hand finish, close the connections."""
        self._http.stop()
        if self._in_hand:
            await asyncio.gather(*self._in_hand, return_exceptions=True)
        await self._http.close_all_connections()
        self.running = False

    async def handle(self, data: object) -> None:
        """Handle one update; return when done (or after :data:`ANSWER_WITHIN` seconds)."""
        update = parse_update(data, self.app)
        if update is None:
            return  # logged; answered 200 so that Telegram does not send it again
        app = self.app
        task = asyncio.create_task(
            app.update_processor.process_update(update, app.process_update(update))
        )
        self._in_hand.add(task)
        task.add_done_callback(self._in_hand.discard)
        done, _ = await asyncio.wait({task}, timeout=ANSWER_WITHIN)
        if not done:
            log.warning(
                "update %s still in hand after %.0f s: answered to Telegram anyway",
                update.update_id,
                ANSWER_WITHIN,
            )
        elif not task.cancelled() and task.exception() is not None:
            log.error("update %s: handling failed", update.update_id, exc_info=task.exception())

"""The bot's own ``getUpdates`` loop: an update is confirmed only once it has been handled.

python-telegram-bot's ``Updater`` confirms a batch (the ``offset`` of the next ``getUpdates``)
as soon as it has fetched it, and parses the whole batch at once: a SIGKILL loses every update
fetched but not yet handled, and one update the library cannot parse (a bad ``date``, a
message without ``chat``…) fails every ``getUpdates`` for ever — nobody is answered again and
the log fills with tracebacks. :class:`ConfirmingPoller` replaces it:

* the raw JSON of each update is parsed on its own; one that cannot be parsed is logged once
  (a warning naming its id and kind) and dropped on purpose: confirmed, never seen again;
* each update is handed to the ``Application`` (its update processor, so students are still
  served at once and each student's updates in order) and confirmed only when its handling
  has finished: the offset sent is the lowest id still in hand. The updates after it that are
  already done come back in the next batches and are skipped (known ids); if the process
  dies, Telegram delivers again exactly those not confirmed — every handler is idempotent
  (answers carry Telegram's ids as keys);
* ``getUpdates`` failures go to ``error_callback`` (one line per outage,
  :class:`bot.tg.errors.PollingErrors`) and the loop tries again after a pause (1 s, doubled
  up to 30 s);
* :meth:`stop` stops fetching, lets the updates in hand finish, and confirms them.

The same parsing serves the webhook server (:mod:`bot.tg.webhook`): :func:`parse_update`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from telegram import Update
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot.tg.context import BotApplication

log = logging.getLogger(__name__)

JSON = dict[str, Any]

#: Telegram returns at most this many updates per ``getUpdates``.
BATCH_LIMIT = 100
#: While updates are in hand, a poll returns at once (they are not confirmed yet): wait this
#: long, or until one of them is done, before the next poll.
IN_HAND_PAUSE = 0.25
#: While updates are in hand every poll brings them all back, so polls are at least this far
#: apart: a busy bot would otherwise poll after each update it finishes, each poll returning
#: all those still in hand (a tenth of the bot's CPU under load, docs/performance.md). A new
#: update waits at most this much longer while others are being handled.
IN_HAND_POLL_INTERVAL = 0.05
#: Pauses after a failed ``getUpdates``: the first, and the longest.
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 30.0
#: Extra HTTP read time beyond the long-polling wait.
READ_MARGIN = 10.0


def update_kind(data: object) -> str:
    """The update's type (``message``, ``callback_query``…), for a log line."""
    if isinstance(data, dict):
        kinds = [key for key in data if key != "update_id"]
        return ",".join(str(k) for k in kinds[:3]) or "?"
    return type(data).__name__


def parse_update(data: object, app: BotApplication) -> Update | None:
    """The update, or None (and one warning) when the library cannot read it."""
    try:
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
        update = Update.de_json(data, app.bot)
        if update is None:
            raise ValueError("empty update")
        missing = _missing_field(update)
        if missing is not None:
            raise ValueError(f"no {missing}")
        return update
    except Exception as exc:  # any failure of the library's parser: drop this update only
        update_id = data.get("update_id") if isinstance(data, dict) else None
        log.warning(
            "update %s (%s) skipped: the Telegram library cannot read it (%s: %s)",
            update_id,
            update_kind(data),
            type(exc).__name__,
            str(exc).splitlines()[0][:200] if str(exc) else "",
        )
        return None


#: The fields the Bot API always sends, which the library does not insist on (it builds the
#: object without them) but handlers rely on: checked here, so no handler meets their absence.
_REQUIRED = {
    "message": ("message_id", "date", "chat"),
    "edited_message": ("message_id", "date", "chat"),
    "channel_post": ("message_id", "date", "chat"),
    "edited_channel_post": ("message_id", "date", "chat"),
    "callback_query": ("id", "from_user", "chat_instance"),
    "my_chat_member": ("chat", "from_user", "date", "old_chat_member", "new_chat_member"),
    "chat_member": ("chat", "from_user", "date", "old_chat_member", "new_chat_member"),
    "poll_answer": ("poll_id", "option_ids"),
    "inline_query": ("id", "from_user", "query"),
}


def _missing_field(update: Update) -> str | None:
    """``kind.field`` of the first required field the update lacks, else None."""
    for kind, fields in _REQUIRED.items():
        part = getattr(update, kind, None)
        if part is None:
            continue
        for name in fields:
            if getattr(part, name, None) is None:
                return f"{kind}.{name}"
    return None


def _sender(update: Update) -> int | None:
    """Whose update it is (the user, else the chat), to keep a backlog in order."""
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


def _update_id(data: object) -> int | None:
    if isinstance(data, dict):
        value = data.get("update_id")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


class ConfirmingPoller:
    """Long polling that confirms an update only after the Application has handled it."""

    def __init__(
        self,
        app: BotApplication,
        *,
        poll_timeout: float,
        allowed_updates: Sequence[str] | None,
        error_callback: Callable[[TelegramError], None] | None = None,
    ) -> None:
        self._app = app
        self._poll_timeout = poll_timeout
        self._allowed = list(allowed_updates) if allowed_updates is not None else None
        self._error_callback = error_callback
        self._request = HTTPXRequest(connection_pool_size=1)
        #: update id → its handling task, while in hand.
        self._in_hand: dict[int, asyncio.Task[None]] = {}
        #: ids handled (or dropped) but not yet confirmed: skipped when served again.
        self._done: set[int] = set()
        #: everything below is confirmed (None: nothing seen yet this run).
        self._offset: int | None = None
        self._progress = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.running = False
        #: The first batch after start-up is the backlog (what Telegram kept while the bot was
        #: down, and what a killed process had not confirmed): each student's share is
        #: handled one after the other, not queued at once, or the flood guard would take a
        #: student's two or three updates coming back together for a burst.
        self._backlog = True
        self._backlog_tail: dict[int, asyncio.Task[None]] = {}

    # -- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        await self._request.initialize()
        # getUpdates is refused while a webhook is set (an earlier run in webhook mode).
        await self._app.bot.delete_webhook(drop_pending_updates=False)
        self._stopping = False
        self.running = True
        self._task = asyncio.create_task(self._loop(), name="quizbot:getUpdates")

    async def stop(self) -> None:
        """Stop fetching, let the updates in hand finish, confirm them."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._in_hand:
            await asyncio.gather(*self._in_hand.values(), return_exceptions=True)
        offset = self._confirm_offset()
        if offset is not None and (self._done or offset != self._offset):
            with contextlib.suppress(TelegramError, OSError):
                await self._fetch(offset, wait=0, limit=1)
        self.running = False
        await self._request.shutdown()

    # -- the loop ---------------------------------------------------------------------------

    async def _loop(self) -> None:
        backoff = FIRST_BACKOFF
        clock = asyncio.get_running_loop().time
        polled_at = -IN_HAND_POLL_INTERVAL
        while not self._stopping:
            if self._in_hand:
                await asyncio.sleep(max(0.0, polled_at + IN_HAND_POLL_INTERVAL - clock()))
            polled_at = clock()
            offset = self._confirm_offset()
            try:
                batch = await self._fetch(offset, wait=self._poll_timeout)
            except asyncio.CancelledError:
                raise
            except TelegramError as exc:
                if self._error_callback is not None:
                    self._error_callback(exc)
                else:
                    log.warning("getUpdates failed: %s", exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            except Exception:
                log.exception("getUpdates failed unexpectedly")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = FIRST_BACKOFF
            self._confirmed(offset)
            new = self._take(batch)
            self._backlog = False
            self._backlog_tail.clear()
            if batch and not new:
                # Only updates already in hand or done came back: wait for progress.
                self._progress.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(IN_HAND_PAUSE):
                        await self._progress.wait()

    def _take(self, batch: list[object]) -> int:
        """Start handling the updates not seen yet; how many were new."""
        new = 0
        for data in batch:
            update_id = _update_id(data)
            if update_id is None:
                log.warning("an update without update_id skipped (%s)", update_kind(data))
                continue
            if update_id in self._in_hand or update_id in self._done:
                continue
            if self._offset is not None and update_id < self._offset:
                continue  # confirmed already (a late copy)
            new += 1
            update = parse_update(data, self._app)
            if update is None:
                self._done.add(update_id)  # deliberately dropped: confirmed with the others
                continue
            after, key = None, None
            if self._backlog:
                key = _sender(update)
                after = self._backlog_tail.get(key) if key is not None else None
            task = asyncio.create_task(
                self._handle(update_id, update, after), name=f"quizbot:update:{update_id}"
            )
            self._in_hand[update_id] = task
            if self._backlog and key is not None:
                self._backlog_tail[key] = task
        return new

    async def _handle(
        self, update_id: int, update: Update, after: asyncio.Task[None] | None = None
    ) -> None:
        try:
            if after is not None:
                await asyncio.wait({after})
            app = self._app
            await app.update_processor.process_update(update, app.process_update(update))
        except Exception:  # process_update sends handler errors to the error handler
            log.exception("update %s: handling failed", update_id)
        finally:
            self._in_hand.pop(update_id, None)
            self._done.add(update_id)
            self._progress.set()

    def _confirm_offset(self) -> int | None:
        """The ``offset`` to send: the lowest id still in hand, else one past the highest done
        (else the last one sent)."""
        if self._in_hand:
            return min(self._in_hand)
        if self._done:
            return max(self._done) + 1
        return self._offset

    def _confirmed(self, offset: int | None) -> None:
        """A ``getUpdates`` with ``offset`` succeeded: Telegram forgot every id below it."""
        if offset is None:
            return
        self._offset = offset
        self._done = {i for i in self._done if i >= offset}

    async def _fetch(
        self, offset: int | None, *, wait: float, limit: int = BATCH_LIMIT
    ) -> list[object]:
        params: dict[str, str] = {"timeout": f"{wait:g}", "limit": str(limit)}
        if offset is not None:
            params["offset"] = str(offset)
        if self._allowed is not None:
            params["allowed_updates"] = json.dumps(self._allowed)
        url = f"{self._app.bot.base_url}/getUpdates?{urlencode(params)}"
        result = await self._request.post(url, read_timeout=wait + READ_MARGIN)
        return list(result) if isinstance(result, list) else []

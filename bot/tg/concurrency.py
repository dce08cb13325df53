"""Concurrency: different students at once, one student's updates strictly in order.

PTB's ``concurrent_updates(True)`` would let two taps of the same student race (two answers to
one question, an answer overtaking a ``/stop``). :class:`PerUserUpdateProcessor` keeps the
concurrency between students and serialises each student's updates behind a FIFO lock.

The services are synchronous SQLAlchemy: :func:`run_sync` runs them in a worker thread so the
event loop never blocks on the database, and runs them again when the database failed in a way
that leaves nothing half-done (see :func:`bot.db.errors.is_transient_db_error`): a connection
dropped (the pool then drops every connection older than the failure and reconnects), SQLite
busy past its timeout, PostgreSQL restarting, a serialisation failure or a deadlock. Running a
service call twice is safe: each is one transaction that either committed or rolled back, and
the calls whose outcome may be unknown (a connection lost during COMMIT) are idempotent —
answers carry an idempotency key, imports compare content hashes, a day's prompt is unique per
student and day.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.services.errors import db_error_summary, is_transient_db_error

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

#: Updates processed at once across all students (each one mostly waits on the database).
MAX_CONCURRENT_UPDATES = 64


@dataclass(frozen=True, slots=True)
class DbRetry:
    """How :func:`run_sync` retries a service call after a transient database failure.

    The pauses (``base_delay``, doubled each time) come on top of the failed attempts' own
    waits (SQLite's busy timeout, a connection timeout).
    """

    attempts: int = 3
    base_delay: float = 0.2


#: The policy :func:`run_sync` uses (tests may shorten it).
DB_RETRY = DbRetry()


async def run_sync(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a blocking service call in a worker thread and await its result.

    A transient database failure (:func:`~bot.db.errors.is_transient_db_error`) is retried up to
    ``DB_RETRY.attempts`` times in all; the last failure propagates to the error handler.
    """
    call = functools.partial(func, *args, **kwargs)
    policy = DB_RETRY
    attempt = 1
    while True:
        try:
            result = await asyncio.to_thread(call)
        except Exception as exc:
            if attempt >= policy.attempts or not is_transient_db_error(exc):
                raise
            delay = policy.base_delay * 2 ** (attempt - 1)
            log.debug(
                "%s: database failed (%s), attempt %d/%d in %.2f s",
                _name(func),
                db_error_summary(exc),
                attempt + 1,
                policy.attempts,
                delay,
            )
            attempt += 1
            await asyncio.sleep(delay)
            continue
        if attempt > 1:
            log.info("%s: done after %d attempts (database was failing)", _name(func), attempt)
        return result


def _name(func: Callable[..., Any]) -> str:
    return getattr(func, "__qualname__", None) or repr(func)


def update_key(update: object) -> int | None:
    """Whose update this is: the sender's id (or the chat's), None for updates of nobody."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Processes updates of different users concurrently and those of one user in order.

    ``asyncio.Lock`` wakes its waiters first in, first out, and PTB starts one task per update in
    the order the updates arrive, so a student's updates run in arrival order. A lock lives only
    while someone holds or waits for it.
    """

    __slots__ = ("_slots",)

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._slots: dict[int, _Slot] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await the update's processing while holding its user's lock."""
        key = update_key(update)
        if key is None:
            await coroutine
            return
        slot = self._slots.setdefault(key, _Slot())
        slot.users += 1
        try:
            async with slot.lock:
                await coroutine
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[key]

    def waiting(self, key: int) -> int:
        """How many updates of ``key`` wait behind the one running (for the flood guard)."""
        slot = self._slots.get(key)
        return max(0, slot.users - 1) if slot is not None else 0

    @property
    def active_users(self) -> int:
        """How many users have an update running or waiting (for tests and metrics)."""
        return len(self._slots)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for the running updates before calling this."""

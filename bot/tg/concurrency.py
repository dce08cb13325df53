"""Concurrency: different students at once, one student's updates strictly in order.

PTB's ``concurrent_updates(True)`` would let two taps of the same student race (two answers to
one question, an answer overtaking a ``/stop``). :class:`PerUserUpdateProcessor` keeps the
concurrency between students and serialises each student's updates behind a FIFO lock.

The services are synchronous SQLAlchemy: :func:`run_sync` runs them in a worker thread so the
event loop never blocks on the database.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from telegram import Update
from telegram.ext import BaseUpdateProcessor

P = ParamSpec("P")
R = TypeVar("R")

#: Updates processed at once across all students (each one mostly waits on the database).
MAX_CONCURRENT_UPDATES = 64


async def run_sync(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a blocking service call in a worker thread and await its result."""
    return await asyncio.to_thread(functools.partial(func, *args, **kwargs))


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

    @property
    def active_users(self) -> int:
        """How many users have an update running or waiting (for tests and metrics)."""
        return len(self._slots)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for the running updates before calling this."""

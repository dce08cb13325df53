"""Per-student flood limit: a student who floods the bot is answered once, then slowed down.

:class:`FloodGuard` runs first for every update (a ``TypeHandler`` in group -1, inside the
student's turn of :class:`~bot.tg.concurrency.PerUserUpdateProcessor`) and drops the update,
stopping every other handler, when the student is flooding. Two rules:

* **a burst**: when one of the student's updates starts while more than ``max_waiting`` others
  of theirs are already queued behind it, they are sending without reading the replies (50
  answers pasted in a second). The student's allowance is emptied: this update and the queued
  ones are dropped. The first update of a burst has been handled already, so a spam of answers
  is graded once — the rest would otherwise be graded against the following questions;
* **a rate**: a token bucket per student (``burst`` updates at once, then ``per_second``) for a
  flood that arrives spread out (a script sending ten messages a second).

On the first dropped update of an episode the student gets one « Doucement… » message (in a
private chat; in a group the bot stays silent); the next ones are dropped without a word, and
the episode ends once the student's allowance has refilled (``burst / per_second`` seconds of
calm), so a steady flood is not answered by a steady stream of warnings. A dropped button
press is left unanswered after the first (Telegram stops its spinner by itself). Updates that
say something about the chat rather than the student's request (``my_chat_member``: the
student blocked the bot) are never dropped.

The clock is injectable (tests freeze it); state is a few numbers per recently active student,
pruned when it grows past ``max_students``.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.tg.concurrency import PerUserUpdateProcessor
from bot.tg.context import BotApplication, BotContext
from bot.tg.texts import texts_for

log = logging.getLogger(__name__)

#: The handler group of the guard: before every handler of the bot (group 0).
FLOOD_GROUP = -1


@dataclass(frozen=True, slots=True)
class FloodLimits:
    """How much a student may send (defaults: generous for people, tight for scripts)."""

    #: Updates at once before the rate applies (a quick run through the settings menu…).
    burst: float = 30.0
    #: Updates per second in the long run.
    per_second: float = 1.0
    #: More updates than this queued behind the one starting: a burst, all dropped.
    max_waiting: int = 2
    #: Students remembered at most (idle ones are forgotten first).
    max_students: int = 10_000


@dataclass(slots=True)
class _Allowance:
    tokens: float
    at: float
    warned: bool = False


class FloodGuard:
    """Decides, update by update, whether a student is flooding (see the module docstring)."""

    def __init__(
        self,
        limits: FloodLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits or FloodLimits()
        self.clock = clock
        self._students: dict[int, _Allowance] = {}
        self.dropped = 0

    def allow(self, student: int, *, waiting: int = 0) -> bool:
        """Take one update of ``student`` (``waiting``: theirs queued behind it); False: drop."""
        limits = self.limits
        now = self.clock()
        allowance = self._students.get(student)
        if allowance is None:
            self._prune()
            allowance = self._students[student] = _Allowance(limits.burst, now)
        else:
            elapsed = max(0.0, now - allowance.at)
            allowance.tokens = min(limits.burst, allowance.tokens + elapsed * limits.per_second)
            allowance.at = now
            if allowance.tokens >= limits.burst:
                allowance.warned = False  # calm again: a new flood gets a new warning
        if waiting > limits.max_waiting:
            allowance.tokens = 0.0  # a burst: this one and the queued ones go
        if allowance.tokens >= 1.0:
            allowance.tokens -= 1.0
            return True
        self.dropped += 1
        return False

    def should_warn(self, student: int) -> bool:
        """True once per episode of dropped updates: the one « Doucement… »."""
        allowance = self._students.get(student)
        if allowance is None or allowance.warned:
            return False
        allowance.warned = True
        return True

    def _prune(self) -> None:
        if len(self._students) < self.limits.max_students:
            return
        # Forget the students whose allowance has refilled: nothing to remember about them.
        now, limits = self.clock(), self.limits
        idle = [
            key
            for key, allowance in self._students.items()
            if allowance.tokens + (now - allowance.at) * limits.per_second >= limits.burst
        ]
        for key in idle:
            del self._students[key]
        if len(self._students) >= limits.max_students:  # everyone busy: forget the oldest
            for key in sorted(self._students, key=lambda k: self._students[k].at)[
                : len(self._students) // 2
            ]:
                del self._students[key]

    async def __call__(self, update: object, context: BotContext) -> None:
        """The group -1 callback: return to let the update through, raise to drop it."""
        if not isinstance(update, Update) or not _counted(update):
            return
        user = update.effective_user
        if user is None:
            return
        processor = context.application.update_processor
        waiting = (
            processor.waiting(user.id) if isinstance(processor, PerUserUpdateProcessor) else 0
        )
        if self.allow(user.id, waiting=waiting):
            return
        if self.should_warn(user.id):
            log.info("student %s is flooding: updates dropped for a while", user.id)
            await _slow_down(update, context)
        raise ApplicationHandlerStop


def _counted(update: Update) -> bool:
    """What a student sends on purpose: messages, edits and button presses."""
    return (
        update.message is not None
        or update.edited_message is not None
        or update.callback_query is not None
    )


async def _slow_down(update: Update, context: BotContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    language = user.language_code[:2] if user and user.language_code else None
    texts = texts_for(language)
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(texts.slow_down[:200])
    if chat is None or chat.type != chat.PRIVATE:
        return
    try:
        await context.bot.send_message(chat.id, texts.slow_down)
    except TelegramError as exc:  # the student will notice the silence anyway
        log.debug("« Doucement » not sent to %s: %s", chat.id, exc)


def register(app: BotApplication, guard: FloodGuard | None = None) -> FloodGuard:
    """Put the guard in front of every handler; returns it (tests set its clock)."""
    guard = guard or FloodGuard()
    app.add_handler(TypeHandler(Update, guard), group=FLOOD_GROUP)
    return guard


def guard_of(app: BotApplication) -> FloodGuard:
    """The guard :func:`register` installed in ``app``."""
    for handler in app.handlers.get(FLOOD_GROUP, []):
        if isinstance(handler, TypeHandler) and isinstance(handler.callback, FloodGuard):
            return handler.callback
    raise LookupError("no FloodGuard in this application")

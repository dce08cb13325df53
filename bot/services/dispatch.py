"""Sending the daily prompts: one run of the every-minute job, and the port it sends through.

:func:`dispatch_once` takes back what an earlier run left over, then claims what is due, from
:class:`~bot.services.reminders.ReminderService` (the outbox), and sends each prompt through a
:class:`Notifier` (the Telegram layer implements it: ``bot.tg.notifier``), with bounded
concurrency; a 429 pauses every send of the run once (:class:`_FloodGate`). Every outcome is
settled back in the outbox at once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ParamSpec, Protocol, TypeVar

from bot.domain.reminders import ReminderStatus
from bot.services.reminders import (
    DEFAULT_BATCH,
    DEFAULT_CONCURRENCY,
    DEFAULT_RATE_LIMIT_WAITS,
    ClaimedReminder,
    ClaimOutcome,
    ReminderService,
    check_now,
)

log = logging.getLogger(__name__)

#: Prompts accepted by Telegram and not yet marked sent, at most: what a crash may repeat.
MAX_UNSETTLED_SENDS = 1

P = ParamSpec("P")
T = TypeVar("T")


# -- sending --------------------------------------------------------------------------------


class SendStatus(StrEnum):
    SENT = "sent"
    #: 403: the student blocked the bot (or deleted their account).
    BLOCKED = "blocked"
    #: 429: Telegram's flood control; wait ``retry_after`` seconds.
    RETRY_AFTER = "retry_after"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class SendResult:
    """How Telegram answered one prompt (a :class:`Notifier` maps its errors to this)."""

    status: SendStatus
    retry_after: float = 0.0
    error: str | None = None
    #: For ``failed``: worth trying again later (network, 5xx) or not (400 bad request).
    retry: bool = True

    @classmethod
    def sent(cls) -> SendResult:
        return cls(SendStatus.SENT)

    @classmethod
    def blocked(cls) -> SendResult:
        return cls(SendStatus.BLOCKED)

    @classmethod
    def retry_after_seconds(cls, seconds: float) -> SendResult:
        return cls(SendStatus.RETRY_AFTER, retry_after=max(float(seconds), 0.0))

    @classmethod
    def failed(cls, error: str, *, retry: bool = True) -> SendResult:
        return cls(SendStatus.FAILED, error=error, retry=retry)


class Notifier(Protocol):
    """What the Telegram layer implements to deliver a daily prompt."""

    async def send_prompt(
        self, chat_id: int, language: str, due_count: int, new_count: int
    ) -> SendResult:
        """Send the prompt (with its « Réviser » / « Plus tard » buttons): ``due_count``
        questions wait, ``new_count`` of them never seen.

        Telegram's answers come back as a :class:`SendResult` (403 → ``blocked``, 429 →
        ``retry_after``, anything else → ``failed``), not as exceptions.
        """
        ...


Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class DispatchReport:
    """What one :func:`dispatch_once` did.

    Attributes:
        claimed: new prompts claimed to send; ``resent``: prompts taken back from a run that
            died or failed.
        sent, blocked, retry_later, failed: how those sends ended.
        not_sent: rows settled without a send, by :class:`ClaimOutcome`.
        waits: each 429 ``retry_after`` waited out, in seconds.
    """

    claimed: int = 0
    resent: int = 0
    sent: int = 0
    blocked: int = 0
    retry_later: int = 0
    failed: int = 0
    not_sent: Mapping[ClaimOutcome, int] = field(default_factory=dict)
    waits: tuple[float, ...] = ()


class _FloodGate:
    """Shared by one run's sends: a 429 pauses them all, and is waited out once, not once
    per task that hit it."""

    def __init__(self, sleep: Sleep) -> None:
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._epoch = 0
        self.waits: list[float] = []

    async def enter(self) -> int:
        """Wait while a 429 is being waited out; the epoch to hand to :meth:`wait_out`."""
        async with self._lock:
            return self._epoch

    async def wait_out(self, seconds: float, epoch: int) -> None:
        async with self._lock:
            if self._epoch != epoch:
                return  # someone waited since this send went out
            await self._sleep(seconds)
            self.waits.append(seconds)
            self._epoch += 1


async def _in_thread(func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    # Database calls leave the event loop free to answer students during a big batch.
    return await asyncio.to_thread(func, *args, **kwargs)


async def dispatch_once(
    service: ReminderService,
    notifier: Notifier,
    now: dt.datetime,
    *,
    sleep: Sleep = asyncio.sleep,
    concurrency: int = DEFAULT_CONCURRENCY,
    batch_size: int = DEFAULT_BATCH,
    rate_limit_waits: int = DEFAULT_RATE_LIMIT_WAITS,
    max_batches: int = 1000,
    clock: Callable[[], dt.datetime] | None = None,
) -> DispatchReport:
    """One run of the every-minute job: resend what was left over, then send what is due.

    Batches of ``batch_size`` are claimed and sent one after the other, at most
    ``concurrency`` sends at a time. A 429 pauses every send of the run for ``retry_after``
    (through ``sleep``, injectable so tests never wait); after ``rate_limit_waits`` of them a
    prompt is left for a later run, like any other failure. A 403 blocks the student.

    Each claim and each outcome is stamped with ``clock()``: by default ``now`` plus the
    (monotonic) time elapsed since the call, so that a run lasting minutes never stamps a
    late batch with its start time (another process would take it for abandoned after the
    lease). Tests pass ``clock=lambda: now``.
    """
    now = check_now(now)
    if clock is None:
        started = time.monotonic()

        def clock() -> dt.datetime:
            return now + dt.timedelta(seconds=time.monotonic() - started)

    gate = _FloodGate(sleep)
    slots = asyncio.Semaphore(concurrency)
    # The duplicate window (issue 17): a prompt Telegram accepted is repeated after a crash
    # until its row is marked sent. A send starts only once the previous one is settled, so
    # a crash at any instant repeats at most one prompt (it was 1-2 with 30 sends in flight
    # and their mark_sent queued in the thread pool). Cost: one send and one commit at a time,
    # ~10-20 prompts/s instead of Telegram's 30/s (docs/reliability.md).
    unsettled = asyncio.Semaphore(MAX_UNSETTLED_SENDS)
    tally: Counter[str] = Counter()
    not_sent: Counter[ClaimOutcome] = Counter()

    async def send(reminder: ClaimedReminder) -> SendResult:
        try:
            return await notifier.send_prompt(
                reminder.chat_id, reminder.language, reminder.due_count, reminder.new_count
            )
        except Exception as exc:  # a notifier bug must not stop the other sends
            log.exception("prompt %s: notifier raised", reminder.reminder_id)
            return SendResult.failed(repr(exc))

    async def deliver(reminder: ClaimedReminder) -> None:
        async with slots:
            result = SendResult.failed("rate limited")
            for attempt in range(rate_limit_waits + 1):
                epoch = await gate.enter()
                async with unsettled:  # held from the send until the row is marked sent
                    result = await send(reminder)
                    if result.status is SendStatus.SENT:
                        await _in_thread(service.mark_sent, reminder.reminder_id, clock())
                        tally["sent"] += 1
                        return
                if result.status is not SendStatus.RETRY_AFTER or attempt == rate_limit_waits:
                    break
                await gate.wait_out(result.retry_after, epoch)
        if result.status is SendStatus.BLOCKED:
            await _in_thread(service.mark_blocked, reminder.user_id, clock(), reminder.reminder_id)
            tally["blocked"] += 1
        else:
            if result.status is SendStatus.FAILED:
                log.warning("prompt %s not sent: %s", reminder.reminder_id, result.error)
            status = await _in_thread(
                service.mark_failed, reminder.reminder_id, clock(), result.retry
            )
            tally["retry_later" if status is ReminderStatus.RETRY else "failed"] += 1

    for resend, take in ((True, service.reclaim_batch), (False, service.claim_batch)):
        for _ in range(max_batches):
            batch = await _in_thread(take, clock(), batch_size)
            tally["resent" if resend else "claimed"] += len(batch.reminders)
            for reason, n in batch.outcomes.items():
                if reason is not ClaimOutcome.CLAIMED:
                    not_sent[reason] += n
            async with asyncio.TaskGroup() as group:
                for reminder in batch.reminders:
                    group.create_task(deliver(reminder))
            if batch.examined < batch_size:
                break
    return DispatchReport(
        claimed=tally["claimed"],
        resent=tally["resent"],
        sent=tally["sent"],
        blocked=tally["blocked"],
        retry_later=tally["retry_later"],
        failed=tally["failed"],
        not_sent=+not_sent,
        waits=tuple(gate.waits),
    )

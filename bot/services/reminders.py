"""Daily prompts: claim who is due, send through a :class:`Notifier`, record what happened.

How it runs. Every bot process has one recurring job (python-telegram-bot's JobQueue, every
minute) that awaits :func:`dispatch_once`. It first takes back prompts that an earlier run
claimed and never finished (:meth:`ReminderService.reclaim_batch`), then claims the students
whose ``users.next_reminder_at`` has passed, in batches (:meth:`ReminderService.claim_batch`),
and sends each prompt with bounded concurrency. There is no job per student: the database is
the schedule, so any number of processes can share it.

The outbox. Claiming a student is one transaction that (1) takes the student (PostgreSQL:
``SELECT … FOR UPDATE SKIP LOCKED``; SQLite: a conditional UPDATE on the value read), (2)
moves ``next_reminder_at`` to the next local day (:func:`bot.domain.reminders.next_reminder_at`,
DST-correct) and (3) inserts a ``reminders`` row, unique on ``(user_id, local_date)``, with
status ``claimed`` (to send), ``skipped`` (nothing due, or already studied that local day) or
``expired`` (more than ``max_delay`` late: missed while the bot was down). Hence:

* at most one unsolicited prompt per student and local date, whatever the number of processes,
  restarts, or changes of reminder time during the day (a second row for the day cannot be
  inserted, so nothing is sent);
* nothing is lost: a row stays ``claimed`` until :meth:`~ReminderService.mark_sent` (or a
  failure, or a 403) settles it. A row still ``claimed`` after ``lease`` (the process died
  mid-batch) is taken again by :meth:`~ReminderService.pending_unsent` and sent if still timely
  and still useful, else marked ``expired`` / ``skipped``. Failed sends go to ``retry`` and are
  tried again by a later run (at most ``max_attempts`` attempts, then ``failed``); they never
  hold up the rest of the batch.

**The only duplicate window**: the process dies (or loses the database) after Telegram accepted
the message and before ``mark_sent`` committed. The row is still ``claimed``; after the lease
another run sends the prompt again. The window is one database round trip wide (``mark_sent``
follows each send immediately), the resend is skipped if the student has answered a question
since, and closing it entirely would need Telegram to deduplicate, which the Bot API does not
offer.

« Plus tard » (:meth:`ReminderService.snooze`) is the one way to get a second message for the
same local day, because the student asked for it: today's ``sent`` row becomes ``snoozed``
with the new time, ``next_reminder_at`` moves to it, and the next claim re-arms that same row
instead of inserting one (the regular next prompt is recomputed from the reminder time). A
snooze that would land after the next regular prompt is refused.

What counts as « something due » (the same rules as the study service): at least one card
with ``due <= now`` (unsuspended, question and deck live, deck not switched off by the
student), or at least one new question within the daily new-card limit (a live question of an
enabled deck with no card yet, and ``new_cards_per_day > 0``). The prompt's count is due cards
plus ``min(new questions, new_cards_per_day)``. A student who answered anything (practice
included) since the start of the prompt's local date is not prompted that day.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ParamSpec, Protocol, TextIO, TypeVar
from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.repositories import reminders as repo
from bot.domain.reminders import (
    Decision,
    ReminderStatus,
    Workload,
    decide,
    local_date,
    local_day_start,
    next_reminder_at,
    status_for,
)

log = logging.getLogger(__name__)

DEFAULT_BATCH = 500
#: A claimed row not settled after this long belongs to a process that died.
DEFAULT_LEASE = dt.timedelta(minutes=10)
#: A failed send is tried again by the first run this long after the failure.
DEFAULT_RETRY_DELAY = dt.timedelta(minutes=1)
DEFAULT_MAX_ATTEMPTS = 5
#: « Plus tard » works on a prompt sent less than this long ago.
SNOOZE_WINDOW = dt.timedelta(hours=24)

P = ParamSpec("P")
T = TypeVar("T")


def _check_now(now: dt.datetime) -> dt.datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be an aware datetime, got {now!r}")
    return now.astimezone(dt.UTC)


# -- values handed out ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimedReminder:
    """A prompt this process must send now, then settle with ``mark_*``."""

    reminder_id: int
    user_id: int
    chat_id: int
    language: str
    local_date: dt.date
    scheduled_for: dt.datetime
    due_count: int
    attempts: int


@dataclass(frozen=True, slots=True)
class ClaimBatch:
    """One claim transaction: what to send, how many rows it looked at, and what became of
    them (``outcomes`` counts statuses, plus ``duplicate`` for a local day that already had a
    row, ``lost`` for a student another process took first, ``bad_zone``)."""

    reminders: tuple[ClaimedReminder, ...]
    examined: int
    outcomes: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PromptPreview:
    """What a claim would do with one student now (``quizbot remind --dry-run``).

    ``decision``: ``send``, ``nothing_due``, ``studied_today``, ``too_late``,
    ``already_prompted`` (that local day has its row) or ``bad_zone``.
    """

    user_id: int
    display_name: str
    timezone: str
    scheduled_for: dt.datetime
    local_date: dt.date | None
    decision: str
    due_count: int
    snoozed: bool = False


class SnoozeStatus(StrEnum):
    SNOOZED = "snoozed"
    #: No prompt sent in the last 24 h (or prompts are off, or the student is unknown).
    NOTHING_TO_SNOOZE = "nothing_to_snooze"
    #: The regular prompt comes before the snoozed one would.
    NEXT_PROMPT_SOONER = "next_prompt_sooner"


@dataclass(frozen=True, slots=True)
class SnoozeOutcome:
    status: SnoozeStatus
    #: When the prompt will come (the snoozed one, or the regular one).
    at: dt.datetime | None = None


# -- the service ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    student: repo.Student
    scheduled_for: dt.datetime
    next_at: dt.datetime | None
    local_date: dt.date | None
    day_start: dt.datetime | None


class ReminderService:
    """Claims and settles daily prompts. Every method is one transaction; ``now`` is UTC."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        max_delay: dt.timedelta,
        lease: dt.timedelta = DEFAULT_LEASE,
        retry_delay: dt.timedelta = DEFAULT_RETRY_DELAY,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    ) -> None:
        self._sessions = session_factory
        self.max_delay = max_delay
        self.lease = lease
        self.retry_delay = retry_delay
        self.max_attempts = max_attempts

    @classmethod
    def from_settings(
        cls, session_factory: sessionmaker[Session], settings: Settings
    ) -> ReminderService:
        return cls(
            session_factory, max_delay=dt.timedelta(hours=settings.reminder_max_delay_hours)
        )

    # claiming ------------------------------------------------------------------------------

    def claim_due(self, now: dt.datetime, limit: int = DEFAULT_BATCH) -> list[ClaimedReminder]:
        """Claim up to ``limit`` due students; the prompts to send (see :meth:`claim_batch`)."""
        return list(self.claim_batch(now, limit).reminders)

    def claim_batch(self, now: dt.datetime, limit: int = DEFAULT_BATCH) -> ClaimBatch:
        """Claim up to ``limit`` students whose ``next_reminder_at <= now``.

        Each one's ``next_reminder_at`` moves to the next local day and an outbox row records
        the decision, in one transaction. ``examined < limit`` means nobody else is due.
        """
        now = _check_now(now)
        outcomes: Counter[str] = Counter()
        to_send: list[ClaimedReminder] = []
        with self._sessions() as session:
            locking = repo.is_postgresql(session)
            students = repo.due_students(session, now, limit, lock=locking)
            plans = [self._plan(student, now) for student in students]
            won = repo.advance(
                session,
                [(p.student.user_id, p.scheduled_for, p.next_at) for p in plans],
                rows_locked=locking,
            )
            outcomes["lost"] = len(plans) - len(won)
            plans = [p for p in plans if p.student.user_id in won]
            outcomes["bad_zone"] = sum(p.local_date is None for p in plans)
            plans = [p for p in plans if p.local_date is not None]
            snoozed = self._matching_snoozes(session, plans, outcomes)
            work = self._workloads(session, plans, now)
            new_rows: list[repo.NewRow] = []
            for plan in plans:
                uid = plan.student.user_id
                current = snoozed.get(uid)
                day_start = plan.day_start
                if current is not None:
                    day_start = local_day_start(current.local_date, plan.student.timezone)
                assert day_start is not None and plan.local_date is not None
                status, count = self._judge(plan.student, plan.scheduled_for, day_start, now, work)
                if current is None:
                    new_rows.append(
                        repo.NewRow(uid, plan.local_date, plan.scheduled_for, status, count)
                    )
                    continue
                if repo.transition(session, current, status=status, now=now, due_count=count):
                    outcomes[status.value] += 1
                    if status is ReminderStatus.CLAIMED:
                        to_send.append(self._claimed(current.id, plan.student, current, count))
            inserted = repo.insert_rows(session, new_rows, now)
            for new in new_rows:
                rid = inserted.get(new.user_id)
                if rid is None:
                    outcomes["duplicate"] += 1
                    continue
                outcomes[new.status.value] += 1
                if new.status is ReminderStatus.CLAIMED:
                    student = next(p.student for p in plans if p.student.user_id == new.user_id)
                    to_send.append(
                        ClaimedReminder(
                            reminder_id=rid,
                            user_id=new.user_id,
                            chat_id=student.chat_id or 0,
                            language=student.language,
                            local_date=new.local_date,
                            scheduled_for=new.scheduled_for,
                            due_count=new.due_count,
                            attempts=0,
                        )
                    )
            session.commit()
        return ClaimBatch(tuple(to_send), len(students), +outcomes)

    def pending_unsent(
        self, now: dt.datetime, limit: int = DEFAULT_BATCH
    ) -> list[ClaimedReminder]:
        """Take back prompts claimed and never settled, and failed ones due for a retry.

        A row still ``claimed`` after the lease belongs to a process that died; it is sent
        again if still timely and useful, else marked ``expired``/``skipped`` (see
        :meth:`reclaim_batch`).
        """
        return list(self.reclaim_batch(now, limit).reminders)

    def reclaim_batch(self, now: dt.datetime, limit: int = DEFAULT_BATCH) -> ClaimBatch:
        """:meth:`pending_unsent` with the counts; ``examined < limit``: nothing else waits."""
        now = _check_now(now)
        outcomes: Counter[str] = Counter()
        to_send: list[ClaimedReminder] = []
        with self._sessions() as session:
            locking = repo.is_postgresql(session)
            items = repo.unsettled(
                session,
                claimed_before=now - self.lease,
                retry_before=now - self.retry_delay,
                limit=limit,
                lock=locking,
            )
            starts: dict[int, dt.datetime] = {}
            for current, student in items:
                try:
                    starts[current.id] = local_day_start(current.local_date, student.timezone)
                except (ZoneInfoNotFoundError, ValueError):
                    continue
            work = (
                repo.workloads(
                    session,
                    {student.user_id for _, student in items},
                    now,
                    min(starts.values()),
                )
                if starts
                else {}
            )
            for current, student in items:
                # A row never settled was being sent when its process died: count that try.
                attempts = current.attempts + (current.status is ReminderStatus.CLAIMED)
                count = current.due_count
                if student.blocked_at is not None:
                    status = ReminderStatus.BLOCKED
                elif not student.can_be_prompted or current.id not in starts:
                    status = ReminderStatus.SKIPPED
                elif attempts >= self.max_attempts:
                    status = ReminderStatus.FAILED
                else:
                    status, count = self._judge(
                        student, current.scheduled_for, starts[current.id], now, work
                    )
                if not repo.transition(
                    session, current, status=status, now=now, due_count=count, attempts=attempts
                ):
                    outcomes["lost"] += 1
                    continue
                outcomes[status.value] += 1
                if status is ReminderStatus.CLAIMED:
                    claimed = self._claimed(current.id, student, current, count)
                    to_send.append(
                        ClaimedReminder(**{**_fields(claimed), "attempts": attempts})
                    )
            session.commit()
        return ClaimBatch(tuple(to_send), len(items), +outcomes)

    # settling ------------------------------------------------------------------------------

    def mark_sent(self, reminder_id: int, now: dt.datetime) -> bool:
        """Telegram accepted the prompt. False if the row was already marked sent."""
        now = _check_now(now)
        with self._sessions() as session:
            done = repo.settle(session, reminder_id, status=ReminderStatus.SENT, now=now, sent=True)
            session.commit()
        return done

    def mark_failed(self, reminder_id: int, now: dt.datetime, retry: bool) -> ReminderStatus:
        """A send failed: ``retry`` (a later run tries again) until ``max_attempts``, then
        ``failed``. Returns the row's new status (``sent`` if it had been sent meanwhile)."""
        now = _check_now(now)
        with self._sessions() as session:
            current = repo.row(session, reminder_id, lock=repo.is_postgresql(session))
            if current is None:
                raise LookupError(f"no reminder {reminder_id}")
            if current.sent_at is not None:
                return current.status
            attempts = current.attempts + 1
            status = (
                ReminderStatus.RETRY
                if retry and attempts < self.max_attempts
                else ReminderStatus.FAILED
            )
            repo.settle(session, reminder_id, status=status, now=now, attempts=attempts)
            session.commit()
        return status

    def mark_blocked(self, user_id: int, now: dt.datetime, reminder_id: int | None = None) -> None:
        """Telegram answered 403: set ``users.blocked_at``, stop the prompts (the student is
        unblocked by writing to the bot again, see ``UserService.register_telegram``)."""
        now = _check_now(now)
        with self._sessions() as session:
            repo.block_student(session, user_id, now)
            if reminder_id is not None:
                repo.settle(session, reminder_id, status=ReminderStatus.BLOCKED, now=now)
            session.commit()

    # the student's « Plus tard » -----------------------------------------------------------

    def snooze(self, user_id: int, now: dt.datetime, minutes: int = 60) -> SnoozeOutcome:
        """Send today's prompt again in ``minutes`` (the student asked: a second message)."""
        now = _check_now(now)
        if minutes <= 0:
            raise ValueError(f"minutes must be positive, got {minutes}")
        at = now + dt.timedelta(minutes=minutes)
        with self._sessions() as session:
            locking = repo.is_postgresql(session)
            student = repo.student(session, user_id, lock=locking)
            if student is None or not student.can_be_prompted:
                return SnoozeOutcome(SnoozeStatus.NOTHING_TO_SNOOZE)
            current = repo.latest_row(session, user_id, lock=locking)
            if (
                current is None
                or current.status is not ReminderStatus.SENT
                or current.sent_at is None
                or now - current.sent_at > SNOOZE_WINDOW
            ):
                return SnoozeOutcome(SnoozeStatus.NOTHING_TO_SNOOZE)
            regular = student.next_reminder_at
            if regular is not None and at >= regular:
                return SnoozeOutcome(SnoozeStatus.NEXT_PROMPT_SOONER, regular)
            if not (
                repo.transition(session, current, status=ReminderStatus.SNOOZED, scheduled_for=at)
                and repo.set_next_reminder(session, user_id, regular, at)
            ):
                session.rollback()
                return SnoozeOutcome(SnoozeStatus.NOTHING_TO_SNOOZE)
            # Sent once already; ``sent_at`` will say when the snoozed message went out.
            repo.clear_sent_at(session, current.id)
            session.commit()
        return SnoozeOutcome(SnoozeStatus.SNOOZED, at)

    # looking without touching --------------------------------------------------------------

    def preview(self, now: dt.datetime, limit: int | None = 1000) -> list[PromptPreview]:
        """What :meth:`claim_batch` would decide for each due student now; changes nothing."""
        now = _check_now(now)
        with self._sessions() as session:
            plans = [self._plan(s, now) for s in repo.due_students(session, now, limit, lock=False)]
            valid = [p for p in plans if p.local_date is not None]
            outcomes: Counter[str] = Counter()
            snoozed = self._matching_snoozes(session, valid, outcomes)
            taken = repo.rows_on(
                session, [(p.student.user_id, p.local_date) for p in valid if p.local_date]
            )
            work = self._workloads(session, valid, now)
            result = []
            for plan in plans:
                student = plan.student
                current = snoozed.get(student.user_id)
                day_start = plan.day_start
                if current is not None:
                    day_start = local_day_start(current.local_date, student.timezone)
                decision: str
                count = 0
                if day_start is None:
                    decision = "bad_zone"
                elif current is None and student.user_id in taken:
                    decision = "already_prompted"
                else:
                    status, count = self._judge(student, plan.scheduled_for, day_start, now, work)
                    decision = self._last_decision
                result.append(
                    PromptPreview(
                        user_id=student.user_id,
                        display_name=student.display_name,
                        timezone=student.timezone,
                        scheduled_for=plan.scheduled_for,
                        local_date=current.local_date if current else plan.local_date,
                        decision=decision,
                        due_count=count,
                        snoozed=current is not None,
                    )
                )
            session.rollback()
        return result

    # helpers -------------------------------------------------------------------------------

    def _plan(self, student: repo.Student, now: dt.datetime) -> _Plan:
        scheduled_for = student.next_reminder_at
        assert scheduled_for is not None and student.reminder_time is not None
        try:
            return _Plan(
                student=student,
                scheduled_for=scheduled_for,
                # From now, not from the old value: after downtime, jump to the future.
                next_at=next_reminder_at(student.reminder_time, student.timezone, now),
                local_date=(day := local_date(scheduled_for, student.timezone)),
                day_start=local_day_start(day, student.timezone),
            )
        except (ZoneInfoNotFoundError, ValueError):
            log.warning(
                "student %s: unknown time zone %r, daily prompt switched off",
                student.user_id,
                student.timezone,
            )
            return _Plan(student, scheduled_for, None, None, None)

    def _matching_snoozes(
        self, session: Session, plans: Sequence[_Plan], outcomes: Counter[str]
    ) -> dict[int, repo.OutboxRow]:
        """Snoozed rows whose time is the one being claimed; stale ones are expired."""
        dated = [p for p in plans if p.local_date is not None]
        if not dated:
            return {}
        since = min(p.local_date for p in dated if p.local_date) - dt.timedelta(days=2)
        rows = repo.snoozed_rows(session, {p.student.user_id for p in dated}, since)
        matching = {}
        for plan in dated:
            current = rows.get(plan.student.user_id)
            if current is None:
                continue
            if current.scheduled_for == plan.scheduled_for:
                matching[plan.student.user_id] = current
            elif repo.transition(session, current, status=ReminderStatus.EXPIRED):
                # Snoozed, then paused or moved: that snooze will never come.
                outcomes["expired"] += 1
        return matching

    def _workloads(
        self, session: Session, plans: Sequence[_Plan], now: dt.datetime
    ) -> dict[int, Workload]:
        starts = [p.day_start for p in plans if p.day_start is not None]
        if not starts:
            return {}
        # A snoozed row may belong to the day before: look one more day back.
        since = min(starts) - dt.timedelta(days=1)
        return repo.workloads(session, {p.student.user_id for p in plans}, now, since)

    _last_decision: str = Decision.SEND.value

    def _judge(
        self,
        student: repo.Student,
        scheduled_for: dt.datetime,
        day_start: dt.datetime,
        now: dt.datetime,
        work: Mapping[int, Workload],
    ) -> tuple[ReminderStatus, int]:
        workload = work.get(student.user_id, Workload())
        decision = decide(
            scheduled_for=scheduled_for,
            now=now,
            max_delay=self.max_delay,
            day_start=day_start,
            workload=workload,
            new_cards_per_day=student.new_cards_per_day,
        )
        self._last_decision = decision.value
        return status_for(decision), workload.prompt_count(student.new_cards_per_day)

    @staticmethod
    def _claimed(
        reminder_id: int, student: repo.Student, current: repo.OutboxRow, count: int
    ) -> ClaimedReminder:
        return ClaimedReminder(
            reminder_id=reminder_id,
            user_id=student.user_id,
            chat_id=student.chat_id or 0,
            language=student.language,
            local_date=current.local_date,
            scheduled_for=current.scheduled_for,
            due_count=count,
            attempts=current.attempts,
        )


def _fields(value: ClaimedReminder) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__slots__}

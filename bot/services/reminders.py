"""Daily prompts, the outbox: claim who is due, and record what happened to each send.

How it runs. Every bot process has one recurring job (python-telegram-bot's JobQueue, every
minute) that awaits :func:`bot.services.dispatch.dispatch_once` (the sending side: the
:class:`~bot.services.dispatch.Notifier` port, its :class:`~bot.services.dispatch.SendResult`,
the flood gate). It first takes back prompts that an earlier run
claimed and never finished (:meth:`ReminderService.reclaim_batch`), then claims the students
whose ``users.next_reminder_at`` has passed, in batches (:meth:`ReminderService.claim_batch`),
and sends each prompt with bounded concurrency. There is no job per student: the database is
the schedule, so any number of processes can share it.

The outbox. Claiming a student is one transaction that (1) takes the student (PostgreSQL:
``SELECT … FOR UPDATE SKIP LOCKED``, so concurrent processes take disjoint batches; SQLite:
``BEGIN IMMEDIATE`` — SQLite's single writer lock — then a conditional UPDATE on the value
read), (2)
moves ``next_reminder_at`` to the next local day (:func:`bot.domain.reminders.next_reminder_at`,
DST-correct) and (3) inserts a ``reminders`` row, unique on ``(user_id, local_date)``, with
status ``claimed`` (to send), ``skipped`` (nothing due, or already studied that local day) or
``expired`` (more than ``max_delay`` late: missed while the bot was down). Hence:

* at most one unsolicited prompt per student and local date, whatever the number of processes,
  restarts, or changes of reminder time during the day (a second row for the day cannot be
  inserted, so nothing is sent);
* nothing is lost: a row stays ``claimed`` until :meth:`~ReminderService.mark_sent` (or a
  failure, or a 403) settles it. A row still ``claimed`` after ``lease`` (the process died
  mid-batch) is taken again by :meth:`~ReminderService.reclaim_batch` and sent if still timely
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
snooze that would land after the next regular prompt is refused; a snooze that never fires
(prompts paused or moved meanwhile) is marked ``expired`` by a later run.

Every timestamp comes from the caller: services never read the clock. :func:`dispatch_once`
stamps each batch with ``now`` plus the time the run has taken (see its ``clock``).

What counts as « something due » (the same rules as the study service): at least one card
with ``due <= now`` (unsuspended, question and deck live, deck not switched off by the
student), or at least one new question within the daily new-card limit (a live question of an
enabled deck with no card yet, and ``new_cards_per_day > 0``). The prompt's count is due cards
plus ``min(new questions, new_cards_per_day)``. A student who answered anything (practice
included) since the start of the prompt's local date is not prompted that day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfoNotFoundError

from bot.config import Settings
from bot.db.repositories import reminders as repo
from bot.db.session import Session, SessionFactory
from bot.domain.reminders import (
    Decision,
    PromptCount,
    ReminderStatus,
    Workload,
    decide,
    local_date,
    local_day_start,
    next_reminder_at,
    resolve_local,
    status_for,
)

log = logging.getLogger(__name__)

DEFAULT_BATCH = 500
#: Sends in flight at once; PTB's AIORateLimiter paces them to Telegram's ~30 messages/s.
DEFAULT_CONCURRENCY = 30
#: A claimed row not settled after this long belongs to a process that died.
DEFAULT_LEASE = dt.timedelta(minutes=10)
#: A failed send is tried again by the first run this long after the failure.
DEFAULT_RETRY_DELAY = dt.timedelta(minutes=1)
DEFAULT_MAX_ATTEMPTS = 5
#: 429 answers waited out for one prompt in one run before it is left for a later run.
DEFAULT_RATE_LIMIT_WAITS = 3
#: « Plus tard » works on a prompt sent less than this long ago.
SNOOZE_WINDOW = dt.timedelta(hours=24)


def check_now(now: dt.datetime) -> dt.datetime:
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
    due_count: int  # every question waiting, reviews and new ones
    attempts: int
    new_count: int = 0  # of ``due_count``, never seen


@dataclass(frozen=True, slots=True)
class ClaimBatch:
    """One claim transaction.

    Attributes:
        reminders: the prompts to send.
        examined: rows looked at; fewer than the limit means nobody else is waiting.
        outcomes: rows per :class:`ClaimOutcome`.
    """

    reminders: tuple[ClaimedReminder, ...]
    examined: int
    outcomes: Mapping[ClaimOutcome, int] = field(default_factory=dict)


class ClaimOutcome(StrEnum):
    """What a claim (or a reclaim) did with one row: a :class:`ReminderStatus` it left the
    row in, or why it left no row."""

    CLAIMED = ReminderStatus.CLAIMED.value
    SKIPPED = ReminderStatus.SKIPPED.value
    EXPIRED = ReminderStatus.EXPIRED.value
    BLOCKED = ReminderStatus.BLOCKED.value
    FAILED = ReminderStatus.FAILED.value
    RETRY = ReminderStatus.RETRY.value
    SENT = ReminderStatus.SENT.value
    SNOOZED = ReminderStatus.SNOOZED.value
    #: That local day already had its row: no second unsolicited prompt.
    DUPLICATE = "duplicate"
    #: Another process took the student (or the row) first.
    LOST = "lost"
    #: The student's time zone is unknown: prompts switched off.
    BAD_ZONE = "bad_zone"


class PreviewDecision(StrEnum):
    """What a claim would do with one due student (``quizbot remind --dry-run``)."""

    SEND = Decision.SEND.value
    TOO_LATE = Decision.TOO_LATE.value
    STUDIED_TODAY = Decision.STUDIED_TODAY.value
    NOTHING_DUE = Decision.NOTHING_DUE.value
    #: That local day has its row: no second unsolicited prompt.
    ALREADY_PROMPTED = "already_prompted"
    BAD_ZONE = "bad_zone"


@dataclass(frozen=True, slots=True)
class PromptPreview:
    """What a claim would do with one due student now (``quizbot remind --dry-run``)."""

    user_id: int
    display_name: str
    timezone: str
    scheduled_for: dt.datetime
    local_date: dt.date | None
    decision: PreviewDecision
    due_count: int
    snoozed: bool = False
    new_count: int = 0  # of ``due_count``, never seen


class SnoozeStatus(StrEnum):
    SNOOZED = "snoozed"
    #: No prompt sent in the last 24 h, prompts are off, or the student is unknown.
    NOTHING_TO_SNOOZE = "nothing_to_snooze"
    #: The regular prompt comes before the snoozed one would.
    NEXT_PROMPT_SOONER = "next_prompt_sooner"


@dataclass(frozen=True, slots=True)
class SnoozeOutcome:
    status: SnoozeStatus
    #: When the next prompt comes (the snoozed one, or the sooner regular one).
    at: dt.datetime | None = None


# -- the service ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """A due student and what claiming them means (dates None: unknown zone)."""

    student: repo.Student
    scheduled_for: dt.datetime
    next_at: dt.datetime | None
    local_date: dt.date | None
    day_start: dt.datetime | None


def _claimed(
    reminder_id: int,
    student: repo.Student,
    day: dt.date,
    scheduled_for: dt.datetime,
    count: PromptCount,
    attempts: int,
) -> ClaimedReminder:
    assert student.chat_id is not None  # due_students and can_be_prompted require it
    return ClaimedReminder(
        reminder_id=reminder_id,
        user_id=student.user_id,
        chat_id=student.chat_id,
        language=student.language,
        local_date=day,
        scheduled_for=scheduled_for,
        due_count=count.total,
        attempts=attempts,
        new_count=count.new,
    )


@dataclass(slots=True)
class _Tally:
    """A claim batch's outcomes as they are decided, and the prompts to send."""

    outcomes: Counter[ClaimOutcome] = field(default_factory=Counter)
    to_send: list[ClaimedReminder] = field(default_factory=list)

    def moved(
        self,
        session: Session,
        current: repo.OutboxRow,
        student: repo.Student,
        status: ReminderStatus,
        *,
        now: dt.datetime,
        scheduled_for: dt.datetime,
        count: PromptCount,
        attempts: int,
    ) -> None:
        """Move the outbox row ``current`` to ``status`` (``lost`` when another process
        moved it first) and count it."""
        if not repo.transition(
            session,
            current,
            status=status,
            now=now,
            due_count=count.total,
            new_count=count.new,
            attempts=attempts,
        ):
            self.outcomes[ClaimOutcome.LOST] += 1
            return
        self.count(status, current.id, student, current.local_date, scheduled_for, count, attempts)

    def count(
        self,
        status: ReminderStatus,
        reminder_id: int,
        student: repo.Student,
        day: dt.date,
        scheduled_for: dt.datetime,
        count: PromptCount,
        attempts: int = 0,
    ) -> None:
        """A row now in ``status``: counted, and a prompt to send when ``claimed``."""
        self.outcomes[ClaimOutcome(status.value)] += 1
        if status is ReminderStatus.CLAIMED:
            reminder = _claimed(reminder_id, student, day, scheduled_for, count, attempts)
            self.to_send.append(reminder)

    def batch(self, examined: int) -> ClaimBatch:
        return ClaimBatch(tuple(self.to_send), examined, +self.outcomes)


class ReminderService:
    """Claims and settles daily prompts. Each method is one transaction; ``now`` is UTC."""

    def __init__(
        self,
        session_factory: SessionFactory,
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
    def from_settings(cls, session_factory: SessionFactory, settings: Settings) -> ReminderService:
        hours = settings.reminder_max_delay_hours
        return cls(session_factory, max_delay=dt.timedelta(hours=hours))

    # claiming ------------------------------------------------------------------------------

    def claim_batch(self, now: dt.datetime, limit: int = DEFAULT_BATCH) -> ClaimBatch:
        """Claim up to ``limit`` students whose ``next_reminder_at <= now``, oldest first.

        In one transaction: each one's ``next_reminder_at`` moves to the next local day and an
        outbox row records the decision (``claimed``: to send; ``skipped``; ``expired``).
        """
        now = check_now(now)
        tally = _Tally()
        outcomes = tally.outcomes
        with self._sessions() as session:
            repo.lock_for_claim(session)
            students = repo.due_students(session, now, limit, lock=True)
            plans = [self._plan(student, now) for student in students]
            won = repo.advance(
                session, [(p.student.user_id, p.scheduled_for, p.next_at) for p in plans]
            )
            outcomes[ClaimOutcome.LOST] = len(plans) - len(won)
            plans = [p for p in plans if p.student.user_id in won]
            outcomes[ClaimOutcome.BAD_ZONE] = sum(p.day_start is None for p in plans)
            plans = [p for p in plans if p.day_start is not None]
            snoozed = self._snoozes(session, plans)
            work = self._workloads(session, plans, now)
            new_rows: list[repo.NewRow] = []
            for plan in plans:
                student = plan.student
                current = snoozed.get(student.user_id)
                if current is None:
                    assert plan.local_date is not None and plan.day_start is not None
                    decision, count = self._decide(
                        student, plan.scheduled_for, plan.day_start, now, work
                    )
                    new_rows.append(
                        repo.NewRow(
                            student.user_id,
                            plan.local_date,
                            plan.scheduled_for,
                            status_for(decision),
                            count.total,
                            count.new,
                        )
                    )
                    continue
                # « Plus tard »: that day's snoozed row goes out again; no second row.
                day_start = local_day_start(current.local_date, student.timezone)
                decision, count = self._decide(student, plan.scheduled_for, day_start, now, work)
                tally.moved(
                    session,
                    current,
                    student,
                    status_for(decision),
                    now=now,
                    scheduled_for=plan.scheduled_for,
                    count=count,
                    attempts=0,
                )
            inserted = repo.insert_rows(session, new_rows, now)
            students_by_id = {p.student.user_id: p.student for p in plans}
            for new in new_rows:
                if new.user_id not in inserted:
                    outcomes[ClaimOutcome.DUPLICATE] += 1
                    continue
                tally.count(
                    new.status,
                    inserted[new.user_id],
                    students_by_id[new.user_id],
                    new.local_date,
                    new.scheduled_for,
                    PromptCount(new.due_count - new.new_count, new.new_count),
                )
            session.commit()
        return tally.batch(len(students))

    def reclaim_batch(self, now: dt.datetime, limit: int = DEFAULT_BATCH) -> ClaimBatch:
        """Take back prompts claimed and never settled, and failed ones due for a retry.

        A row still ``claimed`` after the lease belongs to a process that died: it is claimed
        again (new lease) and returned if still timely and still useful, else marked
        ``expired`` / ``skipped``; after ``max_attempts`` tries it is ``failed``.
        ``examined < limit``: nothing else waits.
        """
        now = check_now(now)
        tally = _Tally()
        with self._sessions() as session:
            items = repo.unsettled(
                session,
                claimed_before=now - self.lease,
                retry_before=now - self.retry_delay,
                snoozed_before=now - self.max_delay - self.lease,
                limit=limit,
                lock=True,
            )
            starts: dict[int, dt.datetime] = {}
            for current, student in items:
                with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
                    starts[current.id] = local_day_start(current.local_date, student.timezone)
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
                # Never settled: its process died while sending. That try counts.
                attempts = current.attempts + (current.status is ReminderStatus.CLAIMED)
                count = PromptCount(current.due_count - current.new_count, current.new_count)
                if current.status is ReminderStatus.SNOOZED:
                    # Its time is long past and no claim re-armed it: prompts were switched
                    # off or moved meanwhile. It will never go out.
                    status, attempts = ReminderStatus.EXPIRED, current.attempts
                elif student.blocked_at is not None:
                    status = ReminderStatus.BLOCKED
                elif not student.can_be_prompted or current.id not in starts:
                    status = ReminderStatus.SKIPPED
                elif attempts >= self.max_attempts:
                    status = ReminderStatus.FAILED
                else:
                    decision, count = self._decide(
                        student, current.scheduled_for, starts[current.id], now, work
                    )
                    status = status_for(decision)
                tally.moved(
                    session,
                    current,
                    student,
                    status,
                    now=now,
                    scheduled_for=current.scheduled_for,
                    count=count,
                    attempts=attempts,
                )
            session.commit()
        return tally.batch(len(items))

    # settling ------------------------------------------------------------------------------

    def mark_sent(self, reminder_id: int, now: dt.datetime) -> bool:
        """Telegram accepted the prompt. False if the row was already marked sent."""
        now = check_now(now)
        with self._sessions() as session:
            done = repo.settle(
                session, reminder_id, status=ReminderStatus.SENT, now=now, sent=True
            )
            session.commit()
        return done

    def mark_failed(self, reminder_id: int, now: dt.datetime, retry: bool) -> ReminderStatus:
        """A send failed. With ``retry`` a later run tries again (``retry``), up to
        ``max_attempts`` tries in all, then ``failed``. Returns the row's status now
        (``sent`` if it was marked sent meanwhile)."""
        now = check_now(now)
        with self._sessions() as session:
            current = repo.row(session, reminder_id, lock=True)
            if current is None:  # the student was forgotten meanwhile (rows cascade)
                return ReminderStatus.FAILED
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
        """Telegram answered 403: set ``users.blocked_at`` and stop the prompts; the student
        comes back by writing to the bot (``UserService.register_telegram``)."""
        now = check_now(now)
        with self._sessions() as session:
            repo.block_student(session, user_id, now)
            if reminder_id is not None:
                repo.settle(session, reminder_id, status=ReminderStatus.BLOCKED, now=now)
            session.commit()

    # the student's « Plus tard » -----------------------------------------------------------

    def snooze(self, user_id: int, now: dt.datetime, minutes: int = 60) -> SnoozeOutcome:
        """Send today's prompt again in ``minutes``: a second message, the student asked.

        Only the latest prompt, sent less than 24 h ago, can be snoozed, and only to a time
        before the next regular prompt.
        """
        now = check_now(now)
        if minutes <= 0:
            raise ValueError(f"minutes must be positive, got {minutes}")
        at = now + dt.timedelta(minutes=minutes)
        with self._sessions() as session:
            student = repo.student(session, user_id, lock=True)
            if student is None or not student.can_be_prompted:
                return SnoozeOutcome(SnoozeStatus.NOTHING_TO_SNOOZE)
            current = repo.latest_row(session, user_id, lock=True)
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
            # ``scheduled_for`` holds the snooze time: the claim re-arms the row only when the
            # student's next_reminder_at is still that time. ``sent_at`` will say when the
            # snoozed message went out.
            if not (
                repo.transition(
                    session,
                    current,
                    status=ReminderStatus.SNOOZED,
                    scheduled_for=at,
                    clear_sent=True,
                )
                and repo.set_next_reminder(session, user_id, regular, at)
            ):
                session.rollback()
                return SnoozeOutcome(SnoozeStatus.NOTHING_TO_SNOOZE)
            session.commit()
        return SnoozeOutcome(SnoozeStatus.SNOOZED, at)

    # looking without touching --------------------------------------------------------------

    def preview(self, now: dt.datetime, limit: int | None = 1000) -> list[PromptPreview]:
        """What :meth:`claim_batch` would decide for each due student now; changes nothing."""
        now = check_now(now)
        with self._sessions() as session:
            students = repo.due_students(session, now, limit, lock=False)
            plans = [self._plan(student, now) for student in students]
            dated = [p for p in plans if p.day_start is not None]
            snoozed = self._snoozes(session, dated)
            taken = repo.rows_on(
                session,
                [(p.student.user_id, p.local_date) for p in dated if p.local_date is not None],
            )
            work = self._workloads(session, dated, now)
            session.rollback()
        result = []
        for plan in plans:
            student = plan.student
            current = snoozed.get(student.user_id)
            day, day_start = plan.local_date, plan.day_start
            if current is not None:
                day = current.local_date
                day_start = local_day_start(day, student.timezone)
            count = PromptCount()
            decision: PreviewDecision
            if day_start is None:
                decision = PreviewDecision.BAD_ZONE
            elif current is None and student.user_id in taken:
                decision = PreviewDecision.ALREADY_PROMPTED
            else:
                verdict, count = self._decide(student, plan.scheduled_for, day_start, now, work)
                decision = PreviewDecision(verdict.value)
            result.append(
                PromptPreview(
                    user_id=student.user_id,
                    display_name=student.display_name,
                    timezone=student.timezone,
                    scheduled_for=plan.scheduled_for,
                    local_date=day,
                    decision=decision,
                    due_count=count.total,
                    snoozed=current is not None,
                    new_count=count.new,
                )
            )
        return result

    # helpers -------------------------------------------------------------------------------

    def _plan(self, student: repo.Student, now: dt.datetime) -> _Plan:
        scheduled_for = student.next_reminder_at
        assert scheduled_for is not None and student.reminder_time is not None
        try:
            day = local_date(scheduled_for, student.timezone)
            return _Plan(
                student=student,
                scheduled_for=scheduled_for,
                # From now, not from the old value: after a long stop, jump to the future
                # instead of replaying every missed day.
                next_at=next_reminder_at(student.reminder_time, student.timezone, now),
                local_date=day,
                day_start=local_day_start(day, student.timezone),
            )
        except (ZoneInfoNotFoundError, ValueError):
            log.warning(
                "student %s: unknown time zone %r, daily prompt switched off",
                student.user_id,
                student.timezone,
            )
            return _Plan(student, scheduled_for, None, None, None)

    def _snoozes(self, session: Session, plans: Sequence[_Plan]) -> dict[int, repo.OutboxRow]:
        """The snoozed rows being claimed: one per plan whose time is its snooze time.

        A plan at the student's regular time for its day is not a snooze: the busiest minute
        (everybody at their chosen time) costs no lookup at all.
        """
        maybe = [
            p
            for p in plans
            if p.local_date is not None
            and p.student.reminder_time is not None
            and p.scheduled_for
            != resolve_local(p.local_date, p.student.reminder_time, p.student.timezone)
        ]
        if not maybe:
            return {}
        # A snooze fires within a day of its prompt: its row is dated that day or the day
        # before the snoozed time.
        since = min(p.local_date for p in maybe if p.local_date) - dt.timedelta(days=1)
        rows = repo.snoozed_rows(session, {p.student.user_id for p in maybe}, since)
        return {
            p.student.user_id: rows[p.student.user_id]
            for p in maybe
            if p.student.user_id in rows
            and rows[p.student.user_id].scheduled_for == p.scheduled_for
        }

    @staticmethod
    def _workloads(
        session: Session, plans: Sequence[_Plan], now: dt.datetime
    ) -> dict[int, Workload]:
        starts = [p.day_start for p in plans if p.day_start is not None]
        if not starts:
            return {}
        # A snoozed row may be dated the day before: look one more day back.
        since = min(starts) - dt.timedelta(days=1)
        return repo.workloads(session, {p.student.user_id for p in plans}, now, since)

    def _decide(
        self,
        student: repo.Student,
        scheduled_for: dt.datetime,
        day_start: dt.datetime,
        now: dt.datetime,
        work: Mapping[int, Workload],
    ) -> tuple[Decision, PromptCount]:
        workload = work.get(student.user_id, Workload())
        decision = decide(
            scheduled_for=scheduled_for,
            now=now,
            max_delay=self.max_delay,
            day_start=day_start,
            workload=workload,
            new_cards_per_day=student.new_cards_per_day,
        )
        return decision, workload.prompt(student.new_cards_per_day)

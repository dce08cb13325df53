"""Daily prompts: when the next one is due, which local day it belongs to, and whether to send it.

Everything here is a pure function of its arguments (``now`` is always passed in, aware).
Local time only exists at this edge: the caller stores and compares UTC instants.

Daylight-saving rules (``zoneinfo``):

* a local reminder time that does not exist that day (spring forward, e.g. 02:30 on
  2026-03-29 in Europe/Paris) fires at the first valid instant after it: the end of the gap
  (03:00 local);
* a local time that happens twice (fall back, e.g. 02:30 on 2026-10-25 in Europe/Paris) fires
  once, at its first occurrence (``fold=0``).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

UTC = dt.UTC


def _zone(tz_name: str) -> ZoneInfo:
    # ZoneInfo keeps its own cache: calling it per student is cheap.
    return ZoneInfo(tz_name)


def _require_aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
    return value.astimezone(UTC)


@functools.lru_cache(maxsize=4096)
def resolve_local(day: dt.date, at: dt.time, tz_name: str) -> dt.datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz_name``.

    A repeated wall time gives its first occurrence; a skipped one gives the end of the gap.
    Cached: the students due in the same minute mostly share a zone, a time and a day.
    """
    zone = _zone(tz_name)
    wall = dt.datetime.combine(day, at.replace(tzinfo=None))
    # fold=0 is the first occurrence of a repeated time; in a gap it uses the offset from
    # before the transition, which lands past the gap.
    after_gap = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if after_gap.astimezone(zone).replace(tzinfo=None) == wall:
        return after_gap
    # In a gap: fold=1 uses the offset from after the transition, which lands before it.
    before_gap = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    offset_before = before_gap.astimezone(zone).utcoffset()
    lo = math.floor(before_gap.timestamp())
    hi = math.ceil(after_gap.timestamp())
    # Transitions fall on whole seconds: bisect to the first second with the new offset.
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if dt.datetime.fromtimestamp(mid, UTC).astimezone(zone).utcoffset() == offset_before:
            lo = mid
        else:
            hi = mid
    return dt.datetime.fromtimestamp(hi, UTC)


@functools.lru_cache(maxsize=4096)
def next_reminder_at(reminder_time: dt.time, tz_name: str, after: dt.datetime) -> dt.datetime:
    """The first UTC instant strictly after ``after`` whose local time is ``reminder_time``.

    Args:
        reminder_time: wall-clock time in ``tz_name`` (any tzinfo on it is ignored).
        tz_name: IANA zone name, e.g. ``"Europe/Paris"``.
        after: aware instant; the result is strictly later.

    Raises:
        ValueError: ``after`` is naive, or the zone name is malformed.
        zoneinfo.ZoneInfoNotFoundError: the zone is unknown.

    Cached: a claim computes it for many students with the same time, zone and ``after``.
    """
    after_utc = _require_aware(after, "after")
    today = after_utc.astimezone(_zone(tz_name)).date()
    # Candidates grow with the day; starting one day back covers zones whose gap pushes a
    # time past midnight.
    for shift in range(-1, 3):
        candidate = resolve_local(today + dt.timedelta(days=shift), reminder_time, tz_name)
        if candidate > after_utc:
            return candidate
    raise AssertionError("unreachable: a wall time occurs at least every two days")


def local_date(instant: dt.datetime, tz_name: str) -> dt.date:
    """The student's calendar date at ``instant``."""
    return _require_aware(instant, "instant").astimezone(_zone(tz_name)).date()


def local_day_start(day: dt.date, tz_name: str) -> dt.datetime:
    """UTC instant at which ``day`` begins in ``tz_name`` (midnight, or the end of its gap)."""
    return resolve_local(day, dt.time(0), tz_name)


def is_timely(scheduled_for: dt.datetime, now: dt.datetime, max_delay: dt.timedelta) -> bool:
    """Whether a prompt planned for ``scheduled_for`` may still go out at ``now``.

    A prompt missed while the bot was down for longer than ``max_delay`` is dropped rather
    than sent at an hour the student did not choose (e.g. 3 a.m.).
    """
    return _require_aware(now, "now") - _require_aware(scheduled_for, "scheduled_for") <= max_delay


@dataclass(frozen=True, slots=True)
class PromptCount:
    """What a daily prompt announces: due reviews, and new questions within the day's limit
    (a student who never saw them is not told to « revoir » them)."""

    reviews: int = 0
    new: int = 0

    @property
    def total(self) -> int:
        return self.reviews + self.new


@dataclass(frozen=True, slots=True)
class Workload:
    """What a student could study right now.

    Attributes:
        due_reviews: cards already reviewed once and due now (not suspended, live question,
            live and enabled deck).
        unseen: live questions of enabled decks the student has never reviewed (no card, or
            a card never reviewed and not suspended).
        last_review_at: the student's latest answer, if any (practice included).
    """

    due_reviews: int = 0
    unseen: int = 0
    last_review_at: dt.datetime | None = None

    def prompt(self, new_cards_per_day: int) -> PromptCount:
        """Questions waiting today: due reviews, and new cards within the daily limit.

        The limit is not reduced by today's new cards: a student who studied today is not
        prompted at all (see :func:`decide`).
        """
        return PromptCount(self.due_reviews, min(self.unseen, max(new_cards_per_day, 0)))

    def prompt_count(self, new_cards_per_day: int) -> int:
        """How many questions wait today, reviews and new ones (:meth:`prompt`)."""
        return self.prompt(new_cards_per_day).total


class ReminderStatus(StrEnum):
    """Life of an outbox row (``reminders.status``), one row per student and local date.

    ``claimed`` → ``sent`` is the normal path. ``claimed`` → ``retry`` → ``claimed`` after a
    failed send (bounded), ending ``failed``; ``blocked`` on a 403. ``skipped`` (nothing due,
    or studied that day) and ``expired`` (too late) are decided at claim time and never sent.
    ``sent`` → ``snoozed`` → ``claimed`` is the student's « Plus tard ».
    """

    CLAIMED = "claimed"
    RETRY = "retry"
    SENT = "sent"
    SKIPPED = "skipped"
    EXPIRED = "expired"
    FAILED = "failed"
    BLOCKED = "blocked"
    SNOOZED = "snoozed"


class Decision(StrEnum):
    """Why a daily prompt is sent or not."""

    SEND = "send"
    TOO_LATE = "too_late"
    STUDIED_TODAY = "studied_today"
    NOTHING_DUE = "nothing_due"


def decide(
    *,
    scheduled_for: dt.datetime,
    now: dt.datetime,
    max_delay: dt.timedelta,
    day_start: dt.datetime,
    workload: Workload,
    new_cards_per_day: int,
) -> Decision:
    """Send the prompt planned for ``scheduled_for`` at ``now``, or say why not.

    ``day_start`` is the start of the prompt's local date (:func:`local_day_start`): any
    answer since then means the student already studied that day.
    """
    if not is_timely(scheduled_for, now, max_delay):
        return Decision.TOO_LATE
    if workload.last_review_at is not None and workload.last_review_at >= day_start:
        return Decision.STUDIED_TODAY
    if workload.prompt_count(new_cards_per_day) <= 0:
        return Decision.NOTHING_DUE
    return Decision.SEND


def status_for(decision: Decision) -> ReminderStatus:
    """The outbox status a claim records for ``decision``."""
    if decision is Decision.SEND:
        return ReminderStatus.CLAIMED
    if decision is Decision.TOO_LATE:
        return ReminderStatus.EXPIRED
    return ReminderStatus.SKIPPED

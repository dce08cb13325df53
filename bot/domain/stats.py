"""Progress figures for one student, computed from plain records on the student's calendar.

Everything is a pure function of the records, the student's time zone and `now`, so the text
of /stats, the chart and the tests all read the same :class:`StudentStats`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

#: fsrs.State values as stored in cards.state.
LEARNING, REVIEW, RELEARNING = 1, 2, 3

HISTORY_DAYS = 30
FORECAST_DAYS = 14


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    reviewed_at: dt.datetime
    correct: bool


@dataclass(frozen=True, slots=True)
class QuestionErrorRate:
    """A question's answers and the wrong ones among them: a student's weakest questions in
    /stats, a class's hardest in /classe."""

    deck_slug: str
    key: str
    prompt: str
    answers: int
    wrong: int

    @property
    def error_rate(self) -> float:
        return self.wrong / self.answers if self.answers else 0.0


@dataclass(frozen=True, slots=True)
class CardRecord:
    state: int
    reps: int
    due: dt.datetime
    suspended: bool = False


@dataclass(frozen=True, slots=True)
class DayActivity:
    day: dt.date
    answers: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True, slots=True)
class StudentStats:
    new: int
    learning: int
    known: int
    answers_7d: int
    correct_7d: int
    answers_30d: int
    correct_30d: int
    current_streak: int
    best_streak: int
    due_today: int
    due_tomorrow: int
    due_week: int
    history: tuple[DayActivity, ...]  # HISTORY_DAYS local days, oldest first, today last
    forecast: tuple[tuple[dt.date, int], ...]  # FORECAST_DAYS local days from today

    @property
    def accuracy_7d(self) -> float | None:
        return self.correct_7d / self.answers_7d if self.answers_7d else None

    @property
    def accuracy_30d(self) -> float | None:
        return self.correct_30d / self.answers_30d if self.answers_30d else None


def local_day(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    return instant.astimezone(zone).date()


def streaks(days: Iterable[dt.date], today: dt.date) -> tuple[int, int]:
    """(current, best) runs of consecutive study days.

    The current streak survives until the end of today: studying yesterday but not yet today
    still counts, so a student is not told « 0 » in the morning.
    """
    ordered = sorted(set(days))
    best = run = 0
    previous: dt.date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == dt.timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    current = 0
    if ordered and today - ordered[-1] <= dt.timedelta(days=1):
        current = run
    return current, best


def compute_stats(
    reviews: Sequence[ReviewRecord],
    cards: Sequence[CardRecord],
    *,
    unseen_questions: int,
    study_days: Iterable[dt.date],
    tz_name: str,
    now: dt.datetime,
) -> StudentStats:
    """Figures for /stats.

    Args:
        reviews: the student's answers of the last HISTORY_DAYS local days (more is ignored).
        cards: every card of the student (suspended ones are not due).
        unseen_questions: questions available to the student without a card yet.
        study_days: every local day the student answered at least once (for the streaks).
        tz_name: the student's IANA time zone.
        now: aware current time.
    """
    zone = ZoneInfo(tz_name)
    today = local_day(now, zone)
    first_day = today - dt.timedelta(days=HISTORY_DAYS - 1)
    week_start = today - dt.timedelta(days=6)

    answers: Counter[dt.date] = Counter()
    correct: Counter[dt.date] = Counter()
    for review in reviews:
        day = local_day(review.reviewed_at, zone)
        if first_day <= day <= today:
            answers[day] += 1
            correct[day] += review.correct
    history = tuple(
        DayActivity(day, answers[day], correct[day])
        for day in (first_day + dt.timedelta(days=i) for i in range(HISTORY_DAYS))
    )

    due_per_day: Counter[dt.date] = Counter()
    new = unseen_questions
    learning = known = 0
    for card in cards:
        if card.reps == 0:
            new += 1
        elif card.state == REVIEW:
            known += 1
        else:
            learning += 1
        if card.suspended or card.reps == 0:
            continue
        # Overdue cards are due today.
        due_per_day[max(local_day(card.due, zone), today)] += 1
    forecast = tuple(
        (today + dt.timedelta(days=i), due_per_day[today + dt.timedelta(days=i)])
        for i in range(FORECAST_DAYS)
    )
    current, best = streaks(study_days, today)
    return StudentStats(
        new=new,
        learning=learning,
        known=known,
        answers_7d=sum(a.answers for a in history if a.day >= week_start),
        correct_7d=sum(a.correct for a in history if a.day >= week_start),
        answers_30d=sum(a.answers for a in history),
        correct_30d=sum(a.correct for a in history),
        current_streak=current,
        best_streak=best,
        due_today=forecast[0][1],
        due_tomorrow=forecast[1][1],
        due_week=sum(count for _, count in forecast[:7]),
        history=history,
        forecast=forecast,
    )

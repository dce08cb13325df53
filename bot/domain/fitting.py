"""Per-student FSRS parameters: fit them from a student's own answers, and estimate the daily
workload a desired retention costs (both with ``fsrs-rs-python``, a small Rust wheel).

Pure: the review history comes in as values and the parameters go out as a tuple; no clock (the
weekly limit takes ``now``), no database. The optimizer and the simulator are seeded, so the
same history always gives the same parameters and the same workload.

How a history becomes training data: for each card, its reviews in time order, each with the
whole days elapsed since the card's previous review (``(reviewed_at - previous).days``, as
:mod:`fsrs` counts them when it schedules, so the fitted parameters mean the same thing to the
scheduler). Every review made a day or more after the previous one is one training item: the
reviews before it are the card's history, its rating says whether the student recalled it.
Reviews on the same day (learning steps) are part of the history, never a training target.

Threshold: :data:`MIN_TRAINING_ITEMS` = 64, the optimizer's own minimum: with fewer items
fsrs-rs only estimates the four initial stabilities (and returns the defaults below 8), so a
student is fitted only from 64 items on, and the fitted parameters are kept only when they
predict the student's answers better (lower log loss) than the defaults.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import fsrs
import fsrs_rs_python as rs

__all__ = [
    "DEFAULT_PARAMETERS",
    "MIN_TRAINING_ITEMS",
    "REFIT_AFTER",
    "RETENTION_CHOICES",
    "WORKLOAD_DAYS",
    "Fit",
    "ReviewEvent",
    "Workload",
    "check_parameters",
    "expected_workload",
    "fit_parameters",
    "log_loss",
    "refit_due",
    "training_items",
]

#: The scheduler's own defaults (FSRS-6, 21 weights): what a student without a fit gets.
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.Scheduler().parameters)
#: Training items (reviews a day or more after the card's previous one) needed for a fit.
MIN_TRAINING_ITEMS = 64
#: A student is fitted at most once in this time.
REFIT_AFTER = dt.timedelta(days=7)
#: The desired retentions a student can choose (/reglages).
RETENTION_CHOICES = (0.80, 0.85, 0.90, 0.95)
#: The workload is averaged over this many days of simulated study.
WORKLOAD_DAYS = 30
#: Seed of the optimizer and of the simulator (reproducible results).
SEED = 2023


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One scheduled answer of a student (practice answers are not part of the history).

    Attributes:
        card_id: The card answered.
        rating: FSRS rating, 1 (Again) to 4 (Easy).
        reviewed_at: When, timezone-aware.
    """

    card_id: int
    rating: int
    reviewed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Fit:
    """The result of fitting one student.

    Attributes:
        parameters: The fitted weights (21 floats).
        items: Training items used.
        log_loss: Log loss of ``parameters`` on those items.
        default_log_loss: Log loss of :data:`DEFAULT_PARAMETERS` on the same items.
    """

    parameters: tuple[float, ...]
    items: int
    log_loss: float
    default_log_loss: float

    @property
    def better(self) -> bool:
        """The fitted parameters predict the student's answers better than the defaults."""
        return self.log_loss < self.default_log_loss


@dataclass(frozen=True, slots=True)
class Workload:
    """Expected study per day at one desired retention.

    Attributes:
        desired_retention: The retention simulated.
        questions_per_day: Reviews and new questions per day, averaged over the simulation.
        minutes_per_day: The time they take, with the simulator's default costs per answer.
    """

    desired_retention: float
    questions_per_day: float
    minutes_per_day: float


def training_items(history: Iterable[ReviewEvent]) -> list[rs.FSRSItem]:
    """The optimizer's training items for a history (see the module docstring).

    Args:
        history: Reviews of any cards, in any order.

    Returns:
        One item per review made a day or more after the same card's previous review.
    """
    by_card: dict[int, list[ReviewEvent]] = {}
    for event in history:
        by_card.setdefault(event.card_id, []).append(event)
    items: list[rs.FSRSItem] = []
    for events in by_card.values():
        events.sort(key=lambda e: e.reviewed_at)
        reviews: list[rs.FSRSReview] = []
        previous = events[0].reviewed_at
        for event in events:
            days = max(0, (event.reviewed_at - previous).days)
            reviews.append(rs.FSRSReview(event.rating, days))
            if days > 0:
                items.append(rs.FSRSItem(list(reviews)))
            previous = event.reviewed_at
    return items


def log_loss(parameters: Sequence[float], items: Sequence[rs.FSRSItem]) -> float:
    """Log loss of ``parameters`` predicting the last rating of each item (lower is better)."""
    return float(rs.FSRS(list(parameters)).evaluate(list(items)).log_loss)


def fit_parameters(history: Iterable[ReviewEvent]) -> Fit | None:
    """Fit a student's parameters from their history.

    Args:
        history: The student's scheduled reviews.

    Returns:
        The fit, or None when the history has fewer than :data:`MIN_TRAINING_ITEMS` items.
    """
    items = training_items(history)
    if len(items) < MIN_TRAINING_ITEMS:
        return None
    config = rs.TrainingConfig(seed=SEED)
    fitted = rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(items, training_config=config)
    parameters = check_parameters(fitted)
    return Fit(
        parameters=parameters,
        items=len(items),
        log_loss=log_loss(parameters, items),
        default_log_loss=log_loss(DEFAULT_PARAMETERS, items),
    )


def check_parameters(parameters: Sequence[float]) -> tuple[float, ...]:
    """``parameters`` as 21 finite floats that :class:`fsrs.Scheduler` accepts.

    Raises:
        ValueError: For a wrong length, a value that is not finite or out of fsrs's bounds.
    """
    values = tuple(float(p) for p in parameters)
    if len(values) != len(DEFAULT_PARAMETERS) or not all(math.isfinite(v) for v in values):
        raise ValueError(f"expected {len(DEFAULT_PARAMETERS)} finite FSRS weights: {values}")
    fsrs.Scheduler(parameters=values)  # its own bounds check raises ValueError
    return values


def refit_due(last_fit: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a student last fitted at ``last_fit`` (None: never) may be fitted at ``now``."""
    return last_fit is None or now - last_fit >= REFIT_AFTER


def expected_workload(
    parameters: Sequence[float] | None,
    desired_retention: float,
    *,
    deck_size: int,
    new_per_day: int,
    days: int = WORKLOAD_DAYS,
) -> Workload:
    """Simulate ``days`` of study of ``deck_size`` questions, ``new_per_day`` new ones a day.

    Args:
        parameters: The student's weights, None for the defaults.
        desired_retention: Target probability of recall, in (0, 1).
        deck_size: Questions the student studies.
        new_per_day: The student's daily new-question limit.
        days: Days simulated.

    Returns:
        The average questions (reviews + new) and minutes per day.
    """
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    if deck_size < 1 or new_per_day < 1:
        return Workload(desired_retention, 0.0, 0.0)
    config = rs.default_simulator_config()
    config.deck_size = deck_size
    config.learn_span = days
    config.learn_limit = new_per_day
    config.max_cost_perday = math.inf
    weights = list(parameters if parameters is not None else DEFAULT_PARAMETERS)
    result = rs.simulate(weights, desired_retention, config, SEED)
    answers = sum(result.review_cnt_per_day) + sum(result.learn_cnt_per_day)
    return Workload(
        desired_retention=desired_retention,
        questions_per_day=answers / days,
        minutes_per_day=sum(result.cost_per_day) / days / 60,
    )

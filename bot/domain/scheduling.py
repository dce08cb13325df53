"""Spaced repetition: a thin, pure wrapper over FSRS-6 (the ``fsrs`` package).

The next state of a card is a function of (card state, rating, ``now``): no clock and no
database here. :class:`CardState` mirrors the ``cards`` columns; :func:`schedule` turns it into
an :class:`fsrs.Card`, reviews it with a cached :class:`fsrs.Scheduler` and returns the new
state with ``reps`` and ``lapses`` counted.

Times: every datetime must be timezone-aware; any zone is accepted and converted to
:data:`datetime.timezone.utc`, the only ``tzinfo`` fsrs accepts (it rejects
``ZoneInfo("UTC")`` and psycopg's ``Etc/UTC``). Naive datetimes raise :class:`ValueError`.

Fuzz: fsrs spreads review intervals of 3 days or more with Python's *global* ``random``. To
keep scheduling reproducible, :func:`schedule` seeds it for the duration of the call and then
restores the global generator's state, under a lock. The seed is ``fuzz_seed`` or, by default,
derived from the card id and its review count, so replaying the same review (a re-delivered
answer) gives the same due date while different cards still spread out. Another thread drawing
from the global ``random`` during that call would see the seeded sequence; nothing in this
project does.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import fsrs

from bot.domain.grading import Verdict

__all__ = [
    "LEECH_LAPSES",
    "CardState",
    "is_leech",
    "new_card_state",
    "rating_for",
    "schedule",
    "to_utc",
]

#: A card forgotten this many times after being learnt is a leech: it needs another approach
#: (a reworded question, an explanation), not more repetitions.
LEECH_LAPSES = 8

_fuzz_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class CardState:
    """The FSRS state of one card, as stored in the ``cards`` table.

    Attributes:
        state: ``fsrs.State`` value: 1 learning, 2 review, 3 relearning.
        step: Current (re)learning step, None in the review state.
        stability: FSRS stability in days, None before the first review.
        difficulty: FSRS difficulty (1 to 10), None before the first review.
        due: When the card is due (UTC).
        last_review: When the card was last reviewed (UTC), None if never.
        reps: Number of reviews.
        lapses: Number of times the card was forgotten in the review state.
    """

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None
    reps: int = 0
    lapses: int = 0


def to_utc(moment: datetime) -> datetime:
    """Return ``moment`` in :data:`datetime.timezone.utc`, the zone fsrs requires.

    Args:
        moment: A timezone-aware datetime, in any zone.

    Returns:
        The same instant with ``tzinfo=timezone.utc``.

    Raises:
        ValueError: If ``moment`` is naive.
    """
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        raise ValueError(f"datetime must be timezone-aware, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def new_card_state(now: datetime) -> CardState:
    """State of a card never reviewed, due at ``now``.

    Args:
        now: Creation time, timezone-aware.

    Returns:
        A learning-state card at step 0, with no stability or difficulty yet.

    Raises:
        ValueError: If ``now`` is naive.
    """
    return CardState(
        state=int(fsrs.State.Learning),
        step=0,
        stability=None,
        difficulty=None,
        due=to_utc(now),
        last_review=None,
    )


def rating_for(verdict: Verdict, easy: bool = False) -> fsrs.Rating:
    """FSRS rating for a graded answer.

    Args:
        verdict: The grading verdict.
        easy: The student said the question was easy; only raises a correct answer.

    Returns:
        Again for wrong, Hard for partial or close, Good for correct, Easy for correct + easy.
    """
    if verdict is Verdict.WRONG:
        return fsrs.Rating.Again
    if verdict in (Verdict.PARTIAL, Verdict.CLOSE):
        return fsrs.Rating.Hard
    return fsrs.Rating.Easy if easy else fsrs.Rating.Good


# One scheduler per (parameters, settings): students with their own parameters each get one.
@lru_cache(maxsize=1024)
def _scheduler(
    desired_retention: float,
    maximum_interval: int,
    enable_fuzzing: bool,
    parameters: tuple[float, ...] | None = None,
) -> fsrs.Scheduler:
    if parameters is None:
        return fsrs.Scheduler(
            desired_retention=desired_retention,
            maximum_interval=maximum_interval,
            enable_fuzzing=enable_fuzzing,
        )
    return fsrs.Scheduler(
        parameters=parameters,
        desired_retention=desired_retention,
        maximum_interval=maximum_interval,
        enable_fuzzing=enable_fuzzing,
    )


def schedule(
    card_id: int,
    state: CardState,
    rating: fsrs.Rating,
    now: datetime,
    *,
    desired_retention: float = 0.9,
    maximum_interval: int = 36500,
    enable_fuzzing: bool = True,
    fuzz_seed: int | None = None,
    parameters: Sequence[float] | None = None,
) -> CardState:
    """Review a card and return its next state.

    Args:
        card_id: The card's primary key (passed to ``fsrs.Card`` so it does not make one up).
        state: The card's current state.
        rating: The FSRS rating of this review (see :func:`rating_for`).
        now: Review time, timezone-aware (converted to UTC).
        desired_retention: Target probability of recall at the due date, in (0, 1).
        maximum_interval: Longest interval in days.
        enable_fuzzing: Spread intervals of 3 days or more by a few percent.
        fuzz_seed: Seed for the fuzz; None derives it from ``card_id`` and ``state.reps``.
        parameters: The student's own FSRS weights (fitted by :mod:`bot.domain.fitting`);
            None for fsrs's defaults.

    Returns:
        The new state: fsrs fields updated, ``reps`` + 1, ``lapses`` + 1 when a review-state
        card is rated Again. Datetimes are in UTC.

    Raises:
        ValueError: If a datetime is naive or a scheduler parameter is out of range.
    """
    if not 0 < desired_retention < 1:
        raise ValueError(f"desired_retention must be in (0, 1), got {desired_retention}")
    if maximum_interval < 1:
        raise ValueError(f"maximum_interval must be at least 1 day, got {maximum_interval}")
    card = fsrs.Card(
        card_id=card_id,
        state=fsrs.State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=to_utc(state.due),
        last_review=to_utc(state.last_review) if state.last_review is not None else None,
    )
    weights = None if parameters is None else tuple(float(p) for p in parameters)
    scheduler = _scheduler(desired_retention, maximum_interval, enable_fuzzing, weights)
    review_time = to_utc(now)
    if enable_fuzzing:
        seed = fuzz_seed if fuzz_seed is not None else f"{card_id}:{state.reps}"
        with _fuzz_lock:
            saved = random.getstate()
            random.seed(seed)
            try:
                reviewed, _ = scheduler.review_card(card, rating, review_datetime=review_time)
            finally:
                random.setstate(saved)
    else:
        reviewed, _ = scheduler.review_card(card, rating, review_datetime=review_time)
    lapsed = state.state == fsrs.State.Review and rating == fsrs.Rating.Again
    return CardState(
        state=int(reviewed.state),
        step=reviewed.step,
        stability=reviewed.stability,
        difficulty=reviewed.difficulty,
        due=reviewed.due,
        last_review=reviewed.last_review,
        reps=state.reps + 1,
        lapses=state.lapses + int(lapsed),
    )


def is_leech(state: CardState) -> bool:
    """Whether the card has lapsed :data:`LEECH_LAPSES` times or more.

    Args:
        state: The card's state.

    Returns:
        True for a leech.
    """
    return state.lapses >= LEECH_LAPSES

"""FSRS scheduling wrapper: fixed UTC dates, exact expected values (FSRS-6 default weights)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import fsrs
import pytest

from bot.domain.grading import Verdict
from bot.domain.scheduling import (
    LEECH_LAPSES,
    CardState,
    is_leech,
    new_card_state,
    rating_for,
    schedule,
    to_utc,
)

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
REVIEW_AT = datetime(2024, 3, 11, 9, 0, tzinfo=UTC)
MINSK = timezone(timedelta(hours=3))
LEARNING, REVIEW, RELEARNING = 1, 2, 3

#: A card learnt on 1 March, due and reviewed on 11 March.
REVIEW_CARD = CardState(
    state=REVIEW,
    step=None,
    stability=10.0,
    difficulty=5.0,
    due=REVIEW_AT,
    last_review=T0,
    reps=4,
    lapses=1,
)


def test_new_card_state() -> None:
    assert new_card_state(T0) == CardState(
        state=LEARNING, step=0, stability=None, difficulty=None, due=T0, last_review=None
    )


@pytest.mark.parametrize(
    ("rating", "state", "step", "due", "stability", "difficulty"),
    [
        (fsrs.Rating.Again, LEARNING, 0, T0 + timedelta(minutes=1), 0.212, 6.4133),
        (fsrs.Rating.Hard, LEARNING, 0, T0 + timedelta(minutes=5, seconds=30), 1.2931, 5.1122),
        (fsrs.Rating.Good, LEARNING, 1, T0 + timedelta(minutes=10), 2.3065, 2.1181),
        (fsrs.Rating.Easy, REVIEW, None, T0 + timedelta(days=8), 8.2956, 1.0),
    ],
)
def test_first_review_of_a_new_card(
    rating: fsrs.Rating,
    state: int,
    step: int | None,
    due: datetime,
    stability: float,
    difficulty: float,
) -> None:
    after = schedule(1, new_card_state(T0), rating, T0, enable_fuzzing=False)
    assert (after.state, after.step, after.due, after.last_review) == (state, step, due, T0)
    assert after.stability == pytest.approx(stability, abs=1e-4)
    assert after.difficulty == pytest.approx(difficulty, abs=1e-4)
    assert (after.reps, after.lapses) == (1, 0)


@pytest.mark.parametrize(
    ("rating", "state", "step", "due", "stability", "lapses"),
    [
        (fsrs.Rating.Again, RELEARNING, 0, REVIEW_AT + timedelta(minutes=10), 1.3920, 2),
        (fsrs.Rating.Hard, REVIEW, None, datetime(2024, 4, 3, 9, 0, tzinfo=UTC), 23.2469, 1),
        (fsrs.Rating.Good, REVIEW, None, datetime(2024, 4, 12, 9, 0, tzinfo=UTC), 32.0267, 1),
        (fsrs.Rating.Easy, REVIEW, None, datetime(2024, 5, 1, 9, 0, tzinfo=UTC), 51.2539, 1),
    ],
)
def test_review_of_a_learnt_card(
    rating: fsrs.Rating,
    state: int,
    step: int | None,
    due: datetime,
    stability: float,
    lapses: int,
) -> None:
    after = schedule(1, REVIEW_CARD, rating, REVIEW_AT, enable_fuzzing=False)
    assert (after.state, after.step, after.due, after.last_review) == (
        state,
        step,
        due,
        REVIEW_AT,
    )
    assert after.stability == pytest.approx(stability, abs=1e-4)
    assert (after.reps, after.lapses) == (5, lapses)


def test_graduating_from_learning() -> None:
    first = schedule(1, new_card_state(T0), fsrs.Rating.Good, T0, enable_fuzzing=False)
    second = schedule(1, first, fsrs.Rating.Good, first.due, enable_fuzzing=False)
    assert (second.state, second.step, second.reps) == (REVIEW, None, 2)
    assert second.due == datetime(2024, 3, 3, 9, 10, tzinfo=UTC)


def test_only_forgetting_a_review_card_is_a_lapse() -> None:
    learning = schedule(1, new_card_state(T0), fsrs.Rating.Again, T0, enable_fuzzing=False)
    assert learning.lapses == 0
    relearning = schedule(1, REVIEW_CARD, fsrs.Rating.Again, REVIEW_AT, enable_fuzzing=False)
    assert (relearning.state, relearning.lapses) == (RELEARNING, 2)
    again = schedule(1, relearning, fsrs.Rating.Again, relearning.due, enable_fuzzing=False)
    assert (again.state, again.lapses, again.reps) == (RELEARNING, 2, 6)
    back = schedule(1, relearning, fsrs.Rating.Good, relearning.due, enable_fuzzing=False)
    assert (back.state, back.lapses, back.due) == (
        REVIEW,
        2,
        datetime(2024, 3, 12, 9, 10, tzinfo=UTC),
    )


def test_scheduler_settings() -> None:
    new = new_card_state(T0)
    capped = schedule(1, new, fsrs.Rating.Easy, T0, enable_fuzzing=False, maximum_interval=3)
    assert capped.due == T0 + timedelta(days=3)
    demanding = schedule(
        1, new, fsrs.Rating.Easy, T0, enable_fuzzing=False, desired_retention=0.95
    )
    assert demanding.due == T0 + timedelta(days=3)
    relaxed = schedule(
        1, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT, enable_fuzzing=False, desired_retention=0.8
    )
    assert relaxed.due == datetime(2024, 6, 25, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("retention", "maximum"), [(0.0, 36500), (1.0, 36500), (1.5, 36500), (0.9, 0)]
)
def test_scheduler_settings_out_of_range(retention: float, maximum: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        schedule(
            1,
            REVIEW_CARD,
            fsrs.Rating.Good,
            REVIEW_AT,
            desired_retention=retention,
            maximum_interval=maximum,
        )


@pytest.mark.parametrize(
    "zone", [ZoneInfo("UTC"), ZoneInfo("Etc/UTC"), ZoneInfo("Europe/Paris"), MINSK]
)
def test_any_aware_datetime_is_accepted_and_returned_in_utc(zone: ZoneInfo | timezone) -> None:
    local_now = REVIEW_AT.astimezone(zone)
    card = CardState(
        state=REVIEW,
        step=None,
        stability=10.0,
        difficulty=5.0,
        due=REVIEW_AT.astimezone(zone),
        last_review=T0.astimezone(zone),
    )
    after = schedule(1, card, fsrs.Rating.Good, local_now, enable_fuzzing=False)
    assert after.due == datetime(2024, 4, 12, 9, 0, tzinfo=UTC)
    assert after.due.tzinfo is UTC
    assert after.last_review is not None
    assert after.last_review.tzinfo is UTC
    assert new_card_state(local_now).due.tzinfo is UTC


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2024, 3, 11, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule(1, REVIEW_CARD, fsrs.Rating.Good, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule(1, CardState(REVIEW, None, 10.0, 5.0, naive, T0), fsrs.Rating.Good, REVIEW_AT)
    with pytest.raises(ValueError, match="timezone-aware"):
        new_card_state(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        to_utc(naive)


def test_fuzz_is_reproducible_and_leaves_global_random_alone() -> None:
    random.seed(1234)
    before = random.getstate()
    seeded = schedule(1, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT, fuzz_seed=0)
    assert seeded.due == datetime(2024, 4, 16, 9, 0, tzinfo=UTC)
    assert schedule(1, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT, fuzz_seed=0) == seeded
    default = schedule(1, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT)
    assert schedule(1, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT) == default
    assert random.getstate() == before


def test_fuzz_spreads_cards_around_the_interval() -> None:
    dues = {
        schedule(card_id, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT).due for card_id in range(20)
    }
    assert len(dues) > 3
    # unfuzzed: 32 days; fsrs 6 draws from [28, 37] days for that interval
    assert all(
        REVIEW_AT + timedelta(days=28) <= due <= REVIEW_AT + timedelta(days=37) for due in dues
    )


def test_short_intervals_are_not_fuzzed() -> None:
    after = schedule(1, new_card_state(T0), fsrs.Rating.Good, T0, fuzz_seed=5)
    assert after.due == T0 + timedelta(minutes=10)


@pytest.mark.parametrize(
    ("verdict", "easy", "rating"),
    [
        (Verdict.WRONG, False, fsrs.Rating.Again),
        (Verdict.WRONG, True, fsrs.Rating.Again),
        (Verdict.PARTIAL, False, fsrs.Rating.Hard),
        (Verdict.CLOSE, False, fsrs.Rating.Hard),
        (Verdict.CLOSE, True, fsrs.Rating.Hard),
        (Verdict.CORRECT, False, fsrs.Rating.Good),
        (Verdict.CORRECT, True, fsrs.Rating.Easy),
    ],
)
def test_rating_for(verdict: Verdict, easy: bool, rating: fsrs.Rating) -> None:
    assert rating_for(verdict, easy=easy) is rating


def test_leech_threshold() -> None:
    assert LEECH_LAPSES == 8
    card = REVIEW_CARD
    for _ in range(LEECH_LAPSES - 1):
        card = schedule(1, card, fsrs.Rating.Again, card.due, enable_fuzzing=False)
        card = schedule(1, card, fsrs.Rating.Good, card.due, enable_fuzzing=False)
    assert card.lapses == LEECH_LAPSES
    before_last = CardState(REVIEW, None, 10.0, 5.0, REVIEW_AT, T0, lapses=LEECH_LAPSES - 1)
    assert not is_leech(before_last)
    assert is_leech(card)


def test_a_students_own_parameters_change_the_next_due_date() -> None:
    """Forgetful weights (stability grows slower) give a shorter interval than the defaults,
    and the defaults passed explicitly are the defaults."""
    default = schedule(1, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT, enable_fuzzing=False)
    weights = list(fsrs.Scheduler().parameters)
    same = schedule(
        1, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT, enable_fuzzing=False, parameters=weights
    )
    assert same == default
    weights[8] *= 0.5
    own = schedule(
        1, REVIEW_CARD, fsrs.Rating.Good, REVIEW_AT, enable_fuzzing=False, parameters=weights
    )
    assert own.due < default.due
    strict = schedule(
        1,
        REVIEW_CARD,
        fsrs.Rating.Good,
        REVIEW_AT,
        enable_fuzzing=False,
        parameters=weights,
        desired_retention=0.95,
    )
    assert strict.due < own.due

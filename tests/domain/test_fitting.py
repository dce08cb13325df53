"""Per-student FSRS parameters: training items, the fit, the weekly limit, the workload."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain import fitting
from bot.domain.fitting import (
    DEFAULT_PARAMETERS,
    MIN_TRAINING_ITEMS,
    ReviewEvent,
    expected_workload,
    fit_parameters,
    log_loss,
    refit_due,
    training_items,
)
from tests.support.fsrs_history import START, synthetic_history

T0 = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)


def _at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def test_items_are_the_reviews_a_day_or_more_after_the_previous_one() -> None:
    history = [
        ReviewEvent(1, 1, _at(0)),
        ReviewEvent(1, 3, _at(0.01)),  # learning step: history, not a target
        ReviewEvent(1, 3, _at(2.5)),  # 2 whole days later
        ReviewEvent(2, 3, _at(1)),
        ReviewEvent(1, 1, _at(9)),
    ]
    items = training_items(reversed(history))  # any order

    def review(rating: int, days: int) -> str:
        return f"FSRSReview {{ rating: {rating}, delta_t: {days} }}"

    # fsrs-rs-python shows an item's reviews only through its repr.
    assert [repr(item) for item in items] == [
        f"FSRSItem {{ reviews: [{review(1, 0)}, {review(3, 0)}, {review(3, 2)}] }}",
        f"FSRSItem {{ reviews: [{review(1, 0)}, {review(3, 0)}, {review(3, 2)}, "
        f"{review(1, 6)}] }}",
    ]


def test_too_few_items_fit_nothing() -> None:
    history = synthetic_history(60)
    assert len(training_items(history)) < MIN_TRAINING_ITEMS
    assert fit_parameters(history) is None


def test_a_forgetful_students_fit_predicts_their_unseen_cards_better_than_the_defaults() -> None:
    history = synthetic_history(1000)
    train = [e for e in history if e.card_id % 4]
    held_out = training_items(e for e in history if e.card_id % 4 == 0)
    fit = fit_parameters(train)
    assert fit is not None and fit.items >= MIN_TRAINING_ITEMS
    assert fit.parameters != DEFAULT_PARAMETERS
    assert fit.parameters[0] < DEFAULT_PARAMETERS[0]  # forgets a first « Again » sooner
    assert fit.better and fit.log_loss < fit.default_log_loss
    assert log_loss(fit.parameters, held_out) < log_loss(DEFAULT_PARAMETERS, held_out)
    assert fit_parameters(train) == fit  # seeded: the same history, the same fit


def test_fitted_parameters_are_checked_against_fsrs_bounds() -> None:
    assert fitting.check_parameters(DEFAULT_PARAMETERS) == DEFAULT_PARAMETERS
    with pytest.raises(ValueError, match="21"):
        fitting.check_parameters(DEFAULT_PARAMETERS[:19])
    with pytest.raises(ValueError, match="bounds"):
        fitting.check_parameters((100.0,) * 21)
    with pytest.raises(ValueError, match="finite"):
        fitting.check_parameters((float("nan"),) * 21)


def test_refit_at_most_once_a_week() -> None:
    assert refit_due(None, T0)
    assert not refit_due(T0, T0 + dt.timedelta(days=6, hours=23))
    assert refit_due(T0, T0 + dt.timedelta(days=7))


def test_a_higher_retention_costs_more_questions_a_day() -> None:
    loads = [
        expected_workload(None, r, deck_size=300, new_per_day=10)
        for r in fitting.RETENTION_CHOICES
    ]
    per_day = [w.questions_per_day for w in loads]
    assert per_day == sorted(per_day) and per_day[0] < per_day[-1]
    assert all(10 <= q <= 80 for q in per_day), per_day
    assert all(w.minutes_per_day > 0 for w in loads)
    again = expected_workload(None, 0.9, deck_size=300, new_per_day=10)
    assert again == loads[2]  # seeded


def test_no_deck_no_workload() -> None:
    w = expected_workload(None, 0.9, deck_size=0, new_per_day=10)
    assert (w.questions_per_day, w.minutes_per_day) == (0.0, 0.0)


def test_synthetic_history_starts_at_start() -> None:
    assert synthetic_history(5)[0].reviewed_at == START

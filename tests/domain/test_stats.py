"""Progress figures from a fixed history, in two time zones, with exact values."""

from __future__ import annotations

import datetime as dt

from bot.domain.stats import (
    LEARNING,
    REVIEW,
    CardRecord,
    ReviewRecord,
    compute_stats,
    local_day,
    streaks,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # 23:30 in Paris, 18:30 in Montreal


def d(day: int, month: int = 3) -> dt.date:
    return dt.date(2026, month, day)


def test_streak_counts_consecutive_days_and_survives_until_tonight() -> None:
    days = [d(1), d(2), d(3), d(5), d(6), d(7), d(8), d(9)]
    assert streaks(days, today=d(9)) == (5, 5)
    assert streaks(days, today=d(10)) == (5, 5)  # not studied yet today: still alive
    assert streaks(days, today=d(11)) == (0, 5)
    assert streaks([], today=d(11)) == (0, 0)


def test_local_midnight_decides_the_day() -> None:
    late = dt.datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
    from zoneinfo import ZoneInfo

    assert local_day(late, ZoneInfo("Europe/Paris")) == d(10)
    assert local_day(late, ZoneInfo("America/Montreal")) == d(9)


def _history() -> list[ReviewRecord]:
    return [
        # 2026-03-09 23:30 UTC: the 10th in Paris, the 9th in Montreal.
        ReviewRecord(dt.datetime(2026, 3, 9, 23, 30, tzinfo=UTC), True),
        ReviewRecord(dt.datetime(2026, 3, 9, 23, 31, tzinfo=UTC), False),
        ReviewRecord(dt.datetime(2026, 3, 10, 12, 0, tzinfo=UTC), True),
        ReviewRecord(dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC), True),  # 9 days ago
        ReviewRecord(dt.datetime(2026, 1, 1, 9, 0, tzinfo=UTC), True),  # outside 30 days
    ]


def _cards() -> list[CardRecord]:
    return [
        CardRecord(REVIEW, 5, dt.datetime(2026, 3, 8, tzinfo=UTC)),  # overdue → today
        CardRecord(REVIEW, 3, dt.datetime(2026, 3, 11, 3, 0, tzinfo=UTC)),
        CardRecord(LEARNING, 1, dt.datetime(2026, 3, 12, 12, 0, tzinfo=UTC)),
        CardRecord(REVIEW, 9, dt.datetime(2026, 3, 30, tzinfo=UTC)),  # beyond 14 days
        CardRecord(REVIEW, 4, dt.datetime(2026, 3, 9, tzinfo=UTC), suspended=True),
        CardRecord(LEARNING, 0, dt.datetime(2026, 3, 9, tzinfo=UTC)),  # shown, never answered
    ]


def test_figures_in_paris() -> None:
    stats = compute_stats(
        _history(),
        _cards(),
        unseen_questions=7,
        study_days=[d(8), d(9), d(10)],
        tz_name="Europe/Paris",
        now=NOW,
    )
    assert (stats.new, stats.learning, stats.known) == (8, 1, 4)
    assert (stats.answers_7d, stats.correct_7d) == (3, 2)
    assert (stats.answers_30d, stats.correct_30d) == (4, 3)
    assert stats.accuracy_30d == 0.75
    assert (stats.current_streak, stats.best_streak) == (3, 3)
    # 03:00 UTC on the 11th is 04:00 in Paris: tomorrow.
    assert (stats.due_today, stats.due_tomorrow, stats.due_week) == (1, 1, 3)
    assert stats.history[-1].day == d(10) and stats.history[-1].answers == 3
    assert stats.history[-1].accuracy == 2 / 3
    assert len(stats.history) == 30 and len(stats.forecast) == 14
    assert stats.forecast[2] == (d(12), 1)


def test_same_history_in_montreal() -> None:
    stats = compute_stats(
        _history(),
        _cards(),
        unseen_questions=7,
        study_days=[d(8), d(9)],
        tz_name="America/Montreal",
        now=NOW,
    )
    # Today is the 10th in Montreal too (18:30), but the two late answers fell on the 9th.
    assert stats.history[-1].day == d(10)
    assert stats.history[-1].answers == 1
    assert stats.history[-2].answers == 2
    assert (stats.current_streak, stats.best_streak) == (2, 2)
    # 03:00 UTC on the 11th is 23:00 on the 10th in Montreal: due today.
    assert (stats.due_today, stats.due_tomorrow) == (2, 0)

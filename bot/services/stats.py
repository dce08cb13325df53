"""Progress figures: a student's /stats (text and chart share one computation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.db.repositories import stats as repo
from bot.db.session import SessionFactory
from bot.domain.stats import (
    HISTORY_DAYS,
    QuestionErrorRate,
    StudentStats,
    compute_stats,
    local_day,
)

WEAKEST_COUNT = 3
WEAKEST_MIN_ANSWERS = 2


@dataclass(frozen=True, slots=True)
class StatsReport:
    figures: StudentStats
    weakest: tuple[QuestionErrorRate, ...]


class StatsService:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    def student(self, user_id: int, now: dt.datetime) -> StatsReport:
        from zoneinfo import ZoneInfo

        with self._sessions() as session:
            tz_name = repo.user_timezone(session, user_id)
            zone = ZoneInfo(tz_name)
            # One extra day so the first local day of the window is whole in every zone.
            since = now - dt.timedelta(days=HISTORY_DAYS + 1)
            figures = compute_stats(
                repo.reviews_since(session, user_id, since),
                repo.cards_of(session, user_id),
                unseen_questions=repo.unseen_count(session, user_id),
                study_days={local_day(at, zone) for at in repo.review_instants(session, user_id)},
                tz_name=tz_name,
                now=now,
            )
            weakest = tuple(
                repo.error_rates(
                    session,
                    user_id=user_id,
                    min_answers=WEAKEST_MIN_ANSWERS,
                    limit=WEAKEST_COUNT,
                )
            )
        return StatsReport(figures, weakest)

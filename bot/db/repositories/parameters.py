"""The per-student FSRS parameters store: who is due for a fit, their review history, and the
fits themselves (``student_parameters``). Takes a Session, never commits; returns frozen values.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from bot.db.models import Review, StudentParameters, User
from bot.domain.fitting import ReviewEvent

_reviews = cast(Table, Review.__table__)
_params = cast(Table, StudentParameters.__table__)
_users = cast(Table, User.__table__)


@dataclass(frozen=True, slots=True)
class StoredFit:
    """A student's last fit; ``parameters`` None: the defaults were kept."""

    user_id: int
    parameters: tuple[float, ...] | None
    training_items: int
    log_loss: float | None
    default_log_loss: float | None
    fitted_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NewFit:
    """A fit to write (see :class:`StoredFit`)."""

    parameters: tuple[float, ...] | None
    training_items: int
    log_loss: float | None
    default_log_loss: float | None


class ParametersStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    def due_students(self, min_reviews: int, fitted_before: dt.datetime, limit: int) -> list[int]:
        """Students with ``min_reviews`` scheduled answers or more, never fitted or last fitted at
        or before ``fitted_before``, smallest id first."""
        stmt = (
            select(_reviews.c.user_id)
            .select_from(_reviews.outerjoin(_params, _params.c.user_id == _reviews.c.user_id))
            .where(
                _reviews.c.practice.is_(False),
                _params.c.user_id.is_(None) | (_params.c.fitted_at <= fitted_before),
            )
            .group_by(_reviews.c.user_id)
            .having(func.count() >= min_reviews)
            .order_by(_reviews.c.user_id)
            .limit(limit)
        )
        return [int(user_id) for user_id in self._session.execute(stmt).scalars()]

    def review_count(self, user_id: int) -> int:
        """The student's scheduled answers (practice excluded)."""
        stmt = select(func.count()).where(
            _reviews.c.user_id == user_id, _reviews.c.practice.is_(False)
        )
        return int(self._session.execute(stmt).scalar_one())

    def history(self, user_id: int) -> list[ReviewEvent]:
        """The student's scheduled answers, oldest first (practice answers left out)."""
        stmt = (
            select(_reviews.c.card_id, _reviews.c.rating, _reviews.c.reviewed_at)
            .where(_reviews.c.user_id == user_id, _reviews.c.practice.is_(False))
            .order_by(_reviews.c.reviewed_at, _reviews.c.id)
        )
        return [
            ReviewEvent(card_id=card_id, rating=int(rating), reviewed_at=reviewed_at)
            for card_id, rating, reviewed_at in self._session.execute(stmt)
        ]

    def get(self, user_id: int) -> StoredFit | None:
        """The student's last fit, or None (never fitted)."""
        row = self._session.execute(select(_params).where(_params.c.user_id == user_id)).first()
        if row is None:
            return None
        return StoredFit(
            user_id=row.user_id,
            parameters=None if row.parameters is None else tuple(row.parameters),
            training_items=row.training_items,
            log_loss=row.log_loss,
            default_log_loss=row.default_log_loss,
            fitted_at=row.fitted_at,
        )

    def save(self, user_id: int, fit: NewFit, now: dt.datetime) -> StoredFit:
        """Write the student's fit at ``now`` (replacing the previous one)."""
        values = {
            "parameters": None if fit.parameters is None else list(fit.parameters),
            "training_items": fit.training_items,
            "log_loss": fit.log_loss,
            "default_log_loss": fit.default_log_loss,
            "fitted_at": now,
        }
        done = self._session.execute(
            update(_params).where(_params.c.user_id == user_id).values(**values)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            self._session.execute(insert(_params).values(user_id=user_id, **values))
        return StoredFit(
            user_id=user_id,
            parameters=fit.parameters,
            training_items=fit.training_items,
            log_loss=fit.log_loss,
            default_log_loss=fit.default_log_loss,
            fitted_at=now,
        )

    def settings(self, user_id: int) -> tuple[float, int] | None:
        """The student's (desired retention, new questions per day), None if no such user."""
        row = self._session.execute(
            select(_users.c.desired_retention, _users.c.new_cards_per_day).where(
                _users.c.id == user_id
            )
        ).first()
        return None if row is None else (float(row[0]), int(row[1]))

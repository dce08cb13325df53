"""Per-student scheduling: fit each student's FSRS parameters from their own answers (at most
once a week, off the answer path: the bot's hourly job and ``quizbot optimize``), and the
expected daily workload of each desired retention (/reglages).

A fit reads the history in one short transaction, fits outside any transaction (the optimizer
takes milliseconds to a second), and writes the result in another, so answers are never held
up by it. The scheduler then reads the parameters with the showing it schedules
(:mod:`bot.db.repositories.study`); a student without a kept fit gets the defaults.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.db.errors import IntegrityError
from bot.db.repositories.parameters import NewFit, ParametersStore
from bot.db.repositories.users import UserStore
from bot.db.session import SessionFactory
from bot.domain import fitting
from bot.services.views import UserNotFound

#: Students fitted per run of the bot's job (the rest wait for the next run).
DEFAULT_BATCH = 20

#: Fits a history (``bot.domain.fitting.fit_parameters``, or the same in another process:
#: the optimizer holds the GIL while it runs, see ``bench/fsrs_fit.py``).
Fitter = Callable[[list[fitting.ReviewEvent]], "fitting.Fit | None"]


class FitStatus(enum.StrEnum):
    FITTED = "fitted"  # new parameters kept: they predict the student's answers better
    DEFAULTS_KEPT = "defaults_kept"  # fitted, but no better than the defaults
    NOT_ENOUGH = "not_enough"  # fewer than fitting.MIN_TRAINING_ITEMS training items
    TOO_SOON = "too_soon"  # fitted less than a week ago


@dataclass(frozen=True, slots=True)
class FitOutcome:
    """What a fit did for one student (losses None when nothing was fitted)."""

    user_id: int
    status: FitStatus
    reviews: int
    training_items: int
    log_loss: float | None = None
    default_log_loss: float | None = None
    fitted_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class WorkloadView:
    """Expected questions and minutes per day at one desired retention."""

    desired_retention: float
    questions_per_day: float
    minutes_per_day: float
    current: bool


@dataclass(frozen=True, slots=True)
class RetentionChoices:
    """The desired retentions a student may pick, each with its workload, and how many
    answers their kept fit used (None: the default parameters)."""

    workloads: tuple[WorkloadView, ...]
    fitted_items: int | None


class OptimizerService:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    def due_students(self, now: dt.datetime, *, limit: int = DEFAULT_BATCH) -> list[int]:
        """Up to ``limit`` students due for a fit: enough answers (``MIN_TRAINING_ITEMS``
        scheduled answers or more) and not fitted in the week before ``now``."""
        with self._sessions() as session:
            return ParametersStore(session).due_students(
                fitting.MIN_TRAINING_ITEMS, now - fitting.REFIT_AFTER, limit
            )

    def fit_due(self, now: dt.datetime, *, limit: int = DEFAULT_BATCH) -> list[FitOutcome]:
        """Fit the :meth:`due_students`, one after the other."""
        return [self.fit_student(user_id, now) for user_id in self.due_students(now, limit=limit)]

    def fit_student(
        self,
        user_id: int,
        now: dt.datetime,
        *,
        force: bool = False,
        fitter: Fitter | None = None,
    ) -> FitOutcome:
        """Fit one student, unless fitted less than a week before ``now`` (``force``: anyway),
        with ``fitter`` (default: :func:`bot.domain.fitting.fit_parameters`, in this thread).

        Every attempt with enough answers to try is recorded, so a student whose answers give
        too few training items is tried again a week later, not at every run.
        """
        with self._sessions() as session:
            store = ParametersStore(session)
            if store.settings(user_id) is None:
                raise UserNotFound(user_id)
            last = store.get(user_id)
            reviews = store.review_count(user_id)
            if not force and last is not None and not fitting.refit_due(last.fitted_at, now):
                return FitOutcome(
                    user_id,
                    FitStatus.TOO_SOON,
                    reviews,
                    last.training_items,
                    last.log_loss,
                    last.default_log_loss,
                    last.fitted_at,
                )
            history = store.history(user_id)
        fit = (fitter or fitting.fit_parameters)(history)
        if fit is None:
            new = NewFit(None, len(fitting.training_items(history)), None, None)
            status = FitStatus.NOT_ENOUGH
        else:
            kept = fit.parameters if fit.better else None
            new = NewFit(kept, fit.items, fit.log_loss, fit.default_log_loss)
            status = FitStatus.FITTED if fit.better else FitStatus.DEFAULTS_KEPT
        with self._sessions() as session:
            store = ParametersStore(session)
            try:
                stored = store.save(user_id, new, now)
                session.commit()
            except IntegrityError:
                # Another instance fitted the same student at the same time: its fit stands.
                session.rollback()
                other = store.get(user_id)
                if other is None:
                    raise
                stored = other
        return FitOutcome(
            user_id,
            status,
            len(history),
            stored.training_items,
            stored.log_loss,
            stored.default_log_loss,
            stored.fitted_at,
        )

    def retention_choices(
        self, user_id: int, retentions: Sequence[float] = fitting.RETENTION_CHOICES
    ) -> RetentionChoices:
        """The expected questions per day at each of ``retentions``, with the student's
        parameters, decks and new-question limit (a simulation of the next 30 days)."""
        with self._sessions() as session:
            store = ParametersStore(session)
            settings = store.settings(user_id)
            if settings is None:
                raise UserNotFound(user_id)
            retention, new_per_day = settings
            fit = store.get(user_id)
            decks = UserStore(session).decks(user_id)
        deck_size = sum(d.question_count for d in decks if d.enabled)
        parameters = fit.parameters if fit is not None else None
        views = []
        for target in retentions:
            w = fitting.expected_workload(
                parameters, target, deck_size=deck_size, new_per_day=new_per_day
            )
            views.append(
                WorkloadView(
                    desired_retention=target,
                    questions_per_day=w.questions_per_day,
                    minutes_per_day=w.minutes_per_day,
                    current=abs(target - retention) < 1e-6,
                )
            )
        kept = fit is not None and fit.parameters is not None
        return RetentionChoices(tuple(views), fit.training_items if fit and kept else None)

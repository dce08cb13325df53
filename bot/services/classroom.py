"""The teacher's class overview (/classe): who studies, how much, per deck, and which
questions are hard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.db.repositories import classroom as repo

WINDOW = dt.timedelta(days=7)
HARDEST_COUNT = 10
#: A question answered once or twice says little about its difficulty.
HARDEST_MIN_ANSWERS = 3


@dataclass(frozen=True, slots=True)
class HardQuestion:
    deck_slug: str
    key: str
    prompt: str
    answers: int
    wrong: int

    @property
    def error_rate(self) -> float:
        return self.wrong / self.answers if self.answers else 0.0


@dataclass(frozen=True, slots=True)
class DeckActivity:
    """One live deck over the last 7 days."""

    deck_slug: str
    deck_title: str
    active_students: int
    answers: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True, slots=True)
class OverriddenQuestion:
    deck_slug: str
    question_key: str
    prompt: str
    answer: str
    overrides: int
    examples: tuple[str, ...]


#: Questions listed under « the students said they were right ».
OVERRIDDEN_COUNT = 5


@dataclass(frozen=True, slots=True)
class ClassOverview:
    """Figures over the last 7 days (``since`` .. now), overall and per live deck (slug
    order); the hardest questions over all answers (at least ``HARDEST_MIN_ANSWERS``)."""

    since: dt.datetime
    students: int
    active_students: int
    answers: int
    correct: int
    hardest: tuple[HardQuestion, ...]
    decks: tuple[DeckActivity, ...] = ()
    #: Questions whose grading students overruled most (« J'avais raison »).
    overridden: tuple[OverriddenQuestion, ...] = ()

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None


class ClassroomService:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def overview(
        self, now: dt.datetime, *, exclude_telegram_ids: Collection[int] = ()
    ) -> ClassOverview:
        """The overview at ``now``; ``exclude_telegram_ids``: the teachers, not counted."""
        since = now - WINDOW
        with self._sessions() as session:
            activity = repo.activity(session, since, exclude_telegram_ids=exclude_telegram_ids)
            decks = repo.deck_activity(session, since, exclude_telegram_ids=exclude_telegram_ids)
            hardest = repo.hardest_questions(
                session,
                min_answers=HARDEST_MIN_ANSWERS,
                limit=HARDEST_COUNT,
                exclude_telegram_ids=exclude_telegram_ids,
            )
            overridden = repo.most_overridden(
                session, limit=OVERRIDDEN_COUNT, exclude_telegram_ids=exclude_telegram_ids
            )
        return ClassOverview(
            since=since,
            students=activity.students,
            active_students=activity.active_students,
            answers=activity.answers,
            correct=activity.correct,
            hardest=tuple(
                HardQuestion(r.deck_slug, r.question_key, r.prompt, r.answers, r.wrong)
                for r in hardest
            ),
            decks=tuple(
                DeckActivity(r.deck_slug, r.deck_title, r.active_students, r.answers, r.correct)
                for r in decks
            ),
            overridden=tuple(
                OverriddenQuestion(
                    r.deck_slug, r.question_key, r.prompt, r.answer, r.overrides, r.examples
                )
                for r in overridden
            ),
        )

"""The teacher's class overview (/classe): who studies, how much, per deck, and which
questions are hard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.db.repositories import classroom as repo
from bot.db.repositories.classes import ClassStore
from bot.db.session import SessionFactory
from bot.domain.stats import QuestionErrorRate
from bot.services.views import ClassNotFound, NotTeacherOfClass

WINDOW = dt.timedelta(days=7)
HARDEST_COUNT = 10
#: A question answered once or twice says little about its difficulty.
HARDEST_MIN_ANSWERS = 3


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
    hardest: tuple[QuestionErrorRate, ...]
    decks: tuple[DeckActivity, ...] = ()
    #: Questions whose grading students overruled most (« J'avais raison »).
    overridden: tuple[OverriddenQuestion, ...] = ()

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None


class ClassroomService:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    def overview(self, class_id: int, teacher_id: int, now: dt.datetime) -> ClassOverview:
        """The overview of the class at ``now``, for one of its teachers."""
        since = now - WINDOW
        with self._sessions() as session:
            store = ClassStore(session)
            if store.get(class_id) is None:
                raise ClassNotFound(class_id)
            if store.teacher_role(class_id, teacher_id) is None:
                raise NotTeacherOfClass(class_id, teacher_id)
            activity = repo.activity(session, since, class_id=class_id)
            decks = repo.deck_activity(session, since, class_id=class_id)
            hardest = repo.hardest_questions(
                session, class_id=class_id, min_answers=HARDEST_MIN_ANSWERS, limit=HARDEST_COUNT
            )
            overridden = repo.most_overridden(session, class_id=class_id, limit=OVERRIDDEN_COUNT)
        return ClassOverview(
            since=since,
            students=activity.students,
            active_students=activity.active_students,
            answers=activity.answers,
            correct=activity.correct,
            hardest=tuple(hardest),
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

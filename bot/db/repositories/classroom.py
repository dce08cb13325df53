"""Reads behind the teacher's /classe overview of one class. Functions take a Session and never
commit; only the class's students count (a teacher sees no student outside their classes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, case, exists, func, not_, or_, select
from sqlalchemy.orm import Session

from bot.db.models import AnswerOverride, ClassDeck, ClassMember, Deck, Question, Review
from bot.db.repositories.stats import error_rates
from bot.domain.stats import QuestionErrorRate


@dataclass(frozen=True, slots=True)
class ActivityRow:
    students: int
    active_students: int
    answers: int
    correct: int


@dataclass(frozen=True, slots=True)
class DeckActivityRow:
    deck_slug: str
    deck_title: str
    active_students: int
    answers: int
    correct: int


def _students(class_id: int) -> Select[int]:
    """Ids of the class's students."""
    return select(ClassMember.user_id).where(ClassMember.class_id == class_id)


def activity(session: Session, since: dt.datetime, *, class_id: int) -> ActivityRow:
    """The class's students, those who answered since ``since``, and their answers since."""
    students = _students(class_id)
    student_ids = students.scalar_subquery()
    total = session.scalar(select(func.count()).select_from(students.subquery())) or 0
    recent = select(Review).where(Review.reviewed_at >= since, Review.user_id.in_(student_ids))
    recent_sq = recent.subquery()
    row = session.execute(
        select(
            func.count(func.distinct(recent_sq.c.user_id)),
            func.count(recent_sq.c.id),
            func.coalesce(func.sum(case((recent_sq.c.correct.is_(True), 1), else_=0)), 0),
        )
    ).one()
    return ActivityRow(int(total), int(row[0]), int(row[1]), int(row[2]))


def deck_activity(session: Session, since: dt.datetime, *, class_id: int) -> list[DeckActivityRow]:
    """Per live deck the class studies (its own decks and the decks without a class), in slug
    order: its students who answered since ``since``, and those answers."""
    recent = (
        select(Review.user_id, Review.correct, Question.deck_id)
        .join(Question, Question.id == Review.question_id)
        .where(
            Review.reviewed_at >= since,
            Review.user_id.in_(_students(class_id).scalar_subquery()),
        )
        .subquery()
    )
    any_class = exists().where(ClassDeck.deck_id == Deck.id)
    this_class = exists().where(ClassDeck.deck_id == Deck.id, ClassDeck.class_id == class_id)
    rows = session.execute(
        select(
            Deck.slug,
            Deck.title,
            func.count(func.distinct(recent.c.user_id)),
            func.count(recent.c.user_id),
            func.coalesce(func.sum(case((recent.c.correct.is_(True), 1), else_=0)), 0),
        )
        .outerjoin(recent, recent.c.deck_id == Deck.id)
        .where(Deck.retired_at.is_(None), or_(not_(any_class), this_class))
        .group_by(Deck.id, Deck.slug, Deck.title)
        .order_by(Deck.slug)
    )
    return [
        DeckActivityRow(slug, title, int(active), int(answers), int(correct))
        for slug, title, active, answers, correct in rows
    ]


def hardest_questions(
    session: Session, *, class_id: int, min_answers: int, limit: int
) -> list[QuestionErrorRate]:
    """Live questions with the highest share of wrong answers among the class's students
    (ties: more answers first)."""
    return error_rates(
        session,
        students=_students(class_id),
        live_only=True,
        min_answers=min_answers,
        limit=limit,
    )


@dataclass(frozen=True, slots=True)
class OverriddenQuestionRow:
    deck_slug: str
    question_key: str
    prompt: str
    answer: str
    overrides: int
    #: A few answers the students said were right, as typed.
    examples: tuple[str, ...]


def most_overridden(session: Session, *, class_id: int, limit: int) -> list[OverriddenQuestionRow]:
    """Live questions whose grading the class's students overruled most (« J'avais
    raison »): a sign the expected answer or its alternatives need fixing."""
    count = func.count(AnswerOverride.id)
    students = _students(class_id).scalar_subquery()
    query = (
        select(Question.id, Deck.slug, Question.key, Question.prompt, Question.answer, count)
        .select_from(AnswerOverride)
        .join(Question, Question.id == AnswerOverride.question_id)
        .join(Deck, Deck.id == Question.deck_id)
        .where(
            Question.retired_at.is_(None),
            Deck.retired_at.is_(None),
            AnswerOverride.user_id.in_(students),
        )
        .group_by(Question.id, Deck.slug, Question.key, Question.prompt, Question.answer)
        .order_by(count.desc(), Question.id)
        .limit(limit)
    )
    rows = session.execute(query).all()
    result = []
    for question_id, slug, key, prompt, answer, n in rows:
        examples = session.scalars(
            select(AnswerOverride.given_answer)
            .where(
                AnswerOverride.question_id == question_id,
                AnswerOverride.user_id.in_(_students(class_id).scalar_subquery()),
            )
            .order_by(AnswerOverride.id.desc())
            .limit(3)
        ).all()
        result.append(OverriddenQuestionRow(slug, key, prompt, answer, int(n), tuple(examples)))
    return result

"""Reads behind the teacher's /classe overview. Functions take a Session and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from bot.db.models import AnswerOverride, Deck, Question, Review, User


@dataclass(frozen=True, slots=True)
class ActivityRow:
    students: int
    active_students: int
    answers: int
    correct: int


@dataclass(frozen=True, slots=True)
class HardQuestionRow:
    deck_slug: str
    question_key: str
    prompt: str
    answers: int
    wrong: int


@dataclass(frozen=True, slots=True)
class DeckActivityRow:
    deck_slug: str
    deck_title: str
    active_students: int
    answers: int
    correct: int


def _students(exclude_telegram_ids: Collection[int]) -> Select[int]:
    """Ids of the class: Telegram users, teachers excluded."""
    students = select(User.id).where(User.telegram_id.is_not(None))
    if exclude_telegram_ids:
        students = students.where(User.telegram_id.not_in(list(exclude_telegram_ids)))
    return students


def activity(
    session: Session, since: dt.datetime, *, exclude_telegram_ids: Collection[int] = ()
) -> ActivityRow:
    """Students (Telegram ones, teachers excluded), those who answered since ``since``, and
    the answers given since then."""
    students = _students(exclude_telegram_ids)
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


def deck_activity(
    session: Session, since: dt.datetime, *, exclude_telegram_ids: Collection[int] = ()
) -> list[DeckActivityRow]:
    """Per live deck, in slug order: students who answered its questions since ``since``,
    and those answers (zeros for a deck nobody studied)."""
    recent = (
        select(Review.user_id, Review.correct, Question.deck_id)
        .join(Question, Question.id == Review.question_id)
        .where(
            Review.reviewed_at >= since,
            Review.user_id.in_(_students(exclude_telegram_ids).scalar_subquery()),
        )
        .subquery()
    )
    rows = session.execute(
        select(
            Deck.slug,
            Deck.title,
            func.count(func.distinct(recent.c.user_id)),
            func.count(recent.c.user_id),
            func.coalesce(func.sum(case((recent.c.correct.is_(True), 1), else_=0)), 0),
        )
        .outerjoin(recent, recent.c.deck_id == Deck.id)
        .where(Deck.retired_at.is_(None))
        .group_by(Deck.id, Deck.slug, Deck.title)
        .order_by(Deck.slug)
    )
    return [
        DeckActivityRow(slug, title, int(active), int(answers), int(correct))
        for slug, title, active, answers, correct in rows
    ]


def hardest_questions(
    session: Session,
    *,
    min_answers: int,
    limit: int,
    exclude_telegram_ids: Collection[int] = (),
) -> list[HardQuestionRow]:
    """Live questions with the highest share of wrong answers (ties: more answers first)."""
    wrong = func.sum(case((Review.correct.is_(False), 1), else_=0))
    answers = func.count(Review.id)
    query = (
        select(Deck.slug, Question.key, Question.prompt, answers, wrong)
        .select_from(Review)
        .join(Question, Question.id == Review.question_id)
        .join(Deck, Deck.id == Question.deck_id)
        .join(User, User.id == Review.user_id)
        .where(Question.retired_at.is_(None), Deck.retired_at.is_(None))
        .group_by(Question.id, Deck.slug, Question.key, Question.prompt)
        .having(answers >= min_answers, wrong > 0)
        .order_by((wrong * 1.0 / answers).desc(), answers.desc(), Question.id)
        .limit(limit)
    )
    if exclude_telegram_ids:
        query = query.where(
            User.telegram_id.is_(None) | User.telegram_id.not_in(list(exclude_telegram_ids))
        )
    return [HardQuestionRow(*row) for row in session.execute(query)]


@dataclass(frozen=True, slots=True)
class OverriddenQuestionRow:
    deck_slug: str
    question_key: str
    prompt: str
    answer: str
    overrides: int
    #: A few answers the students said were right, as typed.
    examples: tuple[str, ...]


def most_overridden(
    session: Session, *, limit: int, exclude_telegram_ids: Collection[int] = ()
) -> list[OverriddenQuestionRow]:
    """Live questions whose grading students overruled most (« J'avais raison »): a sign the
    expected answer or its alternatives need fixing."""
    count = func.count(AnswerOverride.id)
    query = (
        select(Question.id, Deck.slug, Question.key, Question.prompt, Question.answer, count)
        .select_from(AnswerOverride)
        .join(Question, Question.id == AnswerOverride.question_id)
        .join(Deck, Deck.id == Question.deck_id)
        .join(User, User.id == AnswerOverride.user_id)
        .where(Question.retired_at.is_(None), Deck.retired_at.is_(None))
        .group_by(Question.id, Deck.slug, Question.key, Question.prompt, Question.answer)
        .order_by(count.desc(), Question.id)
        .limit(limit)
    )
    if exclude_telegram_ids:
        query = query.where(
            User.telegram_id.is_(None) | User.telegram_id.not_in(list(exclude_telegram_ids))
        )
    rows = session.execute(query).all()
    result = []
    for question_id, slug, key, prompt, answer, n in rows:
        examples = session.scalars(
            select(AnswerOverride.given_answer)
            .where(AnswerOverride.question_id == question_id)
            .order_by(AnswerOverride.id.desc())
            .limit(3)
        ).all()
        result.append(OverriddenQuestionRow(slug, key, prompt, answer, int(n), tuple(examples)))
    return result

"""Reads behind the progress figures (student /stats, teacher overview and CSV export)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, not_, select
from sqlalchemy.orm import Session

from bot.db.models import Card, Deck, Question, Review, User
from bot.db.repositories import rules
from bot.domain.stats import CardRecord, QuestionErrorRate, ReviewRecord


def reviews_since(session: Session, user_id: int, since: dt.datetime) -> list[ReviewRecord]:
    """The student's scheduled answers since ``since``: practice answers (the schedule
    untouched) are not study figures."""
    rows = session.execute(
        select(Review.reviewed_at, Review.correct).where(
            Review.user_id == user_id, Review.reviewed_at >= since, Review.practice.is_(False)
        )
    )
    return [ReviewRecord(at, bool(ok)) for at, ok in rows]


def review_instants(session: Session, user_id: int) -> list[dt.datetime]:
    """Every answer time of the student (for streaks; the local day is computed by the caller)."""
    return list(session.scalars(select(Review.reviewed_at).where(Review.user_id == user_id)))


def cards_of(session: Session, user_id: int) -> list[CardRecord]:
    rows = session.execute(
        select(Card.state, Card.reps, Card.due, Card.suspended_at)
        .join(Question, Question.id == Card.question_id)
        .where(Card.user_id == user_id, Question.retired_at.is_(None))
    )
    return [
        CardRecord(state, reps, due, suspended is not None) for state, reps, due, suspended in rows
    ]


def unseen_count(session: Session, user_id: int) -> int:
    """Studyable questions (:func:`bot.db.repositories.rules.studyable`) the student has no
    card for yet."""
    has_card = exists().where(Card.user_id == user_id, Card.question_id == Question.id)
    query = (
        select(func.count())
        .select_from(Question)
        .join(Deck, Deck.id == Question.deck_id)
        .where(rules.studyable(literal(user_id)), not_(has_card))
    )
    return session.scalar(query) or 0


def error_rates(
    session: Session,
    *,
    user_id: int | None = None,
    students: Select[Any] | None = None,
    live_only: bool = False,
    since: dt.datetime | None = None,
    min_answers: int = 1,
    limit: int = 10,
) -> list[QuestionErrorRate]:
    """Questions with the highest share of wrong answers (practice answers included; ties:
    more answers first), among the answers of ``user_id``, or of the ``students`` (a query of
    user ids), or of everybody; ``live_only``: retired questions and decks left out."""
    wrong = func.sum(case((Review.correct.is_(False), 1), else_=0))
    answers = func.count(Review.id)
    query = (
        select(Deck.slug, Question.key, Question.prompt, answers, wrong)
        .select_from(Review)
        .join(Question, Question.id == Review.question_id)
        .join(Deck, Deck.id == Question.deck_id)
        .group_by(Question.id, Deck.slug, Question.key, Question.prompt)
        .having(and_(answers >= min_answers, wrong > 0))
        .order_by((wrong * 1.0 / answers).desc(), answers.desc(), Question.id)
        .limit(limit)
    )
    if user_id is not None:
        query = query.where(Review.user_id == user_id)
    if students is not None:
        query = query.where(Review.user_id.in_(students.scalar_subquery()))
    if live_only:
        query = query.where(Question.retired_at.is_(None), Deck.retired_at.is_(None))
    if since is not None:
        query = query.where(Review.reviewed_at >= since)
    return [QuestionErrorRate(*row) for row in session.execute(query)]


def user_timezone(session: Session, user_id: int) -> str:
    return session.execute(select(User.timezone).where(User.id == user_id)).scalar_one()

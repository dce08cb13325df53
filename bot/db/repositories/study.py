"""Reads and writes behind study sessions. Functions take a Session and never commit.

The two « what next » reads are built for large tables (millions of cards): the due card is
one walk of the ``cards(user_id, due)`` index that stops at the first studyable row, and the
next new question is one anti-join on ``cards(user_id, question_id)`` with ``LIMIT 1``.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, not_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Card, Deck, DeckChoice, Presentation, Question, Review, StudySession


def _studyable(user_id: int) -> ColumnElement[bool]:
    """The question and its deck are live and the student has not switched the deck off.

    Needs ``Question`` and ``Deck`` in the FROM clause.
    """
    disabled = exists().where(
        DeckChoice.user_id == user_id,
        DeckChoice.deck_id == Question.deck_id,
        DeckChoice.enabled.is_(False),
    )
    return and_(Question.retired_at.is_(None), Deck.retired_at.is_(None), not_(disabled))


def next_due_card(
    session: Session, user_id: int, now: dt.datetime, *, deck_id: int | None = None
) -> tuple[Card, Question, Deck] | None:
    """The most overdue studyable, unsuspended card (``due <= now``)."""
    query = (
        select(Card, Question, Deck)
        .join(Question, Question.id == Card.question_id)
        .join(Deck, Deck.id == Question.deck_id)
        .where(
            Card.user_id == user_id,
            Card.due <= now,
            Card.suspended_at.is_(None),
            _studyable(user_id),
        )
        .order_by(Card.due, Card.id)
        .limit(1)
    )
    if deck_id is not None:
        query = query.where(Question.deck_id == deck_id)
    row = session.execute(query).first()
    return (row[0], row[1], row[2]) if row else None


def next_new_question(
    session: Session, user_id: int, *, deck_id: int | None = None
) -> tuple[Question, Deck] | None:
    """The first studyable question the student has no card for, in deck order."""
    has_card = exists().where(Card.user_id == user_id, Card.question_id == Question.id)
    query = (
        select(Question, Deck)
        .join(Deck, Deck.id == Question.deck_id)
        .where(_studyable(user_id), not_(has_card))
        .order_by(Deck.slug, Question.position, Question.id)
        .limit(1)
    )
    if deck_id is not None:
        query = query.where(Question.deck_id == deck_id)
    row = session.execute(query).first()
    return (row[0], row[1]) if row else None


def next_practice_question(
    session: Session, user_id: int, deck_id: int, session_id: int | None
) -> tuple[Question, Deck, Card | None] | None:
    """The next live question of the deck not yet answered in this practice run (None: a run
    not started yet), with the student's card if they have one."""
    query = (
        select(Question, Deck, Card)
        .join(Deck, Deck.id == Question.deck_id)
        .outerjoin(Card, and_(Card.question_id == Question.id, Card.user_id == user_id))
        .where(Question.deck_id == deck_id, Question.retired_at.is_(None))
        .order_by(Question.position, Question.id)
        .limit(1)
    )
    if session_id is not None:
        answered = exists().where(
            Review.session_id == session_id, Review.question_id == Question.id
        )
        query = query.where(not_(answered))
    row = session.execute(query).first()
    return (row[0], row[1], row[2]) if row else None


def first_reviews_between(
    session: Session, user_id: int, start: dt.datetime, end: dt.datetime
) -> int:
    """New cards studied in ``[start, end)``: scheduled first answers (an undone one is gone)."""
    return (
        session.scalar(
            select(func.count(Review.id)).where(
                Review.user_id == user_id,
                Review.reviewed_at >= start,
                Review.reviewed_at < end,
                Review.prev_reps == 0,
                Review.practice.is_(False),
            )
        )
        or 0
    )


def has_new_question(session: Session, user_id: int) -> bool:
    has_card = exists().where(Card.user_id == user_id, Card.question_id == Question.id)
    query = (
        select(Question.id)
        .join(Deck, Deck.id == Question.deck_id)
        .where(_studyable(user_id), not_(has_card))
        .limit(1)
    )
    return session.scalar(query) is not None


def earliest_due(session: Session, user_id: int) -> dt.datetime | None:
    """When the first studyable, unsuspended card comes due (possibly in the past)."""
    return session.scalar(
        select(Card.due)
        .join(Question, Question.id == Card.question_id)
        .join(Deck, Deck.id == Question.deck_id)
        .where(Card.user_id == user_id, Card.suspended_at.is_(None), _studyable(user_id))
        .order_by(Card.due)
        .limit(1)
    )


def due_count(session: Session, user_id: int, until: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count(Card.id))
            .join(Question, Question.id == Card.question_id)
            .join(Deck, Deck.id == Question.deck_id)
            .where(
                Card.user_id == user_id,
                Card.due < until,
                Card.suspended_at.is_(None),
                _studyable(user_id),
            )
        )
        or 0
    )


def answer_totals(session: Session, user_id: int) -> tuple[int, int]:
    """(answers, correct answers) of all time, practice included."""
    answered, correct = session.execute(
        select(
            func.count(Review.id),
            func.coalesce(func.sum(case((Review.correct.is_(True), 1), else_=0)), 0),
        ).where(Review.user_id == user_id)
    ).one()
    return int(answered), int(correct)


# -- sessions -------------------------------------------------------------------------------


def open_session(session: Session, user_id: int) -> tuple[StudySession, dt.datetime | None] | None:
    """The student's open run, with their last answer's time (None: never answered).

    The last answer comes from the ``reviews(user_id, reviewed_at)`` index: one probe, however
    long the student's history.
    """
    last_answer = (
        select(func.max(Review.reviewed_at)).where(Review.user_id == user_id).scalar_subquery()
    )
    row = session.execute(
        select(StudySession, last_answer)
        .where(StudySession.user_id == user_id, StudySession.ended_at.is_(None))
        .order_by(StudySession.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def close_open_sessions(session: Session, user_id: int, ended_at: dt.datetime) -> None:
    session.execute(
        update(StudySession)
        .where(StudySession.user_id == user_id, StudySession.ended_at.is_(None))
        .values(ended_at=ended_at)
    )


def bump_session(
    session: Session, session_id: int, *, answered: int, correct: int
) -> tuple[int, int]:
    """Add to the run's counters in SQL (no lost update) and return the new counts."""
    row = session.execute(
        update(StudySession)
        .where(StudySession.id == session_id)
        .values(answered=StudySession.answered + answered, correct=StudySession.correct + correct)
        .returning(StudySession.answered, StudySession.correct)
        .execution_options(synchronize_session=False)
    ).one()
    return int(row[0]), int(row[1])


def session_counts(session: Session, session_id: int | None) -> tuple[int, int]:
    if session_id is None:
        return 0, 0
    row = session.execute(
        select(StudySession.answered, StudySession.correct).where(StudySession.id == session_id)
    ).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


# -- presentations --------------------------------------------------------------------------


class Shown(NamedTuple):
    presentation: Presentation
    card: Card
    question: Question
    run: StudySession | None


def _shown() -> Select[Presentation, Card, Question, StudySession]:
    return (
        select(Presentation, Card, Question, StudySession)
        .join(Card, Card.id == Presentation.card_id)
        .join(Question, Question.id == Card.question_id)
        .outerjoin(StudySession, StudySession.id == Presentation.session_id)
    )


def presentation_by_token(session: Session, token: str) -> Shown | None:
    """The showing with its card, question and run, in one query."""
    row = session.execute(_shown().where(Presentation.token == token)).first()
    return Shown(row[0], row[1], row[2], row[3]) if row else None


def latest_presentation(session: Session, user_id: int) -> Shown | None:
    """The student's latest showing (answered or not), with its card, question and run.

    One backward step on the ``presentations(user_id, id)`` index, however many showings.
    """
    row = session.execute(
        _shown().where(Presentation.user_id == user_id).order_by(Presentation.id.desc()).limit(1)
    ).first()
    return Shown(row[0], row[1], row[2], row[3]) if row else None


def newer_presentation_exists(session: Session, user_id: int, presentation_id: int) -> bool:
    return (
        session.scalar(
            select(Presentation.id)
            .where(Presentation.user_id == user_id, Presentation.id > presentation_id)
            .limit(1)
        )
        is not None
    )


def claim_presentation(session: Session, presentation_id: int, now: dt.datetime) -> bool:
    """Mark it answered unless it already is; False when another answer got there first.

    The conditional UPDATE takes the row lock, so of two concurrent answers one wins.
    """
    result = session.execute(
        update(Presentation)
        .where(Presentation.id == presentation_id, Presentation.answered_at.is_(None))
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def presentation_answered_by(session: Session, review: Review) -> Presentation | None:
    """The showing that ``review`` answered."""
    if review.presentation_id is None:
        return None
    return session.get(Presentation, review.presentation_id)


def answered_after(session: Session, user_id: int, presentation_id: int) -> bool:
    """A later showing was answered (its answer may have been undone since)."""
    return (
        session.scalar(
            select(Presentation.id)
            .where(
                Presentation.user_id == user_id,
                Presentation.id > presentation_id,
                Presentation.answered_at.is_not(None),
            )
            .limit(1)
        )
        is not None
    )


# -- reviews --------------------------------------------------------------------------------


def review_by_key(session: Session, idempotency_key: str) -> Review | None:
    return session.scalar(select(Review).where(Review.idempotency_key == idempotency_key))


def last_review(session: Session, user_id: int) -> Review | None:
    return session.scalar(
        select(Review)
        .where(Review.user_id == user_id)
        .order_by(Review.reviewed_at.desc(), Review.id.desc())
        .limit(1)
    )


def question_with_deck(session: Session, question_id: int) -> tuple[Question, Deck] | None:
    row = session.execute(
        select(Question, Deck)
        .join(Deck, Deck.id == Question.deck_id)
        .where(Question.id == question_id)
    ).first()
    return (row[0], row[1]) if row else None


def deck_by_slug(session: Session, slug: str) -> Deck | None:
    return session.scalar(select(Deck).where(Deck.slug == slug, Deck.retired_at.is_(None)))


def card_for(session: Session, user_id: int, question_id: int) -> Card | None:
    return session.scalar(
        select(Card).where(Card.user_id == user_id, Card.question_id == question_id)
    )

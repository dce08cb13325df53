"""Reads and writes behind study sessions. Functions take a Session and never commit.

The two « what next » reads are built for large tables (millions of cards): the due card is
one walk of the ``cards(user_id, due)`` index that stops at the first studyable row, and the
next new question is one anti-join on ``cards(user_id, question_id)`` with ``LIMIT 1``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    not_,
    select,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import Session

from bot.db.models import (
    Card,
    Deck,
    DeckChoice,
    Presentation,
    Question,
    Review,
    StudySession,
    User,
)
from bot.db.types import UtcDateTime


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


def first_reviews_between(
    session: Session, user_id: int, start: dt.datetime, end: dt.datetime
) -> int:
    """New cards studied in ``[start, end)``: scheduled first answers (an undone one is gone)."""
    params = {"user_id": user_id, "start": start, "end": end}
    return session.scalar(FIRST_REVIEWS_BETWEEN, params) or 0


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


def session_counts(session: Session, session_id: int | None) -> tuple[int, int]:
    if session_id is None:
        return 0, 0
    row = session.execute(
        select(StudySession.answered, StudySession.correct).where(StudySession.id == session_id)
    ).first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


# -- presentations --------------------------------------------------------------------------


def presentation_answered_by(session: Session, review: Review) -> Presentation | None:
    """The showing that ``review`` answered."""
    if review.presentation_id is None:
        return None
    return session.get(Presentation, review.presentation_id)


def shown_after(session: Session, user_id: int, presentation_id: int) -> bool:
    """A later showing exists (the question after this one was shown)."""
    later = select(Presentation.id).where(
        Presentation.user_id == user_id, Presentation.id > presentation_id
    )
    return session.scalar(later.limit(1)) is not None


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


# -- the answer-and-next hot path: Core statements built once ---------------------------------
#
# A quiz update runs about ten statements; built on every call, with ORM entities, the Python
# around them cost ten times the database work (docs/performance.md). These are built once
# at import, with bind parameters, on the tables themselves (no ORM entity loading), so
# SQLAlchemy compiles each once and every call is a cache hit. Rows come back as named
# tuples whose labels the service reads.

_users = cast(Table, User.__table__)
_decks = cast(Table, Deck.__table__)
_questions = cast(Table, Question.__table__)
_choices = cast(Table, DeckChoice.__table__)
_cards = cast(Table, Card.__table__)
_runs = cast(Table, StudySession.__table__)
_shown = cast(Table, Presentation.__table__)
_reviews = cast(Table, Review.__table__)

#: Columns of a question as the service needs them (``to_domain`` and the view).
_QUESTION_COLUMNS = (
    _questions.c.id.label("question_id"),
    _questions.c.key,
    _questions.c.kind,
    _questions.c.prompt,
    _questions.c.answer,
    _questions.c.accept,
    _questions.c.distractors,
    _questions.c.explanation,
    _questions.c.source_sentence,
    _questions.c.tags,
    _questions.c.confidence,
    _questions.c.retired_at.label("question_retired_at"),
    _decks.c.id.label("deck_id"),
    _decks.c.slug.label("deck_slug"),
    _decks.c.title.label("deck_title"),
)
#: A card's scheduling state (``CardState``) and its suspension.
_CARD_COLUMNS = (
    _cards.c.id.label("card_id"),
    _cards.c.state,
    _cards.c.step,
    _cards.c.stability,
    _cards.c.difficulty,
    _cards.c.due,
    _cards.c.last_review,
    _cards.c.reps,
    _cards.c.lapses,
    _cards.c.suspended_at,
)
_RUN_COLUMNS = (
    _runs.c.id.label("run_id"),
    _runs.c.deck_id.label("run_deck_id"),
    _runs.c.practice,
    _runs.c.started_at,
    _runs.c.ended_at,
    _runs.c.answered,
    _runs.c.correct,
)
_USER_ID = bindparam("user_id", type_=Integer)
_DECK_ID = bindparam("deck_id", type_=Integer)


def _live_for_student() -> ColumnElement[bool]:
    """``_studyable`` on the tables, for the student ``:user_id``."""
    disabled = exists().where(
        _choices.c.user_id == _USER_ID,
        _choices.c.deck_id == _questions.c.deck_id,
        _choices.c.enabled.is_(False),
    )
    return and_(_questions.c.retired_at.is_(None), _decks.c.retired_at.is_(None), not_(disabled))


def _due(deck: bool) -> Select[Any]:
    query = (
        select(*_CARD_COLUMNS, *_QUESTION_COLUMNS)
        .select_from(
            _cards.join(_questions, _questions.c.id == _cards.c.question_id).join(
                _decks, _decks.c.id == _questions.c.deck_id
            )
        )
        .where(
            _cards.c.user_id == _USER_ID,
            _cards.c.due <= bindparam("now", type_=UtcDateTime()),
            _cards.c.suspended_at.is_(None),
            _live_for_student(),
        )
        .order_by(_cards.c.due, _cards.c.id)
        .limit(1)
    )
    return query.where(_questions.c.deck_id == _DECK_ID) if deck else query


def _new(deck: bool) -> Select[Any]:
    has_card = exists().where(
        _cards.c.user_id == _USER_ID, _cards.c.question_id == _questions.c.id
    )
    query = (
        select(*_QUESTION_COLUMNS)
        .select_from(_questions.join(_decks, _decks.c.id == _questions.c.deck_id))
        .where(_live_for_student(), not_(has_card))
        .order_by(_decks.c.slug, _questions.c.position, _questions.c.id)
        .limit(1)
    )
    return query.where(_questions.c.deck_id == _DECK_ID) if deck else query


def _practice() -> Select[Any]:
    answered_in_run = exists().where(
        _reviews.c.session_id == bindparam("run_id", type_=Integer),
        _reviews.c.question_id == _questions.c.id,
    )
    return (
        select(*_QUESTION_COLUMNS, *_CARD_COLUMNS)
        .select_from(
            _questions.join(_decks, _decks.c.id == _questions.c.deck_id).outerjoin(
                _cards,
                and_(_cards.c.question_id == _questions.c.id, _cards.c.user_id == _USER_ID),
            )
        )
        .where(
            _questions.c.deck_id == _DECK_ID,
            _questions.c.retired_at.is_(None),
            not_(answered_in_run),
        )
        .order_by(_questions.c.position, _questions.c.id)
        .limit(1)
    )


def _fast_commit(query: Select[Any]) -> Select[Any]:
    """PostgreSQL: the query also sets ``synchronous_commit = off`` for the rest of its
    transaction (``set_config(…, true)`` is ``SET LOCAL``), without a round trip of its own.
    Evaluated only when the query returns its row, i.e. when a question will be shown."""
    return query.add_columns(
        func.set_config("synchronous_commit", "off", True).label("fast_commit")
    )


#: The next live question of ``:deck_id`` not yet answered in the practice run ``:run_id``
#: (NULL: a run not started), with the student's card columns (NULL when they have none).
#: Keys of these three: ``fast`` (PostgreSQL: a showing's commit need not wait for the WAL
#: flush; losing one only means the student asks again), then for the last two ``deck``.
NEXT_PRACTICE = {False: _practice(), True: _fast_commit(_practice())}
#: The most overdue studyable, unsuspended card (``due <= :now``), all decks or ``:deck_id``.
NEXT_DUE = {
    (f, d): _fast_commit(_due(d)) if f else _due(d) for f in (False, True) for d in (False, True)
}
#: The first studyable question the student has no card for, in deck order.
NEXT_NEW = {
    (f, d): _fast_commit(_new(d)) if f else _new(d) for f in (False, True) for d in (False, True)
}

FIRST_REVIEWS_BETWEEN = select(func.count(_reviews.c.id)).where(
    _reviews.c.user_id == _USER_ID,
    _reviews.c.reviewed_at >= bindparam("start", type_=UtcDateTime()),
    _reviews.c.reviewed_at < bindparam("end", type_=UtcDateTime()),
    _reviews.c.prev_reps == 0,
    _reviews.c.practice.is_(False),
)

_last_answer = (
    select(func.max(_reviews.c.reviewed_at))
    .where(_reviews.c.user_id == _USER_ID)
    .scalar_subquery()
    .label("last_answer")
)
#: The student's settings with their open run (NULL columns: none) and last answer's time
#: (one probe of ``reviews(user_id, reviewed_at)``, however long the history): what showing a
#: question, or summing up a run, starts from, in one statement.
STUDENT_AND_OPEN_RUN: Select[Any] = (
    select(_users.c.timezone, _users.c.new_cards_per_day, *_RUN_COLUMNS, _last_answer)
    .select_from(
        _users.outerjoin(_runs, and_(_runs.c.user_id == _users.c.id, _runs.c.ended_at.is_(None)))
    )
    .where(_users.c.id == _USER_ID)
    .order_by(_runs.c.id.desc())
    .limit(1)
)
CLOSE_RUN = (
    update(_runs)
    .where(_runs.c.id == bindparam("run_id"))
    .values(ended_at=bindparam("end_time", type_=UtcDateTime()))
)
CLOSE_OPEN_RUNS = (
    update(_runs)
    .where(_runs.c.user_id == bindparam("owner_id", type_=Integer), _runs.c.ended_at.is_(None))
    .values(ended_at=bindparam("end_time", type_=UtcDateTime()))
)
INSERT_RUN = insert(_runs).returning(_runs.c.id)
INSERT_CARD = insert(_cards).returning(_cards.c.id)
INSERT_SHOWING = insert(_shown)
INSERT_REVIEW = insert(_reviews)
UPDATE_CARD = update(_cards).where(_cards.c.id == bindparam("card_id"))
#: Add to the run's counters in SQL (no lost update) and read the new counts.
BUMP_RUN = (
    update(_runs)
    .where(_runs.c.id == bindparam("run_id"))
    .values(
        answered=_runs.c.answered + bindparam("d_answered", type_=Integer),
        correct=_runs.c.correct + bindparam("d_correct", type_=Integer),
    )
    .returning(_runs.c.answered, _runs.c.correct)
)

_newer = _shown.alias("newer")
_newer_exists = exists().where(_newer.c.user_id == _shown.c.user_id, _newer.c.id > _shown.c.id)


#: The review recorded under the answer's idempotency key ``:key`` (NULL: none, or no key).
_earlier_review = (
    select(_reviews.c.id).where(_reviews.c.idempotency_key == bindparam("key")).scalar_subquery()
)


def _showing() -> Select[Any]:
    return select(
        _shown.c.id.label("shown_id"),
        _shown.c.token,
        _shown.c.user_id,
        _shown.c.session_id,
        _shown.c.choices,
        _shown.c.shown_at,
        _shown.c.answered_at,
        _newer_exists.label("superseded"),
        _earlier_review.label("earlier_review_id"),
        *_CARD_COLUMNS,
        *_QUESTION_COLUMNS,
        *_RUN_COLUMNS,
        _users.c.desired_retention,
        _users.c.maximum_interval,
        _users.c.timezone,
        _users.c.new_cards_per_day,
    ).select_from(
        _shown.join(_users, _users.c.id == _shown.c.user_id)
        .join(_cards, _cards.c.id == _shown.c.card_id)
        .join(_questions, _questions.c.id == _cards.c.question_id)
        .join(_decks, _decks.c.id == _questions.c.deck_id)
        .outerjoin(_runs, _runs.c.id == _shown.c.session_id)
    )


#: A showing by its token, with its card, question, deck, run and the student's settings,
#: the review already recorded under ``:key`` if any, and whether a newer
#: showing of the same student exists: everything an answer needs, in one statement.
SHOWING_BY_TOKEN = _showing().where(_shown.c.token == bindparam("token"))
#: The student's latest showing (one backward step on ``presentations(user_id, id)``).
LATEST_SHOWING = (
    _showing().where(_shown.c.user_id == _USER_ID).order_by(_shown.c.id.desc()).limit(1)
)
#: Mark a showing answered unless it already is or a newer one superseded it. The
#: conditional UPDATE takes the row lock: of two concurrent answers, exactly one wins.
CLAIM_SHOWING = (
    update(_shown)
    .where(
        _shown.c.id == bindparam("shown_id"),
        _shown.c.answered_at.is_(None),
        not_(exists().where(_newer.c.user_id == _shown.c.user_id, _newer.c.id > _shown.c.id)),
    )
    .values(answered_at=bindparam("now", type_=UtcDateTime()))
)
REVIEW_BY_KEY = select(_reviews.c.id, _reviews.c.user_id).where(
    _reviews.c.idempotency_key == bindparam("key")
)


# -- PostgreSQL: an answer's writes in one round trip ------------------------------------------

#: The review's columns, bound as ``r_<column>`` (``RECORD_ANSWER``).
REVIEW_COLUMNS = tuple(c.name for c in _reviews.c if c.name != "id")
#: The card's columns an answer changes, bound as ``c_<column>``.
CARD_STATE_COLUMNS = (
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "reps",
    "lapses",
    "suspended_at",
)


def _typed(name: str, type_: Any) -> ColumnElement[Any]:
    return sql_cast(bindparam(name, type_=type_), type_)


def _record_answer(schedule: bool) -> Select[Any]:
    """``CLAIM_SHOWING``, ``INSERT_REVIEW``, ``UPDATE_CARD`` (when ``schedule``) and
    ``BUMP_RUN`` as data-modifying CTEs of one statement: each write happens only when the
    claim did. PostgreSQL only (SQLite has no DML in a WITH); the service runs the four
    statements there, and the same tests cover both."""
    claim = CLAIM_SHOWING.returning(_shown.c.id).cte("claim")
    claimed = exists(select(claim.c.id))
    review = (
        insert(_reviews)
        .from_select(
            list(REVIEW_COLUMNS),
            # Typed casts: a NULL parameter in a SELECT list would otherwise be text.
            select(*(_typed(f"r_{name}", _reviews.c[name].type) for name in REVIEW_COLUMNS)).where(
                claimed
            ),
        )
        .returning(_reviews.c.id)
        .cte("review")
    )
    run = (
        update(_runs)
        .where(_runs.c.id == bindparam("run_id", type_=Integer), claimed)
        .values(
            answered=_runs.c.answered + 1,
            correct=_runs.c.correct + bindparam("d_correct", type_=Integer),
        )
        .returning(_runs.c.answered, _runs.c.correct)
        .cte("run")
    )
    columns = [
        select(func.count()).select_from(claim).scalar_subquery().label("claimed"),
        select(func.count()).select_from(review).scalar_subquery().label("reviews"),
        select(run.c.answered).scalar_subquery().label("answered"),
        select(run.c.correct).scalar_subquery().label("correct"),
    ]
    if schedule:
        card = (
            update(_cards)
            # Not "card_id": a parameter named like a column of an UPDATE's table (the claim's
            # presentations.card_id) would be taken as a value to SET.
            .where(_cards.c.id == bindparam("answered_card", type_=Integer), claimed)
            .values(
                {
                    name: bindparam(f"c_{name}", type_=_cards.c[name].type)
                    for name in CARD_STATE_COLUMNS
                }
            )
            .returning(_cards.c.id)
            .cte("card")
        )
        columns.append(select(func.count()).select_from(card).scalar_subquery().label("cards"))
    return select(*columns)


#: One round trip for an answer's writes on PostgreSQL; key: whether the card is rescheduled
#: (False for practice answers). Returns ``claimed`` (0: another answer got there first, and
#: nothing was written), and the run's new ``answered``/``correct`` (NULL without a run).
RECORD_ANSWER = {True: _record_answer(True), False: _record_answer(False)}

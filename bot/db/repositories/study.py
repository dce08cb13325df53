"""The study store: every read and write behind a study run. Takes a Session, never commits.

:class:`StudyStore` returns frozen dataclasses (:class:`Showing`, :class:`Candidate`,
:class:`StudentRun`, …) and domain objects (:class:`~bot.domain.deck.Question`,
:class:`~bot.domain.scheduling.CardState`); no row leaves this module.

Speed. An answer followed by a due card runs 7 statements (a test holds the counts): the
showing with everything it needs, four writes, « what next », the new showing; with nothing
due, one more for the day's new-card counts, and for a new question its read and its card.
Built on every call, with ORM entities, the Python around them cost ten times the database
work (docs/performance.md); so the statements below are built once at import, with bind
parameters, on the tables themselves (no ORM entity loading): SQLAlchemy compiles each once
and every call is a cache hit. A read a step always needs rides in the statement that already
runs (the FSRS parameters in the showing, the learn-ahead card in « what next »), since on
SQLite every statement costs its Python overhead on the one service thread; a read needed
only sometimes (the day's counts) stays apart, as a column costs about what a statement
does. The « what next » reads are built for large tables (millions of cards): the next card
is one walk of the ``cards(user_id, due)`` index that stops at the first studyable row, and
the next new question is one anti-join on
``cards(user_id, question_id)`` with ``LIMIT 1``.

Engine differences live here and nowhere else: on PostgreSQL the statement that finds the
next question also turns ``synchronous_commit`` off for its transaction (a showing lost in a
crash only means the student asks again; an answer's commit stays durable).

Concurrency: :meth:`StudyStore.claim_showing` is a conditional UPDATE that holds the row
lock, so of two concurrent answers to one showing exactly one goes on; the review's unique
idempotency key is checked at its INSERT (the caller sees ``IntegrityError``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Integer,
    Row,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.db.models import (
    AnswerOverride,
    NewCardGrant,
    Presentation,
    Review,
    StudentParameters,
    StudySession,
    User,
)
from bot.db.repositories.rules import cards as _cards
from bot.db.repositories.rules import decks as _decks
from bot.db.repositories.rules import due_card, live_card, not_started, studyable
from bot.db.repositories.rules import questions as _questions
from bot.db.types import UtcDateTime
from bot.domain.deck import Question, QuestionKind
from bot.domain.scheduling import CardState

_users = cast(Table, User.__table__)
_runs = cast(Table, StudySession.__table__)
_shown = cast(Table, Presentation.__table__)
_reviews = cast(Table, Review.__table__)
_params = cast(Table, StudentParameters.__table__)
_grants = cast(Table, NewCardGrant.__table__)
_overrides = cast(Table, AnswerOverride.__table__)
#: ``fsrs.State.Review`` as stored in ``cards.state`` (1: learning, 3: relearning).
_REVIEW_STATE = 2

# -- what the store hands out ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    """A question with its deck, as studying needs it."""

    question_id: int
    question: Question
    deck_id: int
    deck_slug: str
    deck_title: str
    retired: bool


@dataclass(frozen=True, slots=True)
class StoredCard:
    """A student's card: its scheduling state and its suspension."""

    card_id: int
    state: CardState
    suspended_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Run:
    """A study run with its counters."""

    id: int
    deck_id: int | None
    practice: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class StudentRun:
    """The student's settings, their open run (None: none) and their last answer's time."""

    timezone: str
    new_cards_per_day: int
    run: Run | None
    last_answer: dt.datetime | None
    #: The open run's deck (None: no run, or a run over every deck).
    run_deck_slug: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A question that can be shown next, with the student's card for it (None: none yet)."""

    question: StoredQuestion
    card_id: int | None
    reps: int
    #: When the card is due (None: a question without a started card).
    due: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class DayCounts:
    """New cards of the student's local day: first answers (outside practice), and the extra
    new cards granted (« Encore 10 nouvelles ? »)."""

    first_reviews: int
    granted: int


@dataclass(frozen=True, slots=True)
class Outlook:
    """When something is next to study, in one statement: the first studyable card's due
    time (None: none), whether a new question is left, and the day's counts."""

    earliest_due: dt.datetime | None
    has_new: bool
    day: DayCounts


@dataclass(frozen=True, slots=True)
class Showing:
    """A showing with everything an answer to it needs."""

    shown_id: int
    token: str
    user_id: int
    choices: tuple[str, ...]
    shown_at: dt.datetime
    answered_at: dt.datetime | None
    #: A newer showing of the same student exists.
    superseded: bool
    #: The review already recorded under the answer's idempotency key, if any.
    earlier_review_id: int | None
    card: StoredCard
    question: StoredQuestion
    run: Run | None
    desired_retention: float
    maximum_interval: int
    timezone: str
    new_cards_per_day: int
    #: The student's own FSRS weights (``bot.services.optimizer``), None: the defaults.
    parameters: tuple[float, ...] | None = None
    #: A self-rated card: the attempt typed before its answer was revealed (None: none).
    attempt: str | None = None

    @property
    def is_open(self) -> bool:
        """The open question: unanswered, in a run still going on."""
        return self.answered_at is None and self.run is not None and self.run.ended_at is None


@dataclass(frozen=True, slots=True)
class NewReview:
    """An answer to write: the review row, with the card's state before it (for undo)."""

    card_id: int
    user_id: int
    question_id: int
    session_id: int | None
    presentation_id: int | None
    idempotency_key: str
    rating: int
    verdict: str
    correct: bool
    practice: bool
    given_answer: str
    response_ms: int | None
    reviewed_at: dt.datetime
    before: CardState
    suspended_before: dt.datetime | None


@dataclass(frozen=True, slots=True)
class StoredReview:
    """A recorded answer, with the card's state before it."""

    id: int
    user_id: int
    card_id: int
    question_id: int
    session_id: int | None
    presentation_id: int | None
    verdict: str
    correct: bool
    practice: bool
    given_answer: str
    reviewed_at: dt.datetime
    before: CardState
    suspended_before: dt.datetime | None


@dataclass(frozen=True, slots=True)
class StudentSettings:
    timezone: str
    new_cards_per_day: int


# -- statements, built once ------------------------------------------------------------------

_USER_ID = bindparam("user_id", type_=Integer)
_DECK_ID = bindparam("deck_id", type_=Integer)
_NOW = bindparam("now", type_=UtcDateTime())

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
#: The order new questions come in: the newest deck first (a teacher's deck imported after
#: the shipped sample comes before it), then the order of the file.
NEW_ORDER = (
    _decks.c.created_at.desc(),
    _decks.c.id.desc(),
    _questions.c.position,
    _questions.c.id,
)
#: ``:deck_id`` NULL: every deck.
_IN_DECK = (_DECK_ID.is_(None)) | (_questions.c.deck_id == _DECK_ID)


_HORIZON = bindparam("horizon", type_=UtcDateTime())


def _next_card() -> Select[Any]:
    """The card due first among the cards due by ``:now`` and the learning or relearning
    cards due by ``:horizon`` (a later instant: learn-ahead), most overdue first: every due
    card comes before the learn-ahead ones, so a row due after ``:now`` is the learn-ahead
    card. One walk of ``cards(user_id, due)`` that stops at the first such row."""
    soon = or_(
        _cards.c.due <= _NOW,
        and_(_cards.c.state != _REVIEW_STATE, _cards.c.due <= _HORIZON),
    )
    return (
        select(*_CARD_COLUMNS, *_QUESTION_COLUMNS)
        .select_from(
            _cards.join(_questions, _questions.c.id == _cards.c.question_id).join(
                _decks, _decks.c.id == _questions.c.deck_id
            )
        )
        .where(due_card(_USER_ID, _HORIZON), soon, _IN_DECK)
        .order_by(_cards.c.due, _cards.c.id)
        .limit(1)
    )


def _next_new() -> Select[Any]:
    """The first new question (:func:`~bot.db.repositories.rules.not_started`), with the
    student's never-answered card for it if there is one; newest deck first."""
    return (
        select(*_QUESTION_COLUMNS, _cards.c.id.label("card_id"))
        .select_from(
            _questions.join(_decks, _decks.c.id == _questions.c.deck_id).outerjoin(
                _cards,
                and_(_cards.c.question_id == _questions.c.id, _cards.c.user_id == _USER_ID),
            )
        )
        .where(studyable(_USER_ID), not_started(_USER_ID), _IN_DECK)
        .order_by(*NEW_ORDER)
        .limit(1)
    )


def _next_practice() -> Select[Any]:
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


def _next_ahead() -> Select[Any]:
    """« Réviser en avance »: the student's started cards, soonest due first, each once per
    run (the run's answers are practice: the schedule does not move)."""
    answered_in_run = exists().where(
        _reviews.c.session_id == bindparam("run_id", type_=Integer),
        _reviews.c.card_id == _cards.c.id,
    )
    return (
        select(*_CARD_COLUMNS, *_QUESTION_COLUMNS)
        .select_from(
            _cards.join(_questions, _questions.c.id == _cards.c.question_id).join(
                _decks, _decks.c.id == _questions.c.deck_id
            )
        )
        .where(live_card(_USER_ID), not_(answered_in_run))
        .order_by(_cards.c.due, _cards.c.id)
        .limit(1)
    )


NEXT_AHEAD = _next_ahead()


def _fast_commit(query: Select[Any]) -> Select[Any]:
    """PostgreSQL: the query also sets ``synchronous_commit = off`` for the rest of its
    transaction (``set_config(…, true)`` is ``SET LOCAL``), without a round trip of its own.
    Evaluated only when the query returns its row, i.e. when a question will be shown."""
    return query.add_columns(
        func.set_config("synchronous_commit", "off", True).label("fast_commit")
    )


_START = bindparam("start", type_=UtcDateTime())
_END = bindparam("end", type_=UtcDateTime())
#: New cards studied in ``[start, end)``: scheduled first answers (undone ones are gone).
_FIRST_REVIEWS = (
    select(func.count(_reviews.c.id))
    .where(
        _reviews.c.user_id == _USER_ID,
        _reviews.c.reviewed_at >= _START,
        _reviews.c.reviewed_at < _END,
        _reviews.c.prev_reps == 0,
        _reviews.c.practice.is_(False),
    )
    .scalar_subquery()
)
#: Extra new cards granted in ``[start, end)`` (« Encore 10 nouvelles ? »).
_GRANTED = (
    select(func.coalesce(func.sum(_grants.c.amount), 0))
    .where(
        _grants.c.user_id == _USER_ID,
        _grants.c.granted_at >= _START,
        _grants.c.granted_at < _END,
    )
    .scalar_subquery()
)
INSERT_GRANT = insert(_grants)


#: The day's counts (:class:`DayCounts`), one statement. Read only when no card is due: as
#: columns of « what next » they cost as much as a statement of their own (0.035 ms on the
#: benchmark's dataset, docs/performance.md) on every answer, while a due card needs none.
DAY_COUNTS = select(_FIRST_REVIEWS.label("first_reviews"), _GRANTED.label("granted"))


@dataclass(frozen=True, slots=True)
class _NextStatements:
    """The « what next » reads of one engine."""

    card: Select[Any]
    new: Select[Any]
    practice: Select[Any]


_PORTABLE = _NextStatements(_next_card(), _next_new(), _next_practice())
_POSTGRESQL = _NextStatements(
    _fast_commit(_PORTABLE.card),
    _fast_commit(_PORTABLE.new),
    _fast_commit(_PORTABLE.practice),
)

_last_answer = (
    select(func.max(_reviews.c.reviewed_at))
    .where(_reviews.c.user_id == _USER_ID)
    .scalar_subquery()
    .label("last_answer")
)
_run_deck = _decks.alias("run_deck")
#: The student's settings with their open run (NULL columns: none), its deck's slug and the
#: last answer's time (one probe of ``reviews(user_id, reviewed_at)``, however long the
#: history).
STUDENT_AND_OPEN_RUN: Select[Any] = (
    select(
        _users.c.timezone,
        _users.c.new_cards_per_day,
        *_RUN_COLUMNS,
        _run_deck.c.slug.label("run_deck_slug"),
        _last_answer,
    )
    .select_from(
        _users.outerjoin(
            _runs, and_(_runs.c.user_id == _users.c.id, _runs.c.ended_at.is_(None))
        ).outerjoin(_run_deck, _run_deck.c.id == _runs.c.deck_id)
    )
    .where(_users.c.id == _USER_ID)
    .order_by(_runs.c.id.desc())
    .limit(1)
)
_END_TIME = bindparam("end_time", type_=UtcDateTime())
CLOSE_RUN = update(_runs).where(_runs.c.id == bindparam("run_id")).values(ended_at=_END_TIME)
CLOSE_OPEN_RUNS = (
    update(_runs)
    # Not ``:user_id``: a parameter named like a column of the UPDATE's table is a value to SET.
    .where(_runs.c.user_id == bindparam("owner_id", type_=Integer), _runs.c.ended_at.is_(None))
    .values(ended_at=_END_TIME)
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
RUN_BY_ID = select(*_RUN_COLUMNS).where(_runs.c.id == bindparam("run_id"))

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
        _shown.c.choices,
        _shown.c.shown_at,
        _shown.c.answered_at,
        _shown.c.attempt,
        _newer_exists.label("superseded"),
        _earlier_review.label("earlier_review_id"),
        *_CARD_COLUMNS,
        *_QUESTION_COLUMNS,
        *_RUN_COLUMNS,
        _users.c.desired_retention,
        _users.c.maximum_interval,
        _users.c.timezone,
        _users.c.new_cards_per_day,
        _params.c.parameters.label("fsrs_parameters"),
    ).select_from(
        _shown.join(_users, _users.c.id == _shown.c.user_id)
        .outerjoin(_params, _params.c.user_id == _shown.c.user_id)
        .join(_cards, _cards.c.id == _shown.c.card_id)
        .join(_questions, _questions.c.id == _cards.c.question_id)
        .join(_decks, _decks.c.id == _questions.c.deck_id)
        .outerjoin(_runs, _runs.c.id == _shown.c.session_id)
    )


#: A showing by its token, with its card, question, deck, run and the student's settings,
#: the review already recorded under ``:key`` if any, and whether a newer showing of the same
#: student exists: everything an answer needs, in one statement.
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
    .values(answered_at=_NOW)
)
#: Keep a self-rated card's attempt on its showing, while the showing is unanswered (a
#: verdict claimed it meanwhile: too late, and the verdict has the attempt it was given).
SAVE_ATTEMPT = (
    update(_shown)
    .where(_shown.c.id == bindparam("shown_id"), _shown.c.answered_at.is_(None))
    .values(attempt=bindparam("new_attempt"))
)
REVIEW_BY_KEY = select(_reviews.c.id).where(_reviews.c.idempotency_key == bindparam("key"))
_REVIEW_COLUMNS = (
    _reviews.c.id,
    _reviews.c.user_id,
    _reviews.c.card_id,
    _reviews.c.question_id,
    _reviews.c.session_id,
    _reviews.c.presentation_id,
    _reviews.c.verdict,
    _reviews.c.correct,
    _reviews.c.practice,
    _reviews.c.given_answer,
    _reviews.c.reviewed_at,
    _reviews.c.prev_state,
    _reviews.c.prev_step,
    _reviews.c.prev_stability,
    _reviews.c.prev_difficulty,
    _reviews.c.prev_due,
    _reviews.c.prev_last_review,
    _reviews.c.prev_reps,
    _reviews.c.prev_lapses,
    _reviews.c.prev_suspended_at,
)
REVIEW_BY_ID = select(*_REVIEW_COLUMNS).where(_reviews.c.id == bindparam("review_id"))
#: The idempotency keys of the class game's answers (bot.services.game): not the student's
#: own answers, so /annuler never takes one back.
GAME_KEY_PREFIX = "game:"
LAST_REVIEW = (
    select(*_REVIEW_COLUMNS)
    .where(_reviews.c.user_id == _USER_ID)
    .where(not_(_reviews.c.idempotency_key.startswith(GAME_KEY_PREFIX, autoescape=True)))
    .order_by(_reviews.c.reviewed_at.desc(), _reviews.c.id.desc())
    .limit(1)
)
QUESTION_BY_ID = (
    select(*_QUESTION_COLUMNS)
    .select_from(_questions.join(_decks, _decks.c.id == _questions.c.deck_id))
    .where(_questions.c.id == bindparam("question_id"))
)
CARD_BY_ID = select(*_CARD_COLUMNS).where(_cards.c.id == bindparam("card_id"))
SETTINGS = select(_users.c.timezone, _users.c.new_cards_per_day).where(_users.c.id == _USER_ID)
_EARLIEST_DUE = (
    select(_cards.c.due)
    .select_from(
        _cards.join(_questions, _questions.c.id == _cards.c.question_id).join(
            _decks, _decks.c.id == _questions.c.deck_id
        )
    )
    .where(live_card(_USER_ID))
    .order_by(_cards.c.due)
    .limit(1)
)
HAS_NEW_QUESTION = (
    select(_questions.c.id)
    .select_from(_questions.join(_decks, _decks.c.id == _questions.c.deck_id))
    .where(studyable(_USER_ID), not_started(_USER_ID))
    .limit(1)
)
#: When something is next: the first card's due time, whether a new question is left, and
#: the day's counts (:class:`Outlook`), in one statement.
OUTLOOK = select(
    _EARLIEST_DUE.scalar_subquery().label("earliest_due"),
    exists(HAS_NEW_QUESTION).label("has_new"),
    _FIRST_REVIEWS.label("first_reviews"),
    _GRANTED.label("granted"),
)
LIVE_DECK_ID = select(_decks.c.id).where(
    _decks.c.slug == bindparam("slug"), _decks.c.retired_at.is_(None)
)
_LATER_SHOWING = bindparam("presentation_id", type_=Integer)
SHOWN_AFTER = (
    select(_shown.c.id).where(_shown.c.user_id == _USER_ID, _shown.c.id > _LATER_SHOWING).limit(1)
)
ANSWERED_AFTER = (
    select(_shown.c.id)
    .where(
        _shown.c.user_id == _USER_ID,
        _shown.c.id > _LATER_SHOWING,
        _shown.c.answered_at.is_not(None),
    )
    .limit(1)
)
DELETE_REVIEW = delete(_reviews).where(_reviews.c.id == bindparam("review_id"))
#: The review of a showing (by its token), for « J'avais raison » on that showing.
REVIEW_BY_SHOWING = (
    select(*_REVIEW_COLUMNS)
    .select_from(_reviews.join(_shown, _shown.c.id == _reviews.c.presentation_id))
    .where(_shown.c.token == bindparam("token"))
)
OVERRIDE_EXISTS = select(_overrides.c.id).where(_overrides.c.review_id == bindparam("review_id"))
INSERT_OVERRIDE = insert(_overrides)
#: Count an overruled answer as right (the grader's verdict stays, for the record).
MARK_REVIEW_RIGHT = (
    update(_reviews)
    .where(_reviews.c.id == bindparam("review_id"))
    .values(correct=True, rating=bindparam("new_rating", type_=Integer))
)
SCHEDULING_SETTINGS = select(_users.c.desired_retention, _users.c.maximum_interval).where(
    _users.c.id == _USER_ID
)
SHOWING_CHOICES = select(_shown.c.choices).where(_shown.c.id == bindparam("presentation_id"))


# -- rows to values --------------------------------------------------------------------------


def question_of(row: Any) -> Question:
    """The question held in a row with the columns of ``questions`` (or of a draft's items,
    which have the same names)."""
    return Question(
        key=row.key,
        kind=QuestionKind(row.kind),
        prompt=row.prompt,
        answer=row.answer,
        accept=tuple(row.accept or ()),
        distractors=tuple(row.distractors or ()),
        explanation=row.explanation,
        source=row.source_sentence,
        tags=tuple(row.tags or ()),
        confidence=row.confidence,
    )


def _question(row: Row[Any]) -> StoredQuestion:
    return StoredQuestion(
        question_id=row.question_id,
        question=question_of(row),
        deck_id=row.deck_id,
        deck_slug=row.deck_slug,
        deck_title=row.deck_title,
        retired=row.question_retired_at is not None,
    )


def _card(row: Row[Any]) -> StoredCard:
    return StoredCard(
        card_id=row.card_id,
        state=CardState(
            state=row.state,
            step=row.step,
            stability=row.stability,
            difficulty=row.difficulty,
            due=row.due,
            last_review=row.last_review,
            reps=row.reps,
            lapses=row.lapses,
        ),
        suspended_at=row.suspended_at,
    )


def _run(row: Row[Any]) -> Run | None:
    if row.run_id is None:
        return None
    return Run(
        id=row.run_id,
        deck_id=row.run_deck_id,
        practice=row.practice,
        started_at=row.started_at,
        ended_at=row.ended_at,
        answered=row.answered,
        correct=row.correct,
    )


def _review(row: Row[Any]) -> StoredReview:
    return StoredReview(
        id=row.id,
        user_id=row.user_id,
        card_id=row.card_id,
        question_id=row.question_id,
        session_id=row.session_id,
        presentation_id=row.presentation_id,
        verdict=row.verdict,
        correct=row.correct,
        practice=row.practice,
        given_answer=row.given_answer,
        reviewed_at=row.reviewed_at,
        before=CardState(
            state=row.prev_state,
            step=row.prev_step,
            stability=row.prev_stability,
            difficulty=row.prev_difficulty,
            due=row.prev_due,
            last_review=row.prev_last_review,
            reps=row.prev_reps,
            lapses=row.prev_lapses,
        ),
        suspended_before=row.prev_suspended_at,
    )


def _state_columns(state: CardState) -> dict[str, Any]:
    """A card state as the ``cards`` columns it is stored in."""
    return {
        "state": state.state,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "due": state.due,
        "last_review": state.last_review,
        "reps": state.reps,
        "lapses": state.lapses,
    }


# -- the store -------------------------------------------------------------------------------


class StudyStore:
    """The study tables seen through one Session (the caller commits)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        postgresql = session.get_bind().dialect.name == "postgresql"
        self._next = _POSTGRESQL if postgresql else _PORTABLE

    def _execute(self, statement: Any, params: dict[str, Any]) -> Any:
        return self._session.connection().execute(statement, params)

    # -- the student and their runs

    def student_and_open_run(self, user_id: int) -> StudentRun | None:
        row = self._execute(STUDENT_AND_OPEN_RUN, {"user_id": user_id}).first()
        if row is None:
            return None
        return StudentRun(
            row.timezone, row.new_cards_per_day, _run(row), row.last_answer, row.run_deck_slug
        )

    def settings(self, user_id: int) -> StudentSettings | None:
        row = self._execute(SETTINGS, {"user_id": user_id}).first()
        return None if row is None else StudentSettings(row.timezone, row.new_cards_per_day)

    def live_deck_id(self, slug: str) -> int | None:
        return cast(int | None, self._execute(LIVE_DECK_ID, {"slug": slug}).scalar())

    def run(self, run_id: int) -> Run | None:
        row = self._execute(RUN_BY_ID, {"run_id": run_id}).first()
        return None if row is None else _run(row)

    def close_run(self, run_id: int, at: dt.datetime) -> None:
        self._execute(CLOSE_RUN, {"run_id": run_id, "end_time": at})

    def start_run(self, user_id: int, deck_id: int | None, practice: bool, at: dt.datetime) -> Run:
        """Close the student's open runs and start one."""
        self._execute(CLOSE_OPEN_RUNS, {"owner_id": user_id, "end_time": at})
        values = {
            "user_id": user_id,
            "deck_id": deck_id,
            "practice": practice,
            "started_at": at,
            "answered": 0,
            "correct": 0,
        }
        run_id = self._execute(INSERT_RUN, values).scalar_one()
        return Run(run_id, deck_id, practice, at, None, 0, 0)

    def bump_run(self, run_id: int, answered: int, correct: int) -> tuple[int, int]:
        """Add to the run's counters (in SQL: no lost update); the new counters."""
        params = {"run_id": run_id, "d_answered": answered, "d_correct": correct}
        row = self._execute(BUMP_RUN, params).one()
        return int(row.answered), int(row.correct)

    def run_counts(self, run_id: int | None) -> tuple[int, int]:
        found = self.run(run_id) if run_id is not None else None
        return (found.answered, found.correct) if found is not None else (0, 0)

    # -- what comes next

    def next_card(
        self, user_id: int, now: dt.datetime, horizon: dt.datetime, deck_id: int | None
    ) -> Candidate | None:
        """The most overdue due card (:func:`~bot.db.repositories.rules.due_card`), else the
        learning or relearning card due first by ``horizon`` (learn-ahead): one statement.
        ``Candidate.due`` tells which."""
        params = {"user_id": user_id, "now": now, "horizon": horizon, "deck_id": deck_id}
        row = self._execute(self._next.card, params).first()
        return None if row is None else Candidate(_question(row), row.card_id, row.reps, row.due)

    def day_counts(self, user_id: int, day: tuple[dt.datetime, dt.datetime]) -> DayCounts:
        """New cards of the day ``[start, end)``: first answers and extra ones granted."""
        params = {"user_id": user_id, "start": day[0], "end": day[1]}
        row = self._execute(DAY_COUNTS, params).one()
        return DayCounts(int(row.first_reviews), int(row.granted))

    def next_new(self, user_id: int, deck_id: int | None) -> Candidate | None:
        """The first new question (no card, or a card never answered outside practice),
        newest deck first, then in file order."""
        row = self._execute(self._next.new, {"user_id": user_id, "deck_id": deck_id}).first()
        return None if row is None else Candidate(_question(row), row.card_id, 0)

    def next_practice(self, user_id: int, deck_id: int, run_id: int | None) -> Candidate | None:
        """The next live question of the deck not answered yet in the practice run."""
        params = {"user_id": user_id, "deck_id": deck_id, "run_id": run_id}
        row = self._execute(self._next.practice, params).first()
        if row is None:
            return None
        return Candidate(_question(row), row.card_id, row.reps or 0)

    def next_ahead(self, user_id: int, run_id: int | None) -> Candidate | None:
        """The started card due soonest not yet answered in the run (« réviser en avance »)."""
        row = self._execute(NEXT_AHEAD, {"user_id": user_id, "run_id": run_id}).first()
        return None if row is None else Candidate(_question(row), row.card_id, row.reps)

    def add_grant(self, user_id: int, amount: int, at: dt.datetime) -> None:
        self._execute(INSERT_GRANT, {"user_id": user_id, "amount": amount, "granted_at": at})

    def outlook(self, user_id: int, day: tuple[dt.datetime, dt.datetime]) -> Outlook:
        """When the first studyable, unsuspended card comes due (possibly in the past),
        whether a new question is left, and the counts of the day ``[start, end)``."""
        params = {"user_id": user_id, "start": day[0], "end": day[1]}
        row = self._execute(OUTLOOK, params).one()
        counts = DayCounts(int(row.first_reviews), int(row.granted))
        return Outlook(row.earliest_due, bool(row.has_new), counts)

    def has_new_question(self, user_id: int) -> bool:
        return self._execute(HAS_NEW_QUESTION, {"user_id": user_id}).first() is not None

    # -- showings

    def add_card(self, user_id: int, question_id: int, state: CardState, at: dt.datetime) -> int:
        values = _state_columns(state)
        values.update(user_id=user_id, question_id=question_id, created_at=at)
        return int(self._execute(INSERT_CARD, values).scalar_one())

    def add_showing(
        self,
        token: str,
        user_id: int,
        card_id: int,
        run_id: int,
        choices: Sequence[str],
        at: dt.datetime,
    ) -> None:
        values = {
            "token": token,
            "user_id": user_id,
            "card_id": card_id,
            "session_id": run_id,
            "choices": list(choices),
            "shown_at": at,
            "answered_at": None,
        }
        self._execute(INSERT_SHOWING, values)

    def showing(self, token: str, key: str | None = None) -> Showing | None:
        """The showing ``token``, and the review recorded under ``key`` if any."""
        row = self._execute(SHOWING_BY_TOKEN, {"token": token, "key": key}).first()
        return None if row is None else self._showing(row)

    def latest_showing(self, user_id: int, key: str | None = None) -> Showing | None:
        """The student's latest showing, and the review recorded under ``key`` if any."""
        row = self._execute(LATEST_SHOWING, {"user_id": user_id, "key": key}).first()
        return None if row is None else self._showing(row)

    @staticmethod
    def _showing(row: Row[Any]) -> Showing:
        return Showing(
            shown_id=row.shown_id,
            token=row.token,
            user_id=row.user_id,
            choices=tuple(row.choices or ()),
            shown_at=row.shown_at,
            answered_at=row.answered_at,
            superseded=bool(row.superseded),
            earlier_review_id=row.earlier_review_id,
            card=_card(row),
            question=_question(row),
            run=_run(row),
            desired_retention=row.desired_retention,
            maximum_interval=row.maximum_interval,
            timezone=row.timezone,
            new_cards_per_day=row.new_cards_per_day,
            parameters=None if row.fsrs_parameters is None else tuple(row.fsrs_parameters),
            attempt=row.attempt,
        )

    def save_attempt(self, shown_id: int, attempt: str) -> None:
        """Keep ``attempt`` on the showing (replacing an earlier one) while it is unanswered."""
        self._execute(SAVE_ATTEMPT, {"shown_id": shown_id, "new_attempt": attempt})

    def shown_after(self, user_id: int, presentation_id: int) -> bool:
        """A later showing exists (the question after this one was shown)."""
        params = {"user_id": user_id, "presentation_id": presentation_id}
        return self._execute(SHOWN_AFTER, params).first() is not None

    def answered_after(self, user_id: int, presentation_id: int) -> bool:
        """A later showing was answered (its answer may have been undone since)."""
        params = {"user_id": user_id, "presentation_id": presentation_id}
        return self._execute(ANSWERED_AFTER, params).first() is not None

    # -- answers

    def claim_showing(self, shown_id: int, now: dt.datetime) -> bool:
        """Mark the showing answered; False when it already was, or a newer one exists."""
        return bool(self._execute(CLAIM_SHOWING, {"shown_id": shown_id, "now": now}).rowcount)

    def add_review(self, review: NewReview) -> None:
        values = {
            "card_id": review.card_id,
            "user_id": review.user_id,
            "question_id": review.question_id,
            "session_id": review.session_id,
            "presentation_id": review.presentation_id,
            "idempotency_key": review.idempotency_key,
            "rating": review.rating,
            "verdict": review.verdict,
            "correct": review.correct,
            "practice": review.practice,
            "given_answer": review.given_answer,
            "response_ms": review.response_ms,
            "reviewed_at": review.reviewed_at,
            **{f"prev_{name}": value for name, value in _state_columns(review.before).items()},
            "prev_suspended_at": review.suspended_before,
        }
        self._execute(INSERT_REVIEW, values)

    def set_card(self, card_id: int, state: CardState, suspended_at: dt.datetime | None) -> None:
        values = {"card_id": card_id, **_state_columns(state), "suspended_at": suspended_at}
        self._execute(UPDATE_CARD, values)

    def review_id_by_key(self, key: str) -> int | None:
        return cast(int | None, self._execute(REVIEW_BY_KEY, {"key": key}).scalar())

    def review(self, review_id: int) -> StoredReview | None:
        row = self._execute(REVIEW_BY_ID, {"review_id": review_id}).first()
        return None if row is None else _review(row)

    def last_review(self, user_id: int) -> StoredReview | None:
        row = self._execute(LAST_REVIEW, {"user_id": user_id}).first()
        return None if row is None else _review(row)

    def delete_review(self, review_id: int) -> None:
        self._execute(DELETE_REVIEW, {"review_id": review_id})

    # -- « J'avais raison »

    def review_by_showing(self, token: str) -> StoredReview | None:
        row = self._execute(REVIEW_BY_SHOWING, {"token": token}).first()
        return None if row is None else _review(row)

    def has_override(self, review_id: int) -> bool:
        return self._execute(OVERRIDE_EXISTS, {"review_id": review_id}).first() is not None

    def showing_choices(self, presentation_id: int) -> tuple[str, ...]:
        found = self._execute(SHOWING_CHOICES, {"presentation_id": presentation_id}).scalar()
        return tuple(found or ())

    def scheduling_settings(self, user_id: int) -> tuple[float, int] | None:
        """The student's desired retention and maximum interval (days)."""
        row = self._execute(SCHEDULING_SETTINGS, {"user_id": user_id}).first()
        return None if row is None else (row.desired_retention, row.maximum_interval)

    def mark_review_right(self, review_id: int, rating: int) -> None:
        self._execute(MARK_REVIEW_RIGHT, {"review_id": review_id, "new_rating": rating})

    def add_override(self, review: StoredReview, at: dt.datetime) -> None:
        values = {
            "review_id": review.id,
            "user_id": review.user_id,
            "question_id": review.question_id,
            "verdict": review.verdict,
            "given_answer": review.given_answer,
            "created_at": at,
        }
        self._execute(INSERT_OVERRIDE, values)

    def question(self, question_id: int) -> StoredQuestion | None:
        row = self._execute(QUESTION_BY_ID, {"question_id": question_id}).first()
        return None if row is None else _question(row)

    def card(self, card_id: int) -> StoredCard | None:
        row = self._execute(CARD_BY_ID, {"card_id": card_id}).first()
        return None if row is None else _card(row)

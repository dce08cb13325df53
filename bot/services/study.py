"""Study sessions: which question comes next, recording answers, undo, and the run's summary.

Order of questions: due cards first, most overdue first; then new questions (no card yet for
this student) in deck order (deck slug, then position in the file), up to the student's daily
limit of new cards counted on their *local* day. Retired questions, retired decks, decks the
student switched off and suspended cards are never shown. « Practice » runs through one deck
in file order without touching the schedule: the answers are logged with ``practice=true``.

Every showing is recorded as a :class:`~bot.db.models.Presentation` with a random token; an
answer must carry it. Only the student's latest showing can be answered, once (``current``
reads it back, so any process knows which question a typed answer is for):

* a token of someone else, a forged one, a choice index never shown, or the showing of a
  question retired since → ``unknown``;
* a token already answered, or superseded by a newer showing → ``stale``;
* an idempotency key already recorded → ``duplicate`` with the first verdict, counted once.

Refused answers change nothing. A recorded answer writes the review (with the card's previous
state, for an exact undo), the card's new state and the showing's ``answered_at`` in one
transaction, committed before the method returns.

A new question gets its card when it is first *shown*, so a showing always has a card; a card
never answered keeps ``reps == 0`` and, being due, is shown again before any other new one.
The daily limit counts first answers (``prev_reps == 0``) since local midnight, read through
the ``reviews(user_id, reviewed_at)`` index.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.db import models
from bot.db.repositories import study as repo
from bot.db.repositories import users as users_repo
from bot.domain.deck import FALSE_ANSWER, TRUE_ANSWER, Question, QuestionKind
from bot.domain.grading import Grade, Verdict, grade
from bot.domain.reminders import local_date, local_day_start
from bot.domain.scheduling import (
    CardState,
    is_leech,
    new_card_state,
    rating_for,
    schedule,
)
from bot.services.views import (
    AnswerOutcome,
    AnswerStatus,
    AnswerStep,
    DeckNotFound,
    ProgressView,
    SessionSummary,
    ShownQuestion,
    UndoOutcome,
    UndoStatus,
    UserNotFound,
)

#: An answer can be taken back this long after it was given.
UNDO_WINDOW = dt.timedelta(minutes=10)
#: A run with no answer for this long is over; the next question starts a new one.
SESSION_IDLE = dt.timedelta(hours=1)
#: Buttons for a multiple-choice question: the answer and up to three distractors.
MAX_CHOICES = 4
#: ``reviews.idempotency_key`` is a VARCHAR(96).
MAX_KEY_LENGTH = 96
#: ``secrets.token_urlsafe(6)``: 8 characters, 48 random bits.
TOKEN_BYTES = 6
#: True/false buttons keep this order: shuffling « Vrai » and « Faux » only confuses.
TRUE_FALSE_CHOICES = (TRUE_ANSWER, FALSE_ANSWER)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def choices_for(kind: QuestionKind, answer: str, distractors: list[str], token: str) -> list[str]:
    """The buttons of one showing: shuffled, and always the same for the same token."""
    if kind is QuestionKind.TRUE_FALSE:
        return list(TRUE_FALSE_CHOICES)
    if kind is not QuestionKind.CHOICE:
        return []
    rng = random.Random(token)
    others = [d for d in dict.fromkeys(distractors) if d != answer]
    picked = rng.sample(others, min(len(others), MAX_CHOICES - 1))
    options = [answer, *picked]
    rng.shuffle(options)
    return options


def to_domain(question: models.Question | Row[Any]) -> Question:
    """The domain question from its entity, or from a row of the hot-path statements (whose
    column labels are the entity's attribute names)."""
    return Question(
        key=question.key,
        kind=QuestionKind(question.kind),
        prompt=question.prompt,
        answer=question.answer,
        accept=tuple(question.accept or ()),
        distractors=tuple(question.distractors or ()),
        explanation=question.explanation,
        source=question.source_sentence,
        tags=tuple(question.tags or ()),
        confidence=question.confidence,
    )


class _CardColumns(Protocol):
    """A card's scheduling columns: a ``Card`` entity or a row of the hot-path statements."""

    @property
    def state(self) -> int: ...
    @property
    def step(self) -> int | None: ...
    @property
    def stability(self) -> float | None: ...
    @property
    def difficulty(self) -> float | None: ...
    @property
    def due(self) -> dt.datetime: ...
    @property
    def last_review(self) -> dt.datetime | None: ...
    @property
    def reps(self) -> int: ...
    @property
    def lapses(self) -> int: ...


def card_state(card: _CardColumns) -> CardState:
    return CardState(
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
        reps=card.reps,
        lapses=card.lapses,
    )


def _card_values(state: CardState) -> dict[str, Any]:
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


def _local_day(now: dt.datetime, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds ``[start, end)`` of the student's local day at ``now``."""
    today = local_date(now, tz_name)
    return (
        local_day_start(today, tz_name),
        local_day_start(today + dt.timedelta(days=1), tz_name),
    )


@dataclass(frozen=True, slots=True)
class _Answer:
    """What the student gave: text typed, or the index of a button."""

    text: str | None = None
    choice_index: int | None = None
    #: When the student sent a typed answer (the response time is measured up to it).
    sent_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class _Run:
    """The study run a showing belongs to, with its counters."""

    id: int
    deck_id: int | None
    practice: bool
    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class _Recorded:
    """What an answer leaves for the question after it: the run and the student's settings."""

    run: _Run | None
    deck_id: int | None
    practice: bool
    timezone: str
    new_cards_per_day: int


class StudyService:
    """Use cases of a study run; each public method is one call from the front end, and
    commits before it returns.

    The hot path (showing a question, recording an answer) runs the prebuilt Core statements
    of :mod:`bot.db.repositories.study` on the session's connection: no ORM entity is loaded.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        enable_fuzzing: bool = True,
        token_factory: Callable[[], str] = new_token,
    ) -> None:
        self._sessions = session_factory
        self._fuzzing = enable_fuzzing
        self._new_token = token_factory

    # -- showing ----------------------------------------------------------------------------

    def next_question(
        self,
        user_id: int,
        now: dt.datetime,
        *,
        deck_slug: str | None = None,
        practice: bool = False,
    ) -> ShownQuestion | None:
        """Show the next question and record the showing; None when nothing is left now.

        ``deck_slug`` limits the run to one deck; ``practice=True`` (needs ``deck_slug``) goes
        through that deck's questions in order, once each per run, without scheduling.

        Raises:
            UserNotFound, DeckNotFound; ValueError for practice without a deck.
        """
        if practice and deck_slug is None:
            raise ValueError("practice needs a deck")
        for attempt in range(2):
            with self._sessions() as session:
                try:
                    conn = session.connection()
                    found = conn.execute(repo.STUDENT_AND_OPEN_RUN, {"user_id": user_id})
                    prefs = found.first()
                    if prefs is None:
                        raise UserNotFound(user_id)
                    deck_id: int | None = None
                    if deck_slug is not None:
                        chosen = repo.deck_by_slug(session, deck_slug)
                        if chosen is None:
                            raise DeckNotFound(deck_slug)
                        deck_id = chosen.id
                    run = _reusable_run(conn, prefs, now, deck_id, practice)
                    view = self._show(
                        conn,
                        user_id,
                        now,
                        _Recorded(run, deck_id, practice, prefs.timezone, prefs.new_cards_per_day),
                    )
                    session.commit()
                    return view
                except IntegrityError:
                    # Two showings at once created the same card (or, once in 2**48, the
                    # same token): the state is sound, pick again.
                    if attempt:
                        raise
        raise AssertionError("unreachable")

    def _show(
        self, conn: Connection, user_id: int, now: dt.datetime, where: _Recorded
    ) -> ShownQuestion | None:
        """Pick the next question of the run described by ``where`` and record its showing
        (creating its card and the run when needed); the caller commits."""
        run, deck_id = where.run, where.deck_id
        # A showing is cheap to lose: on PostgreSQL the statement that finds the question
        # also lets its commit skip the WAL flush (the answer's commit stays durable).
        fast = conn.dialect.name == "postgresql"
        params: dict[str, Any] = {"user_id": user_id, "deck_id": deck_id, "now": now}
        if where.practice:
            assert deck_id is not None
            params = {"user_id": user_id, "deck_id": deck_id, "run_id": run.id if run else None}
            row = conn.execute(repo.NEXT_PRACTICE[fast], params).first()
            if row is None:
                return None
            card_id: int | None = row.card_id
            is_new = not row.reps
        else:
            row = conn.execute(repo.NEXT_DUE[fast, deck_id is not None], params).first()
            if row is not None:
                card_id, is_new = row.card_id, row.reps == 0
            else:
                start, end = _local_day(now, where.timezone)
                counted = {"user_id": user_id, "start": start, "end": end}
                first_answers = conn.execute(repo.FIRST_REVIEWS_BETWEEN, counted).scalar_one()
                if first_answers < where.new_cards_per_day:
                    row = conn.execute(repo.NEXT_NEW[fast, deck_id is not None], params).first()
                if row is None:
                    return None
                card_id, is_new = None, True
        if card_id is None:
            values = _card_values(new_card_state(now))
            values.update(user_id=user_id, question_id=row.question_id, created_at=now)
            card_id = conn.execute(repo.INSERT_CARD, values).scalar_one()
        if run is None:
            conn.execute(repo.CLOSE_OPEN_RUNS, {"owner_id": user_id, "end_time": now})
            run_id = conn.execute(
                repo.INSERT_RUN,
                {
                    "user_id": user_id,
                    "deck_id": deck_id,
                    "practice": where.practice,
                    "started_at": now,
                    "answered": 0,
                    "correct": 0,
                },
            ).scalar_one()
            run = _Run(run_id, deck_id, where.practice, 0, 0)

        token = self._new_token()
        kind = QuestionKind(row.kind)
        choices = choices_for(kind, row.answer, list(row.distractors or ()), token)
        conn.execute(
            repo.INSERT_SHOWING,
            {
                "token": token,
                "user_id": user_id,
                "card_id": card_id,
                "session_id": run.id,
                "choices": choices,
                "shown_at": now,
                "answered_at": None,
            },
        )
        return _view(token, row, is_new, run, choices, now)

    def current(self, user_id: int, now: dt.datetime) -> ShownQuestion | None:
        """The question on the student's screen: their latest showing, while unanswered and
        its run open (None otherwise). Read from the database, so it survives a restart and
        is the same on every instance. (``now``: the services' common signature; unused.)
        """
        with self._sessions() as session:
            row = _open_showing(session.connection(), user_id)
            if row is None:
                return None
            return _view(row.token, row, row.reps == 0, _run_of(row), row.choices, row.shown_at)

    # -- answering --------------------------------------------------------------------------

    def answer(
        self,
        user_id: int,
        token: str,
        given: str,
        now: dt.datetime,
        *,
        idempotency_key: str,
        response_ms: int | None = None,
        easy: bool = False,
    ) -> AnswerOutcome:
        """Grade and record a typed answer to the showing ``token`` (see the module doc)."""
        step = self._answer(
            user_id, token, _Answer(text=given), now, idempotency_key, response_ms, easy, False
        )
        return step.outcome

    def answer_choice(
        self,
        user_id: int,
        token: str,
        choice_index: int,
        now: dt.datetime,
        *,
        idempotency_key: str,
        response_ms: int | None = None,
        easy: bool = False,
    ) -> AnswerOutcome:
        """Record the button ``choice_index`` (from 0, in ``ShownQuestion.choices`` order)."""
        given = _Answer(choice_index=choice_index)
        step = self._answer(user_id, token, given, now, idempotency_key, response_ms, easy, False)
        return step.outcome

    def answer_choice_and_next(
        self,
        user_id: int,
        token: str,
        choice_index: int,
        now: dt.datetime,
        *,
        idempotency_key: str,
        response_ms: int | None = None,
        easy: bool = False,
    ) -> AnswerStep:
        """``answer_choice``, then the next question of the same run (or, when nothing is
        left, the run closed and its summary), in one call: one session, the answer committed
        first, then the showing."""
        given = _Answer(choice_index=choice_index)
        return self._answer(user_id, token, given, now, idempotency_key, response_ms, easy, True)

    def answer_open_and_next(
        self,
        user_id: int,
        text: str,
        now: dt.datetime,
        *,
        idempotency_key: str,
        sent_at: dt.datetime | None = None,
        easy: bool = False,
    ) -> AnswerStep:
        """A typed answer to whatever question is open (``current``), then the next one.

        ``no_question`` when none is open, ``needs_choice`` when it is answered with a button;
        the response time runs from the showing to ``sent_at`` (when the student sent it).
        """
        given = _Answer(text=text, sent_at=sent_at)
        return self._answer(user_id, None, given, now, idempotency_key, None, easy, True)

    def _answer(
        self,
        user_id: int,
        token: str | None,
        given: _Answer,
        now: dt.datetime,
        key: str,
        response_ms: int | None,
        easy: bool,
        then_next: bool,
    ) -> AnswerStep:
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            raise ValueError(f"idempotency key must have 1 to {MAX_KEY_LENGTH} characters")
        with self._sessions() as session:
            try:
                outcome, after = self._record(
                    session, user_id, token, given, now, key, response_ms, easy
                )
            except IntegrityError:
                # The same idempotency key committed by a concurrent delivery.
                session.rollback()
                earlier = session.execute(repo.REVIEW_BY_KEY, {"key": key}).first()
                if earlier is None:
                    raise
                outcome, after = self._earlier_outcome(session, earlier.id, user_id)
            if not then_next or after is None:
                return AnswerStep(outcome, followed=outcome.status is AnswerStatus.DUPLICATE)
            for attempt in range(2):
                try:
                    shown = self._show(session.connection(), user_id, now, after)
                    summary = None
                    if shown is None:
                        summary = self._summary(session, user_id, now, close=True)
                    session.commit()
                    return AnswerStep(outcome, next=shown, summary=summary)
                except IntegrityError:
                    session.rollback()  # a concurrent showing: pick again (see next_question)
                    if attempt:
                        raise
        raise AssertionError("unreachable")

    def _record(
        self,
        session: Session,
        user_id: int,
        token: str | None,
        given: _Answer,
        now: dt.datetime,
        key: str,
        response_ms: int | None,
        easy: bool,
    ) -> tuple[AnswerOutcome, _Recorded | None]:
        """Check and record one answer, committed; also what the next question needs (None
        when the answer was refused, or is a duplicate already followed by a question)."""
        conn = session.connection()
        # One statement reads the showing and whether this answer was recorded before.
        if token is None:  # a typed answer: to the latest showing, if still open
            row = conn.execute(repo.LATEST_SHOWING, {"user_id": user_id, "key": key}).first()
        else:
            row = conn.execute(repo.SHOWING_BY_TOKEN, {"token": token, "key": key}).first()
        if row is not None and row.earlier_review_id is not None:
            return self._earlier_outcome(session, row.earlier_review_id, user_id)
        if token is None:
            if row is None or not _is_open(row):
                return AnswerOutcome(AnswerStatus.NO_QUESTION), None
            if row.choices:
                return AnswerOutcome(AnswerStatus.NEEDS_CHOICE), None
        elif row is None or row.user_id != user_id:
            return AnswerOutcome(AnswerStatus.UNKNOWN), None
        run = _run_of(row)
        counts = (run.answered, run.correct) if run is not None else (0, 0)
        if row.answered_at is not None or row.superseded:
            # A concurrent delivery of this very answer may have committed since the key was
            # looked up above (each statement sees the latest commits): then it is a duplicate.
            earlier = conn.execute(repo.REVIEW_BY_KEY, {"key": key}).first()
            if earlier is not None:
                return self._earlier_outcome(session, earlier.id, user_id)
            return _refused(AnswerStatus.STALE, counts), None
        if row.question_retired_at is not None:  # removed from its file since it was shown
            return _refused(AnswerStatus.UNKNOWN, counts), None
        if given.choice_index is not None:
            if not 0 <= given.choice_index < len(row.choices):
                return _refused(AnswerStatus.UNKNOWN, counts), None
            text = row.choices[given.choice_index]
        else:
            # PostgreSQL text cannot hold NUL; it means nothing in an answer anyway.
            text = (given.text or "").replace("\x00", "")
        if given.sent_at is not None:
            # Telegram dates have whole seconds: compare like with like.
            response_ms = _elapsed_ms(row.shown_at.replace(microsecond=0), given.sent_at)

        question = to_domain(row)
        result = grade(text, question)
        rating = rating_for(result.verdict, easy)
        practice = run.practice if run is not None else False
        before = card_state(row)
        review = {
            "card_id": row.card_id,
            "user_id": user_id,
            "question_id": row.question_id,
            "session_id": row.session_id,
            "presentation_id": row.shown_id,
            "idempotency_key": key,
            "rating": int(rating),
            "verdict": result.verdict.value,
            "correct": result.accepted,
            "practice": practice,
            "given_answer": text,
            "response_ms": response_ms,
            "reviewed_at": now,
            **{f"prev_{name}": value for name, value in _card_values(before).items()},
            "prev_suspended_at": row.suspended_at,
        }
        leech = False
        next_due: dt.datetime | None = None
        changes: dict[str, Any] | None = None
        if not practice:
            after = schedule(
                row.card_id,
                before,
                rating,
                now,
                desired_retention=row.desired_retention,
                maximum_interval=row.maximum_interval,
                enable_fuzzing=self._fuzzing,
            )
            changes = {**_card_values(after), "suspended_at": row.suspended_at}
            # Suspend on the lapse that reaches the threshold, not on every later answer.
            if is_leech(after) and after.lapses > before.lapses and row.suspended_at is None:
                changes["suspended_at"] = now
                leech = True
            next_due = after.due

        # The writes. The claim comes first: of two concurrent answers to the showing, its
        # conditional UPDATE (which holds the row lock) lets exactly one go on. The review's
        # unique idempotency key is checked at its INSERT (IntegrityError: see ``_answer``).
        run_id = run.id if run is not None else None
        if _is_postgresql(session):  # one round trip
            written = conn.execute(
                repo.RECORD_ANSWER[changes is not None],
                {
                    "shown_id": row.shown_id,
                    "now": now,
                    "run_id": run_id,
                    "d_correct": int(result.accepted),
                    "answered_card": row.card_id,
                    **{f"r_{name}": value for name, value in review.items()},
                    **{f"c_{name}": value for name, value in (changes or {}).items()},
                },
            ).one()
            claimed = bool(written.claimed)
            bumped = (written.answered, written.correct) if written.answered is not None else None
        else:
            claim = conn.execute(repo.CLAIM_SHOWING, {"shown_id": row.shown_id, "now": now})
            claimed = bool(claim.rowcount)
            bumped = None
            if claimed:
                conn.execute(repo.INSERT_REVIEW, review)
                if changes is not None:
                    conn.execute(repo.UPDATE_CARD, {"card_id": row.card_id, **changes})
                if run_id is not None:
                    bumped = tuple(
                        conn.execute(
                            repo.BUMP_RUN,
                            {"run_id": run_id, "d_answered": 1, "d_correct": int(result.accepted)},
                        ).one()
                    )
        if not claimed:
            session.rollback()
            earlier = session.execute(repo.REVIEW_BY_KEY, {"key": key}).first()
            if earlier is not None:
                return self._earlier_outcome(session, earlier.id, user_id)
            counts = repo.session_counts(session, row.session_id)
            return _refused(AnswerStatus.STALE, counts), None
        if bumped is not None:
            counts = (int(bumped[0]), int(bumped[1]))
        outcome = _outcome(
            AnswerStatus.RECORDED,
            result,
            text,
            question,
            counts,
            leech=leech,
            practice=practice,
            next_due=next_due,
        )
        session.commit()
        if run is not None and row.ended_at is not None:
            run = None  # answered after the run was stopped: the next question starts one
        elif run is not None:
            run = _Run(run.id, run.deck_id, run.practice, counts[0], counts[1])
        deck = run.deck_id if run is not None else None
        return outcome, _Recorded(run, deck, practice, row.timezone, row.new_cards_per_day)

    def _earlier_outcome(
        self, session: Session, review_id: int, user_id: int
    ) -> tuple[AnswerOutcome, _Recorded | None]:
        """The outcome of an answer already recorded under the same idempotency key, and,
        when no question was shown after it (the first delivery stopped in between), what
        the next question needs."""
        review = session.get(models.Review, review_id)
        if review is None or review.user_id != user_id:
            return AnswerOutcome(AnswerStatus.UNKNOWN), None
        found = repo.question_with_deck(session, review.question_id)
        card = session.get(models.Card, review.card_id)
        if found is None or card is None:  # pragma: no cover - cascades make this impossible
            return AnswerOutcome(AnswerStatus.DUPLICATE, verdict=Verdict(review.verdict)), None
        question, _deck = found
        # The reason is not stored: grading is deterministic, so grade again for it.
        regraded = grade(review.given_answer, to_domain(question))
        result = Grade(Verdict(review.verdict), regraded.reason)
        current = not review.practice and card.last_review == review.reviewed_at
        outcome = _outcome(
            AnswerStatus.DUPLICATE,
            result,
            review.given_answer,
            to_domain(question),
            repo.session_counts(session, review.session_id),
            leech=current and card.suspended_at == review.reviewed_at,
            practice=review.practice,
            next_due=card.due if current else None,
        )
        followed = review.presentation_id is None or repo.shown_after(
            session, user_id, review.presentation_id
        )
        if followed:
            return outcome, None
        user = session.get(models.User, user_id)
        assert user is not None  # the review is theirs
        run = None
        if review.session_id is not None:
            found_run = session.get(models.StudySession, review.session_id)
            if found_run is not None and found_run.ended_at is None:
                run = _Run(
                    found_run.id,
                    found_run.deck_id,
                    found_run.practice,
                    found_run.answered,
                    found_run.correct,
                )
        deck = run.deck_id if run is not None else None
        session.commit()  # end the read transaction: the showing is a new one
        return outcome, _Recorded(
            run, deck, review.practice, user.timezone, user.new_cards_per_day
        )

    # -- undo -------------------------------------------------------------------------------

    def undo_last(self, user_id: int, now: dt.datetime) -> UndoOutcome:
        """Take back the student's last answer, if it is less than 10 minutes old.

        The card gets back exactly the state it had before (from the review's ``prev_*``
        columns) and the review is deleted. Only the last answer: once undone, the one before
        stays. The showing stays answered; the question comes back with ``next_question``.
        """
        with self._sessions() as session:
            review = repo.last_review(session, user_id)
            if review is None:
                return UndoOutcome(UndoStatus.NOTHING)
            shown = repo.presentation_answered_by(session, review)
            if shown is not None and repo.answered_after(session, user_id, shown.id):
                # A later answer was given and undone: this one is not the last any more.
                return UndoOutcome(UndoStatus.NOTHING)
            if now - review.reviewed_at > UNDO_WINDOW:
                return UndoOutcome(UndoStatus.TOO_LATE)
            card = session.get(models.Card, review.card_id, with_for_update=True)
            question = session.get(models.Question, review.question_id)
            if card is not None and not review.practice:
                card.state = review.prev_state
                card.step = review.prev_step
                card.stability = review.prev_stability
                card.difficulty = review.prev_difficulty
                card.due = review.prev_due
                card.last_review = review.prev_last_review
                card.reps = review.prev_reps
                card.lapses = review.prev_lapses
                card.suspended_at = review.prev_suspended_at
            answered = correct = 0
            if review.session_id is not None:
                bumped = session.execute(
                    repo.BUMP_RUN,
                    {
                        "run_id": review.session_id,
                        "d_answered": -1,
                        "d_correct": -int(review.correct),
                    },
                ).one()
                answered, correct = int(bumped.answered), int(bumped.correct)
            outcome = UndoOutcome(
                UndoStatus.UNDONE,
                prompt=to_domain(question).display_prompt if question is not None else None,
                given_answer=review.given_answer,
                session_answered=answered,
                session_correct=correct,
            )
            session.delete(review)
            session.commit()
            return outcome

    # -- summaries --------------------------------------------------------------------------

    def summary(self, user_id: int, now: dt.datetime) -> SessionSummary:
        """The open run's figures (zeros when none) and when something is next to study."""
        with self._sessions() as session:
            return self._summary(session, user_id, now, close=False)

    def end_session(self, user_id: int, now: dt.datetime) -> SessionSummary:
        """Close the open run and return its figures."""
        with self._sessions() as session:
            summary = self._summary(session, user_id, now, close=True)
            session.commit()
            return summary

    def _summary(
        self, session: Session, user_id: int, now: dt.datetime, *, close: bool
    ) -> SessionSummary:
        run = session.execute(repo.STUDENT_AND_OPEN_RUN, {"user_id": user_id}).first()
        if run is None:
            raise UserNotFound(user_id)
        next_due = self._next_due(session, user_id, run.timezone, run.new_cards_per_day, now)
        if run.run_id is None:
            return SessionSummary(answered=0, correct=0, next_due=next_due)
        deck_slug = None
        if run.run_deck_id is not None:
            deck = session.get(models.Deck, run.run_deck_id)
            deck_slug = deck.slug if deck is not None else None
        ended_at = run.ended_at
        if close:
            ended_at = max(now, run.started_at)
            session.execute(repo.CLOSE_RUN, {"run_id": run.run_id, "end_time": ended_at})
        return SessionSummary(
            answered=run.answered,
            correct=run.correct,
            next_due=next_due,
            practice=run.practice,
            deck_slug=deck_slug,
            started_at=run.started_at,
            ended_at=ended_at,
        )

    @staticmethod
    def _next_due(
        session: Session, user_id: int, timezone: str, per_day: int, now: dt.datetime
    ) -> dt.datetime | None:
        """When ``next_question`` will next have something (``now`` if it has now)."""
        candidates: list[dt.datetime] = []
        due = repo.earliest_due(session, user_id)
        if due is not None:
            candidates.append(due)
        if per_day > 0 and repo.has_new_question(session, user_id):
            start, end = _local_day(now, timezone)
            if repo.first_reviews_between(session, user_id, start, end) < per_day:
                candidates.append(now)
            else:
                candidates.append(end)
        if not candidates:
            return None
        return max(min(candidates), now)

    def progress(self, user_id: int, now: dt.datetime) -> ProgressView:
        """Quick figures for the terminal's /stats."""
        with self._sessions() as session:
            user = users_repo.get(session, user_id)
            if user is None:
                raise UserNotFound(user_id)
            start, end = _local_day(now, user.timezone)
            answered, correct = repo.answer_totals(session, user_id)
            return ProgressView(
                answered=answered,
                correct=correct,
                due_today=repo.due_count(session, user_id, end),
                new_today=repo.first_reviews_between(session, user_id, start, end),
                new_per_day=user.new_cards_per_day,
            )


def _reusable_run(
    conn: Connection, row: Row[Any], now: dt.datetime, deck_id: int | None, practice: bool
) -> _Run | None:
    """The open run of ``row`` (``STUDENT_AND_OPEN_RUN``) if it is of the same kind and not
    idle; else close it (None)."""
    if row.run_id is None:
        return None
    last_activity = max(row.started_at, row.last_answer or row.started_at)
    idle = now - last_activity >= SESSION_IDLE
    if not idle and row.practice == practice and row.run_deck_id == deck_id:
        return _Run(row.run_id, row.run_deck_id, row.practice, row.answered, row.correct)
    # An idle run ended with its last answer; one of another kind ends now.
    ended_at = last_activity if idle else max(now, row.started_at)
    conn.execute(repo.CLOSE_RUN, {"run_id": row.run_id, "end_time": ended_at})
    return None


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _open_showing(conn: Connection, user_id: int) -> Row[Any] | None:
    """The student's latest showing while unanswered and its run open."""
    row = conn.execute(repo.LATEST_SHOWING, {"user_id": user_id, "key": None}).first()
    return row if row is not None and _is_open(row) else None


def _is_open(row: Row[Any]) -> bool:
    """A showing row is the open question: unanswered, in a run still going on."""
    return row.answered_at is None and row.run_id is not None and row.ended_at is None


def _run_of(row: Row[Any]) -> _Run | None:
    if row.run_id is None:
        return None
    return _Run(row.run_id, row.run_deck_id, row.practice, row.answered, row.correct)


def _elapsed_ms(start: dt.datetime, end: dt.datetime) -> int:
    return max(0, int((end - start).total_seconds() * 1000))


def _view(
    token: str,
    row: Row[Any],
    is_new: bool,
    run: _Run | None,
    choices: list[str],
    shown_at: dt.datetime,
) -> ShownQuestion:
    return ShownQuestion(
        token=token,
        question_id=row.question_id,
        deck_slug=row.deck_slug,
        deck_title=row.deck_title,
        kind=QuestionKind(row.kind),
        prompt=to_domain(row).display_prompt,
        choices=tuple(choices),
        is_new=is_new,
        practice=run.practice if run is not None else False,
        session_answered=run.answered if run is not None else 0,
        session_correct=run.correct if run is not None else 0,
        shown_at=shown_at,
    )


def _refused(status: AnswerStatus, counts: tuple[int, int]) -> AnswerOutcome:
    return AnswerOutcome(status, session_answered=counts[0], session_correct=counts[1])


def _outcome(
    status: AnswerStatus,
    result: Grade,
    given: str,
    question: Question,
    counts: tuple[int, int],
    *,
    leech: bool,
    practice: bool,
    next_due: dt.datetime | None,
) -> AnswerOutcome:
    return AnswerOutcome(
        status=status,
        verdict=result.verdict,
        reason=result.reason or None,
        given=given,
        correct_answer=question.answer,
        source_sentence=question.source,
        explanation=question.explanation,
        leech_suspended=leech,
        practice=practice,
        next_due=next_due,
        session_answered=counts[0],
        session_correct=counts[1],
    )

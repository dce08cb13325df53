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


def to_domain(question: models.Question) -> Question:
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


def card_state(card: models.Card) -> CardState:
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


def _apply(card: models.Card, state: CardState) -> None:
    card.state = state.state
    card.step = state.step
    card.stability = state.stability
    card.difficulty = state.difficulty
    card.due = state.due
    card.last_review = state.last_review
    card.reps = state.reps
    card.lapses = state.lapses


def _new_card(user_id: int, question_id: int, now: dt.datetime) -> models.Card:
    card = models.Card(user_id=user_id, question_id=question_id, created_at=now)
    _apply(card, new_card_state(now))
    card.suspended_at = None
    return card


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


class StudyService:
    """Use cases of a study run; each public method is one short transaction."""

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
                    return self._next_question(session, user_id, now, deck_slug, practice)
                except IntegrityError:
                    # Two showings at once created the same card (or, once in 2**48, the
                    # same token): the state is sound, pick again.
                    if attempt:
                        raise
        raise AssertionError("unreachable")

    def _next_question(
        self,
        session: Session,
        user_id: int,
        now: dt.datetime,
        deck_slug: str | None,
        practice: bool,
    ) -> ShownQuestion | None:
        user = users_repo.get(session, user_id)
        if user is None:
            raise UserNotFound(user_id)
        deck_id: int | None = None
        if deck_slug is not None:
            chosen = repo.deck_by_slug(session, deck_slug)
            if chosen is None:
                raise DeckNotFound(deck_slug)
            deck_id = chosen.id
        run = self._reusable_run(session, user_id, now, deck_id, practice)

        card: models.Card | None
        if practice:
            assert deck_id is not None
            found = repo.next_practice_question(
                session, user_id, deck_id, run.id if run is not None else None
            )
            if found is None:
                session.commit()
                return None
            question, deck, card = found
        else:
            due = repo.next_due_card(session, user_id, now, deck_id=deck_id)
            if due is not None:
                card, question, deck = due
            else:
                start, end = _local_day(now, user.timezone)
                fresh = None
                if repo.first_reviews_between(session, user_id, start, end) < (
                    user.new_cards_per_day
                ):
                    fresh = repo.next_new_question(session, user_id, deck_id=deck_id)
                if fresh is None:
                    session.commit()
                    return None
                question, deck = fresh
                card = None
        if card is None:
            card = _new_card(user_id, question.id, now)
            session.add(card)
        if run is None:
            repo.close_open_sessions(session, user_id, now)
            run = models.StudySession(
                user_id=user_id,
                deck_id=deck_id,
                practice=practice,
                started_at=now,
                answered=0,
                correct=0,
            )
            session.add(run)
        session.flush()

        token = self._new_token()
        kind = QuestionKind(question.kind)
        choices = choices_for(kind, question.answer, list(question.distractors or ()), token)
        session.add(
            models.Presentation(
                token=token,
                user_id=user_id,
                card_id=card.id,
                session_id=run.id,
                choices=choices,
                shown_at=now,
            )
        )
        view = _view(token, question, deck, card, run, choices, now)
        session.commit()
        return view

    def current(self, user_id: int, now: dt.datetime) -> ShownQuestion | None:
        """The question on the student's screen: their latest showing, while unanswered and
        its run open (None otherwise). Read from the database, so it survives a restart and
        is the same on every instance. (``now``: the services' common signature; unused.)
        """
        with self._sessions() as session:
            found = repo.latest_presentation(session, user_id)
            if found is None:
                return None
            shown, card, question, run = found
            if shown.answered_at is not None or run is None or run.ended_at is not None:
                return None
            deck = session.get(models.Deck, question.deck_id)
            assert deck is not None  # questions.deck_id is a non-null foreign key
            return _view(shown.token, question, deck, card, run, shown.choices, shown.shown_at)

    @staticmethod
    def _reusable_run(
        session: Session, user_id: int, now: dt.datetime, deck_id: int | None, practice: bool
    ) -> models.StudySession | None:
        """The open run if it is of the same kind and not idle; else close it (None)."""
        found = repo.open_session(session, user_id)
        if found is None:
            return None
        run, last_answer = found
        last_activity = max(run.started_at, last_answer or run.started_at)
        idle = now - last_activity >= SESSION_IDLE
        if not idle and run.practice == practice and run.deck_id == deck_id:
            return run
        # An idle run ended with its last answer; one of another kind ends now.
        run.ended_at = last_activity if idle else max(now, run.started_at)
        return None

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
        return self._record(
            user_id, token, _Answer(text=given), now, idempotency_key, response_ms, easy
        )

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
        return self._record(
            user_id,
            token,
            _Answer(choice_index=choice_index),
            now,
            idempotency_key,
            response_ms,
            easy,
        )

    def _record(
        self,
        user_id: int,
        token: str,
        given: _Answer,
        now: dt.datetime,
        key: str,
        response_ms: int | None,
        easy: bool,
    ) -> AnswerOutcome:
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            raise ValueError(f"idempotency key must have 1 to {MAX_KEY_LENGTH} characters")
        with self._sessions() as session:
            try:
                return self._record_in(session, user_id, token, given, now, key, response_ms, easy)
            except IntegrityError:
                # The same idempotency key committed by a concurrent delivery.
                session.rollback()
                earlier = repo.review_by_key(session, key)
                if earlier is None:
                    raise
                return self._earlier_outcome(session, earlier, user_id)

    def _record_in(
        self,
        session: Session,
        user_id: int,
        token: str,
        given: _Answer,
        now: dt.datetime,
        key: str,
        response_ms: int | None,
        easy: bool,
    ) -> AnswerOutcome:
        earlier = repo.review_by_key(session, key)
        if earlier is not None:
            return self._earlier_outcome(session, earlier, user_id)
        found = repo.presentation_by_token(session, token)
        if found is None or found.presentation.user_id != user_id:
            return AnswerOutcome(AnswerStatus.UNKNOWN)
        shown, card, question, run = found
        counts = (run.answered, run.correct) if run is not None else (0, 0)
        if shown.answered_at is not None or repo.newer_presentation_exists(
            session, user_id, shown.id
        ):
            # A concurrent delivery of this very answer may have committed since the key was
            # looked up above (each statement sees the latest commits): then it is a duplicate.
            earlier = repo.review_by_key(session, key)
            if earlier is not None:
                return self._earlier_outcome(session, earlier, user_id)
            return _refused(AnswerStatus.STALE, counts)
        if question.retired_at is not None:  # removed from its file since it was shown
            return _refused(AnswerStatus.UNKNOWN, counts)
        if given.choice_index is not None:
            if not 0 <= given.choice_index < len(shown.choices):
                return _refused(AnswerStatus.UNKNOWN, counts)
            text = shown.choices[given.choice_index]
        else:
            # PostgreSQL text cannot hold NUL; it means nothing in an answer anyway.
            text = (given.text or "").replace("\x00", "")

        # From here on we write. Claim the showing first: of two concurrent answers to it,
        # the conditional UPDATE (which holds the row lock) lets exactly one go on.
        if not repo.claim_presentation(session, shown.id, now):
            session.rollback()
            earlier = repo.review_by_key(session, key)
            if earlier is not None:
                return self._earlier_outcome(session, earlier, user_id)
            return _refused(AnswerStatus.STALE, repo.session_counts(session, shown.session_id))

        result = grade(text, to_domain(question))
        rating = rating_for(result.verdict, easy)
        practice = run.practice if run is not None else False
        session.add(
            models.Review(
                card_id=card.id,
                user_id=user_id,
                question_id=question.id,
                session_id=shown.session_id,
                presentation_id=shown.id,
                idempotency_key=key,
                rating=int(rating),
                verdict=result.verdict.value,
                correct=result.accepted,
                practice=practice,
                given_answer=text,
                response_ms=response_ms,
                reviewed_at=now,
                prev_state=card.state,
                prev_step=card.step,
                prev_stability=card.stability,
                prev_difficulty=card.difficulty,
                prev_due=card.due,
                prev_last_review=card.last_review,
                prev_reps=card.reps,
                prev_lapses=card.lapses,
                prev_suspended_at=card.suspended_at,
            )
        )
        leech = False
        next_due: dt.datetime | None = None
        if not practice:
            user = users_repo.get(session, user_id)
            assert user is not None
            before = card_state(card)
            after = schedule(
                card.id,
                before,
                rating,
                now,
                desired_retention=user.desired_retention,
                maximum_interval=user.maximum_interval,
                enable_fuzzing=self._fuzzing,
            )
            _apply(card, after)
            next_due = after.due
            # Suspend on the lapse that reaches the threshold, not on every later answer.
            if is_leech(after) and after.lapses > before.lapses and card.suspended_at is None:
                card.suspended_at = now
                leech = True
        session.flush()  # the review's unique idempotency key is checked here
        if shown.session_id is not None:
            counts = repo.bump_session(
                session, shown.session_id, answered=1, correct=int(result.accepted)
            )
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
        return outcome

    def _earlier_outcome(
        self, session: Session, review: models.Review, user_id: int
    ) -> AnswerOutcome:
        """The outcome of an answer already recorded under the same idempotency key."""
        if review.user_id != user_id:
            return AnswerOutcome(AnswerStatus.UNKNOWN)
        found = repo.question_with_deck(session, review.question_id)
        card = session.get(models.Card, review.card_id)
        if found is None or card is None:  # pragma: no cover - cascades make this impossible
            return AnswerOutcome(AnswerStatus.DUPLICATE, verdict=Verdict(review.verdict))
        question, _deck = found
        # The reason is not stored: grading is deterministic, so grade again for it.
        regraded = grade(review.given_answer, to_domain(question))
        result = Grade(Verdict(review.verdict), regraded.reason)
        current = not review.practice and card.last_review == review.reviewed_at
        return _outcome(
            AnswerStatus.DUPLICATE,
            result,
            review.given_answer,
            question,
            repo.session_counts(session, review.session_id),
            leech=current and card.suspended_at == review.reviewed_at,
            practice=review.practice,
            next_due=card.due if current else None,
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
                answered, correct = repo.bump_session(
                    session, review.session_id, answered=-1, correct=-int(review.correct)
                )
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
        user = users_repo.get(session, user_id)
        if user is None:
            raise UserNotFound(user_id)
        found = repo.open_session(session, user_id)
        next_due = self._next_due(session, user, now)
        if found is None:
            return SessionSummary(answered=0, correct=0, next_due=next_due)
        run, _last = found
        deck_slug = None
        if run.deck_id is not None:
            deck = session.get(models.Deck, run.deck_id)
            deck_slug = deck.slug if deck is not None else None
        if close:
            run.ended_at = max(now, run.started_at)
        return SessionSummary(
            answered=run.answered,
            correct=run.correct,
            next_due=next_due,
            practice=run.practice,
            deck_slug=deck_slug,
            started_at=run.started_at,
            ended_at=run.ended_at,
        )

    @staticmethod
    def _next_due(session: Session, user: models.User, now: dt.datetime) -> dt.datetime | None:
        """When ``next_question`` will next have something (``now`` if it has now)."""
        candidates: list[dt.datetime] = []
        due = repo.earliest_due(session, user.id)
        if due is not None:
            candidates.append(due)
        if user.new_cards_per_day > 0 and repo.has_new_question(session, user.id):
            start, end = _local_day(now, user.timezone)
            if repo.first_reviews_between(session, user.id, start, end) < user.new_cards_per_day:
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


def _view(
    token: str,
    question: models.Question,
    deck: models.Deck,
    card: models.Card,
    run: models.StudySession,
    choices: list[str],
    shown_at: dt.datetime,
) -> ShownQuestion:
    return ShownQuestion(
        token=token,
        question_id=question.id,
        deck_slug=deck.slug,
        deck_title=deck.title,
        kind=QuestionKind(question.kind),
        prompt=to_domain(question).display_prompt,
        choices=tuple(choices),
        is_new=card.reps == 0,
        practice=run.practice,
        session_answered=run.answered,
        session_correct=run.correct,
        shown_at=shown_at,
    )


def _refused(status: AnswerStatus, counts: tuple[int, int]) -> AnswerOutcome:
    return AnswerOutcome(status, session_answered=counts[0], session_correct=counts[1])


def _outcome(
    status: AnswerStatus,
    result: Grade,
    given: str,
    question: models.Question,
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
        source_sentence=question.source_sentence,
        explanation=question.explanation,
        leech_suspended=leech,
        practice=practice,
        next_due=next_due,
        session_answered=counts[0],
        session_correct=counts[1],
    )

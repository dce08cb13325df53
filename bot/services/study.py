"""Study sessions: which question comes next, recording answers, undo, and the run's summary.

Order of questions: due cards first, most overdue first; then new questions (no card yet for
this student, or a card never answered outside practice) newest deck first (a teacher's deck
comes before the shipped sample), then in file order, up to the student's daily limit of new
cards counted on their *local* day. Retired questions, retired decks, decks the student
switched off and suspended cards are never shown. « Practice » runs through one deck in file
order without touching the schedule: the answers are logged with ``practice=true``; the cards
it creates stay new (``reps == 0`` is never « due »), so practice cannot bypass the limit.

Every showing is recorded as a :class:`~bot.db.models.Presentation` with a random token; an
answer must carry it. Only the student's latest showing can be answered, once (``current``
reads it back, so any process knows which question a typed answer is for):

* a token of someone else, a forged one, a choice index never shown, or the showing of a
  question retired since → ``unknown``;
* a token already answered, or superseded by a newer showing → ``stale``;
* an idempotency key already recorded → ``duplicate`` with the first verdict, counted once.

A self-rated card (``kind: self_rated``) is answered in two steps: :meth:`StudyService.reveal`
(or a text typed to it: the student's attempt) shows the answer and records no answer, status
``revealed``; the attempt is kept on the showing (``presentations.attempt``, the latest one
typed, committed before the answer is shown), so it survives a restart and reaches any
instance. :meth:`StudyService.rate_self_and_next` then records the student's own verdict
(« Je savais » → correct, « En partie » → partial, « Je ne savais pas » → wrong, rated by
:func:`~bot.domain.scheduling.rating_for` like any answer), with the attempt as the answer
given (the caller's, else the one kept). Its token is checked like a button's: a verdict for
a card no longer shown is ``stale``.

Refused answers change nothing. A recorded answer writes the review (with the card's previous
state, for an exact undo), the card's new state and the showing's ``answered_at`` in one
transaction, committed before the method returns.

A new question gets its card when it is first *shown*, so a showing always has a card; a card
never answered (outside practice) keeps ``reps == 0`` and stays a new question. The daily
limit counts first answers (``prev_reps == 0``) since local midnight, read through the
``reviews(user_id, reviewed_at)`` index; « Encore 10 nouvelles ? » (:meth:`StudyService.
more_new_cards`) raises that day's limit.

Sessions flow as in Anki: when nothing is due and no new card is allowed, a card in learning
or relearning due within :data:`LEARN_AHEAD` is shown (learn-ahead), so a run ends only when
nothing is due soon.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot.db.errors import IntegrityError
from bot.db.repositories.study import (
    Candidate,
    DayCounts,
    NewReview,
    Run,
    Showing,
    StoredQuestion,
    StudentRun,
    StudyStore,
)
from bot.db.session import Session, sessionmaker
from bot.domain.deck import FALSE_ANSWER, TRUE_ANSWER, Question, QuestionKind
from bot.domain.grading import (
    Grade,
    SelfRating,
    Verdict,
    grade,
    grade_option,
    grade_self,
    grade_typed_choice,
    is_dont_know,
)
from bot.domain.reminders import local_date, local_day_start
from bot.domain.scheduling import CardState, is_leech, new_card_state, rating_for, schedule
from bot.domain.text import storable
from bot.services.clock import elapsed_ms
from bot.services.views import (
    AnswerOutcome,
    AnswerStatus,
    AnswerStep,
    DeckNotFound,
    OverrideOutcome,
    OverrideStatus,
    SessionSummary,
    ShownQuestion,
    UndoOutcome,
    UndoStatus,
    UserNotFound,
)

#: Learning and relearning cards due within this are shown rather than ending the run.
LEARN_AHEAD = dt.timedelta(minutes=20)
#: « Encore 10 nouvelles ? »: the extra new cards one request adds to the day's limit.
EXTRA_NEW_CARDS = 10
#: « J'avais raison » can be said this long after the answer.
OVERRIDE_WINDOW = dt.timedelta(hours=1)
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


def choices_for(
    kind: QuestionKind, answer: str, distractors: Sequence[str], token: str
) -> list[str]:
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
    response_ms: int | None = None
    easy: bool = False
    #: A self-rated card: the student's own verdict (``text`` is then their attempt, if any).
    self_rating: SelfRating | None = None


@dataclass(frozen=True, slots=True)
class _Next:
    """What the next question needs: the run to continue and the student's settings."""

    run: Run | None
    deck_id: int | None
    practice: bool
    timezone: str
    new_cards_per_day: int


@dataclass(frozen=True, slots=True)
class _Checked:
    """An answer that may be recorded: the showing it answers and the text given."""

    showing: Showing
    text: str
    response_ms: int | None
    #: The button pressed (an index into the showing's choices); None: a typed answer.
    choice_index: int | None = None
    #: A self-rated card: the student's own verdict.
    self_rating: SelfRating | None = None


@dataclass(frozen=True, slots=True)
class _Graded:
    """An answer graded and, outside practice, scheduled: what to write and to report."""

    result: Grade
    review: NewReview
    after: CardState | None
    suspended_at: dt.datetime | None
    leech: bool


#: An answer's result: its outcome, and what the next question needs (None: no next one).
_Recorded = tuple[AnswerOutcome, _Next | None]


class StudyService:
    """Use cases of a study run; each public method is one call from the front end: load
    through :class:`~bot.db.repositories.study.StudyStore`, decide with the domain, write
    through the store, commit before returning."""

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
        ahead: bool = False,
    ) -> ShownQuestion | None:
        """Show the next question and record the showing; None when nothing is left now.

        ``deck_slug`` limits the run to one deck; ``practice=True`` (needs ``deck_slug``) goes
        through that deck's questions in order, once each per run, without scheduling.
        ``ahead=True`` (« Réviser en avance », no deck): the student's studied cards, soonest
        due first, once each per run, recorded as practice (the schedule untouched).

        Raises:
            UserNotFound, DeckNotFound; ValueError for practice without a deck.
        """
        if practice and deck_slug is None:
            raise ValueError("practice needs a deck")
        if ahead and deck_slug is not None:
            raise ValueError("reviewing ahead is over every deck")
        practice = practice or ahead
        for attempt in range(2):
            with self._sessions() as session:
                store = StudyStore(session)
                try:
                    student = store.student_and_open_run(user_id)
                    if student is None:
                        raise UserNotFound(user_id)
                    deck_id: int | None = None
                    if deck_slug is not None:
                        deck_id = store.live_deck_id(deck_slug)
                        if deck_id is None:
                            raise DeckNotFound(deck_slug)
                    run = _reusable_run(store, student, now, deck_id, practice)
                    after = _Next(
                        run, deck_id, practice, student.timezone, student.new_cards_per_day
                    )
                    view = self._show(store, user_id, now, after)
                    session.commit()
                    return view
                except IntegrityError:
                    # Two showings at once created the same card (or, once in 2**48, the
                    # same token): the state is sound, pick again.
                    if attempt:
                        raise
        raise AssertionError("unreachable")

    def _show(
        self, store: StudyStore, user_id: int, now: dt.datetime, where: _Next
    ) -> ShownQuestion | None:
        """Pick the next question of the run described by ``where`` and record its showing
        (creating its card and the run when needed); the caller commits."""
        picked = _pick(store, user_id, now, where)
        if picked is None:
            return None
        question = picked.question
        card_id = picked.card_id
        if card_id is None:
            card_id = store.add_card(user_id, question.question_id, new_card_state(now), now)
        run = where.run or store.start_run(user_id, where.deck_id, where.practice, now)
        token = self._new_token()
        q = question.question
        choices = choices_for(q.kind, q.answer, q.distractors, token)
        store.add_showing(token, user_id, card_id, run.id, choices, now)
        return _view(token, question, picked.reps == 0, run, choices, now)

    def current(self, user_id: int) -> ShownQuestion | None:
        """The question on the student's screen: their latest showing, while unanswered and
        its run open (None otherwise). Read from the database, so it survives a restart and
        is the same on every instance."""
        with self._sessions() as session:
            shown = StudyStore(session).latest_showing(user_id)
            if shown is None or not shown.is_open:
                return None
            return _view(
                shown.token,
                shown.question,
                shown.card.state.reps == 0,
                shown.run,
                shown.choices,
                shown.shown_at,
            )

    # -- answering --------------------------------------------------------------------------

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
        """Record the button ``choice_index`` (from 0, in ``ShownQuestion.choices`` order) of
        the showing ``token``, then show the next question of the same run (or, when nothing
        is left, close the run and sum it up), in one call: one session, the answer committed
        first, then the showing."""
        given = _Answer(choice_index=choice_index, response_ms=response_ms, easy=easy)
        return self._answer(user_id, token, given, now, idempotency_key)

    def answer_open_and_next(
        self,
        user_id: int,
        text: str,
        now: dt.datetime,
        *,
        idempotency_key: str,
        token: str | None = None,
        sent_at: dt.datetime | None = None,
        response_ms: int | None = None,
        easy: bool = False,
    ) -> AnswerStep:
        """A typed answer, then the next question (as ``answer_choice_and_next``).

        Without ``token``, the answer is for whatever question is open (``current``):
        ``no_question`` when none is, ``needs_choice`` when it is answered with a button. With
        it, for that showing (``stale`` or ``unknown`` as for a button). The response time is
        ``response_ms``, or runs from the showing to ``sent_at`` (when the student sent it).
        """
        given = _Answer(text=text, sent_at=sent_at, response_ms=response_ms, easy=easy)
        return self._answer(user_id, token, given, now, idempotency_key)

    def reveal(
        self, user_id: int, token: str | None = None, *, attempt: str | None = None
    ) -> AnswerOutcome:
        """« Voir la réponse »: the answer of the self-rated card ``token`` (None: the open
        question), status ``revealed``, with its source and explanation, and ``attempt`` (what
        the student typed, if anything) as ``given``. Records no answer: the verdict comes
        with :meth:`rate_self_and_next`; the attempt is kept on the showing for it (committed
        first). ``stale`` or ``unknown`` as for an answer (a question that is not self-rated
        is ``unknown``)."""
        with self._sessions() as session:
            store = StudyStore(session)
            shown = store.latest_showing(user_id) if token is None else store.showing(token)
            given = _Answer(text=attempt)
            checked = _check(store, shown, user_id, token, given, None)
            if isinstance(checked, AnswerOutcome):
                _keep_attempt(session, store, shown, checked)
                return checked  # revealed, or refused
            if isinstance(checked, int):  # pragma: no cover - no key, no earlier answer
                raise AssertionError("reveal has no idempotency key")
            # A question graded by the bot: its answer is not given away before an answer.
            return _refused(AnswerStatus.UNKNOWN, (0, 0))

    def rate_self_and_next(
        self,
        user_id: int,
        token: str,
        rating: SelfRating,
        now: dt.datetime,
        *,
        idempotency_key: str,
        attempt: str | None = None,
        response_ms: int | None = None,
    ) -> AnswerStep:
        """The student's verdict on the self-rated card ``token`` (« Je savais », « En
        partie », « Je ne savais pas »), then the next question, as ``answer_choice_and_next``:
        the verdict committed first. ``attempt``: what they typed before the answer was
        revealed (recorded as the answer given); None: the attempt kept on the showing when
        it was revealed, if any (else ""). A token of a card no longer shown is
        ``stale`` (nothing recorded); of a card that is not self-rated, ``unknown``."""
        given = _Answer(text=attempt, response_ms=response_ms, self_rating=rating)
        return self._answer(user_id, token, given, now, idempotency_key)

    def _answer(
        self, user_id: int, token: str | None, given: _Answer, now: dt.datetime, key: str
    ) -> AnswerStep:
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            raise ValueError(f"idempotency key must have 1 to {MAX_KEY_LENGTH} characters")
        with self._sessions() as session:
            store = StudyStore(session)
            try:
                outcome, after = self._record(session, store, user_id, token, given, now, key)
            except IntegrityError:
                # The same idempotency key committed by a concurrent delivery.
                session.rollback()
                earlier = store.review_id_by_key(key)
                if earlier is None:
                    raise
                outcome, after = self._earlier_outcome(session, store, earlier, user_id)
            if after is None:
                return AnswerStep(outcome, followed=outcome.status is AnswerStatus.DUPLICATE)
            for attempt in range(2):
                try:
                    shown = self._show(store, user_id, now, after)
                    summary = None
                    if shown is None:
                        summary = _close_run(store, user_id, now)
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
        store: StudyStore,
        user_id: int,
        token: str | None,
        given: _Answer,
        now: dt.datetime,
        key: str,
    ) -> _Recorded:
        """Check, grade and write one answer, committed; also what the next question needs
        (None when the answer was refused, or is a duplicate already followed)."""
        # One statement reads the showing and whether this answer was recorded before; a
        # typed answer without a token is for the latest showing, if still open.
        shown = store.latest_showing(user_id, key) if token is None else store.showing(token, key)
        if shown is not None and shown.earlier_review_id is not None:
            return self._earlier_outcome(session, store, shown.earlier_review_id, user_id)
        checked = _check(store, shown, user_id, token, given, key)
        if isinstance(checked, int):  # a duplicate committed meanwhile
            return self._earlier_outcome(session, store, checked, user_id)
        if isinstance(checked, AnswerOutcome):
            _keep_attempt(session, store, shown, checked)
            return checked, None
        graded = self._grade(checked, user_id, now, key, given.easy)
        counts = _write(store, checked.showing, graded, now)
        if counts is None:  # another answer to this showing got there first
            session.rollback()
            earlier = store.review_id_by_key(key)
            if earlier is not None:
                return self._earlier_outcome(session, store, earlier, user_id)
            run_id = checked.showing.run.id if checked.showing.run else None
            return _refused(AnswerStatus.STALE, store.run_counts(run_id)), None
        session.commit()
        return _recorded(checked.showing, graded, counts)

    def _grade(
        self, checked: _Checked, user_id: int, now: dt.datetime, key: str, easy: bool
    ) -> _Graded:
        """Grade the answer and, outside practice, schedule the card (pure)."""
        shown = checked.showing
        practice = shown.run.practice if shown.run is not None else False
        result = _grade_answer(checked)
        rating = rating_for(result.verdict, easy)
        before = shown.card.state
        review = NewReview(
            card_id=shown.card.card_id,
            user_id=user_id,
            question_id=shown.question.question_id,
            session_id=shown.run.id if shown.run is not None else None,
            presentation_id=shown.shown_id,
            idempotency_key=key,
            rating=int(rating),
            verdict=result.verdict.value,
            correct=result.accepted,
            practice=practice,
            given_answer=checked.text,
            response_ms=checked.response_ms,
            reviewed_at=now,
            before=before,
            suspended_before=shown.card.suspended_at,
        )
        if practice:
            return _Graded(result, review, None, shown.card.suspended_at, leech=False)
        after = schedule(
            shown.card.card_id,
            before,
            rating,
            now,
            desired_retention=shown.desired_retention,
            maximum_interval=shown.maximum_interval,
            enable_fuzzing=self._fuzzing,
            parameters=shown.parameters,
        )
        # Suspend on the lapse that reaches the threshold, not on every later answer.
        leech = (
            is_leech(after) and after.lapses > before.lapses and shown.card.suspended_at is None
        )
        suspended_at = now if leech else shown.card.suspended_at
        return _Graded(result, review, after, suspended_at, leech)

    def _earlier_outcome(
        self, session: Session, store: StudyStore, review_id: int, user_id: int
    ) -> _Recorded:
        """The outcome of an answer already recorded under the same idempotency key, and,
        when no question was shown after it (the first delivery stopped in between), what
        the next question needs."""
        review = store.review(review_id)
        if review is None or review.user_id != user_id:
            return AnswerOutcome(AnswerStatus.UNKNOWN), None
        stored = store.question(review.question_id)
        card = store.card(review.card_id)
        if stored is None or card is None:  # pragma: no cover - cascades make this impossible
            return AnswerOutcome(AnswerStatus.DUPLICATE, verdict=Verdict(review.verdict)), None
        question = stored.question
        if question.kind.self_graded:  # the student's own verdict: no reason to give
            result = Grade(Verdict(review.verdict), None, question.answer)
        else:
            # The reason is not stored: grading is deterministic, so grade again for it.
            again = grade(review.given_answer, question)
            dont_know = not again.accepted and is_dont_know(review.given_answer)
            result = Grade(Verdict(review.verdict), again.reason, dont_know=dont_know)
        current = not review.practice and card.state.last_review == review.reviewed_at
        run = store.run(review.session_id) if review.session_id is not None else None
        outcome = _outcome(
            AnswerStatus.DUPLICATE,
            result,
            review.given_answer,
            question,
            (run.answered, run.correct) if run is not None else (0, 0),
            leech=current and card.suspended_at == review.reviewed_at,
            practice=review.practice,
            next_due=card.state.due if current else None,
        )
        if review.presentation_id is None or store.shown_after(user_id, review.presentation_id):
            return outcome, None
        settings = store.settings(user_id)
        assert settings is not None  # the review is theirs
        if run is not None and run.ended_at is not None:
            run = None
        session.commit()  # end the read transaction: the showing is a new one
        deck = run.deck_id if run is not None else None
        return outcome, _Next(
            run, deck, review.practice, settings.timezone, settings.new_cards_per_day
        )

    # -- undo -------------------------------------------------------------------------------

    def undo_last(self, user_id: int, now: dt.datetime) -> UndoOutcome:
        """Take back the student's last answer, if it is less than 10 minutes old.

        The card gets back exactly the state it had before (from the review's ``prev_*``
        columns) and the review is deleted. Only the last answer: once undone, the one before
        stays. The showing stays answered; the question comes back with ``next_question``.
        """
        with self._sessions() as session:
            store = StudyStore(session)
            review = store.last_review(user_id)
            if review is None:
                return UndoOutcome(UndoStatus.NOTHING)
            if review.presentation_id is not None and store.answered_after(
                user_id, review.presentation_id
            ):
                # A later answer was given and undone: this one is not the last any more.
                return UndoOutcome(UndoStatus.NOTHING)
            if now - review.reviewed_at > UNDO_WINDOW:
                return UndoOutcome(UndoStatus.TOO_LATE)
            if not review.practice:
                store.set_card(review.card_id, review.before, review.suspended_before)
            answered = correct = 0
            if review.session_id is not None:
                answered, correct = store.bump_run(review.session_id, -1, -int(review.correct))
            question = store.question(review.question_id)
            store.delete_review(review.id)
            session.commit()
            return UndoOutcome(
                UndoStatus.UNDONE,
                prompt=question.question.display_prompt if question is not None else None,
                given_answer=review.given_answer,
                session_answered=answered,
                session_correct=correct,
            )

    # -- « J'avais raison » ------------------------------------------------------------------

    def override(
        self, user_id: int, now: dt.datetime, *, token: str | None = None
    ) -> OverrideOutcome:
        """« J'avais raison »: the typed answer to the showing ``token`` (None: the student's
        last answer), graded wrong, is marked right: counted right, the card rescheduled as if
        graded right (when no later answer moved it), and logged in ``answer_overrides`` with
        the answer given, for the teacher's /classe. Within :data:`OVERRIDE_WINDOW`, once."""
        with self._sessions() as session:
            store = StudyStore(session)
            review = store.review_by_showing(token) if token else store.last_review(user_id)
            if review is None or review.user_id != user_id:
                return OverrideOutcome(OverrideStatus.NOTHING)
            if store.has_override(review.id):
                return OverrideOutcome(OverrideStatus.ALREADY, given_answer=review.given_answer)
            if review.correct:
                return OverrideOutcome(OverrideStatus.NOTHING)
            if review.presentation_id is not None and store.showing_choices(
                review.presentation_id
            ):
                return OverrideOutcome(OverrideStatus.NOTHING)  # a button: the option chosen
            question = store.question(review.question_id)
            if question is None or is_dont_know(review.given_answer):
                return OverrideOutcome(OverrideStatus.NOTHING)
            if question.question.kind.self_graded:  # the student's own verdict already
                return OverrideOutcome(OverrideStatus.NOTHING)
            prompt = question.question.display_prompt
            if now - review.reviewed_at > OVERRIDE_WINDOW:
                return OverrideOutcome(OverrideStatus.TOO_LATE, prompt, review.given_answer)
            rating = rating_for(Verdict.CORRECT)
            next_due = None
            card = store.card(review.card_id)
            settings = store.scheduling_settings(user_id)
            if (
                not review.practice
                and card is not None
                and settings is not None
                and card.state.last_review == review.reviewed_at
            ):
                after = schedule(
                    review.card_id,
                    review.before,
                    rating,
                    review.reviewed_at,
                    desired_retention=settings[0],
                    maximum_interval=settings[1],
                    enable_fuzzing=self._fuzzing,
                )
                # A leech suspension by this very answer is taken back too.
                suspended = (
                    review.suspended_before
                    if card.suspended_at == review.reviewed_at
                    else card.suspended_at
                )
                store.set_card(review.card_id, after, suspended)
                next_due = after.due
            store.mark_review_right(review.id, int(rating))
            if review.session_id is not None:
                store.bump_run(review.session_id, 0, 1)
            store.add_override(review, now)
            session.commit()
            return OverrideOutcome(OverrideStatus.DONE, prompt, review.given_answer, next_due)

    # -- more new cards ---------------------------------------------------------------------

    def more_new_cards(self, user_id: int, now: dt.datetime, amount: int = EXTRA_NEW_CARDS) -> int:
        """« Encore 10 nouvelles ? »: raise today's limit of new cards by ``amount`` (counted
        as extra new cards, the student's setting unchanged); the number granted, 0 when no
        new question is left to show.

        Raises:
            UserNotFound.
        """
        with self._sessions() as session:
            store = StudyStore(session)
            if store.settings(user_id) is None:
                raise UserNotFound(user_id)
            if amount <= 0 or not store.has_new_question(user_id):
                return 0
            store.add_grant(user_id, amount, now)
            session.commit()
            return amount

    # -- summaries --------------------------------------------------------------------------

    def end_session(self, user_id: int, now: dt.datetime) -> SessionSummary:
        """Close the open run and return its figures (zeros when none), and when something is
        next to study."""
        with self._sessions() as session:
            summary = _close_run(StudyStore(session), user_id, now)
            session.commit()
            return summary


# -- the steps, each a small function of the store and the domain ------------------------------


def _reusable_run(
    store: StudyStore, student: StudentRun, now: dt.datetime, deck_id: int | None, practice: bool
) -> Run | None:
    """The student's open run if it is of the same kind and not idle; else close it (None)."""
    run = student.run
    if run is None:
        return None
    last_activity = max(run.started_at, student.last_answer or run.started_at)
    idle = now - last_activity >= SESSION_IDLE
    if not idle and run.practice == practice and run.deck_id == deck_id:
        return run
    # An idle run ended with its last answer; one of another kind ends now.
    store.close_run(run.id, last_activity if idle else max(now, run.started_at))
    return None


def _pick(store: StudyStore, user_id: int, now: dt.datetime, where: _Next) -> Candidate | None:
    """The next question: in practice the deck's next one; else the most overdue due card,
    else a new question while the daily limit of new cards allows."""
    if where.practice:
        run_id = where.run.id if where.run is not None else None
        if where.deck_id is None:  # « réviser en avance »
            return store.next_ahead(user_id, run_id)
        return store.next_practice(user_id, where.deck_id, run_id)
    # One statement: the due card, else the learning card due first within LEARN_AHEAD.
    card = store.next_card(user_id, now, now + LEARN_AHEAD, where.deck_id)
    if card is not None and card.due is not None and card.due <= now:
        return card  # due
    day = store.day_counts(user_id, _local_day(now, where.timezone))
    if _new_left(day, where.new_cards_per_day) > 0:
        new = store.next_new(user_id, where.deck_id)
        if new is not None:
            return new
    return card  # a learning card due within LEARN_AHEAD, or None: nothing now


def _new_left(day: DayCounts, per_day: int) -> int:
    """New cards still allowed today: the daily limit plus the extra ones asked for, less the
    first answers of the student's local day."""
    if day.first_reviews < per_day:
        return per_day - day.first_reviews
    return per_day + day.granted - day.first_reviews


def _check(
    store: StudyStore,
    shown: Showing | None,
    user_id: int,
    token: str | None,
    given: _Answer,
    key: str | None,
) -> _Checked | AnswerOutcome | int:
    """Whether the answer can be recorded: the showing and the text given, or the refusal,
    or the id of the same answer committed meanwhile by a concurrent delivery."""
    if token is None:
        if shown is None or not shown.is_open:
            return AnswerOutcome(AnswerStatus.NO_QUESTION)
        if shown.choices:
            return AnswerOutcome(AnswerStatus.NEEDS_CHOICE)
    elif shown is None or shown.user_id != user_id:
        return AnswerOutcome(AnswerStatus.UNKNOWN)
    run = shown.run
    counts = (run.answered, run.correct) if run is not None else (0, 0)
    if shown.answered_at is not None or shown.superseded:
        # A concurrent delivery of this very answer may have committed since the key was
        # looked up (each statement sees the latest commits): then it is a duplicate.
        earlier = store.review_id_by_key(key) if key is not None else None
        return earlier if earlier is not None else _refused(AnswerStatus.STALE, counts)
    if shown.question.retired:  # removed from its file since it was shown
        return _refused(AnswerStatus.UNKNOWN, counts)
    if not _same_choices(shown):
        # Changed since it was shown (another kind, other options): grading the answer
        # against what the student never saw would be wrong, and a lapse would count.
        return _refused(AnswerStatus.STALE, counts)
    self_graded = shown.question.question.kind.self_graded
    if self_graded and given.choice_index is not None:
        return _refused(AnswerStatus.UNKNOWN, counts)  # a self-rated card has no buttons
    if given.self_rating is not None and not self_graded:
        return _refused(AnswerStatus.UNKNOWN, counts)  # a self-rating of another kind
    text = _given_text(shown, given)
    if text is None:
        return _refused(AnswerStatus.UNKNOWN, counts)
    if self_graded and given.self_rating is None:
        # A text typed to a self-rated card is the student's attempt: the answer is revealed
        # beside it, nothing is recorded; the student rates themself next.
        return _revealed(shown, text)
    response_ms = given.response_ms
    if given.sent_at is not None:
        # Telegram dates have whole seconds: compare like with like.
        response_ms = elapsed_ms(shown.shown_at.replace(microsecond=0), given.sent_at)
    return _Checked(shown, text, response_ms, given.choice_index, given.self_rating)


def _given_text(shown: Showing, given: _Answer) -> str | None:
    """The option pressed (None: an index never shown), or the text typed; a self-rated
    card's attempt without its surrounding spaces; a self-rating without one, the attempt
    kept on the showing when its answer was revealed ("" when none was typed)."""
    if given.choice_index is not None:
        if not 0 <= given.choice_index < len(shown.choices):
            return None
        return shown.choices[given.choice_index]
    if given.self_rating is not None and given.text is None:
        return shown.attempt or ""  # stored as made below: storable, stripped
    # NUL and lone surrogates cannot be stored; they mean nothing in an answer anyway.
    text = storable(given.text or "")
    return text.strip() if shown.question.question.kind.self_graded else text


def _keep_attempt(
    session: Session, store: StudyStore, shown: Showing | None, outcome: AnswerOutcome
) -> None:
    """A self-rated card revealed by an attempt (``outcome.given``, storable and stripped as
    any answer given): kept on its showing in place of an earlier one, committed before the
    answer is shown, for the verdict to record it whichever process receives it. A reveal
    without an attempt, or a refusal, keeps nothing (an earlier attempt stays)."""
    if outcome.status is not AnswerStatus.REVEALED or outcome.given is None or shown is None:
        return
    store.save_attempt(shown.shown_id, outcome.given)
    session.commit()


def _revealed(shown: Showing, attempt: str) -> AnswerOutcome:
    """A self-rated card's answer, shown (nothing recorded)."""
    question = shown.question.question
    run = shown.run
    return AnswerOutcome(
        AnswerStatus.REVEALED,
        given=attempt or None,
        correct_answer=question.answer,
        source_sentence=_source_worth_showing(question),
        explanation=question.explanation,
        practice=run.practice if run is not None else False,
        session_answered=run.answered if run is not None else 0,
        session_correct=run.correct if run is not None else 0,
        showing_token=shown.token,
        self_rated=True,
        card=_view(
            shown.token, shown.question, shown.card.state.reps == 0, run, (), shown.shown_at
        ),
    )


def _same_choices(shown: Showing) -> bool:
    """The question would be shown with the same buttons now (the buttons follow from the
    question and the showing's token): its kind and options are those the student saw."""
    q = shown.question.question
    return tuple(choices_for(q.kind, q.answer, q.distractors, shown.token)) == shown.choices


def _grade_answer(checked: _Checked) -> Grade:
    """A button is graded as the option it is; an option's text typed to a multiple-choice
    question as the option it names (else like an open answer); anything else by the
    tolerant grader (pure: :mod:`bot.domain.grading`)."""
    shown = checked.showing
    question = shown.question.question
    if checked.self_rating is not None:
        return grade_self(checked.self_rating, question)
    if checked.choice_index is not None:
        return grade_option(shown.choices[checked.choice_index], question)
    if shown.choices:
        result = grade_typed_choice(checked.text, question, shown.choices)
    else:
        result = grade(checked.text, question)
    if not result.accepted and is_dont_know(checked.text):
        return Grade(Verdict.WRONG, None, dont_know=True)
    return result


def _write(
    store: StudyStore, shown: Showing, graded: _Graded, now: dt.datetime
) -> tuple[int, int] | None:
    """Write the answer; the run's new counters, or None when another answer claimed the
    showing first (nothing written). The claim comes first: its conditional UPDATE holds the
    row lock, so of two concurrent answers exactly one goes on."""
    if not store.claim_showing(shown.shown_id, now):
        return None
    store.add_review(graded.review)
    if graded.after is not None:
        store.set_card(shown.card.card_id, graded.after, graded.suspended_at)
    if shown.run is None:
        return 0, 0
    return store.bump_run(shown.run.id, 1, int(graded.result.accepted))


def _recorded(shown: Showing, graded: _Graded, counts: tuple[int, int]) -> _Recorded:
    """The outcome of a recorded answer, and the run the next question continues."""
    practice = graded.review.practice
    outcome = _outcome(
        AnswerStatus.RECORDED,
        graded.result,
        graded.review.given_answer,
        shown.question.question,
        counts,
        leech=graded.leech,
        practice=practice,
        next_due=graded.after.due if graded.after is not None else None,
    )
    self_rated = shown.question.question.kind.self_graded
    typed_wrong = not shown.choices and not graded.result.accepted and not self_rated
    outcome = replace(
        outcome,
        showing_token=shown.token,
        can_override=typed_wrong and not graded.result.dont_know,
    )
    run = shown.run
    if run is not None and run.ended_at is not None:
        run = None  # answered after the run was stopped: the next question starts one
    elif run is not None:
        run = Run(run.id, run.deck_id, run.practice, run.started_at, None, *counts)
    deck = run.deck_id if run is not None else None
    return outcome, _Next(run, deck, practice, shown.timezone, shown.new_cards_per_day)


def _close_run(store: StudyStore, user_id: int, now: dt.datetime) -> SessionSummary:
    """Close the student's open run (if any) and sum it up."""
    student = store.student_and_open_run(user_id)
    if student is None:
        raise UserNotFound(user_id)
    next_due, more_new, studied = _whats_next(store, user_id, student, now)
    ahead = next_due is not None and next_due > now and studied
    run = student.run
    if run is None:
        return SessionSummary(
            answered=0, correct=0, next_due=next_due, more_new=more_new, review_ahead=ahead
        )
    deck_slug = student.run_deck_slug
    ended_at = max(now, run.started_at)
    store.close_run(run.id, ended_at)
    return SessionSummary(
        answered=run.answered,
        correct=run.correct,
        next_due=next_due,
        practice=run.practice,
        deck_slug=deck_slug,
        started_at=run.started_at,
        ended_at=ended_at,
        more_new=more_new,
        review_ahead=ahead and not (run.practice and run.deck_id is None),
    )


def _whats_next(
    store: StudyStore, user_id: int, student: StudentRun, now: dt.datetime
) -> tuple[dt.datetime | None, bool, bool]:
    """When ``next_question`` will next have something (``now`` if it has now), whether new
    questions wait behind today's limit (« Encore 10 nouvelles ? » would show them), and
    whether the student has a started card (« Réviser en avance » has something); one
    statement."""
    day = _local_day(now, student.timezone)
    outlook = store.outlook(user_id, day)
    candidates: list[dt.datetime] = []
    if outlook.earliest_due is not None:
        candidates.append(outlook.earliest_due)
    more_new = False
    if outlook.has_new:
        if _new_left(outlook.day, student.new_cards_per_day) > 0:
            candidates.append(now)
        else:
            more_new = True
            if student.new_cards_per_day > 0:
                candidates.append(day[1])
    studied = outlook.earliest_due is not None
    if not candidates:
        return None, more_new, studied
    return max(min(candidates), now), more_new, studied


def _view(
    token: str,
    stored: StoredQuestion,
    is_new: bool,
    run: Run | None,
    choices: Sequence[str],
    shown_at: dt.datetime,
) -> ShownQuestion:
    return ShownQuestion(
        token=token,
        question_id=stored.question_id,
        deck_slug=stored.deck_slug,
        deck_title=stored.deck_title,
        kind=stored.question.kind,
        prompt=stored.question.display_prompt,
        choices=tuple(choices),
        is_new=is_new,
        practice=run.practice if run is not None else False,
        session_answered=run.answered if run is not None else 0,
        session_correct=run.correct if run is not None else 0,
        shown_at=shown_at,
    )


def _source_worth_showing(question: Question) -> str | None:
    """The source sentence, when it adds something to the verdict: not for a cloze (the
    student just read that sentence, gap and all)."""
    if question.kind is QuestionKind.CLOZE:
        return None
    return question.source


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
        reason=result.reason,
        given=given,
        dont_know=result.dont_know,
        correct_answer=question.answer,
        source_sentence=_source_worth_showing(question),
        explanation=question.explanation,
        leech_suspended=leech,
        practice=practice,
        next_due=next_due,
        session_answered=counts[0],
        session_correct=counts[1],
        self_rated=question.kind.self_graded,
    )

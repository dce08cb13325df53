"""Live class games in a group chat: start, one quiz poll after the other, answers, results.

The front end (``bot.tg.handlers.game``) sends the polls and keeps time; this service keeps
the game in the database, so a restart resumes it (:meth:`GameService.resume`). A game is:

1. :meth:`~GameService.start`: the teacher picked a deck, how many questions and how long each
   one stays open; the questions and each poll's options are fixed now (the same poll after a
   restart). Only one game runs in a chat.
2. :meth:`~GameService.next_question` gives the next poll to send; once sent,
   :meth:`~GameService.poll_sent` records it and when it closes.
3. :meth:`~GameService.answer` records a ``poll_answer``: once per player and question (a
   second delivery is a ``duplicate``), never after the question closed (``late``). It also
   says when everybody present has answered, so the front end may close early.
4. :meth:`~GameService.close` closes the question once (the timer and the last answer race:
   one wins) and counts who got it right; after the last one :meth:`~GameService.finish` ends
   the game and returns the leaderboard; :meth:`~GameService.stop` ends it early.

A player who studies the deck privately (a registered student with a card for the question)
gets the answer logged as practice: a review with ``practice=true`` (in their stats, the
schedule untouched), under the idempotency key ``game:<game question>:<player>``, so it is
written once however often Telegram delivers the answer.

Who may start and stop a game, and which decks it offers, is a :class:`GameAccess`: by default
:class:`TeachersAnywhere` (any teacher, every live deck, for a group with no class).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.db.errors import IntegrityError
from bot.db.repositories.games import (
    DeckQuestions,
    GameStore,
    NewGameAnswer,
    StoredGame,
    StoredGameQuestion,
)
from bot.db.repositories.study import GAME_KEY_PREFIX, NewReview, StudyStore
from bot.db.session import Session, SessionFactory
from bot.domain import game as rules
from bot.domain.deck import QuestionKind
from bot.domain.grading import Verdict
from bot.domain.scheduling import rating_for
from bot.services.clock import elapsed_ms

#: A running game nobody moved on for this long when the bot starts again is ended with the
#: scores so far instead of resumed (the class has gone).
ABANDONED_AFTER = dt.timedelta(minutes=15)


class GameAccess(Protocol):
    """Who may run a game in a group, and which decks it offers (the classes plug in here)."""

    def may_run(self, chat_id: int, telegram_id: int) -> bool:
        """Whether this Telegram user may start or stop a game in the group ``chat_id``."""
        ...

    def deck_slugs(self, chat_id: int) -> Sequence[str] | None:
        """The decks of the group's class, in order; None: every live deck."""
        ...


@dataclass(frozen=True, slots=True)
class TeachersAnywhere:
    """A group with no class: any teacher may run a game, on any live deck."""

    teacher_ids: Collection[int]

    def may_run(self, chat_id: int, telegram_id: int) -> bool:
        return telegram_id in self.teacher_ids

    def deck_slugs(self, chat_id: int) -> Sequence[str] | None:
        return None


# -- what the service hands out ----------------------------------------------------------------


class StartStatus(StrEnum):
    STARTED = "started"
    NOT_ALLOWED = "not_allowed"
    ALREADY_RUNNING = "already_running"
    NO_DECK = "no_deck"
    NO_QUESTIONS = "no_questions"


class AnswerStatus(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    #: The question had closed (the answer came after the time, or after the game ended).
    LATE = "late"
    #: A poll of no game (yet: it may be being recorded right now).
    UNKNOWN = "unknown"
    #: The teacher's own vote, or a vote taken back: not a player's answer.
    IGNORED = "ignored"


class StopStatus(StrEnum):
    STOPPED = "stopped"
    NOT_ALLOWED = "not_allowed"
    NO_GAME = "no_game"


class EndReason(StrEnum):
    FINISHED = "finished"
    STOPPED = "stopped"
    ABANDONED = "abandoned"


@dataclass(frozen=True, slots=True)
class GameDeck:
    slug: str
    title: str
    playable: int
    #: Its self-rated cards (never in a game) and all its questions.
    self_rated: int = 0
    questions: int = 0

    @property
    def only_self_rated(self) -> bool:
        """Nothing but self-rated cards: a game cannot use it, and the teacher is told why."""
        return self.questions > 0 and self.self_rated == self.questions


@dataclass(frozen=True, slots=True)
class GameView:
    id: int
    chat_id: int
    deck_title: str
    question_count: int
    seconds: int
    started_by: int


@dataclass(frozen=True, slots=True)
class StartOutcome:
    status: StartStatus
    game: GameView | None = None


@dataclass(frozen=True, slots=True)
class PollToSend:
    """The next question as a quiz poll (``options[correct]`` is the answer)."""

    game_id: int
    chat_id: int
    game_question_id: int
    position: int
    total: int
    kind: QuestionKind
    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str | None
    seconds: int


class NextStatus(StrEnum):
    #: ``poll`` is to be sent now.
    ASK = "ask"
    #: The current poll is still open: wait for it to close.
    OPEN = "open"
    #: Every question was asked and closed: the game is to be finished.
    DONE = "done"
    #: The game has ended (stopped, or finished by another caller).
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class NextStep:
    status: NextStatus
    poll: PollToSend | None = None


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    status: AnswerStatus
    game_id: int | None = None
    position: int | None = None
    #: Everybody present has answered: the question may close now.
    everyone_in: bool = False


@dataclass(frozen=True, slots=True)
class QuestionResult:
    """A question just closed: how many answered and got it right."""

    game_id: int
    chat_id: int
    position: int
    total: int
    answered: int
    correct: int
    answer: str
    kind: QuestionKind
    #: The poll's message, and whether Telegram still shows it open (closed before its time).
    message_id: int | None
    closed_early: bool

    @property
    def last(self) -> bool:
        return self.position + 1 >= self.total


@dataclass(frozen=True, slots=True)
class HardestQuestion:
    position: int
    prompt: str
    answer: str
    kind: QuestionKind
    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class PlayerRow:
    """A player's line of the results: rank from 1, score, time on the right answers, and
    each asked question (True right, False wrong, None no answer)."""

    rank: int
    player_id: int
    name: str
    correct: int
    answered: int
    correct_ms: int
    by_question: tuple[bool | None, ...]


@dataclass(frozen=True, slots=True)
class GameResults:
    game_id: int
    chat_id: int
    deck_title: str
    started_by: int
    reason: EndReason
    asked: int
    total: int
    #: The top ``LEADERBOARD_SIZE`` (``players``' first rows).
    leaderboard: tuple[PlayerRow, ...]
    players: tuple[PlayerRow, ...]
    hardest: HardestQuestion | None
    prompts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StopOutcome:
    status: StopStatus
    closed: QuestionResult | None = None
    results: GameResults | None = None


class ResumeAction(StrEnum):
    #: The current poll is still open: close it at ``closes_at``.
    CLOSE_AT = "close_at"
    #: The current question was closed (or none was asked, or its poll never went out): go on.
    NEXT = "next"
    #: Abandoned: ended with the scores so far (``results``).
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class ResumeStep:
    game_id: int
    chat_id: int
    action: ResumeAction
    position: int
    closes_at: dt.datetime | None = None
    results: GameResults | None = None


def _default_rng() -> random.Random:
    return random.Random(secrets.randbits(64))


class GameService:
    """Use cases of a class game; each public method loads through
    :class:`~bot.db.repositories.games.GameStore`, decides with :mod:`bot.domain.game`, writes
    and commits before returning."""

    def __init__(
        self,
        session_factory: SessionFactory,
        access: GameAccess,
        *,
        rng_factory: Callable[[], random.Random] = _default_rng,
    ) -> None:
        self._sessions = session_factory
        self.access = access
        self._rng = rng_factory

    # -- before the game ----------------------------------------------------------------------

    def may_run(self, chat_id: int, telegram_id: int) -> bool:
        """Whether this user may start or stop a game in this group."""
        return self.access.may_run(chat_id, telegram_id)

    def decks(self, chat_id: int, *, every: bool = False) -> tuple[GameDeck, ...]:
        """The decks a game in this group can use (the class's, else every live deck) that
        have at least one question a quiz poll can ask; ``every``: the others too (playable
        0), so the teacher can be told why a deck is not offered (only self-rated cards)."""
        with self._sessions() as session:
            decks = GameStore(session).live_decks(self.access.deck_slugs(chat_id))
        found = (
            GameDeck(
                d.slug,
                d.title,
                sum(rules.playable(q) for q in d.questions),
                self_rated=sum(q.kind.self_graded for q in d.questions),
                questions=len(d.questions),
            )
            for d in decks
        )
        return tuple(d for d in found if every or d.playable)

    def start(
        self,
        chat_id: int,
        telegram_id: int,
        deck_slug: str,
        count: int,
        seconds: int,
        now: dt.datetime,
        *,
        players_expected: int = 0,
    ) -> StartOutcome:
        """Start a game of ``count`` questions (fewer if the deck has fewer playable ones),
        each open ``seconds``; ``players_expected``: the group's members but the bot and the
        teacher (the first question may close when they all answered).

        Raises:
            ValueError: ``count`` or ``seconds`` not among the choices offered.
        """
        if count not in rules.QUESTION_COUNTS or seconds not in rules.SECONDS_CHOICES:
            raise ValueError(f"unsupported game settings: {count} questions, {seconds} s")
        if not self.access.may_run(chat_id, telegram_id):
            return StartOutcome(StartStatus.NOT_ALLOWED)
        slugs = self.access.deck_slugs(chat_id)
        if slugs is not None and deck_slug not in slugs:
            return StartOutcome(StartStatus.NO_DECK)
        rng = self._rng()
        with self._sessions() as session:
            store = GameStore(session)
            if store.running_in_chat(chat_id) is not None:
                return StartOutcome(StartStatus.ALREADY_RUNNING)
            found = store.live_decks([deck_slug])
            if not found:
                return StartOutcome(StartStatus.NO_DECK)
            deck = found[0]
            chosen = _questions_for(deck, count, rng)
            if not chosen:
                return StartOutcome(StartStatus.NO_QUESTIONS)
            try:
                game_id = store.add_game(
                    chat_id, deck.deck_id, seconds, telegram_id, players_expected, now, chosen
                )
                session.commit()
            except IntegrityError:  # a game started in this chat meanwhile
                session.rollback()
                return StartOutcome(StartStatus.ALREADY_RUNNING)
            view = GameView(game_id, chat_id, deck.title, len(chosen), seconds, telegram_id)
            return StartOutcome(StartStatus.STARTED, view)

    # -- questions ----------------------------------------------------------------------------

    def next_question(self, game_id: int) -> NextStep:
        """What comes next: the next question's poll once the current one is closed (or the
        current one again if its poll never went out: a restart in between), or why none."""
        with self._sessions() as session:
            store = GameStore(session)
            game = store.game(game_id)
            if game is None or not game.running:
                return NextStep(NextStatus.ENDED)
            current = store.question_at(game_id, game.current) if game.current >= 0 else None
            if current is not None and current.closed_at is None:
                if current.poll_id is not None:
                    return NextStep(NextStatus.OPEN)
                return NextStep(NextStatus.ASK, _poll(game, current))
            position = game.current + 1
            if position >= game.question_count:
                return NextStep(NextStatus.DONE)
            if not store.advance(game_id, position):
                return NextStep(NextStatus.OPEN)  # another caller moved on meanwhile
            question = store.question_at(game_id, position)
            assert question is not None  # every position below question_count exists
            session.commit()
            return NextStep(NextStatus.ASK, _poll(game, question))

    def poll_sent(
        self, game_question_id: int, poll_id: str, message_id: int, now: dt.datetime
    ) -> dt.datetime:
        """Record the poll of a question, sent at ``now``; when it closes."""
        with self._sessions() as session:
            store = GameStore(session)
            seconds = store.seconds_of_question(game_question_id)
            closes_at = now + dt.timedelta(seconds=seconds)
            store.set_poll(game_question_id, poll_id, message_id, now, closes_at)
            session.commit()
            return closes_at

    def answer(
        self,
        poll_id: str,
        player_id: int,
        player_name: str,
        option_ids: Sequence[int],
        now: dt.datetime,
    ) -> AnswerOutcome:
        """Record a player's vote (``option_ids``: Telegram's, one for a quiz)."""
        with self._sessions() as session:
            store = GameStore(session)
            question = store.question_by_poll(poll_id)
            if question is None:
                return AnswerOutcome(AnswerStatus.UNKNOWN)
            game = store.game(question.game_id)
            assert game is not None  # the foreign key

            def outcome(status: AnswerStatus, everyone_in: bool = False) -> AnswerOutcome:
                return AnswerOutcome(status, game.id, question.position, everyone_in)

            if not game.running or question.closed_at is not None:
                return outcome(AnswerStatus.LATE)
            if player_id == game.started_by or len(option_ids) != 1:
                return outcome(AnswerStatus.IGNORED)
            option = option_ids[0]
            if not 0 <= option < len(question.options):
                return outcome(AnswerStatus.IGNORED)
            correct = option == question.correct_option
            asked_at = question.asked_at or now
            response_ms = elapsed_ms(asked_at, now)
            user_id = store.user_id_for_telegram(player_id)
            try:
                store.add_answer(
                    NewGameAnswer(
                        question.id,
                        player_id,
                        player_name,
                        user_id,
                        option,
                        correct,
                        response_ms,
                        now,
                    )
                )
                if user_id is not None:
                    _log_practice(session, store, question, user_id, player_id, option, now)
                answered, _right, players = store.answer_counts(game.id, question.id)
                session.commit()
            except IntegrityError:  # this player's answer to this question is in already
                session.rollback()
                return outcome(AnswerStatus.DUPLICATE)
            everyone = rules.everyone_answered(
                answered, players, game.players_expected, question.position
            )
            return outcome(AnswerStatus.RECORDED, everyone)

    def close(self, game_id: int, position: int, now: dt.datetime) -> QuestionResult | None:
        """Close the question at ``position`` and count its answers; None when it was closed
        already (by the timer, the last answer, a stop, another instance)."""
        with self._sessions() as session:
            store = GameStore(session)
            game = store.game(game_id)
            question = store.question_at(game_id, position)
            if game is None or question is None or not store.close_question(question.id, now):
                return None
            result = _result(store, game, question, now)
            session.commit()
            return result

    # -- the end ------------------------------------------------------------------------------

    def finish(
        self, game_id: int, now: dt.datetime, reason: EndReason = EndReason.FINISHED
    ) -> GameResults | None:
        """End the game and sum it up; None when it had ended already."""
        with self._sessions() as session:
            store = GameStore(session)
            if not store.end(game_id, now, reason.value):
                return None
            results = _results(store, game_id)
            session.commit()
            return results

    def stop(self, chat_id: int, telegram_id: int, now: dt.datetime) -> StopOutcome:
        """The teacher ends the group's game now: the open question is closed (and counted)
        and the game summed up with the scores so far."""
        if not self.access.may_run(chat_id, telegram_id):
            return StopOutcome(StopStatus.NOT_ALLOWED)
        with self._sessions() as session:
            store = GameStore(session)
            game = store.running_in_chat(chat_id)
            if game is None or not store.end(game.id, now, EndReason.STOPPED.value):
                return StopOutcome(StopStatus.NO_GAME)
            closed = None
            question = store.question_at(game.id, game.current) if game.current >= 0 else None
            if question is not None and store.close_question(question.id, now):
                closed = _result(store, game, question, now)
            results = _results(store, game.id)
            session.commit()
            return StopOutcome(StopStatus.STOPPED, closed, results)

    def results(self, game_id: int) -> GameResults | None:
        """The scores of a game (running or ended); None for an unknown game."""
        with self._sessions() as session:
            store = GameStore(session)
            if store.game(game_id) is None:
                return None
            return _results(store, game_id)

    def resume(self, now: dt.datetime) -> tuple[ResumeStep, ...]:
        """After a restart: what to do with each running game. A poll still open is closed at
        its time; a game whose last move is older than ``ABANDONED_AFTER`` is ended with the
        scores so far; any other goes on with its next question."""
        steps = []
        with self._sessions() as session:
            store = GameStore(session)
            for game in store.running_games():
                question = store.question_at(game.id, game.current) if game.current >= 0 else None
                last_move = _last_move(game, question)
                if now - last_move > ABANDONED_AFTER:
                    if question is not None:
                        store.close_question(question.id, now)
                    store.end(game.id, now, EndReason.ABANDONED.value)
                    results = _results(store, game.id)
                    steps.append(
                        ResumeStep(
                            game.id, game.chat_id, ResumeAction.ENDED, game.current, None, results
                        )
                    )
                    continue
                open_poll = (
                    question is not None
                    and question.closed_at is None
                    and question.poll_id is not None
                )
                if open_poll and question is not None:
                    steps.append(
                        ResumeStep(
                            game.id,
                            game.chat_id,
                            ResumeAction.CLOSE_AT,
                            game.current,
                            question.closes_at,
                        )
                    )
                else:
                    steps.append(
                        ResumeStep(game.id, game.chat_id, ResumeAction.NEXT, game.current)
                    )
            session.commit()
        return tuple(steps)


# -- steps ---------------------------------------------------------------------------------------


def _questions_for(
    deck: DeckQuestions, count: int, rng: random.Random
) -> list[tuple[int, tuple[str, ...], int]]:
    """``count`` playable questions of the deck as ``(question id, options, correct)``."""
    chosen = []
    for index in rules.pick(deck.questions, count, rng):
        poll = rules.quiz_poll(deck.questions[index], rng)
        chosen.append((deck.question_ids[index], poll.options, poll.correct))
    return chosen


def _poll(game: StoredGame, question: StoredGameQuestion) -> PollToSend:
    q = question.question
    return PollToSend(
        game_id=game.id,
        chat_id=game.chat_id,
        game_question_id=question.id,
        position=question.position,
        total=game.question_count,
        kind=q.kind,
        question=" ".join(q.display_prompt.split()),
        options=question.options,
        correct=question.correct_option,
        explanation=rules.explanation_for(q),
        seconds=game.seconds,
    )


def _log_practice(
    session: Session,
    store: GameStore,
    question: StoredGameQuestion,
    user_id: int,
    player_id: int,
    option: int,
    now: dt.datetime,
) -> None:
    """The answer as a practice review, for a student who has the card (studies it)."""
    card_id = store.card_id(user_id, question.question_id)
    if card_id is None:
        return
    study = StudyStore(session)
    card = study.card(card_id)
    if card is None:  # pragma: no cover - the card was just found
        return
    correct = option == question.correct_option
    verdict = Verdict.CORRECT if correct else Verdict.WRONG
    asked_at = question.asked_at or now
    study.add_review(
        NewReview(
            card_id=card_id,
            user_id=user_id,
            question_id=question.question_id,
            session_id=None,
            presentation_id=None,
            idempotency_key=f"{GAME_KEY_PREFIX}{question.id}:{player_id}",
            rating=int(rating_for(verdict, False)),
            verdict=verdict.value,
            correct=correct,
            practice=True,
            given_answer=question.options[option],
            response_ms=elapsed_ms(asked_at, now),
            reviewed_at=now,
            before=card.state,
            suspended_before=card.suspended_at,
        )
    )


def _result(
    store: GameStore, game: StoredGame, question: StoredGameQuestion, now: dt.datetime
) -> QuestionResult:
    answered, right, _players = store.answer_counts(game.id, question.id)
    early = question.closes_at is not None and now < question.closes_at
    return QuestionResult(
        game_id=game.id,
        chat_id=game.chat_id,
        position=question.position,
        total=game.question_count,
        answered=answered,
        correct=right,
        answer=question.options[question.correct_option],
        kind=question.question.kind,
        message_id=question.message_id,
        closed_early=early,
    )


def _results(store: GameStore, game_id: int) -> GameResults:
    game = store.game(game_id)
    assert game is not None
    questions = store.questions(game_id)
    asked = [q for q in questions if q.asked_at is not None]
    answers = store.answers(game_id)
    ranked = rules.scores(answers)
    marks = {(a.player_id, a.position): a.correct for a in answers}
    rows = tuple(
        PlayerRow(
            rank=rank,
            player_id=s.player_id,
            name=s.name,
            correct=s.correct,
            answered=s.answered,
            correct_ms=s.correct_ms,
            by_question=tuple(marks.get((s.player_id, q.position)) for q in asked),
        )
        for rank, s in enumerate(ranked, start=1)
    )
    top = rules.leaderboard(ranked)
    hard = rules.hardest(rules.question_scores(len(questions), answers))
    hardest = None
    if hard is not None:
        q = questions[hard.position]
        hardest = HardestQuestion(
            position=hard.position,
            prompt=" ".join(q.question.display_prompt.split()),
            answer=q.options[q.correct_option],
            kind=q.question.kind,
            answered=hard.answered,
            correct=hard.correct,
        )
    reason = EndReason(game.end_reason) if game.end_reason else EndReason.FINISHED
    return GameResults(
        game_id=game.id,
        chat_id=game.chat_id,
        deck_title=game.deck_title,
        started_by=game.started_by,
        reason=reason,
        asked=len(asked),
        total=game.question_count,
        leaderboard=rows[: len(top)],
        players=rows,
        hardest=hardest,
        prompts=tuple(" ".join(q.question.display_prompt.split()) for q in asked),
    )


def _last_move(game: StoredGame, question: StoredGameQuestion | None) -> dt.datetime:
    if question is None:
        return game.started_at
    moments = [m for m in (question.closed_at, question.closes_at, question.asked_at) if m]
    return max(moments, default=game.started_at)

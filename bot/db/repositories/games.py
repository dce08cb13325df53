"""The game store: every read and write of a live class game. Takes a Session, never commits.

Returns frozen dataclasses (:class:`StoredGame`, :class:`StoredGameQuestion`, …) and domain
objects (:class:`~bot.domain.deck.Question`, :class:`~bot.domain.game.Answer`).

Concurrency, the same on both engines: a poll is closed by a conditional UPDATE
(:meth:`GameStore.close_question`, ``closed_at IS NULL``) and a game ended by another
(:meth:`GameStore.end`, ``state = 'running'``), so when the timer and the last answer (or two
bot instances) race, exactly one goes on; one answer per player and question is the unique
``(game_question_id, player_id)``, checked at the INSERT (the caller sees ``IntegrityError``);
one running game per chat is a partial unique index.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, and_, case, func, insert, select, update
from sqlalchemy.orm import Session

from bot.db.models import Card, Deck, Game, GameAnswer, GameQuestion, Question, User
from bot.db.repositories.study import question_of
from bot.domain.deck import Question as DomainQuestion
from bot.domain.game import Answer

_games = cast(Table, Game.__table__)
_gq = cast(Table, GameQuestion.__table__)
_answers = cast(Table, GameAnswer.__table__)
_questions = cast(Table, Question.__table__)
_decks = cast(Table, Deck.__table__)
_users = cast(Table, User.__table__)
_cards = cast(Table, Card.__table__)

RUNNING = "running"
ENDED = "ended"


@dataclass(frozen=True, slots=True)
class DeckQuestions:
    """A live deck and its live questions, in file order."""

    deck_id: int
    slug: str
    title: str
    question_ids: tuple[int, ...]
    questions: tuple[DomainQuestion, ...]


@dataclass(frozen=True, slots=True)
class StoredGame:
    id: int
    chat_id: int
    deck_id: int
    deck_title: str
    question_count: int
    seconds: int
    state: str
    current: int
    started_by: int
    players_expected: int
    started_at: dt.datetime
    ended_at: dt.datetime | None
    end_reason: str | None

    @property
    def running(self) -> bool:
        return self.state == RUNNING


@dataclass(frozen=True, slots=True)
class StoredGameQuestion:
    id: int
    game_id: int
    position: int
    question_id: int
    question: DomainQuestion
    options: tuple[str, ...]
    correct_option: int
    poll_id: str | None
    message_id: int | None
    asked_at: dt.datetime | None
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class NewGameAnswer:
    game_question_id: int
    player_id: int
    player_name: str
    user_id: int | None
    option: int
    correct: bool
    response_ms: int
    answered_at: dt.datetime


_GAME_COLUMNS = (*_games.c, _decks.c.title.label("deck_title"))
_GAME_FROM = _games.join(_decks, _decks.c.id == _games.c.deck_id)
_GQ_COLUMNS = (
    *_gq.c,
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
)
_GQ_FROM = _gq.join(_questions, _questions.c.id == _gq.c.question_id)


def _game(row: Any) -> StoredGame:
    return StoredGame(
        id=row.id,
        chat_id=row.chat_id,
        deck_id=row.deck_id,
        deck_title=row.deck_title,
        question_count=row.question_count,
        seconds=row.seconds,
        state=row.state,
        current=row.current,
        started_by=row.started_by,
        players_expected=row.players_expected,
        started_at=row.started_at,
        ended_at=row.ended_at,
        end_reason=row.end_reason,
    )


def _game_question(row: Any) -> StoredGameQuestion:
    return StoredGameQuestion(
        id=row.id,
        game_id=row.game_id,
        position=row.position,
        question_id=row.question_id,
        question=question_of(row),
        options=tuple(row.options or ()),
        correct_option=row.correct_option,
        poll_id=row.poll_id,
        message_id=row.message_id,
        asked_at=row.asked_at,
        closes_at=row.closes_at,
        closed_at=row.closed_at,
    )


class GameStore:
    """The game tables seen through one Session (the caller commits)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _execute(self, statement: Any) -> Any:
        return self._session.connection().execute(statement)

    # -- decks

    def live_decks(self, slugs: Sequence[str] | None = None) -> list[DeckQuestions]:
        """Live decks (``slugs``: only these, in that order; None: all, by slug) with their
        live questions in file order."""
        query = select(_decks.c.id, _decks.c.slug, _decks.c.title).where(
            _decks.c.retired_at.is_(None)
        )
        if slugs is not None:
            query = query.where(_decks.c.slug.in_(list(slugs)))
        decks = self._execute(query.order_by(_decks.c.slug)).all()
        if slugs is not None:
            order = {slug: i for i, slug in enumerate(slugs)}
            decks.sort(key=lambda d: order[d.slug])
        rows = self._execute(
            select(_questions.c.id, _questions.c.deck_id, *_GQ_COLUMNS[len(_gq.c) :])
            .where(
                _questions.c.deck_id.in_([d.id for d in decks]),
                _questions.c.retired_at.is_(None),
            )
            .order_by(_questions.c.deck_id, _questions.c.position, _questions.c.id)
        ).all()
        by_deck: dict[int, list[Any]] = {}
        for row in rows:
            by_deck.setdefault(row.deck_id, []).append(row)
        return [
            DeckQuestions(
                deck_id=d.id,
                slug=d.slug,
                title=d.title,
                question_ids=tuple(r.id for r in by_deck.get(d.id, [])),
                questions=tuple(question_of(r) for r in by_deck.get(d.id, [])),
            )
            for d in decks
        ]

    # -- games

    def add_game(
        self,
        chat_id: int,
        deck_id: int,
        seconds: int,
        started_by: int,
        players_expected: int,
        now: dt.datetime,
        questions: Sequence[tuple[int, Sequence[str], int]],
    ) -> int:
        """A running game and its questions ``(question_id, options, correct option)``."""
        game_id = int(
            self._execute(
                insert(_games)
                .values(
                    chat_id=chat_id,
                    deck_id=deck_id,
                    question_count=len(questions),
                    seconds=seconds,
                    state=RUNNING,
                    current=-1,
                    started_by=started_by,
                    players_expected=players_expected,
                    started_at=now,
                )
                .returning(_games.c.id)
            ).scalar_one()
        )
        self._session.connection().execute(
            insert(_gq),
            [
                {
                    "game_id": game_id,
                    "position": position,
                    "question_id": question_id,
                    "options": list(options),
                    "correct_option": correct,
                }
                for position, (question_id, options, correct) in enumerate(questions)
            ],
        )
        return game_id

    def game(self, game_id: int) -> StoredGame | None:
        row = self._execute(
            select(*_GAME_COLUMNS).select_from(_GAME_FROM).where(_games.c.id == game_id)
        ).first()
        return None if row is None else _game(row)

    def running_in_chat(self, chat_id: int) -> StoredGame | None:
        row = self._execute(
            select(*_GAME_COLUMNS)
            .select_from(_GAME_FROM)
            .where(_games.c.chat_id == chat_id, _games.c.state == RUNNING)
        ).first()
        return None if row is None else _game(row)

    def running_games(self) -> list[StoredGame]:
        rows = self._execute(
            select(*_GAME_COLUMNS)
            .select_from(_GAME_FROM)
            .where(_games.c.state == RUNNING)
            .order_by(_games.c.id)
        ).all()
        return [_game(r) for r in rows]

    def advance(self, game_id: int, position: int) -> bool:
        """Move the game to the question at ``position`` (from ``position - 1``); False when
        another caller moved it already."""
        result = self._execute(
            update(_games)
            .where(
                _games.c.id == game_id,
                _games.c.state == RUNNING,
                _games.c.current == position - 1,
            )
            .values(current=position)
        )
        return bool(result.rowcount)

    def end(self, game_id: int, now: dt.datetime, reason: str) -> bool:
        """End a running game; False when it had ended already."""
        result = self._execute(
            update(_games)
            .where(_games.c.id == game_id, _games.c.state == RUNNING)
            .values(state=ENDED, ended_at=now, end_reason=reason)
        )
        return bool(result.rowcount)

    # -- questions

    def question_at(self, game_id: int, position: int) -> StoredGameQuestion | None:
        row = self._execute(
            select(*_GQ_COLUMNS)
            .select_from(_GQ_FROM)
            .where(_gq.c.game_id == game_id, _gq.c.position == position)
        ).first()
        return None if row is None else _game_question(row)

    def questions(self, game_id: int) -> list[StoredGameQuestion]:
        rows = self._execute(
            select(*_GQ_COLUMNS)
            .select_from(_GQ_FROM)
            .where(_gq.c.game_id == game_id)
            .order_by(_gq.c.position)
        ).all()
        return [_game_question(r) for r in rows]

    def question_by_poll(self, poll_id: str) -> StoredGameQuestion | None:
        row = self._execute(
            select(*_GQ_COLUMNS).select_from(_GQ_FROM).where(_gq.c.poll_id == poll_id)
        ).first()
        return None if row is None else _game_question(row)

    def seconds_of_question(self, game_question_id: int) -> int:
        """How long the question's poll stays open (its game's setting)."""
        return int(
            self._execute(
                select(_games.c.seconds)
                .select_from(_gq.join(_games, _games.c.id == _gq.c.game_id))
                .where(_gq.c.id == game_question_id)
            ).scalar_one()
        )

    def set_poll(
        self,
        game_question_id: int,
        poll_id: str,
        message_id: int,
        asked_at: dt.datetime,
        closes_at: dt.datetime,
    ) -> None:
        self._execute(
            update(_gq)
            .where(_gq.c.id == game_question_id)
            .values(poll_id=poll_id, message_id=message_id, asked_at=asked_at, closes_at=closes_at)
        )

    def close_question(self, game_question_id: int, now: dt.datetime) -> bool:
        """Close the question's poll; False when it was closed already."""
        result = self._execute(
            update(_gq)
            .where(_gq.c.id == game_question_id, _gq.c.closed_at.is_(None))
            .values(closed_at=now)
        )
        return bool(result.rowcount)

    # -- answers

    def add_answer(self, answer: NewGameAnswer) -> None:
        self._execute(
            insert(_answers).values(
                game_question_id=answer.game_question_id,
                player_id=answer.player_id,
                player_name=answer.player_name[:128],
                user_id=answer.user_id,
                option=answer.option,
                correct=answer.correct,
                response_ms=answer.response_ms,
                answered_at=answer.answered_at,
            )
        )

    def answer_counts(self, game_id: int, game_question_id: int) -> tuple[int, int, int]:
        """(answers to this question, right ones among them, players of the game so far)."""
        this = self._execute(
            select(
                func.count(), func.coalesce(func.sum(case((_answers.c.correct, 1), else_=0)), 0)
            ).where(_answers.c.game_question_id == game_question_id)
        ).one()
        players = self._execute(
            select(func.count(func.distinct(_answers.c.player_id)))
            .select_from(_answers.join(_gq, _gq.c.id == _answers.c.game_question_id))
            .where(_gq.c.game_id == game_id)
        ).scalar_one()
        return int(this[0]), int(this[1]), int(players)

    def answers(self, game_id: int) -> list[Answer]:
        """Every answer of the game, in the order they were given."""
        rows = self._execute(
            select(
                _answers.c.player_id,
                _answers.c.player_name,
                _gq.c.position,
                _answers.c.correct,
                _answers.c.response_ms,
            )
            .select_from(_answers.join(_gq, _gq.c.id == _answers.c.game_question_id))
            .where(_gq.c.game_id == game_id)
            .order_by(_answers.c.answered_at, _answers.c.id)
        ).all()
        return [
            Answer(r.player_id, r.player_name, r.position, bool(r.correct), r.response_ms)
            for r in rows
        ]

    # -- the students behind the players

    def user_id_for_telegram(self, telegram_id: int) -> int | None:
        return cast(
            int | None,
            self._execute(select(_users.c.id).where(_users.c.telegram_id == telegram_id)).scalar(),
        )

    def card_id(self, user_id: int, question_id: int) -> int | None:
        """The student's card for the question (None: they have not met it privately)."""
        return cast(
            int | None,
            self._execute(
                select(_cards.c.id).where(
                    and_(_cards.c.user_id == user_id, _cards.c.question_id == question_id)
                )
            ).scalar(),
        )

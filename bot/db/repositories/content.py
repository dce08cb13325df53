"""Decks and questions as the content sync reads and writes them: :class:`ImportStore`.

The store takes and returns frozen dataclasses and never commits (the import service owns the
transaction). An edited question is updated in place, so it keeps its primary key (and with
it, students' cards and review history); nothing here is ever deleted, only retired.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, insert, select, update
from sqlalchemy.orm import Session

from bot.db.models import Deck, Question


@dataclass(frozen=True, slots=True)
class DeckValues:
    """What a deck file says about its deck (the columns the sync compares and writes)."""

    title: str
    language: str
    description: str | None
    source_file: str | None
    content_hash: str


@dataclass(frozen=True, slots=True)
class QuestionValues:
    """What a deck file says about one question, ``position`` being its place in the file."""

    position: int
    kind: str
    prompt: str
    answer: str
    accept: tuple[str, ...]
    distractors: tuple[str, ...]
    explanation: str | None
    source_sentence: str | None
    tags: tuple[str, ...]
    confidence: float | None
    content_hash: str


@dataclass(frozen=True, slots=True)
class StoredDeck:
    id: int
    slug: str
    values: DeckValues
    retired_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class StoredQuestion:
    id: int
    deck_id: int
    key: str
    values: QuestionValues
    retired_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class NewQuestion:
    key: str
    values: QuestionValues


@dataclass(frozen=True, slots=True)
class TextLimits:
    """The longest texts the columns hold (None: no limit). PostgreSQL refuses a longer one and
    SQLite would store it silently, so the import checks them first."""

    deck_slug: int | None
    deck_title: int | None
    source_file: int | None
    question_key: int | None


_DECK_COLUMNS = (Deck.title, Deck.language, Deck.description, Deck.source_file, Deck.content_hash)
_QUESTION_COLUMNS = (
    Question.position,
    Question.kind,
    Question.prompt,
    Question.answer,
    Question.accept,
    Question.distractors,
    Question.explanation,
    Question.source_sentence,
    Question.tags,
    Question.confidence,
    Question.content_hash,
)


def _length(column: Any) -> int | None:
    length = getattr(column.type, "length", None)
    return length if isinstance(length, int) else None


def _column(attribute: Any) -> Column[Any]:
    column: Column[Any] = attribute.property.columns[0]
    return column


def _deck_columns(values: DeckValues) -> dict[str, Any]:
    return {
        "title": values.title,
        "language": values.language,
        "description": values.description,
        "source_file": values.source_file,
        "content_hash": values.content_hash,
    }


def _question_columns(values: QuestionValues) -> dict[str, Any]:
    return {
        "position": values.position,
        "kind": values.kind,
        "prompt": values.prompt,
        "answer": values.answer,
        "accept": list(values.accept),
        "distractors": list(values.distractors),
        "explanation": values.explanation,
        "source_sentence": values.source_sentence,
        "tags": list(values.tags),
        "confidence": values.confidence,
        "content_hash": values.content_hash,
    }


class ImportStore:
    """Every statement of the content sync, on one session; never commits."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @staticmethod
    def text_limits() -> TextLimits:
        return TextLimits(
            deck_slug=_length(_column(Deck.slug)),
            deck_title=_length(_column(Deck.title)),
            source_file=_length(_column(Deck.source_file)),
            question_key=_length(_column(Question.key)),
        )

    def lock(self) -> None:
        """Serialise content writers on SQLite; a no-op elsewhere (rows are locked by
        ``FOR UPDATE`` in :meth:`decks`).

        SQLite has no row locks, and pysqlite starts its transaction only at the first write,
        so two imports could both read the old state before either writes. ``BEGIN IMMEDIATE``
        takes the database's write lock before reading (the other writer waits
        ``busy_timeout``). Must be the first statement of the session's transaction.
        """
        connection = self._session.connection()
        if connection.dialect.name != "sqlite":
            return
        if not getattr(connection.connection.driver_connection, "in_transaction", False):
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    def decks(
        self, slugs: Collection[str] | None = None, *, for_update: bool = False
    ) -> dict[str, StoredDeck]:
        """Decks, retired ones included, by slug (all of them when ``slugs`` is None).

        ``for_update`` locks the rows (PostgreSQL) in primary-key order, so that two writers
        locking overlapping sets cannot deadlock.
        """
        query = select(Deck.id, Deck.slug, Deck.retired_at, *_DECK_COLUMNS).order_by(Deck.id)
        if slugs is not None:
            if not slugs:
                return {}
            query = query.where(Deck.slug.in_(sorted(slugs)))
        if for_update:
            query = query.with_for_update()
        decks: dict[str, StoredDeck] = {}
        for row in self._session.execute(query):
            deck_id, slug, retired_at, title, language, description, source, content_hash = row
            values = DeckValues(title, language, description, source, content_hash)
            decks[slug] = StoredDeck(deck_id, slug, values, retired_at)
        return decks

    def questions(self, deck_id: int) -> dict[str, StoredQuestion]:
        """Every question of a deck, retired ones included, by key."""
        return self.questions_of_decks([deck_id]).get(deck_id, {})

    def questions_of_decks(
        self, deck_ids: Collection[int]
    ) -> dict[int, dict[str, StoredQuestion]]:
        """Every question of the given decks, retired ones included: deck id → key → question,
        in file order."""
        result: dict[int, dict[str, StoredQuestion]] = {deck_id: {} for deck_id in deck_ids}
        if not deck_ids:
            return result
        query = (
            select(Question.id, Question.deck_id, Question.key, Question.retired_at)
            .add_columns(*_QUESTION_COLUMNS)
            .where(Question.deck_id.in_(sorted(deck_ids)))
            .order_by(Question.deck_id, Question.position, Question.id)
        )
        for row in self._session.execute(query):
            question_id, deck_id, key, retired_at, position, kind, prompt, answer, *rest = row
            accept, distractors, explanation, source, tags, confidence, content_hash = rest
            values = QuestionValues(
                position,
                kind,
                prompt,
                answer,
                tuple(accept),
                tuple(distractors),
                explanation,
                source,
                tuple(tags),
                confidence,
                content_hash,
            )
            result[deck_id][key] = StoredQuestion(question_id, deck_id, key, values, retired_at)
        return result

    def add_deck(self, slug: str, values: DeckValues, now: dt.datetime) -> int:
        """Insert a live deck; its id."""
        deck_id: int = self._session.execute(
            insert(Deck)
            .values(slug=slug, created_at=now, updated_at=now, **_deck_columns(values))
            .returning(Deck.id)
        ).scalar_one()
        return deck_id

    def update_deck(self, deck_id: int, values: DeckValues, now: dt.datetime) -> None:
        """Write the deck's values, live again (``retired_at`` cleared)."""
        self._session.execute(
            update(Deck)
            .where(Deck.id == deck_id)
            .values(retired_at=None, updated_at=now, **_deck_columns(values))
        )

    def retire_deck(self, deck_id: int, now: dt.datetime) -> None:
        self._session.execute(
            update(Deck).where(Deck.id == deck_id).values(retired_at=now, updated_at=now)
        )

    def add_questions(
        self, deck_id: int, questions: Sequence[NewQuestion], now: dt.datetime
    ) -> None:
        """Insert live questions into the deck (one statement)."""
        if not questions:
            return
        rows = [
            {
                "deck_id": deck_id,
                "key": question.key,
                "created_at": now,
                "updated_at": now,
                "retired_at": None,
                **_question_columns(question.values),
            }
            for question in questions
        ]
        self._session.execute(insert(Question), rows)

    def update_questions(self, questions: Mapping[int, QuestionValues], now: dt.datetime) -> None:
        """Write the values of questions by id, live again (``retired_at`` cleared)."""
        if not questions:
            return
        rows = [
            {"id": question_id, "retired_at": None, "updated_at": now, **_question_columns(v)}
            for question_id, v in questions.items()
        ]
        # ORM bulk UPDATE by primary key: one executemany.
        self._session.execute(update(Question), rows)

    def retire_questions(self, question_ids: Iterable[int], now: dt.datetime) -> None:
        ids = sorted(question_ids)
        if not ids:
            return
        self._session.execute(
            update(Question).where(Question.id.in_(ids)).values(retired_at=now, updated_at=now)
        )

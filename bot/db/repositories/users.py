"""The user store: students (and teachers) and their deck choices. Takes a Session, never
commits; returns frozen values (:class:`StoredUser`, :class:`DeckRow`), never rows.

Which decks a student sees is the study rule itself (:func:`bot.db.repositories.rules.available`):
the decks without a class, the decks of their classes, and those they switched on themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, func, insert, literal, select, update
from sqlalchemy.orm import Session

from bot.db.models import ClassTeacher, Deck, DeckChoice, Question, User
from bot.db.repositories.rules import available

_VIEW_COLUMNS = (
    User.id,
    User.telegram_id,
    User.chat_id,
    User.console_name,
    User.display_name,
    User.language,
    User.timezone,
    User.reminder_time,
    User.next_reminder_at,
    User.reminders_paused,
    User.new_cards_per_day,
    User.desired_retention,
    User.blocked_at,
    User.created_at,
    # Owner or co-teacher of a class: read with the user (one statement), so /aide and the
    # teachers' commands need no second query (tests/tg/test_concurrency.py).
    exists().where(ClassTeacher.user_id == User.id).label("teaches_a_class"),
)


@dataclass(frozen=True, slots=True)
class StoredUser:
    """The columns of a user the services hand on (``UserView``'s fields, in its order)."""

    id: int
    telegram_id: int | None
    chat_id: int | None
    console_name: str | None
    display_name: str
    language: str
    timezone: str
    reminder_time: dt.time | None
    next_reminder_at: dt.datetime | None
    reminders_paused: bool
    new_cards_per_day: int
    desired_retention: float
    blocked_at: dt.datetime | None
    created_at: dt.datetime
    teaches_a_class: bool


@dataclass(frozen=True, slots=True)
class DeckRow:
    """A live deck as the student's deck list shows it."""

    id: int
    slug: str
    title: str
    description: str | None
    language: str
    enabled: bool
    question_count: int


def _view(row: Sequence[Any]) -> StoredUser:
    return StoredUser(*row)  # the columns are StoredUser's fields, in order


def get(session: Session, user_id: int, *, for_update: bool = False) -> StoredUser | None:
    """The user ``user_id`` (row-locked on PostgreSQL with ``for_update``), or None."""
    return UserStore(session).get(user_id, for_update=for_update)


class UserStore:
    """Every statement of :class:`bot.services.users.UserService`."""

    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def _one(self, *where: Any, for_update: bool = False) -> StoredUser | None:
        query = select(*_VIEW_COLUMNS).where(*where)
        if for_update:
            query = query.with_for_update()
        row = self._session.execute(query).first()
        return None if row is None else _view(row)

    def get(self, user_id: int, *, for_update: bool = False) -> StoredUser | None:
        return self._one(User.id == user_id, for_update=for_update)

    def by_telegram_id(self, telegram_id: int, *, for_update: bool = False) -> StoredUser | None:
        return self._one(User.telegram_id == telegram_id, for_update=for_update)

    def by_console_name(self, name: str) -> StoredUser | None:
        return self._one(User.console_name == name)

    def add(self, values: dict[str, Any]) -> StoredUser:
        """Insert a user with these column values (raises ``IntegrityError`` on a duplicate
        Telegram id or terminal name, at the flush)."""
        user_id = self._session.execute(insert(User).values(**values).returning(User.id))
        found = self.get(int(user_id.scalar_one()))
        assert found is not None
        return found

    def change(self, user_id: int, values: dict[str, Any]) -> StoredUser:
        """Set these columns of the user and return them as they are now."""
        if values:
            self._session.execute(update(User).where(User.id == user_id).values(**values))
        found = self.get(user_id)
        assert found is not None
        return found

    def delete(self, user_id: int) -> bool:
        """Delete the user; the foreign keys cascade to every row that belongs to them."""
        result = self._session.execute(delete(User).where(User.id == user_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def decks(self, user_id: int) -> list[DeckRow]:
        """The live decks available to the student (slug order), with whether they study
        each and its live question count."""
        counts = (
            select(Question.deck_id, func.count(Question.id).label("n"))
            .where(Question.retired_at.is_(None))
            .group_by(Question.deck_id)
            .subquery()
        )
        rows = self._session.execute(
            select(
                Deck.id,
                Deck.slug,
                Deck.title,
                Deck.description,
                Deck.language,
                DeckChoice.enabled,
                func.coalesce(counts.c.n, 0),
            )
            .outerjoin(
                DeckChoice, (DeckChoice.deck_id == Deck.id) & (DeckChoice.user_id == user_id)
            )
            .outerjoin(counts, counts.c.deck_id == Deck.id)
            .where(Deck.retired_at.is_(None), available(literal(user_id), Deck.__table__.c.id))
            .order_by(Deck.slug)
        )
        return [
            DeckRow(deck_id, slug, title, description, language, enabled is not False, int(n))
            for deck_id, slug, title, description, language, enabled, n in rows
        ]

    def deck(self, user_id: int, slug: str) -> DeckRow | None:
        """One deck of :meth:`decks`, or None (retired, unknown, or another class's)."""
        return next((deck for deck in self.decks(user_id) if deck.slug == slug), None)

    def set_choice(self, user_id: int, deck_id: int, enabled: bool) -> None:
        """Switch the deck on or off for the student (raises ``IntegrityError`` when a
        concurrent first switch inserted the row first)."""
        changed = self._session.execute(
            update(DeckChoice)
            .where(DeckChoice.user_id == user_id, DeckChoice.deck_id == deck_id)
            .values(enabled=enabled)
        )
        if not changed.rowcount:  # type: ignore[attr-defined]
            self._session.execute(
                insert(DeckChoice).values(user_id=user_id, deck_id=deck_id, enabled=enabled)
            )

    def reminder_fields(self, user_id: int) -> tuple[dt.time | None, bool, dt.datetime | None]:
        """(reminder time, paused, blocked at) of the user."""
        row = self._session.execute(
            select(User.reminder_time, User.reminders_paused, User.blocked_at).where(
                User.id == user_id
            )
        ).one()
        return row[0], bool(row[1]), row[2]

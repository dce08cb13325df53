"""Students and their deck choices. Functions take a Session and never commit."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db.models import Deck, DeckChoice, Question, User


def get(session: Session, user_id: int, *, for_update: bool = False) -> User | None:
    query = select(User).where(User.id == user_id)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def by_telegram_id(session: Session, telegram_id: int) -> User | None:
    return session.scalar(select(User).where(User.telegram_id == telegram_id))


def by_console_name(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.console_name == name))


def delete_user(session: Session, user_id: int) -> bool:
    """Delete the student; the foreign keys cascade to every row that belongs to them."""
    result = session.execute(delete(User).where(User.id == user_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def live_deck(session: Session, slug: str) -> Deck | None:
    return session.scalar(select(Deck).where(Deck.slug == slug, Deck.retired_at.is_(None)))


def deck_choices(session: Session, user_id: int) -> list[tuple[Deck, bool, int]]:
    """Every live deck with whether the student studies it and its live question count."""
    counts = (
        select(Question.deck_id, func.count(Question.id).label("n"))
        .where(Question.retired_at.is_(None))
        .group_by(Question.deck_id)
        .subquery()
    )
    rows = session.execute(
        select(Deck, DeckChoice.enabled, func.coalesce(counts.c.n, 0))
        .outerjoin(DeckChoice, (DeckChoice.deck_id == Deck.id) & (DeckChoice.user_id == user_id))
        .outerjoin(counts, counts.c.deck_id == Deck.id)
        .where(Deck.retired_at.is_(None))
        .order_by(Deck.slug)
    )
    return [(deck, enabled is not False, int(n)) for deck, enabled, n in rows]


def deck_choice(session: Session, user_id: int, deck_id: int) -> DeckChoice | None:
    return session.get(DeckChoice, (user_id, deck_id))


def live_question_count(session: Session, deck_id: int) -> int:
    return (
        session.scalar(
            select(func.count(Question.id)).where(
                Question.deck_id == deck_id, Question.retired_at.is_(None)
            )
        )
        or 0
    )

"""Decks and questions as the content sync reads and writes them. Never commits.

These functions hand back ORM rows on purpose: the import service edits them in place, so that
an edited question keeps its primary key (and with it, students' cards and review history).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Deck, Question


def lock_content(session: Session) -> None:
    """Serialise content writers on SQLite; a no-op elsewhere (rows are locked by `FOR UPDATE`).

    SQLite has no row locks, and pysqlite starts its transaction only at the first write, so two
    imports could both read the old state before either writes. ``BEGIN IMMEDIATE`` takes the
    database's write lock before reading (the other writer waits ``busy_timeout``). Must be the
    first statement of the session's transaction.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not getattr(connection.connection.driver_connection, "in_transaction", False):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def get_decks_by_slug(
    session: Session, slugs: Collection[str] | None = None, *, for_update: bool = False
) -> dict[str, Deck]:
    """Decks, retired ones included, by slug (all of them when ``slugs`` is None).

    ``for_update`` locks the rows (PostgreSQL) in primary-key order, so that two writers
    locking overlapping sets cannot deadlock.
    """
    query = select(Deck).order_by(Deck.id)
    if slugs is not None:
        if not slugs:
            return {}
        query = query.where(Deck.slug.in_(sorted(slugs)))
    if for_update:
        query = query.with_for_update()
    return {deck.slug: deck for deck in session.scalars(query)}


def questions_of(session: Session, deck_id: int) -> dict[str, Question]:
    """Every question of a deck, retired ones included, by key."""
    return questions_of_decks(session, [deck_id]).get(deck_id, {})


def questions_of_decks(
    session: Session, deck_ids: Collection[int]
) -> dict[int, dict[str, Question]]:
    """Every question of the given decks, retired ones included: deck id -> key -> question."""
    result: dict[int, dict[str, Question]] = {deck_id: {} for deck_id in deck_ids}
    if not deck_ids:
        return result
    query = (
        select(Question)
        .where(Question.deck_id.in_(sorted(deck_ids)))
        .order_by(Question.deck_id, Question.position, Question.id)
    )
    for question in session.scalars(query):
        result[question.deck_id][question.key] = question
    return result


def add_deck(session: Session, deck: Deck) -> Deck:
    """Insert a deck and flush, so that its id is known."""
    session.add(deck)
    session.flush()
    return deck


def add_questions(session: Session, questions: Collection[Question]) -> None:
    session.add_all(questions)

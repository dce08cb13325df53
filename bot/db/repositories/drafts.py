"""The draft store: generated decks under review and their items. Takes a Session, never
commits; returns frozen values and domain questions, never rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.orm import Session

from bot.db.models import Deck, DeckDraft, DraftItem, SchoolClass
from bot.db.repositories.study import question_of
from bot.domain.deck import Question

PENDING = "pending"
KEPT = "kept"
CORRECTED = "corrected"
DELETED = "deleted"
ITEM_STATES = (PENDING, KEPT, CORRECTED, DELETED)


@dataclass(frozen=True, slots=True)
class StoredDraft:
    id: int
    teacher_id: int
    class_id: int | None
    class_name: str | None
    slug: str
    title: str
    status: str
    error: str | None
    chat_id: int | None
    message_id: int | None
    created_at: dt.datetime
    pending: int
    kept: int
    corrected: int
    deleted: int


@dataclass(frozen=True, slots=True)
class StoredItem:
    id: int
    draft_id: int
    position: int
    state: str
    question: Question


def _count(state: str) -> Any:
    return func.coalesce(func.sum(case((DraftItem.state == state, 1), else_=0)), 0)


def question_values(question: Question) -> dict[str, Any]:
    return {
        "key": question.key,
        "kind": question.kind.value,
        "prompt": question.prompt,
        "answer": question.answer,
        "accept": list(question.accept),
        "distractors": list(question.distractors),
        "explanation": question.explanation,
        "source_sentence": question.source,
        "tags": list(question.tags),
        "confidence": question.confidence,
    }


class DraftStore:
    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    def _drafts(self, *where: Any) -> list[StoredDraft]:
        counts = (
            select(
                DraftItem.draft_id.label("draft_id"),
                _count(PENDING).label("pending"),
                _count(KEPT).label("kept"),
                _count(CORRECTED).label("corrected"),
                _count(DELETED).label("deleted"),
            )
            .group_by(DraftItem.draft_id)
            .subquery()
        )
        rows = self._session.execute(
            select(
                DeckDraft.id,
                DeckDraft.teacher_id,
                DeckDraft.class_id,
                SchoolClass.name,
                DeckDraft.slug,
                DeckDraft.title,
                DeckDraft.status,
                DeckDraft.error,
                DeckDraft.chat_id,
                DeckDraft.message_id,
                DeckDraft.created_at,
                func.coalesce(counts.c.pending, 0),
                func.coalesce(counts.c.kept, 0),
                func.coalesce(counts.c.corrected, 0),
                func.coalesce(counts.c.deleted, 0),
            )
            .outerjoin(SchoolClass, SchoolClass.id == DeckDraft.class_id)
            .outerjoin(counts, counts.c.draft_id == DeckDraft.id)
            .where(*where)
            .order_by(DeckDraft.id)
        )
        return [
            StoredDraft(
                id=row[0],
                teacher_id=row[1],
                class_id=row[2],
                class_name=row[3],
                slug=row[4],
                title=row[5],
                status=row[6],
                error=row[7],
                chat_id=row[8],
                message_id=row[9],
                created_at=row[10],
                pending=int(row[11]),
                kept=int(row[12]),
                corrected=int(row[13]),
                deleted=int(row[14]),
            )
            for row in rows
        ]

    def get(self, draft_id: int) -> StoredDraft | None:
        found = self._drafts(DeckDraft.id == draft_id)
        return found[0] if found else None

    def of_teacher(self, teacher_id: int, statuses: tuple[str, ...]) -> list[StoredDraft]:
        return self._drafts(DeckDraft.teacher_id == teacher_id, DeckDraft.status.in_(statuses))

    def with_status(self, statuses: tuple[str, ...]) -> list[StoredDraft]:
        return self._drafts(DeckDraft.status.in_(statuses))

    def by_slug(self, teacher_id: int, slug: str) -> StoredDraft | None:
        found = self._drafts(DeckDraft.teacher_id == teacher_id, DeckDraft.slug == slug)
        return found[-1] if found else None

    def deck_source_file(self, slug: str) -> str | None:
        """Where the deck ``slug`` was imported from (as the import service stored it)."""
        return self._session.scalar(select(Deck.source_file).where(Deck.slug == slug))

    def source_text(self, draft_id: int) -> str | None:
        return self._session.scalar(select(DeckDraft.source_text).where(DeckDraft.id == draft_id))

    def add(self, values: dict[str, Any]) -> int:
        return int(
            self._session.execute(
                insert(DeckDraft).values(**values).returning(DeckDraft.id)
            ).scalar_one()
        )

    def change(self, draft_id: int, values: dict[str, Any]) -> None:
        self._session.execute(update(DeckDraft).where(DeckDraft.id == draft_id).values(**values))

    def set_status(
        self, draft_id: int, status: str, now: dt.datetime, *, only_from: tuple[str, ...] = ()
    ) -> bool:
        """Set the status (only from one of ``only_from`` when given); False if not set."""
        query = update(DeckDraft).where(DeckDraft.id == draft_id)
        if only_from:
            query = query.where(DeckDraft.status.in_(only_from))
        done = self._session.execute(query.values(status=status, updated_at=now))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    # --- items ----------------------------------------------------------------------------

    def replace_items(
        self, draft_id: int, questions: list[Question], state: str, now: dt.datetime
    ) -> None:
        """The draft's items become ``questions`` in this order (earlier items deleted)."""
        self._session.execute(delete(DraftItem).where(DraftItem.draft_id == draft_id))
        if questions:
            self._session.execute(
                insert(DraftItem),
                [
                    {
                        "draft_id": draft_id,
                        "position": position,
                        "state": state,
                        "updated_at": now,
                        **question_values(q),
                    }
                    for position, q in enumerate(questions)
                ],
            )

    def _items(self, *where: Any, limit: int | None = None) -> list[StoredItem]:
        query = select(DraftItem).where(*where).order_by(DraftItem.position, DraftItem.id)
        if limit is not None:
            query = query.limit(limit)
        return [
            StoredItem(row.id, row.draft_id, row.position, row.state, question_of(row))
            for row in self._session.scalars(query)
        ]

    def items(self, draft_id: int) -> list[StoredItem]:
        return self._items(DraftItem.draft_id == draft_id)

    def item(self, draft_id: int, item_id: int) -> StoredItem | None:
        found = self._items(DraftItem.draft_id == draft_id, DraftItem.id == item_id)
        return found[0] if found else None

    def next_pending(self, draft_id: int) -> StoredItem | None:
        found = self._items(DraftItem.draft_id == draft_id, DraftItem.state == PENDING, limit=1)
        return found[0] if found else None

    def set_item_state(self, item_id: int, state: str, now: dt.datetime) -> None:
        self._session.execute(
            update(DraftItem).where(DraftItem.id == item_id).values(state=state, updated_at=now)
        )

    def move_to_end(self, draft_id: int, item_id: int, now: dt.datetime) -> None:
        """« Plus tard »: the item comes back after every other pending one."""
        last = self._session.scalar(
            select(func.max(DraftItem.position)).where(DraftItem.draft_id == draft_id)
        )
        self._session.execute(
            update(DraftItem)
            .where(DraftItem.id == item_id)
            .values(position=(last or 0) + 1, updated_at=now)
        )

    def keep_pending(self, draft_id: int, now: dt.datetime) -> int:
        done = self._session.execute(
            update(DraftItem)
            .where(DraftItem.draft_id == draft_id, DraftItem.state == PENDING)
            .values(state=KEPT, updated_at=now)
        )
        return int(done.rowcount)  # type: ignore[attr-defined]

    def set_question(self, item_id: int, question: Question, state: str, now: dt.datetime) -> None:
        values = question_values(question)
        values.pop("key")
        self._session.execute(
            update(DraftItem)
            .where(DraftItem.id == item_id)
            .values(state=state, updated_at=now, **values)
        )

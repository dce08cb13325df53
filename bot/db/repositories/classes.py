"""The class store: classes, their teachers, students, decks, invite codes and linked group
chats. Takes a Session, never commits; returns frozen values, never rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    delete,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.db.models import (
    ClassChat,
    ClassDeck,
    ClassInvite,
    ClassMember,
    ClassTeacher,
    Deck,
    DeckChoice,
    Question,
    SchoolClass,
    User,
)
from bot.db.repositories.exports import StudentDeckRow, student_deck_rows


@dataclass(frozen=True, slots=True)
class StoredClass:
    id: int
    name: str
    owner_id: int
    students: int


@dataclass(frozen=True, slots=True)
class StoredInvite:
    class_id: int
    code: str
    role: str
    revoked: bool


@dataclass(frozen=True, slots=True)
class StoredMember:
    user_id: int
    display_name: str
    joined_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StoredClassDeck:
    deck_id: int
    slug: str
    title: str
    questions: int


def _students_of(class_id: int) -> Select[int]:
    return select(ClassMember.user_id).where(ClassMember.class_id == class_id)


class ClassStore:
    __slots__ = ("_session",)

    def __init__(self, session: Session) -> None:
        self._session = session

    # --- classes --------------------------------------------------------------------------

    def _classes(self, *where: object) -> list[StoredClass]:
        students = (
            select(func.count())
            .where(ClassMember.class_id == SchoolClass.id)
            .correlate(SchoolClass)
            .scalar_subquery()
        )
        rows = self._session.execute(
            select(SchoolClass.id, SchoolClass.name, SchoolClass.owner_id, students)
            .where(*where)  # type: ignore[arg-type]
            .order_by(func.lower(SchoolClass.name), SchoolClass.id)
        )
        return [StoredClass(cid, name, owner, int(n)) for cid, name, owner, n in rows]

    def get(self, class_id: int) -> StoredClass | None:
        found = self._classes(SchoolClass.id == class_id)
        return found[0] if found else None

    def taught_by(self, user_id: int) -> list[StoredClass]:
        """The classes ``user_id`` owns or co-teaches."""
        mine = exists().where(
            ClassTeacher.class_id == SchoolClass.id, ClassTeacher.user_id == user_id
        )
        return self._classes(mine)

    def of_student(self, user_id: int) -> list[StoredClass]:
        member = exists().where(
            ClassMember.class_id == SchoolClass.id, ClassMember.user_id == user_id
        )
        return self._classes(member)

    def name_taken(self, owner_id: int, name: str) -> bool:
        return bool(
            self._session.scalar(
                select(
                    exists().where(
                        SchoolClass.owner_id == owner_id,
                        func.lower(SchoolClass.name) == name.lower(),
                    )
                )
            )
        )

    def add(self, owner_id: int, name: str, now: dt.datetime) -> int:
        """A new class with its owner as teacher (``IntegrityError`` on a duplicate name)."""
        class_id = int(
            self._session.execute(
                insert(SchoolClass)
                .values(name=name, owner_id=owner_id, created_at=now)
                .returning(SchoolClass.id)
            ).scalar_one()
        )
        self.add_teacher(class_id, owner_id, "owner", now)
        return class_id

    # --- teachers -------------------------------------------------------------------------

    def teacher_role(self, class_id: int, user_id: int) -> str | None:
        return self._session.scalar(
            select(ClassTeacher.role).where(
                ClassTeacher.class_id == class_id, ClassTeacher.user_id == user_id
            )
        )

    def teaches_any(self, user_id: int) -> bool:
        return bool(self._session.scalar(select(exists().where(ClassTeacher.user_id == user_id))))

    def add_teacher(self, class_id: int, user_id: int, role: str, now: dt.datetime) -> bool:
        """Make ``user_id`` a teacher of the class; False if they already were."""
        if self.teacher_role(class_id, user_id) is not None:
            return False
        self._session.execute(
            insert(ClassTeacher).values(
                class_id=class_id, user_id=user_id, role=role, added_at=now
            )
        )
        return True

    def teachers(self, class_id: int) -> list[tuple[int, str, str]]:
        """(user id, name, role) of the class's teachers, the owner first."""
        rows = self._session.execute(
            select(User.id, User.display_name, ClassTeacher.role)
            .join(ClassTeacher, ClassTeacher.user_id == User.id)
            .where(ClassTeacher.class_id == class_id)
            .order_by(case((ClassTeacher.role == "owner", 0), else_=1), User.display_name)
        )
        return [(uid, name, role) for uid, name, role in rows]

    # --- students -------------------------------------------------------------------------

    def is_member(self, class_id: int, user_id: int) -> bool:
        return bool(
            self._session.scalar(
                select(
                    exists().where(
                        ClassMember.class_id == class_id, ClassMember.user_id == user_id
                    )
                )
            )
        )

    def add_member(self, class_id: int, user_id: int, now: dt.datetime) -> bool:
        """False if the student was already in the class."""
        if self.is_member(class_id, user_id):
            return False
        self._session.execute(
            insert(ClassMember).values(class_id=class_id, user_id=user_id, joined_at=now)
        )
        return True

    def remove_member(self, class_id: int, user_id: int) -> bool:
        """Take the student out; their own « switched on » choices of the class's decks go
        too (unless another of their classes has the deck), so the decks leave with the
        class. Their cards and answers stay."""
        removed = self._session.execute(
            delete(ClassMember).where(
                ClassMember.class_id == class_id, ClassMember.user_id == user_id
            )
        )
        if not removed.rowcount:  # type: ignore[attr-defined]
            return False
        kept_by_other_class = (
            select(ClassDeck.deck_id)
            .join(ClassMember, ClassMember.class_id == ClassDeck.class_id)
            .where(ClassMember.user_id == user_id)
        )
        self._session.execute(
            delete(DeckChoice).where(
                DeckChoice.user_id == user_id,
                DeckChoice.enabled.is_(True),
                DeckChoice.deck_id.in_(
                    select(ClassDeck.deck_id).where(ClassDeck.class_id == class_id)
                ),
                DeckChoice.deck_id.not_in(kept_by_other_class),
            )
        )
        return True

    def members(self, class_id: int) -> list[StoredMember]:
        rows = self._session.execute(
            select(User.id, User.display_name, ClassMember.joined_at)
            .join(ClassMember, ClassMember.user_id == User.id)
            .where(ClassMember.class_id == class_id)
            .order_by(User.display_name, User.id)
        )
        return [StoredMember(uid, name, joined) for uid, name, joined in rows]

    # --- decks ----------------------------------------------------------------------------

    def decks(self, class_id: int, *, with_public: bool = False) -> list[StoredClassDeck]:
        """The live decks assigned to the class (and, ``with_public``, the decks without any
        class, which are everybody's), in slug order."""
        count = (
            select(func.count(Question.id))
            .where(Question.deck_id == Deck.id, Question.retired_at.is_(None))
            .correlate(Deck)
            .scalar_subquery()
        )
        mine = exists().where(ClassDeck.deck_id == Deck.id, ClassDeck.class_id == class_id)
        wanted: ColumnElement[bool] = mine
        if with_public:
            wanted = or_(mine, not_(exists().where(ClassDeck.deck_id == Deck.id)))
        rows = self._session.execute(
            select(Deck.id, Deck.slug, Deck.title, count)
            .where(wanted, Deck.retired_at.is_(None))
            .order_by(Deck.slug)
        )
        return [StoredClassDeck(did, slug, title, int(n)) for did, slug, title, n in rows]

    def deck_options(self, class_id: int) -> list[tuple[int, str, str, bool]]:
        """(id, slug, title, given to the class) of the live decks a teacher of the class may
        give to it or take back: the decks without a class and the class's own."""
        mine = exists().where(ClassDeck.deck_id == Deck.id, ClassDeck.class_id == class_id)
        public = not_(exists().where(ClassDeck.deck_id == Deck.id))
        rows = self._session.execute(
            select(Deck.id, Deck.slug, Deck.title, mine)
            .where(Deck.retired_at.is_(None), or_(mine, public))
            .order_by(Deck.slug)
        )
        return [(did, slug, title, bool(given)) for did, slug, title, given in rows]

    def deck_id(self, slug: str) -> int | None:
        return self._session.scalar(
            select(Deck.id).where(Deck.slug == slug, Deck.retired_at.is_(None))
        )

    def assign_deck(self, class_id: int, deck_id: int, now: dt.datetime) -> bool:
        found = self._session.scalar(
            select(exists().where(ClassDeck.class_id == class_id, ClassDeck.deck_id == deck_id))
        )
        if found:
            return False
        self._session.execute(
            insert(ClassDeck).values(class_id=class_id, deck_id=deck_id, assigned_at=now)
        )
        return True

    def unassign_deck(self, class_id: int, deck_id: int) -> bool:
        done = self._session.execute(
            delete(ClassDeck).where(ClassDeck.class_id == class_id, ClassDeck.deck_id == deck_id)
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]

    # --- invite codes ---------------------------------------------------------------------

    def active_invite(self, class_id: int, role: str) -> StoredInvite | None:
        code = self._session.scalar(
            select(ClassInvite.code)
            .where(
                ClassInvite.class_id == class_id,
                ClassInvite.role == role,
                ClassInvite.revoked_at.is_(None),
            )
            .order_by(ClassInvite.id.desc())
            .limit(1)
        )
        return None if code is None else StoredInvite(class_id, code, role, False)

    def add_invite(self, class_id: int, code: str, role: str, now: dt.datetime) -> StoredInvite:
        self._session.execute(
            insert(ClassInvite).values(class_id=class_id, code=code, role=role, created_at=now)
        )
        return StoredInvite(class_id, code, role, False)

    def revoke_invites(self, class_id: int, role: str, now: dt.datetime) -> int:
        done = self._session.execute(
            update(ClassInvite)
            .where(
                ClassInvite.class_id == class_id,
                ClassInvite.role == role,
                ClassInvite.revoked_at.is_(None),
            )
            .values(revoked_at=now)
        )
        return int(done.rowcount)  # type: ignore[attr-defined]

    def invite(self, code: str) -> StoredInvite | None:
        row = self._session.execute(
            select(ClassInvite.class_id, ClassInvite.role, ClassInvite.revoked_at).where(
                ClassInvite.code == code
            )
        ).first()
        if row is None:
            return None
        return StoredInvite(row[0], code, row[1], row[2] is not None)

    # --- group chats ----------------------------------------------------------------------

    def link_chat(self, chat_id: int, class_id: int, now: dt.datetime) -> None:
        self._session.execute(delete(ClassChat).where(ClassChat.chat_id == chat_id))
        self._session.execute(
            insert(ClassChat).values(chat_id=chat_id, class_id=class_id, linked_at=now)
        )

    def unlink_chat(self, chat_id: int) -> bool:
        done = self._session.execute(delete(ClassChat).where(ClassChat.chat_id == chat_id))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def class_of_chat(self, chat_id: int) -> int | None:
        return self._session.scalar(select(ClassChat.class_id).where(ClassChat.chat_id == chat_id))

    # --- the export -----------------------------------------------------------------------

    def member_deck_rows(self, class_id: int, week_start: dt.datetime) -> list[StudentDeckRow]:
        """One row per (student of the class, deck they hold cards in): the export's one
        statement (:func:`bot.db.repositories.exports.student_deck_rows`; practice answers
        are not study), for the class's students, by student."""
        rows = student_deck_rows(self._session, week_start, members=_students_of(class_id))
        return sorted(rows, key=lambda m: (m.student, m.user_id, m.deck_slug))

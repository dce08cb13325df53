"""Classes: a teacher creates one, students join it with an invite link, decks are assigned to
it, a Telegram group chat can be linked to it.

Who is a teacher: an id in ``TEACHER_IDS`` (the front end knows it and passes
``staff=True``), or someone a teacher of a class named co-teacher (with a co-teacher invite
link). A teacher sees only the classes they teach and only those classes' students. Every
method that reads or changes a class checks that the caller teaches it
(:class:`~bot.services.views.NotTeacherOfClass`).

Invite codes are 16 characters of ``secrets.token_urlsafe`` (96 random bits): they cannot be
guessed; a teacher can renew them (the old one stops working) at any time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.db.errors import IntegrityError
from bot.db.repositories.classes import ClassStore, StoredClass
from bot.db.repositories.users import UserStore
from bot.db.session import SessionFactory
from bot.services.views import ClassNotFound, DeckNotFound, NotTeacherOfClass, ServiceError

MAX_CLASS_NAME = 64
#: Bytes of randomness of an invite code (16 URL-safe characters).
INVITE_BYTES = 12
#: What an invite code looks like (``token_urlsafe``); anything else is refused unread.
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")
STUDENT = "student"
TEACHER = "teacher"

CSV_COLUMNS = (
    "eleve",
    "paquet",
    "cartes",
    "reponses",
    "bonnes_reponses",
    "reussite_pct",
    "reponses_7j",
    "derniere_reponse",
)


class InvalidClassName(ServiceError, ValueError):
    """Empty, too long, or already one of this teacher's classes (``taken``)."""

    def __init__(self, name: str, *, taken: bool = False) -> None:
        super().__init__(f"invalid class name {name!r}")
        self.name = name
        self.taken = taken


@dataclass(frozen=True, slots=True)
class ClassView:
    id: int
    name: str
    owner_id: int
    students: int


@dataclass(frozen=True, slots=True)
class Invite:
    class_id: int
    class_name: str
    code: str
    role: str


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    display_name: str
    joined_at: dt.datetime


@dataclass(frozen=True, slots=True)
class ClassDeckView:
    slug: str
    title: str
    questions: int


@dataclass(frozen=True, slots=True)
class ClassDeckChoice:
    deck_id: int
    slug: str
    title: str
    given: bool


class JoinStatus(StrEnum):
    JOINED = "joined"  # now a student of the class
    ALREADY = "already"  # was one already
    TEACHER_ADDED = "teacher_added"  # now a co-teacher of the class
    ALREADY_TEACHER = "already_teacher"  # teaches it already (a student link changes nothing)
    UNKNOWN = "unknown"  # no such code (forged, mistyped)
    REVOKED = "revoked"  # the code was renewed or withdrawn


@dataclass(frozen=True, slots=True)
class JoinOutcome:
    status: JoinStatus
    class_id: int | None = None
    class_name: str | None = None

    @property
    def ok(self) -> bool:
        return self.status not in (JoinStatus.UNKNOWN, JoinStatus.REVOKED)


def _view(row: StoredClass) -> ClassView:
    return ClassView(row.id, row.name, row.owner_id, row.students)


def new_code() -> str:
    return secrets.token_urlsafe(INVITE_BYTES)


def clean_name(name: str) -> str:
    """The class name as stored: spaces collapsed; raises :class:`InvalidClassName`."""
    cleaned = " ".join(name.replace("\x00", "").split())
    if not cleaned or len(cleaned) > MAX_CLASS_NAME:
        raise InvalidClassName(name)
    return cleaned


class ClassService:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._sessions = session_factory

    # --- who teaches what -----------------------------------------------------------------

    def is_teacher(self, user_id: int) -> bool:
        """``user_id`` teaches at least one class (owner or co-teacher)."""
        with self._sessions() as session:
            return ClassStore(session).teaches_any(user_id)

    def classes_taught(self, teacher_id: int) -> list[ClassView]:
        """The classes ``teacher_id`` owns or co-teaches, by name."""
        with self._sessions() as session:
            return [_view(c) for c in ClassStore(session).taught_by(teacher_id)]

    def classes_of_student(self, user_id: int) -> list[ClassView]:
        """The classes ``user_id`` is a student of, by name."""
        with self._sessions() as session:
            return [_view(c) for c in ClassStore(session).of_student(user_id)]

    def is_teacher_of(self, class_id: int, user_id: int) -> bool:
        with self._sessions() as session:
            return ClassStore(session).teacher_role(class_id, user_id) is not None

    def get(self, class_id: int, teacher_id: int) -> ClassView:
        """The class, for one of its teachers."""
        with self._sessions() as session:
            return _view(self._taught(ClassStore(session), class_id, teacher_id))

    # --- creating, inviting, joining ------------------------------------------------------

    def create(self, teacher_id: int, name: str, now: dt.datetime) -> Invite:
        """A new class owned by ``teacher_id``, with its student invite code."""
        cleaned = clean_name(name)
        with self._sessions() as session:
            store = ClassStore(session)
            if store.name_taken(teacher_id, cleaned):
                raise InvalidClassName(cleaned, taken=True)
            try:
                class_id = store.add(teacher_id, cleaned, now)
                invite = store.add_invite(class_id, new_code(), STUDENT, now)
                session.commit()
            except IntegrityError as exc:  # the same name created twice at once
                raise InvalidClassName(cleaned, taken=True) from exc
            return Invite(class_id, cleaned, invite.code, STUDENT)

    def invite(
        self, class_id: int, teacher_id: int, now: dt.datetime, role: str = STUDENT
    ) -> Invite:
        """The class's current invite code for ``role`` (``student`` or ``teacher``); one is
        made when there is none."""
        with self._sessions() as session:
            store = ClassStore(session)
            found = self._taught(store, class_id, teacher_id)
            invite = store.active_invite(class_id, role)
            if invite is None:
                invite = store.add_invite(class_id, new_code(), role, now)
                session.commit()
            return Invite(class_id, found.name, invite.code, role)

    def renew_invite(
        self, class_id: int, teacher_id: int, now: dt.datetime, role: str = STUDENT
    ) -> Invite:
        """Withdraw the class's code for ``role`` and make a new one: the old link stops
        working (students already in the class stay)."""
        with self._sessions() as session:
            store = ClassStore(session)
            found = self._taught(store, class_id, teacher_id)
            store.revoke_invites(class_id, role, now)
            invite = store.add_invite(class_id, new_code(), role, now)
            session.commit()
            return Invite(class_id, found.name, invite.code, role)

    def revoke_invite(
        self, class_id: int, teacher_id: int, now: dt.datetime, role: str = STUDENT
    ) -> int:
        """Withdraw the class's codes for ``role`` without a new one; how many were live."""
        with self._sessions() as session:
            store = ClassStore(session)
            self._taught(store, class_id, teacher_id)
            count = store.revoke_invites(class_id, role, now)
            session.commit()
            return count

    def join(self, code: str, user_id: int, now: dt.datetime) -> JoinOutcome:
        """Use an invite code: a student code makes ``user_id`` a student of the class, a
        co-teacher code a teacher of it. Forged and withdrawn codes change nothing."""
        with self._sessions() as session:
            store = ClassStore(session)
            code = code.strip()
            invite = store.invite(code) if CODE_SHAPE.fullmatch(code) else None
            if invite is None:
                return JoinOutcome(JoinStatus.UNKNOWN)
            found = store.get(invite.class_id)
            if found is None:
                return JoinOutcome(JoinStatus.UNKNOWN)
            if invite.revoked:
                return JoinOutcome(JoinStatus.REVOKED, found.id, found.name)
            teaches = store.teacher_role(found.id, user_id) is not None
            if invite.role == TEACHER:
                if teaches:
                    status = JoinStatus.ALREADY_TEACHER
                else:
                    store.add_teacher(found.id, user_id, "co", now)
                    status = JoinStatus.TEACHER_ADDED
            elif teaches:
                status = JoinStatus.ALREADY_TEACHER
            else:
                status = (
                    JoinStatus.JOINED
                    if store.add_member(found.id, user_id, now)
                    else JoinStatus.ALREADY
                )
            try:
                session.commit()
            except IntegrityError:  # the same link opened twice at once: the other one won
                session.rollback()
                status = JoinStatus.ALREADY
            return JoinOutcome(status, found.id, found.name)

    def leave(self, class_id: int, user_id: int) -> bool:
        """The student leaves the class (their cards and answers stay); False if they were
        not in it."""
        with self._sessions() as session:
            left = ClassStore(session).remove_member(class_id, user_id)
            session.commit()
            return left

    # --- students and decks of a class ----------------------------------------------------

    def members(self, class_id: int, teacher_id: int) -> list[Member]:
        with self._sessions() as session:
            store = ClassStore(session)
            self._taught(store, class_id, teacher_id)
            return [
                Member(m.user_id, m.display_name, m.joined_at) for m in store.members(class_id)
            ]

    def decks_of_class(self, class_id: int) -> list[ClassDeckView]:
        """The live decks assigned to the class (not the decks for everybody), by slug."""
        with self._sessions() as session:
            return [
                ClassDeckView(d.slug, d.title, d.questions)
                for d in ClassStore(session).decks(class_id)
            ]

    def decks_for_class(self, class_id: int) -> list[ClassDeckView]:
        """What the class studies: its own decks and the decks without a class, by slug."""
        with self._sessions() as session:
            found = ClassStore(session).decks(class_id, with_public=True)
            return [ClassDeckView(d.slug, d.title, d.questions) for d in found]

    def assign_deck(
        self, class_id: int, teacher_id: int, deck_slug: str, now: dt.datetime
    ) -> bool:
        """Give the live deck ``deck_slug`` to the class (it is then no longer for everybody,
        only for the classes it is given to); False if it already was."""
        with self._sessions() as session:
            store = ClassStore(session)
            self._taught(store, class_id, teacher_id)
            deck_id = store.deck_id(deck_slug)
            if deck_id is None:
                raise DeckNotFound(deck_slug)
            done = store.assign_deck(class_id, deck_id, now)
            session.commit()
            return done

    def deck_options(self, class_id: int, teacher_id: int) -> list[ClassDeckChoice]:
        """The decks a teacher may give to the class or take back (the decks without a
        class, and the class's own), by slug."""
        with self._sessions() as session:
            store = ClassStore(session)
            self._taught(store, class_id, teacher_id)
            return [ClassDeckChoice(*row) for row in store.deck_options(class_id)]

    def toggle_deck(self, class_id: int, teacher_id: int, deck_id: int, now: dt.datetime) -> bool:
        """Give the deck to the class, or take it back if it was given; True when the class
        now has it. A deck given to a class is no longer for everybody: only the students of
        the classes that have it study it (and those who switched it on themselves)."""
        with self._sessions() as session:
            store = ClassStore(session)
            self._taught(store, class_id, teacher_id)
            options = {row[0]: row[3] for row in store.deck_options(class_id)}
            if deck_id not in options:
                raise DeckNotFound(str(deck_id))
            if options[deck_id]:
                store.unassign_deck(class_id, deck_id)
            else:
                store.assign_deck(class_id, deck_id, now)
            session.commit()
            return not options[deck_id]

    # --- group chats ----------------------------------------------------------------------

    def link_chat(
        self, chat_id: int, class_id: int, teacher_id: int, now: dt.datetime
    ) -> ClassView:
        """Link a Telegram group chat to the class (replacing an earlier link of that chat)."""
        with self._sessions() as session:
            store = ClassStore(session)
            found = self._taught(store, class_id, teacher_id)
            store.link_chat(chat_id, class_id, now)
            session.commit()
            return _view(found)

    def unlink_chat(self, chat_id: int) -> bool:
        with self._sessions() as session:
            done = ClassStore(session).unlink_chat(chat_id)
            session.commit()
            return done

    def class_of_chat(self, chat_id: int) -> ClassView | None:
        """The class a group chat is linked to, or None."""
        with self._sessions() as session:
            store = ClassStore(session)
            class_id = store.class_of_chat(chat_id)
            found = None if class_id is None else store.get(class_id)
            return None if found is None else _view(found)

    # --- the export -----------------------------------------------------------------------

    def class_csv(self, class_id: int, teacher_id: int, now: dt.datetime, timezone: str) -> str:
        """One row per student of the class × deck they study (``CSV_COLUMNS``), separated by
        semicolons as French spreadsheets expect; times in ``timezone`` (the teacher's). The
        front end adds the UTF-8 BOM when it sends the file."""
        zone = ZoneInfo(timezone)
        with self._sessions() as session:
            store = ClassStore(session)
            self._taught(store, class_id, teacher_id)
            rows = store.member_deck_rows(class_id, now - dt.timedelta(days=7))
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            rate = round(100 * row.correct / row.answers) if row.answers else ""
            last = (
                row.last_answer_at.astimezone(zone).strftime("%d/%m/%Y %H:%M")
                if row.last_answer_at
                else ""
            )
            writer.writerow(
                (
                    row.student,
                    row.deck_slug,
                    row.cards,
                    row.answers,
                    row.correct,
                    rate,
                    row.answers_7d,
                    last,
                )
            )
        return out.getvalue()

    @staticmethod
    def _taught(store: ClassStore, class_id: int, teacher_id: int) -> StoredClass:
        found = store.get(class_id)
        if found is None:
            raise ClassNotFound(class_id)
        if store.teacher_role(class_id, teacher_id) is None:
            raise NotTeacherOfClass(class_id, teacher_id)
        return found


@dataclass(frozen=True, slots=True)
class ClassGameAccess:
    """Who may run the class game in a group, and on which decks (``GameAccess`` of
    :mod:`bot.services.game`).

    In a group linked to a class (``/lier``): the class's teachers only (owner and
    co-teachers, whether or not in ``TEACHER_IDS``), on the class's decks. In a group with no
    class: any teacher of ``TEACHER_IDS``, on every live deck.
    """

    sessions: SessionFactory
    teacher_ids: Collection[int]

    def may_run(self, chat_id: int, telegram_id: int) -> bool:
        with self.sessions() as session:
            store = ClassStore(session)
            class_id = store.class_of_chat(chat_id)
            if class_id is None:
                return telegram_id in self.teacher_ids
            user = UserStore(session).by_telegram_id(telegram_id)
            return user is not None and store.teacher_role(class_id, user.id) is not None

    def deck_slugs(self, chat_id: int) -> Sequence[str] | None:
        with self.sessions() as session:
            store = ClassStore(session)
            class_id = store.class_of_chat(chat_id)
            return None if class_id is None else [d.slug for d in store.decks(class_id)]

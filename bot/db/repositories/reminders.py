"""Reads and writes behind the daily prompts. Functions take a Session and never commit.

Claiming differs by engine, and only this module knows it (callers ask for ``lock=True``
when they will update what they read):

* PostgreSQL: :func:`due_students` / :func:`unsettled` lock the rows they return with
  ``FOR UPDATE SKIP LOCKED``, so concurrent dispatchers take disjoint batches; the updates
  that follow cannot lose.
* SQLite has no row locks but a single writer: the claim starts with ``BEGIN IMMEDIATE``
  (:func:`lock_for_claim`) and moves each student with a conditional ``UPDATE … WHERE
  next_reminder_at = <value read>``; outbox rows move with conditional updates on
  ``status``/``claimed_at``. Of two processes that read the same row, one update matches.

The outbox row, unique on ``(user_id, local_date)``, is the last line of defence: a second
claim of the same local day inserts nothing (``ON CONFLICT DO NOTHING``) and sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    any_,
    bindparam,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.db.models import (
    UNSETTLED_REMINDERS,
    DeckChoice,
    Reminder,
    Review,
    User,
)
from bot.db.repositories import rules
from bot.domain.reminders import ReminderStatus, Workload


@dataclass(frozen=True, slots=True)
class Student:
    """The ``users`` columns the prompts need."""

    user_id: int
    chat_id: int | None
    display_name: str
    language: str
    timezone: str
    reminder_time: dt.time | None
    next_reminder_at: dt.datetime | None
    new_cards_per_day: int
    reminders_paused: bool
    blocked_at: dt.datetime | None

    @property
    def can_be_prompted(self) -> bool:
        return (
            self.chat_id is not None
            and self.reminder_time is not None
            and not self.reminders_paused
            and self.blocked_at is None
        )


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One ``reminders`` row."""

    id: int
    user_id: int
    local_date: dt.date
    scheduled_for: dt.datetime
    claimed_at: dt.datetime
    sent_at: dt.datetime | None
    status: ReminderStatus
    due_count: int
    attempts: int
    new_count: int = 0  # of ``due_count``, never seen


@dataclass(frozen=True, slots=True)
class NewRow:
    user_id: int
    local_date: dt.date
    scheduled_for: dt.datetime
    status: ReminderStatus
    due_count: int
    new_count: int = 0


#: Rows a later run may have to look at again (:func:`unsettled`).
UNSETTLED = (
    ReminderStatus.CLAIMED.value,
    ReminderStatus.RETRY.value,
    ReminderStatus.SNOOZED.value,
)
#: The predicate of the partial index ``ix_reminders_unsettled`` (migration 0003,
#: ``bot.db.models``), which keeps :func:`unsettled` independent of the outbox's history
#: (docs/performance.md). The query repeats it word for word, as literals: SQLite and
#: PostgreSQL use a partial index only when the query's WHERE implies its predicate, and
#: SQLite only sees that for the same constants.
UNSETTLED_PREDICATE = UNSETTLED_REMINDERS

_STUDENT_COLUMNS = (
    User.id,
    User.chat_id,
    User.display_name,
    User.language,
    User.timezone,
    User.reminder_time,
    User.next_reminder_at,
    User.new_cards_per_day,
    User.reminders_paused,
    User.blocked_at,
)

_ROW_COLUMNS = (
    Reminder.id,
    Reminder.user_id,
    Reminder.local_date,
    Reminder.scheduled_for,
    Reminder.claimed_at,
    Reminder.sent_at,
    Reminder.status,
    Reminder.due_count,
    Reminder.attempts,
    Reminder.new_count,
)


def _student(row: Sequence[Any]) -> Student:
    return Student(*row[: len(_STUDENT_COLUMNS)])


def _outbox(row: Sequence[Any]) -> OutboxRow:
    values = list(row[: len(_ROW_COLUMNS)])
    values[6] = ReminderStatus(values[6])
    return OutboxRow(*values)


def _db(session: Session) -> Connection:
    """The session's connection: Core execution, without the ORM's per-row bookkeeping."""
    return session.connection()


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _member(
    session: Session,
    column: InstrumentedAttribute[int] | ColumnElement[int],
    ids: Collection[int],
) -> ColumnElement[bool]:
    """``column IN ids`` for a batch of students.

    PostgreSQL gets one array parameter (``= ANY(:ids)``): 500 placeholders would be
    rendered, cast and parsed again on every execution.
    """
    if _is_postgresql(session):
        return column == any_(bindparam(None, list(ids), type_=postgresql.ARRAY(Integer)))
    return column.in_(list(ids))


# -- students -------------------------------------------------------------------------------


def due_students(
    session: Session, now: dt.datetime, limit: int | None, *, lock: bool
) -> list[Student]:
    """Students whose prompt time has come, oldest first (one walk of ``ix_users_next_…``).

    ``lock`` adds ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite ignores it).
    """
    query = (
        select(*_STUDENT_COLUMNS)
        .where(
            User.next_reminder_at <= now,
            User.reminder_time.is_not(None),
            User.chat_id.is_not(None),
            User.blocked_at.is_(None),
            User.reminders_paused.is_(False),
        )
        .order_by(User.next_reminder_at, User.id)
        .limit(limit)
    )
    if lock:
        query = query.with_for_update(skip_locked=True)
    return [_student(row) for row in _db(session).execute(query).all()]


def student(session: Session, user_id: int, *, lock: bool = False) -> Student | None:
    query = select(*_STUDENT_COLUMNS).where(User.id == user_id)
    if lock:
        query = query.with_for_update()
    row = _db(session).execute(query).first()
    return _student(row) if row else None


_users = cast(Table, User.__table__)
_reminders = cast(Table, Reminder.__table__)


def lock_for_claim(session: Session) -> None:
    """Start the claim's transaction holding the right to write.

    SQLite has a single writer: ``BEGIN IMMEDIATE`` takes that lock before the due students
    are read, so nobody changes them between the read and the conditional update. (Without
    it, a deferred transaction that read first could fail with ``SQLITE_BUSY`` on its first
    write instead of waiting.) PostgreSQL locks the rows themselves (``FOR UPDATE SKIP
    LOCKED`` in :func:`due_students`): nothing to do.
    """
    if not _is_postgresql(session):
        session.connection().exec_driver_sql("BEGIN IMMEDIATE")


def advance(
    session: Session, moves: Sequence[tuple[int, dt.datetime, dt.datetime | None]]
) -> set[int]:
    """Move each ``(user_id, old, new)`` from ``old`` to ``new``; the ids actually moved.

    Conditional UPDATEs (``… WHERE next_reminder_at = old … RETURNING id``), one per distinct
    ``(old, new)`` pair: the students due in the same minute mostly share their zone and
    time, so the busiest minute is one statement per batch.
    """
    groups: dict[tuple[dt.datetime, dt.datetime | None], list[int]] = defaultdict(list)
    for uid, old, new in moves:
        groups[old, new].append(uid)
    moved: set[int] = set()
    for (old, new), ids in groups.items():
        moved.update(
            _db(session).scalars(
                update(_users)
                .where(_member(session, _users.c.id, ids), _users.c.next_reminder_at == old)
                .values(next_reminder_at=new)
                .returning(_users.c.id)
            )
        )
    return moved


def set_next_reminder(
    session: Session, user_id: int, old: dt.datetime | None, new: dt.datetime | None
) -> bool:
    """Conditional move of one student's ``next_reminder_at`` (False: it changed meanwhile)."""
    condition = User.next_reminder_at.is_(None) if old is None else User.next_reminder_at == old
    result = _db(session).execute(
        update(User).where(User.id == user_id, condition).values(next_reminder_at=new)
    )
    return bool(result.rowcount)


def block_student(session: Session, user_id: int, now: dt.datetime) -> None:
    _db(session).execute(
        update(User)
        .where(User.id == user_id)
        .values(blocked_at=func.coalesce(User.blocked_at, now), next_reminder_at=None)
    )


# -- what there is to study -----------------------------------------------------------------


def workloads(
    session: Session, user_ids: Collection[int], now: dt.datetime, reviews_since: dt.datetime
) -> dict[int, Workload]:
    """Due cards, unseen questions and latest answer of each student: four queries a batch.

    The study service's rules, from :mod:`bot.db.repositories.rules`: due cards are
    :func:`~bot.db.repositories.rules.due_card`; a question is new when it is studyable
    (live, deck not switched off) and the student has no card for it. ``last_review_at``
    only looks at answers in ``[reviews_since, now]``.
    """
    if not user_ids:
        return {}
    ids = list(user_ids)
    # Live decks and their live questions: a few rows, read once per batch.
    deck_sizes: dict[int, int] = dict(
        _db(session)
        .execute(
            select(rules.questions.c.deck_id, func.count(rules.questions.c.id))
            .select_from(
                rules.questions.join(rules.decks, rules.decks.c.id == rules.questions.c.deck_id)
            )
            .where(rules.live_question())
            .group_by(rules.questions.c.deck_id)
        )
        .all()
    )
    disabled: dict[int, set[int]] = defaultdict(set)
    for uid, deck_id in (
        _db(session)
        .execute(
            select(DeckChoice.user_id, DeckChoice.deck_id).where(
                _member(session, DeckChoice.user_id, ids), rules.switched_off()
            )
        )
        .all()
    ):
        disabled[uid].add(deck_id)
    # Cards on studyable questions, and the due ones among them: the study service's rules
    # (bot.db.repositories.rules), with the student taken from each card.
    owner = rules.cards.c.user_id
    due: dict[int, int] = defaultdict(int)
    carded: dict[int, int] = defaultdict(int)
    for uid, n_due, n_cards in (
        _db(session)
        .execute(
            select(
                owner,
                func.count(rules.cards.c.id).filter(rules.due_card(owner, now)),
                # Cards that make their question not new (rules.not_started).
                func.count(rules.cards.c.id).filter(
                    rules.started_card() | rules.cards.c.suspended_at.is_not(None)
                ),
            )
            .select_from(
                rules.cards.join(
                    rules.questions, rules.questions.c.id == rules.cards.c.question_id
                ).join(rules.decks, rules.decks.c.id == rules.questions.c.deck_id)
            )
            .where(_member(session, owner, ids), rules.studyable(owner))
            .group_by(owner)
        )
        .all()
    ):
        due[uid] = n_due
        carded[uid] = n_cards
    last_review: dict[int, dt.datetime] = dict(
        _db(session)
        .execute(
            select(Review.user_id, func.max(Review.reviewed_at))
            .where(
                _member(session, Review.user_id, ids),
                Review.reviewed_at >= reviews_since,
                Review.reviewed_at <= now,
            )
            .group_by(Review.user_id)
        )
        .all()
    )
    all_live = sum(deck_sizes.values())
    result = {}
    for uid in ids:
        live = all_live - sum(deck_sizes.get(deck_id, 0) for deck_id in disabled.get(uid, ()))
        result[uid] = Workload(
            due_reviews=due[uid],
            unseen=max(live - carded[uid], 0),
            last_review_at=last_review.get(uid),
        )
    return result


# -- outbox ---------------------------------------------------------------------------------


_pg_insert = text(
    "INSERT INTO reminders "
    "(user_id, local_date, scheduled_for, claimed_at, status, due_count, new_count, attempts) "
    "SELECT r.user_id, r.local_date, r.scheduled_for, :claimed_at, r.status, r.due_count,"
    " r.new_count, 0 "
    "FROM unnest(:users, :dates, :scheduled, :statuses, :counts, :new_counts) "
    "AS r(user_id, local_date, scheduled_for, status, due_count, new_count) "
    "ON CONFLICT (user_id, local_date) DO NOTHING "
    "RETURNING user_id, id"
).bindparams(
    bindparam("claimed_at", type_=DateTime(timezone=True)),
    bindparam("users", type_=postgresql.ARRAY(Integer)),
    bindparam("dates", type_=postgresql.ARRAY(Date)),
    bindparam("scheduled", type_=postgresql.ARRAY(DateTime(timezone=True))),
    bindparam("statuses", type_=postgresql.ARRAY(String)),
    bindparam("counts", type_=postgresql.ARRAY(Integer)),
    bindparam("new_counts", type_=postgresql.ARRAY(Integer)),
)


def insert_rows(session: Session, rows: Sequence[NewRow], now: dt.datetime) -> dict[int, int]:
    """Insert outbox rows, skipping (user, local date) pairs that already have one.

    Returns ``{user_id: reminder_id}`` for the rows inserted. One statement either way:
    ``unnest`` of arrays on PostgreSQL, a multi-row ``INSERT … RETURNING`` on SQLite.
    """
    if not rows:
        return {}
    if _is_postgresql(session):
        params: dict[str, Any] = {
            "claimed_at": now,
            "users": [row.user_id for row in rows],
            "dates": [row.local_date for row in rows],
            "scheduled": [row.scheduled_for for row in rows],
            "statuses": [row.status.value for row in rows],
            "counts": [row.due_count for row in rows],
            "new_counts": [row.new_count for row in rows],
        }
        return dict(_db(session).execute(_pg_insert, params).all())
    stmt = (
        sqlite.insert(_reminders)
        .on_conflict_do_nothing(index_elements=["user_id", "local_date"])
        .returning(_reminders.c.user_id, _reminders.c.id)
    )
    return dict(
        _db(session)
        .execute(
            stmt,
            [
                {
                    "user_id": row.user_id,
                    "local_date": row.local_date,
                    "scheduled_for": row.scheduled_for,
                    "claimed_at": now,
                    "status": row.status.value,
                    "due_count": row.due_count,
                    "new_count": row.new_count,
                    "attempts": 0,
                }
                for row in rows
            ],
        )
        .all()
    )


def rows_on(session: Session, pairs: Iterable[tuple[int, dt.date]]) -> dict[int, OutboxRow]:
    """The outbox rows for these (user, local date) pairs, by user."""
    wanted = set(pairs)
    if not wanted:
        return {}
    dates = {d for _, d in wanted}
    found = {}
    for row in (
        _db(session)
        .execute(
            select(*_ROW_COLUMNS).where(
                _member(session, Reminder.user_id, {uid for uid, _ in wanted}),
                Reminder.local_date.between(min(dates), max(dates)),
            )
        )
        .all()
    ):
        item = _outbox(row)
        if (item.user_id, item.local_date) in wanted:
            found[item.user_id] = item
    return found


def snoozed_rows(
    session: Session, user_ids: Collection[int], since: dt.date
) -> dict[int, OutboxRow]:
    """Each student's snoozed row dated ``since`` or later (the unique index bounds the walk)."""
    if not user_ids:
        return {}
    return {
        item.user_id: item
        for item in (
            _outbox(row)
            for row in _db(session)
            .execute(
                select(*_ROW_COLUMNS)
                .where(
                    _member(session, Reminder.user_id, user_ids),
                    Reminder.local_date >= since,
                    Reminder.status == ReminderStatus.SNOOZED.value,
                )
                .order_by(Reminder.local_date)
            )
            .all()
        )
    }


def latest_row(session: Session, user_id: int, *, lock: bool = False) -> OutboxRow | None:
    query = (
        select(*_ROW_COLUMNS)
        .where(Reminder.user_id == user_id)
        .order_by(Reminder.local_date.desc())
        .limit(1)
    )
    if lock:
        query = query.with_for_update()
    row = _db(session).execute(query).first()
    return _outbox(row) if row else None


def row(session: Session, reminder_id: int, *, lock: bool = False) -> OutboxRow | None:
    query = select(*_ROW_COLUMNS).where(Reminder.id == reminder_id)
    if lock:
        query = query.with_for_update()
    found = _db(session).execute(query).first()
    return _outbox(found) if found else None


def unsettled(
    session: Session,
    *,
    claimed_before: dt.datetime,
    retry_before: dt.datetime,
    snoozed_before: dt.datetime,
    limit: int,
    lock: bool,
) -> list[tuple[OutboxRow, Student]]:
    """Rows a run must look at again, oldest claim first.

    Claimed and never settled (claim older than ``claimed_before``: its process died),
    waiting for a retry (failure older than ``retry_before``), or snoozed to a time before
    ``snoozed_before`` and never re-armed (prompts switched off or moved meanwhile).
    """
    query = (
        select(*_ROW_COLUMNS, *_STUDENT_COLUMNS)
        .join(User, User.id == Reminder.user_id)
        .where(
            text(UNSETTLED_PREDICATE),
            or_(
                (Reminder.status == ReminderStatus.CLAIMED.value)
                & (Reminder.claimed_at <= claimed_before),
                (Reminder.status == ReminderStatus.RETRY.value)
                & (Reminder.claimed_at <= retry_before),
                (Reminder.status == ReminderStatus.SNOOZED.value)
                & (Reminder.scheduled_for <= snoozed_before),
            ),
        )
        .order_by(Reminder.claimed_at, Reminder.id)
        .limit(limit)
    )
    if lock:
        query = query.with_for_update(of=Reminder, skip_locked=True)
    n = len(_ROW_COLUMNS)
    return [(_outbox(found), _student(found[n:])) for found in _db(session).execute(query).all()]


def transition(
    session: Session,
    current: OutboxRow,
    *,
    status: ReminderStatus,
    now: dt.datetime | None = None,
    scheduled_for: dt.datetime | None = None,
    due_count: int | None = None,
    new_count: int | None = None,
    attempts: int | None = None,
    clear_sent: bool = False,
) -> bool:
    """Move a row on, provided nobody else did since it was read (same status, same claim).

    ``now`` becomes ``claimed_at`` (the start of a new lease); the others replace their
    column when given; ``clear_sent`` empties ``sent_at``.
    """
    values: dict[str, Any] = {"status": status.value}
    if clear_sent:
        values["sent_at"] = None
    if now is not None:
        values["claimed_at"] = now
    if scheduled_for is not None:
        values["scheduled_for"] = scheduled_for
    if due_count is not None:
        values["due_count"] = due_count
    if new_count is not None:
        values["new_count"] = new_count
    if attempts is not None:
        values["attempts"] = attempts
    result = _db(session).execute(
        update(Reminder)
        .where(
            Reminder.id == current.id,
            Reminder.status == current.status.value,
            Reminder.claimed_at == current.claimed_at,
        )
        .values(**values)
    )
    return bool(result.rowcount)


def settle(
    session: Session,
    reminder_id: int,
    *,
    status: ReminderStatus,
    now: dt.datetime,
    sent: bool = False,
    attempts: int | None = None,
) -> bool:
    """Record the outcome of a send attempt; a row already marked sent is left alone."""
    values: dict[str, Any] = {
        "status": status.value,
        "attempts": Reminder.attempts + 1 if attempts is None else attempts,
    }
    if sent:
        values["sent_at"] = now
    else:
        values["claimed_at"] = now
    result = _db(session).execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.sent_at.is_(None))
        .values(**values)
    )
    return bool(result.rowcount)

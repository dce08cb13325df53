"""The schema, owned by Alembic (`alembic/versions`); a test checks the two agree.

Every timestamp is a :class:`UtcDateTime`. Rows are never deleted by the content sync:
questions and decks are *retired* so that students' history stays.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.db.types import UtcDateTime
from bot.domain.deck import MAX_DECK_ID, MAX_DECK_TITLE, MAX_QUESTION_ID, MAX_SOURCE_FILE

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UtcDateTime(), dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012


#: Must stay word for word the predicate of bot.db.repositories.reminders.UNSETTLED_PREDICATE.
UNSETTLED_REMINDERS = "sent_at IS NULL AND status IN ('claimed', 'retry', 'snoozed')"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class User(Base):
    """A student or teacher. Telegram users have `telegram_id`; terminal users `console_name`."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    console_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    language: Mapped[str] = mapped_column(String(8), default="fr")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    reminder_time: Mapped[dt.time | None] = mapped_column(Time)
    next_reminder_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    reminders_paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    new_cards_per_day: Mapped[int] = mapped_column(Integer, default=10)
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    maximum_interval: Mapped[int] = mapped_column(Integer, default=36500)
    onboarded_at: Mapped[dt.datetime | None]
    blocked_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


class Deck(Base):
    """A question bank, one per YAML file, identified by its stable slug."""

    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(MAX_DECK_ID), unique=True)
    title: Mapped[str] = mapped_column(String(MAX_DECK_TITLE))
    language: Mapped[str] = mapped_column(String(8), default="fr")
    description: Mapped[str | None] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(String(MAX_SOURCE_FILE))
    content_hash: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)

    questions: Mapped[list[Question]] = relationship(back_populates="deck")


class Question(Base):
    """One question; `key` is the teacher's id, stable across edits."""

    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("deck_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(MAX_QUESTION_ID))
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    accept: Mapped[list[str]] = mapped_column(default=list)
    distractors: Mapped[list[str]] = mapped_column(default=list)
    explanation: Mapped[str | None] = mapped_column(Text)
    source_sentence: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    confidence: Mapped[float | None] = mapped_column(Float)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)

    deck: Mapped[Deck] = relationship(back_populates="questions")


class DeckChoice(Base):
    """A student's opt-out (or back in) of a deck; no row means the deck is studied."""

    __tablename__ = "deck_choices"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    deck_id: Mapped[int] = mapped_column(
        ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class Card(Base):
    """FSRS memory state of one question for one student."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_cards_user_id_due", "user_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[int] = mapped_column(SmallInteger, default=1)
    step: Mapped[int | None] = mapped_column(SmallInteger)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[dt.datetime]
    last_review: Mapped[dt.datetime | None]
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    suspended_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


class StudySession(Base):
    """A run of questions; `deck_id` set and `practice` true for « practise this deck »."""

    __tablename__ = "study_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    deck_id: Mapped[int | None] = mapped_column(ForeignKey("decks.id", ondelete="SET NULL"))
    practice: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]
    answered: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)


class Presentation(Base):
    """A question as shown: the answer must carry its token, so stale or forged ones fail."""

    __tablename__ = "presentations"
    # "The student's latest showing" is the hot lookup: (user_id, id) answers it from the index.
    __table_args__ = (Index("ix_presentations_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_sessions.id", ondelete="CASCADE")
    )
    choices: Mapped[list[str]] = mapped_column(default=list)
    shown_at: Mapped[dt.datetime]
    answered_at: Mapped[dt.datetime | None]
    #: A self-rated card: what the student typed before its answer was revealed (their
    #: attempt, recorded with their verdict); the latest one typed. None: nothing typed.
    attempt: Mapped[str | None] = mapped_column(Text)


class Review(Base):
    """Append-only answer log; keeps the card's previous state so undo is exact."""

    __tablename__ = "reviews"
    __table_args__ = (Index("ix_reviews_user_id_reviewed_at", "user_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_sessions.id", ondelete="SET NULL")
    )
    presentation_id: Mapped[int | None] = mapped_column(
        ForeignKey("presentations.id", ondelete="SET NULL")
    )
    idempotency_key: Mapped[str] = mapped_column(String(96), unique=True)
    rating: Mapped[int] = mapped_column(SmallInteger)
    verdict: Mapped[str] = mapped_column(String(16))
    correct: Mapped[bool] = mapped_column(Boolean)
    practice: Mapped[bool] = mapped_column(Boolean, default=False)
    given_answer: Mapped[str] = mapped_column(Text)
    response_ms: Mapped[int | None] = mapped_column(Integer)
    reviewed_at: Mapped[dt.datetime]
    prev_state: Mapped[int] = mapped_column(SmallInteger)
    prev_step: Mapped[int | None] = mapped_column(SmallInteger)
    prev_stability: Mapped[float | None] = mapped_column(Float)
    prev_difficulty: Mapped[float | None] = mapped_column(Float)
    prev_due: Mapped[dt.datetime]
    prev_last_review: Mapped[dt.datetime | None]
    prev_reps: Mapped[int] = mapped_column(Integer)
    prev_lapses: Mapped[int] = mapped_column(Integer)
    prev_suspended_at: Mapped[dt.datetime | None]


class Reminder(Base):
    """Outbox of daily prompts: one row per (student, local date), claimed then sent."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date"),
        # Rows still to send or to retry: the per-minute check reads only these, not the
        # ever-growing history of sent and skipped prompts.
        Index(
            "ix_reminders_unsettled",
            "sent_at",
            "claimed_at",
            postgresql_where=text(UNSETTLED_REMINDERS),
            sqlite_where=text(UNSETTLED_REMINDERS),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[dt.date] = mapped_column(Date)
    scheduled_for: Mapped[dt.datetime]
    claimed_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="claimed")
    due_count: Mapped[int] = mapped_column(Integer, default=0)  # reviews + new ones
    #: Of ``due_count``, the questions never seen (the prompt says « nouvelles »).
    new_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class NewCardGrant(Base):
    """Extra new cards a student asked for (« Encore 10 nouvelles ? »): they raise that local
    day's limit of new cards by ``amount``."""

    __tablename__ = "new_card_grants"
    __table_args__ = (Index("ix_new_card_grants_user_id_granted_at", "user_id", "granted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    granted_at: Mapped[dt.datetime]
    amount: Mapped[int] = mapped_column(Integer)


class AnswerOverride(Base):
    """« J'avais raison »: the student marked a typed answer graded wrong as right. The review
    keeps the grader's verdict; this row records the override and the answer given, so a
    teacher sees which questions' expected answers need more alternatives."""

    __tablename__ = "answer_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    #: The grader's verdict, overruled.
    verdict: Mapped[str] = mapped_column(String(16))
    given_answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


# --- Classes and drafts (revision 0004) ------------------------------------------------------


class SchoolClass(Base):
    """A teacher's class (« 3e B »); students join it with an invite link."""

    __tablename__ = "classes"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


class ClassTeacher(Base):
    """Who teaches a class: its owner (``role`` ``owner``) and the co-teachers (``co``)."""

    __tablename__ = "class_teachers"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="co")
    added_at: Mapped[dt.datetime] = mapped_column(default=_now)


class ClassMember(Base):
    """A student of a class (a student may be in several)."""

    __tablename__ = "class_members"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[dt.datetime] = mapped_column(default=_now)


class ClassDeck(Base):
    """A deck assigned to a class. A deck without any row here is for everybody."""

    __tablename__ = "class_decks"

    class_id: Mapped[int] = mapped_column(
        ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True
    )
    deck_id: Mapped[int] = mapped_column(
        ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assigned_at: Mapped[dt.datetime] = mapped_column(default=_now)


class ClassInvite(Base):
    """An invite code (``/start <code>``): ``role`` ``student`` joins, ``teacher`` co-teaches."""

    __tablename__ = "class_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="student")
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    revoked_at: Mapped[dt.datetime | None]


class ClassChat(Base):
    """A Telegram group chat linked to a class (``/lier``), for the group game."""

    __tablename__ = "class_chats"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[dt.datetime] = mapped_column(default=_now)


class DeckDraft(Base):
    """A generated deck waiting for its teacher's review; never studied until published."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"))
    slug: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    source_text: Mapped[str] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    deck_id: Mapped[int | None] = mapped_column(ForeignKey("decks.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)


class DraftItem(Base):
    """One generated question of a draft and its review state (``pending`` … ``deleted``)."""

    __tablename__ = "draft_items"
    __table_args__ = (UniqueConstraint("draft_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    key: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    accept: Mapped[list[str]] = mapped_column(default=list)
    distractors: Mapped[list[str]] = mapped_column(default=list)
    explanation: Mapped[str | None] = mapped_column(Text)
    source_sentence: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    confidence: Mapped[float | None] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now)


#: At most one game running per group chat (a partial unique index).
RUNNING_GAME = "state = 'running'"


class Game(Base):
    """A live class game in a group chat: one quiz poll at a time (issue 19).

    ``current`` is the position (from 0) of the question asked last, -1 before the first.
    ``started_by`` is the teacher's Telegram id (the CSV goes to them privately).
    """

    __tablename__ = "games"
    __table_args__ = (
        Index(
            "ix_games_running_chat",
            "chat_id",
            unique=True,
            postgresql_where=text(RUNNING_GAME),
            sqlite_where=text(RUNNING_GAME),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"))
    question_count: Mapped[int] = mapped_column(SmallInteger)
    seconds: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[str] = mapped_column(String(16), default="running")
    current: Mapped[int] = mapped_column(SmallInteger, default=-1)
    started_by: Mapped[int] = mapped_column(BigInteger)
    #: Players expected at the first question: the group's members but the bot and teacher.
    players_expected: Mapped[int] = mapped_column(SmallInteger, default=0)
    started_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(16))


class GameQuestion(Base):
    """One question of a game, its poll options fixed at the start (so a restart asks the
    same poll) and its poll once sent."""

    __tablename__ = "game_questions"
    __table_args__ = (UniqueConstraint("game_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(SmallInteger)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    options: Mapped[list[str]] = mapped_column(default=list)
    correct_option: Mapped[int] = mapped_column(SmallInteger)
    poll_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    asked_at: Mapped[dt.datetime | None]
    closes_at: Mapped[dt.datetime | None]
    closed_at: Mapped[dt.datetime | None]


class GameAnswer(Base):
    """A player's answer to a game question: one per player and question (a second vote or a
    re-delivered update never counts twice). ``player_id`` is the Telegram user id (players
    need not have talked to the bot); ``user_id`` links a registered student."""

    __tablename__ = "game_answers"
    __table_args__ = (UniqueConstraint("game_question_id", "player_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    game_question_id: Mapped[int] = mapped_column(
        ForeignKey("game_questions.id", ondelete="CASCADE")
    )
    player_id: Mapped[int] = mapped_column(BigInteger)
    player_name: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    option: Mapped[int] = mapped_column(SmallInteger)
    correct: Mapped[bool] = mapped_column(Boolean)
    response_ms: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[dt.datetime]


class StudentParameters(Base):
    """A student's own FSRS weights, fitted from their answers at most once a week (issue 16).

    ``fitted_at`` is the last fit, kept or not; ``parameters`` is None when the fit did not
    predict the student's answers better than the defaults (the scheduler then uses those).
    """

    __tablename__ = "student_parameters"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    parameters: Mapped[list[float] | None] = mapped_column(JSON)
    training_items: Mapped[int] = mapped_column(Integer)
    log_loss: Mapped[float | None] = mapped_column(Float)
    default_log_loss: Mapped[float | None] = mapped_column(Float)
    fitted_at: Mapped[dt.datetime]

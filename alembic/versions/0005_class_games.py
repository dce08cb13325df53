"""Live class games in a group chat: games, their questions (one quiz poll each) and the
players' answers (issue 19).

New tables only: upgrading touches no existing row, downgrading drops the game history alone.

Revision ID: 0005
Revises: 0003
Create Date: 2026-12-03 06:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

import bot.db.types
from alembic import op

revision: str = "0005"
# The classes migration (0004) is merged before this one: only this line changes then.
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of bot.db.models.RUNNING_GAME as of this revision.
RUNNING = "state = 'running'"


def upgrade() -> None:
    op.create_table(
        "games",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("deck_id", sa.Integer(), nullable=False),
        sa.Column("question_count", sa.SmallInteger(), nullable=False),
        sa.Column("seconds", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("current", sa.SmallInteger(), nullable=False),
        sa.Column("started_by", sa.BigInteger(), nullable=False),
        sa.Column("players_expected", sa.SmallInteger(), nullable=False),
        sa.Column("started_at", bot.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", bot.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["deck_id"], ["decks.id"], name=op.f("fk_games_deck_id_decks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_games")),
    )
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.create_index(
            "ix_games_running_chat",
            ["chat_id"],
            unique=True,
            postgresql_where=sa.text(RUNNING),
            sqlite_where=sa.text(RUNNING),
        )
    op.create_table(
        "game_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("correct_option", sa.SmallInteger(), nullable=False),
        sa.Column("poll_id", sa.String(length=64), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("asked_at", bot.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closes_at", bot.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", bot.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["game_id"],
            ["games.id"],
            name=op.f("fk_game_questions_game_id_games"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_game_questions_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_game_questions")),
        sa.UniqueConstraint(
            "game_id", "position", name=op.f("uq_game_questions_game_id_position")
        ),
        sa.UniqueConstraint("poll_id", name=op.f("uq_game_questions_poll_id")),
    )
    op.create_table(
        "game_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("game_question_id", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.BigInteger(), nullable=False),
        sa.Column("player_name", sa.String(length=128), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("option", sa.SmallInteger(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("response_ms", sa.Integer(), nullable=False),
        sa.Column("answered_at", bot.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["game_question_id"],
            ["game_questions.id"],
            name=op.f("fk_game_answers_game_question_id_game_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_game_answers_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_game_answers")),
        sa.UniqueConstraint(
            "game_question_id",
            "player_id",
            name=op.f("uq_game_answers_game_question_id_player_id"),
        ),
    )


def downgrade() -> None:
    op.drop_table("game_answers")
    op.drop_table("game_questions")
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.drop_index("ix_games_running_chat")
    op.drop_table("games")

"""Partial index on the reminder outbox rows still to send or retry.

The dispatcher checks them every minute in every process; without this index the check read
every sent or skipped prompt ever written (about 100 ms after a week at 100,000 students).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 14:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of bot.db.models.UNSETTLED_REMINDERS as of this revision.
UNSETTLED = "sent_at IS NULL AND status IN ('claimed', 'retry', 'snoozed')"


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reminders_unsettled",
            ["sent_at", "claimed_at"],
            unique=False,
            postgresql_where=sa.text(UNSETTLED),
            sqlite_where=sa.text(UNSETTLED),
        )


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_index("ix_reminders_unsettled")

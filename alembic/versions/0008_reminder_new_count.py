"""The daily prompt tells new questions from reviews (issue 16): ``reminders.new_count``.

``due_count`` keeps its meaning (every question waiting: due reviews plus new ones within the
day's limit); ``new_count`` says how many of them are new. Upgrading adds the column with 0 for
the rows already there (an old prompt read as reviews only, as it was worded); downgrading
drops it alone.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 11:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
# Chained after the last migration merged: only this line changes when the chain moves.
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("new_count", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("new_count")

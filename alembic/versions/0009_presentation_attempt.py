"""A self-rated card's attempt survives a restart: ``presentations.attempt``.

What the student typed to a self-rated card before its answer was revealed was kept in the
Telegram process's memory until their verdict; a restart in between recorded the verdict with
an empty answer. Upgrading adds the nullable column (NULL for the showings already there:
nothing was typed that the database knows of); downgrading drops it alone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 01:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
# Chained after the last migration merged: only this line changes when the chain moves.
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempt", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.drop_column("attempt")

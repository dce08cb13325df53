"""Link each review to the showing it answered; index a student's showings by id.

Existing reviews are linked to the showing of the same card answered at the same instant,
which is how the code found it before this revision.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:30:11.686626
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_presentations_user_id"))
        batch_op.create_index("ix_presentations_user_id_id", ["user_id", "id"], unique=False)

    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("presentation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_reviews_presentation_id_presentations"),
            "presentations",
            ["presentation_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(
        """
        UPDATE reviews SET presentation_id = (
            SELECT max(p.id) FROM presentations p
            WHERE p.user_id = reviews.user_id
              AND p.card_id = reviews.card_id
              AND p.answered_at = reviews.reviewed_at
        )
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reviews_presentation_id_presentations"), type_="foreignkey"
        )
        batch_op.drop_column("presentation_id")

    with op.batch_alter_table("presentations", schema=None) as batch_op:
        batch_op.drop_index("ix_presentations_user_id_id")
        batch_op.create_index(batch_op.f("ix_presentations_user_id"), ["user_id"], unique=False)

"""Proposals to end a case that the municipality dismissed, kept with when and why (for the
municipality; a citizen reads that it was dismissed, not the reason), each by its run's first month.
A table of its own: an instance of the earlier version replaces the latest proposal's row without
knowing of dismissals, and a later run's proposal replaces it too, while a dismissal must stay.

Revision ID: decisions_0032
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0032"
down_revision = "decisions_0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "afgewezen_voorstellen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("van_maand", sa.String(7), primary_key=True),
        sa.Column("tot_maand", sa.String(7), nullable=False),
        sa.Column("voorgesteld_op", UtcDateTime, nullable=False),
        sa.Column("afgewezen_op", UtcDateTime, nullable=False),
        sa.Column("reden", sa.String(500), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("afgewezen_voorstellen")

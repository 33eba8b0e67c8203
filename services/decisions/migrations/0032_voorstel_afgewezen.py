"""A proposal to end a case that the municipality dismissed: when, and why (for the municipality;
a citizen reads that it was dismissed, not the reason). Instances of the earlier version neither
write nor read it: they would propose the dismissed run again with its next month above the norm,
as they did before, and show the proposal as undecided.

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
    with op.batch_alter_table("beeindigingsvoorstellen") as table:
        table.add_column(sa.Column("afgewezen_op", UtcDateTime))
        table.add_column(sa.Column("reden", sa.String(500)))


def downgrade() -> None:
    with op.batch_alter_table("beeindigingsvoorstellen") as table:
        table.drop_column("reden")
        table.drop_column("afgewezen_op")

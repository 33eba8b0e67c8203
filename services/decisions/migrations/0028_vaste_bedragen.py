"""On stable income: the fixed amount the intermediate account paid for a month not settled yet when a
change back in time (a new situation, an end) reached it, as the case stood before the change, so that
the month is settled with what it was paid (decisions.domain.tussenrekening.vaste_bedragen). Deleted
with the case. Instances of the earlier version neither write nor read it.

Revision ID: decisions_0028
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0028"
down_revision = "decisions_0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vaste_bedragen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("vastgelegd_op", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("vaste_bedragen")

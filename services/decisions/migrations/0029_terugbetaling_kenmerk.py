"""A repayment a municipality books on a claim (`terugbetaling`) carries its own reference of the
payment (`kenmerk`: a bank transaction's, say), once per case: the same payment reported again is not
booked twice, however long after, nor one reference credited on two claims (a payment over several
claims is booked in parts, each with a reference of its own). Other bookings have none. Instances of the earlier version neither write nor read it; they
do not know the booking's kind either, so repayments are booked only once `DECISIONS_TERUGBETALINGEN`
is on, after every instance runs this version.

Revision ID: decisions_0029
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0029"
down_revision = "decisions_0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vorderingsboekingen") as table:
        table.add_column(sa.Column("kenmerk", sa.String(100)))
    op.create_index("vorderingsboekingen_kenmerk", "vorderingsboekingen", ["uitkering_id", "kenmerk"], unique=True)


def downgrade() -> None:
    op.drop_index("vorderingsboekingen_kenmerk", "vorderingsboekingen")
    with op.batch_alter_table("vorderingsboekingen") as table:
        table.drop_column("kenmerk")

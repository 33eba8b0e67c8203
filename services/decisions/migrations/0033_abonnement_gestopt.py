"""When and why a webhook subscription stopped: its receiver answered 410 Gone, or the municipality
ended it. A stopped subscription stays listed (`GET /abonnementen?status=gestopt`) with the deliveries
that lapsed, so a receiver that said it was gone by mistake does not vanish without a trace; retention
removes it with its deliveries. Empty for one stopped before (or by an instance of the earlier version).

Revision ID: decisions_0033
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0033"
down_revision = "decisions_0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("abonnementen", sa.Column("gestopt_op", UtcDateTime))
    op.add_column("abonnementen", sa.Column("stopreden", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("abonnementen") as t:
        t.drop_column("stopreden")
        t.drop_column("gestopt_op")

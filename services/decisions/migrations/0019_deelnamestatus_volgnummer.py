"""A participation status keeps the sequence number (`ce_sequence`) of the event that set it: each of
registration's events reports the person's status on the day it was sent, so the higher number holds,
also when a late, back-dated fact gave the newer event an earlier date; and a replayed older event
cannot overwrite it. Rows from before have none and follow the date, as before.

Revision ID: decisions_0019
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0019"
down_revision = "decisions_0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("deelnamestatussen", sa.Column("volgnummer", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deelnamestatussen") as batch:
        batch.drop_column("volgnummer")

"""A handover keeps when UWV made the latest notification applied (`gemeldOp`, optional in the
request): an older notification arriving after it is not applied. Rows from before have none, so
their next notification is applied as before.

Revision ID: reapplication_0018
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0018"
down_revision = "reapplication_0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("overdrachten", sa.Column("melding_op", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("overdrachten") as tabel:  # SQLite rebuilds the table
        tabel.drop_column("melding_op")

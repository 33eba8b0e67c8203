"""A case keeps the sequence number (`ce_sequence`) of the last of decisions' events applied to it, so
an ending that arrives after the person's next case was announced (replayed from the dead-letter
topic) is known to be late and opens no window: that window closed when the next case began. Rows
from before have none and hold nothing back.

Revision ID: reapplication_0012
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0012"
down_revision = "reapplication_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("uitkeringen", sa.Column("volgnummer", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("uitkeringen") as batch:
        batch.drop_column("volgnummer")

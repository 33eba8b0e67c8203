"""A declaration's version keeps when its provider made it (`aangemaaktOp`, optional): a version made
before the stored one of its period is not applied, so a superseded version sent again (a repeat
over HTTP, a Kafka redelivery, a replay from the dead-letter topic) does not undo its correction.
Nullable: a version stored before, or sent without it, orders nothing (the later arrival replaces).

Revision ID: income_0014
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0014"
down_revision = "income_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("polisregels", sa.Column("aangemaakt_op", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("polisregels", "aangemaakt_op")

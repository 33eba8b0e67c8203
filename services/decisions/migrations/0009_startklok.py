"""A reopened case's vrijlating clock: the months the person used in an earlier benefit.

Revision ID: decisions_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0009"
down_revision = "decisions_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("uitkeringen") as batch:
        batch.add_column(sa.Column("startklok", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("uitkeringen") as batch:
        batch.drop_column("startklok")

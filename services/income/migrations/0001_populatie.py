"""The population: persons whose polis income the service may keep.

Revision ID: income_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0001"
down_revision = None
branch_labels = ("income",)
depends_on = "platform_0001"


def upgrade() -> None:
    op.create_table(
        "populatie",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("sinds", sa.Date, nullable=False),
        sa.Column("tot", sa.Date),
    )


def downgrade() -> None:
    op.drop_table("populatie")

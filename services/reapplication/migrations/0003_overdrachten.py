"""Max-WW handovers from UWV.

Revision ID: reapplication_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0003"
down_revision = "reapplication_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "overdrachten",
        sa.Column("overdracht_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), nullable=False, unique=True),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False, index=True),
        sa.Column("ww_einddatum", sa.Date, nullable=False),
        sa.Column("grondslag", sa.JSON, nullable=False),
        sa.Column("stappen", sa.JSON, nullable=False),
        sa.Column("besluit_op", sa.Date),
        sa.Column("besluit_startdatum", sa.Date),
    )


def downgrade() -> None:
    op.drop_table("overdrachten")

"""Re-application windows.

Revision ID: reapplication_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0001"
down_revision = None
branch_labels = ("reapplication",)
depends_on = "platform_0001"


def upgrade() -> None:
    op.create_table(
        "heraanvraagtermijnen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("einddatum", sa.Date, nullable=False),
        sa.Column("geldig_tot", sa.Date, nullable=False),
        sa.Column("gesloten_op", sa.Date),
    )


def downgrade() -> None:
    op.drop_table("heraanvraagtermijnen")

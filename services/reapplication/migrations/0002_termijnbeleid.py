"""What a re-application may reuse, and each municipality's dated window length.

Revision ID: reapplication_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0002"
down_revision = "reapplication_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("heraanvraagtermijnen", sa.Column("hergebruik", sa.JSON))
    op.create_table(
        "termijnbeleid",
        sa.Column("gemeentecode", sa.String(6), primary_key=True),
        sa.Column("geldig_vanaf", sa.Date, primary_key=True),
        sa.Column("maanden", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("termijnbeleid")
    op.drop_column("heraanvraagtermijnen", "hergebruik")

"""The programme's figures of each quarter as first fixed, with what was withheld beside the
country (schakel.persistence.programmacijfers).

Revision ID: platform_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0009"
down_revision = "platform_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "programmacijfers",
        sa.Column("van", sa.Date, primary_key=True),
        sa.Column("lezer", sa.String(6), primary_key=True),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("vastgesteld_op", sa.Date, nullable=False),
        sa.Column("berekend_op", sa.Date, nullable=False),
        sa.Column("eenheden", sa.JSON, nullable=False),
        sa.Column("weg", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("programmacijfers")

"""The polis is asked of income when someone re-applies (fetched at its source): reapplication no
longer keeps a copy of every person's latest monthly income, and forgets the copies it kept.

Revision ID: reapplication_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0007"
down_revision = "reapplication_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("laatste_inkomens")


def downgrade() -> None:
    # empty: the months are not restored (income still has them, asked when needed)
    op.create_table(
        "laatste_inkomens",
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("maand", sa.String(7), nullable=False),
        sa.Column("netto", sa.BigInteger, nullable=False),
        sa.Column("relaties_beeindigd", sa.Boolean, nullable=False),
        sa.Column("volgnummer", sa.BigInteger),
    )

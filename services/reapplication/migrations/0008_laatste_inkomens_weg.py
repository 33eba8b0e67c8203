"""The contract step of 0007's expand/contract: the copy of every person's latest polis month, no
longer read or written since reapplication asks income (0007 emptied it; instances of the version
before that, which stored into it, are gone once this release runs), is dropped.

Revision ID: reapplication_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0008"
down_revision = "reapplication_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("laatste_inkomens")


def downgrade() -> None:
    # empty, as 0007 left it: the earlier version fills it again from the months it receives
    op.create_table(
        "laatste_inkomens",
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("maand", sa.String(7), nullable=False),
        sa.Column("netto", sa.BigInteger, nullable=False),
        sa.Column("relaties_beeindigd", sa.Boolean, nullable=False),
        sa.Column("volgnummer", sa.BigInteger),
    )

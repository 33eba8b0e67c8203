"""The payouts of holiday allowance announced per case and payout year, so each is announced once.

Revision ID: decisions_0020
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0020"
down_revision = "decisions_0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vakantietoeslagen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("jaar", sa.Integer, primary_key=True),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("vastgesteld_op", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("vakantietoeslagen")

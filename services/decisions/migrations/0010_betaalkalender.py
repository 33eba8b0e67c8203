"""The payment calendar: the municipalities' advance policies and the proposed advances.

Revision ID: decisions_0010
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0010"
down_revision = "decisions_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voorschotbeleid",
        sa.Column("gemeentecode", sa.String(6), primary_key=True),
        sa.Column("geldig_vanaf", sa.Date, primary_key=True),
        sa.Column("percentage", sa.Integer, nullable=False),
        sa.Column("maanden", sa.Integer, nullable=False),
        sa.Column("doel_werkdagen", sa.Integer, nullable=False),
        sa.Column("leverdag", sa.Integer, nullable=False),
    )
    op.create_table(
        "voorschotvoorstellen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("voorgesteld_op", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("voorschotvoorstellen")
    op.drop_table("voorschotbeleid")

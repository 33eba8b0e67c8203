"""Claims (terugvorderingen): the municipalities' recovery policies, each month's settled difference
as last booked, the claims' bookings and the months' instalments.

Revision ID: decisions_0012
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0012"
down_revision = "decisions_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vorderingsbeleid",
        sa.Column("gemeentecode", sa.String(6), primary_key=True),
        sa.Column("geldig_vanaf", sa.Date, primary_key=True),
        sa.Column("maximale_termijn", sa.BigInteger),
        sa.Column("drempel", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "vorderingsverschillen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("verschil", sa.BigInteger, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
    )
    op.create_table(
        "vorderingsboekingen",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("uitkering_id", sa.String(36), nullable=False, index=True),
        sa.Column("bron", sa.String(7), nullable=False),
        sa.Column("soort", sa.String(20), nullable=False),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("maand", sa.String(7), nullable=False),
        sa.Column("geboekt_op", UtcDateTime, nullable=False),
    )
    op.create_table(
        "inhoudingen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    for tabel in ("inhoudingen", "vorderingsboekingen", "vorderingsverschillen", "vorderingsbeleid"):
        op.drop_table(tabel)

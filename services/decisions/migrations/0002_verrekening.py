"""Household situations, monthly incomes, payments, settlements and exit proposals.

Revision ID: decisions_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0002"
down_revision = "decisions_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "situaties",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("ingangsdatum", sa.Date, primary_key=True),
        sa.Column("huishouden", sa.String(30), nullable=False),
        sa.Column("partner_geboortedatum", sa.Date),
        sa.Column("jongste_kind_geboortedatum", sa.Date),
        sa.Column("kostendelers", sa.Integer, nullable=False),
        sa.Column("medisch_urenbeperkt", sa.Boolean, nullable=False),
        sa.Column("loonkostensubsidie", sa.Boolean, nullable=False),
        sa.Column("meer_uren_niet_mogelijk", sa.Boolean, nullable=False),
        sa.Column("regime", sa.String(20), nullable=False),
        sa.Column("betaalmodel", sa.String(20), nullable=False),
    )
    # cases opened before situations existed were single-person households
    op.execute(
        "INSERT INTO situaties (uitkering_id, ingangsdatum, huishouden, kostendelers, medisch_urenbeperkt, "
        "loonkostensubsidie, meer_uren_niet_mogelijk, regime, betaalmodel) "
        "SELECT uitkering_id, startdatum, 'alleenstaand', 0, false, false, false, 'per-datum', 'voorschot' "
        "FROM uitkeringen"
    )
    op.create_table(
        "inkomens",
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("netto", sa.BigInteger, nullable=False),
        sa.Column("vakantiebijslag", sa.BigInteger, nullable=False),
        sa.Column("bijdragen", sa.JSON, nullable=False),
    )
    op.create_table(
        "betalingen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "verrekeningen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("te_betalen", sa.BigInteger, nullable=False),
        sa.Column("betaald", sa.BigInteger, nullable=False),
        sa.Column("inhoud", sa.JSON, nullable=False),
        sa.Column("vastgesteld_op", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "beeindigingsvoorstellen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("van_maand", sa.String(7), nullable=False),
        sa.Column("tot_maand", sa.String(7), nullable=False),
        sa.Column("voorgesteld_op", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("beeindigingsvoorstellen", "verrekeningen", "betalingen", "inkomens", "situaties"):
        op.drop_table(table)

"""Polis declarations (every version), monthly incomes, overrides, deliveries, attribution
policy and re-application windows.

Revision ID: income_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0002"
down_revision = "income_0001"
branch_labels = None
depends_on = None

TABLES = (
    "heraanvraagtermijnen",
    "polisregels",
    "maandinkomens",
    "overschrijvingen",
    "leveringen",
    "toerekeningsbeleid",
    "herberekeningen",
)


def upgrade() -> None:
    # open re-application windows keep a person in the population after the case ended
    op.create_table(
        "heraanvraagtermijnen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("geldig_tot", sa.Date, nullable=False),
    )
    # every version of every declaration; `actueel` marks the latest of (employer, IKV, period)
    op.create_table(
        "polisregels",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("persoon", sa.String(64), nullable=False),
        sa.Column("loonheffingennummer", sa.String(12), nullable=False),
        sa.Column("inkomstenverhouding", sa.BigInteger, nullable=False),
        sa.Column("tijdvak_begin", sa.Date, nullable=False),
        sa.Column("versie", sa.Integer, nullable=False),
        sa.Column("actueel", sa.Boolean, nullable=False),
        sa.Column("vingerafdruk", sa.String(64), nullable=False),
        sa.Column("inhoud", sa.JSON, nullable=False),
        sa.Column("leverancier", sa.String(20), nullable=False),
        sa.Column("levering_id", sa.String(100), nullable=False),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "persoon",
            "loonheffingennummer",
            "inkomstenverhouding",
            "tijdvak_begin",
            "versie",
            name="uq_polisregels_versie",
        ),
    )
    op.create_index("ix_polisregels_persoon_actueel", "polisregels", ["persoon", "actueel"])
    # the established net income per person and month, with the contributions that explain it
    op.create_table(
        "maandinkomens",
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("loon", sa.BigInteger, nullable=False),
        sa.Column("vakantiebijslag", sa.BigInteger, nullable=False),
        sa.Column("polis_loon", sa.BigInteger, nullable=False),
        sa.Column("bron", sa.String(20), nullable=False),
        sa.Column("te_beoordelen", sa.Boolean, nullable=False),
        sa.Column("bijdragen", sa.JSON, nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "overschrijvingen",
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("loon", sa.BigInteger, nullable=False),
        sa.Column("reden", sa.String(500), nullable=False),
        sa.Column("polis_versies", sa.Text, nullable=False),
        sa.Column("te_beoordelen", sa.Boolean, nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("vastgelegd_door", sa.String(20), nullable=False),
        sa.Column("vastgelegd_op", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "leveringen",
        sa.Column("leverancier", sa.String(20), primary_key=True),
        sa.Column("levering_id", sa.String(100), primary_key=True),
        sa.Column("kanaal", sa.String(10), nullable=False),
        sa.Column("vingerafdruk", sa.String(64)),
        sa.Column("ontvangen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aantallen", sa.JSON, nullable=False),
        sa.Column("antwoord", sa.JSON),
    )

    op.create_table(
        "toerekeningsbeleid",
        sa.Column("gemeentecode", sa.String(6), primary_key=True),
        sa.Column("toerekening", sa.String(30), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
    )
    # persons whose months must be recomputed in the background (after an attribution policy change)
    op.create_table(
        "herberekeningen",
        sa.Column("persoon", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)

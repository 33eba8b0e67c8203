"""A provider's closing of a month (`POST /maandafsluitingen`) is stored and worked off in the
background, a page of the population at a time: a national population took minutes inside the
request. The open closings are claimed through a partial index: those that failed least often first,
then the oldest, so one that keeps failing does not hold up the others.

Revision ID: income_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0010"
down_revision = "income_0009"
branch_labels = None
depends_on = None

OPEN = sa.text("afgerond_op IS NULL AND mislukt_op IS NULL")


def upgrade() -> None:
    op.create_table(
        "maandafsluitingen",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("leverancier", sa.String(20), nullable=False),
        sa.Column("maand", sa.String(7), nullable=False),
        sa.Column("gelezen_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gemeentecodes", sa.JSON, nullable=False),
        sa.Column("aangevraagd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("personen", sa.Integer, nullable=False),
        sa.Column("zonder_inkomen", sa.Integer, nullable=False),
        sa.Column("na", sa.String(9)),
        sa.Column("afgerond_op", sa.DateTime(timezone=True)),
        sa.Column("pogingen", sa.Integer, nullable=False),
        sa.Column("fout_sinds", sa.DateTime(timezone=True)),
        sa.Column("mislukt_op", sa.DateTime(timezone=True)),
    )
    op.create_index(
        "ix_maandafsluitingen_open",
        "maandafsluitingen",
        ["pogingen", "aangevraagd_op"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )


def downgrade() -> None:
    op.drop_table("maandafsluitingen")

"""Re-applications, and what the service learns for them: the latest polis month and the
doelgroepregister ground.

Revision ID: reapplication_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0004"
down_revision = "reapplication_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "heraanvragen",
        sa.Column("heraanvraag_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False, index=True),
        sa.Column("meldingsdatum", sa.Date, nullable=False),
        sa.Column("startdatum", sa.Date, nullable=False),
        sa.Column("wijzigingen", sa.JSON, nullable=False),
        sa.Column("praktijkonderwijs_of_vso", sa.Boolean, nullable=False),
        sa.Column("hergebruik", sa.JSON),
        sa.Column("recent_inkomen", sa.JSON),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("vroegste_behandeldatum", sa.Date, nullable=False),
        sa.Column("redenen", sa.JSON, nullable=False),
        sa.Column("besluit_reden", sa.String(500)),
        sa.Column("ingediend_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("besloten_op", sa.DateTime(timezone=True)),
        sa.Column("uitkering_id", sa.String(36)),
    )
    op.create_table(
        "laatste_inkomens",
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("maand", sa.String(7), nullable=False),
        sa.Column("netto", sa.BigInteger, nullable=False),
        sa.Column("relaties_beeindigd", sa.Boolean, nullable=False),
    )
    op.create_table(
        "doelgroepen",
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("grond", sa.String(30)),
    )


def downgrade() -> None:
    for table in ("doelgroepen", "laatste_inkomens", "heraanvragen"):
        op.drop_table(table)

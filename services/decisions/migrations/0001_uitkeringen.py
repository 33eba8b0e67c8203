"""Uitkeringen and the deelnamestatus of their recipients.

Revision ID: decisions_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0001"
down_revision = None
branch_labels = ("decisions",)
depends_on = "platform_0001"


def upgrade() -> None:
    op.create_table(
        "uitkeringen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("bsn", sa.String(9), nullable=False, index=True),
        sa.Column("persoon", sa.String(64), nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("geboortedatum", sa.Date, nullable=False),
        sa.Column("startdatum", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("einddatum", sa.Date),
        sa.Column("reden", sa.String(20)),
    )
    # one running case per person nationally, also under concurrent requests
    op.create_index(
        "uitkeringen_een_lopende_per_bsn",
        "uitkeringen",
        ["bsn"],
        unique=True,
        sqlite_where=sa.text("status = 'lopend'"),
        postgresql_where=sa.text("status = 'lopend'"),
    )
    op.create_table(
        "deelnamestatussen",
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("grond", sa.String(30)),
        sa.Column("ingangsdatum", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("deelnamestatussen")
    op.drop_index("uitkeringen_een_lopende_per_bsn", "uitkeringen")
    op.drop_table("uitkeringen")

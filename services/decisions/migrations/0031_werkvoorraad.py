"""The worklist: the months of each case that wait for a caseworker (an income of unknown kind, a
partner without a BSN, a young household's norm, amounts Schakel has no table for yet), kept by every
settlement, with since when each waits. The table starts empty: this release's rules differ from the
last (their fingerprint), so its first start settles every case once and fills it.

Revision ID: decisions_0031
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0031"
down_revision = "decisions_0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "werkvoorraad",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("wie", sa.String(10), primary_key=True),
        sa.Column("soort", sa.String(20), primary_key=True),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("reden", sa.Text, nullable=False),
        sa.Column("inkomstenverhoudingen", sa.JSON, nullable=False),
        sa.Column("sinds", UtcDateTime, nullable=False),
    )
    op.create_index(
        "ix_werkvoorraad_gemeente", "werkvoorraad", ["gemeentecode", "sinds", "uitkering_id", "maand", "wie", "soort"]
    )


def downgrade() -> None:
    op.drop_index("ix_werkvoorraad_gemeente", "werkvoorraad")
    op.drop_table("werkvoorraad")

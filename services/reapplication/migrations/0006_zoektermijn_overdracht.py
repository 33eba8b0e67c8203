"""The search period for every application: what a first application brings for it (ages,
exemptions, a temporary contract's end) and the caseworker's waiver with its reason. The Max-WW
handover's substance: the WW amount, the first notification (lead time) and an outcome without
bijstand.

Revision ID: reapplication_0006
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0006"
down_revision = "reapplication_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("heraanvragen") as batch:
        batch.add_column(sa.Column("aanvullend", sa.JSON))
        batch.add_column(sa.Column("zoektermijn_ontheffing", sa.String(500)))
    with op.batch_alter_table("overdrachten") as batch:
        batch.add_column(sa.Column("ww_bedrag_soort", sa.String(12)))
        batch.add_column(sa.Column("ww_bedrag", sa.BigInteger))
        batch.add_column(sa.Column("gemeld_op", sa.Date))
        batch.add_column(sa.Column("uitkomst", sa.String(24)))
        batch.add_column(sa.Column("uitkomst_op", sa.Date))


def downgrade() -> None:
    with op.batch_alter_table("overdrachten") as batch:
        for kolom in ("uitkomst_op", "uitkomst", "gemeld_op", "ww_bedrag", "ww_bedrag_soort"):
            batch.drop_column(kolom)
    with op.batch_alter_table("heraanvragen") as batch:
        batch.drop_column("zoektermijn_ontheffing")
        batch.drop_column("aanvullend")

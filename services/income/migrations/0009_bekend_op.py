"""A case, each period of a partner in it, and a re-application window remember when income learned
of them, and their end before its latest change, when that change was and since when that earlier
end had been known: a provider's closing of a month
(`POST /maandafsluitingen`) covers only who was in the population as the provider read it, not a
case opened later and backdated into the month, and judges an end recorded or moved since as it was
then. Nullable: a row stored before counts as known from the start, its end as never changed.

Revision ID: income_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0009"
down_revision = "income_0008"
branch_labels = None
depends_on = None


TABELLEN = ("populatie", "partners", "heraanvraagtermijnen")


def upgrade() -> None:
    for tabel in TABELLEN:
        op.add_column(tabel, sa.Column("bekend_op", sa.DateTime(timezone=True)))
        op.add_column(tabel, sa.Column("vorig_einde", sa.Date))
        op.add_column(tabel, sa.Column("einde_gewijzigd_op", sa.DateTime(timezone=True)))
        op.add_column(tabel, sa.Column("vorig_einde_sinds", sa.DateTime(timezone=True)))


def downgrade() -> None:
    for tabel in TABELLEN:
        for kolom in ("vorig_einde_sinds", "einde_gewijzigd_op", "vorig_einde", "bekend_op"):
            op.drop_column(tabel, kolom)

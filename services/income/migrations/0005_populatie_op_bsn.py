"""The population is paged by BSN (`GET /populatie?vanaf=`): each page reads its members from these
indexes instead of the whole population.

Revision ID: income_0005
"""

from alembic import op

revision = "income_0005"
down_revision = "income_0004"
branch_labels = None
depends_on = None

TABELLEN = ("populatie", "partners", "heraanvraagtermijnen")


def upgrade() -> None:
    for tabel in TABELLEN:
        op.create_index(f"ix_{tabel}_bsn", tabel, ["bsn"])


def downgrade() -> None:
    for tabel in TABELLEN:
        op.drop_index(f"ix_{tabel}_bsn", tabel)

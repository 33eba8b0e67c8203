"""A round of settling every case whole under new rules (service.verrekeningen.herbereken_na_nieuwe_regels)
records how far it got (`na`, the last case it settled; empty once every case is), so instances share
the round batch by batch instead of each settling every case, and a round stopped halfway goes on
where it was; `vastgesteld_op` is now when the rules' round began. The one row now always exists
(`versie` empty: never recorded), so an instance can lock it before the first batch. `na` is a case's
id, never a person: a forgotten case's id only marks a place in the order.

Revision ID: decisions_0018
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0018"
down_revision = "decisions_0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("regelversie", sa.Column("na", sa.String(36), nullable=True))
    rij = sa.table(
        "regelversie", sa.column("sleutel", sa.Integer), sa.column("versie"), sa.column("vastgesteld_op", UtcDateTime)
    )
    if op.get_bind().execute(sa.select(sa.func.count()).select_from(rij)).scalar_one() == 0:
        op.bulk_insert(rij, [{"sleutel": 1, "versie": "", "vastgesteld_op": datetime(1970, 1, 1, tzinfo=UTC)}])


def downgrade() -> None:
    op.execute("DELETE FROM regelversie WHERE versie = ''")
    with op.batch_alter_table("regelversie") as batch:
        batch.drop_column("na")

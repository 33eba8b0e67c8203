"""A period now follows the attribution policy of the municipality whose case had begun by the
period's first day (`income.domain.toerekening`); it followed the person's latest case's. Only
persons with cases (their own or as partner) in more than one municipality can have stored months
that differ: they are queued for the background recomputation, which announces each month whose
figure changes (so decisions re-settles the months a move had recomputed under the wrong policy).

Revision ID: income_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0007"
down_revision = "income_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    zaken = [sa.table(naam, sa.column("persoon"), sa.column("gemeentecode")) for naam in ("populatie", "partners")]
    rijen = sa.union_all(*[sa.select(t.c.persoon, t.c.gemeentecode) for t in zaken]).subquery()
    wachtrij = sa.table("herberekeningen", sa.column("persoon"))
    verhuisd = (
        sa.select(rijen.c.persoon)
        .group_by(rijen.c.persoon)
        .having(sa.func.count(sa.distinct(rijen.c.gemeentecode)) > 1)
        .where(rijen.c.persoon.not_in(sa.select(wachtrij.c.persoon)))
    )
    op.get_bind().execute(wachtrij.insert().from_select(["persoon"], verhuisd))


def downgrade() -> None:
    """The queue is worked off by the rule of the code that runs; nothing to undo."""

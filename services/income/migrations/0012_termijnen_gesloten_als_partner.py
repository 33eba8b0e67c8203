"""A re-application window also closes the day before the person joins a household's case as its
partner, in any municipality (the rule of `income.domain.populatie.gesloten` from this release on):
they live in that household, and the old municipality's task and its sight of their income ended.
This closes the windows stored before it that such a partner's period already closes (0006 closed
those a case of the person's own closes). Written out here, as the rule stands, so the migration
stays what it was when the rule moves on.

Revision ID: income_0012
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "income_0012"
down_revision = "income_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    termijnen = sa.table(
        "heraanvraagtermijnen", sa.column("uitkering_id"), sa.column("persoon"), sa.column("geldig_tot", sa.Date)
    )
    zaken = sa.table("populatie", sa.column("uitkering_id"), sa.column("sinds", sa.Date), sa.column("tot", sa.Date))
    partners = sa.table("partners", sa.column("persoon"), sa.column("sinds", sa.Date))
    # the window's case ended (or, not known to have ended, started) before the partner's period started
    na = sa.func.coalesce(zaken.c.tot, zaken.c.sinds)
    gesloten = (
        sa.select(termijnen.c.uitkering_id, termijnen.c.geldig_tot, sa.func.min(partners.c.sinds).label("start"))
        .join(zaken, zaken.c.uitkering_id == termijnen.c.uitkering_id)
        .join(partners, sa.and_(partners.c.persoon == termijnen.c.persoon, partners.c.sinds > na))
        .group_by(termijnen.c.uitkering_id, termijnen.c.geldig_tot)
    )
    conn = op.get_bind()
    korter = [
        {"id": uitkering_id, "tot": start - timedelta(days=1)}
        for uitkering_id, geldig_tot, start in conn.execute(gesloten)
        if start - timedelta(days=1) < geldig_tot
    ]
    if korter:  # one statement for them all (executemany), not a round trip per window
        conn.execute(
            termijnen.update()
            .where(termijnen.c.uitkering_id == sa.bindparam("id"))
            .values(geldig_tot=sa.bindparam("tot")),
            korter,
        )


def downgrade() -> None:
    """The windows' former ends are not kept: they stay closed."""

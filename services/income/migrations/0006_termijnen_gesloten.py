"""A re-application window closes the day before the person's next case of their own starts, in any
municipality (the rule of `income.domain.populatie.gesloten`, applied as events arrive from this
release on). This closes the windows stored before it that such a case already closes, so a
municipality the person moved away from no longer sees their income. Written out here, as the rule
stood, so the migration stays what it was when the rule moves on.

Revision ID: income_0006
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "income_0006"
down_revision = "income_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    termijnen = sa.table(
        "heraanvraagtermijnen", sa.column("uitkering_id"), sa.column("persoon"), sa.column("geldig_tot", sa.Date)
    )
    zaken = sa.table(
        "populatie",
        sa.column("uitkering_id"),
        sa.column("persoon"),
        sa.column("sinds", sa.Date),
        sa.column("tot", sa.Date),
    )
    eigen, later = zaken.alias("eigen"), zaken.alias("later")
    # the window's case ended (or, not known to have ended, started) before the later case started
    na = sa.func.coalesce(eigen.c.tot, eigen.c.sinds)
    gesloten = (
        sa.select(termijnen.c.uitkering_id, termijnen.c.geldig_tot, sa.func.min(later.c.sinds).label("start"))
        .join(eigen, eigen.c.uitkering_id == termijnen.c.uitkering_id)
        .join(later, sa.and_(later.c.persoon == termijnen.c.persoon, later.c.sinds > na))
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

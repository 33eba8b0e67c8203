"""A case that starts after a re-application window's own closes the window the day before (the
rule of `income.domain.populatie.gesloten`, applied as events arrive from this release on). This
closes the windows stored before it that a later case already closes, so a municipality the person
moved away from no longer sees their income. Written out here, as the rule stood, so the migration
stays what it was when the rule moves on.

Revision ID: income_0006
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "income_0006"
down_revision = "income_0005"
branch_labels = None
depends_on = None


def _tabel(naam: str) -> sa.TableClause:
    return sa.table(naam, sa.column("uitkering_id"), sa.column("persoon"), sa.column("sinds", sa.Date))


def upgrade() -> None:
    termijnen = sa.table(
        "heraanvraagtermijnen", sa.column("uitkering_id"), sa.column("persoon"), sa.column("geldig_tot", sa.Date)
    )
    eigen, populatie, partners = _tabel("populatie").alias("eigen"), _tabel("populatie"), _tabel("partners")
    zaken = sa.union_all(
        sa.select(populatie.c.persoon, populatie.c.sinds), sa.select(partners.c.persoon, partners.c.sinds)
    ).subquery()
    later = (
        sa.select(termijnen.c.uitkering_id, termijnen.c.geldig_tot, sa.func.min(zaken.c.sinds).label("start"))
        .join(eigen, eigen.c.uitkering_id == termijnen.c.uitkering_id)
        .join(zaken, sa.and_(zaken.c.persoon == termijnen.c.persoon, zaken.c.sinds > eigen.c.sinds))
        .group_by(termijnen.c.uitkering_id, termijnen.c.geldig_tot)
    )
    conn = op.get_bind()
    for uitkering_id, geldig_tot, start in conn.execute(later).all():
        if start - timedelta(days=1) < geldig_tot:
            conn.execute(
                termijnen.update()
                .where(termijnen.c.uitkering_id == uitkering_id)
                .values(geldig_tot=start - timedelta(days=1))
            )


def downgrade() -> None:
    """The windows' former ends are not kept: they stay closed."""

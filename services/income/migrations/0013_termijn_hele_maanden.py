"""Reapplication now gives a window after a benefit that ended on a month's last day whole months
(ended on 28 February: open to 31 August after six), and lengthened the windows it stored before
(reapplication_0013) without announcing them again. Income's copies are lengthened by the same rule:
those stored by the old rule (the same day as the case's end) whose end never changed since (not
closed by a later case, not corrected), each still closed the day before a later case of the
person's, own or as a partner, as `income.domain.populatie.gesloten` closes it; the change is
recorded with its moment, as any change of a window's end is, so a month's closing read before it
judges the window as it was. Written out here, as the rule stands, so the migration stays what it
was when the rule moves on.

Revision ID: income_0013
"""

import calendar
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

from schakel.clock import SYSTEM

revision = "income_0013"
down_revision = "income_0012"
branch_labels = None
depends_on = None


def _laatste_dag(dag: date) -> date:
    return dag.replace(day=calendar.monthrange(dag.year, dag.month)[1])


def upgrade() -> None:
    termijnen = sa.table(
        "heraanvraagtermijnen",
        sa.column("uitkering_id"),
        sa.column("persoon"),
        sa.column("geldig_tot", sa.Date),
        sa.column("vorig_einde", sa.Date),
        sa.column("einde_gewijzigd_op", sa.DateTime(timezone=True)),
        sa.column("vorig_einde_sinds", sa.DateTime(timezone=True)),
        sa.column("bekend_op", sa.DateTime(timezone=True)),
    )
    zaken = sa.table(
        "populatie",
        sa.column("uitkering_id"),
        sa.column("persoon"),
        sa.column("sinds", sa.Date),
        sa.column("tot", sa.Date),
    )
    partners = sa.table("partners", sa.column("persoon"), sa.column("sinds", sa.Date))
    conn = op.get_bind()
    ongewijzigd = (
        sa.select(
            termijnen.c.uitkering_id, termijnen.c.persoon, termijnen.c.geldig_tot, zaken.c.tot, termijnen.c.bekend_op
        )
        .join(zaken, zaken.c.uitkering_id == termijnen.c.uitkering_id)
        .where(termijnen.c.vorig_einde.is_(None), termijnen.c.einde_gewijzigd_op.is_(None), zaken.c.tot.is_not(None))
    )
    nu = SYSTEM.now()
    for uitkering_id, persoon, geldig_tot, einde, bekend_op in conn.execute(ongewijzigd).all():
        if einde != _laatste_dag(einde) or geldig_tot.day != einde.day or geldig_tot == _laatste_dag(geldig_tot):
            continue  # not stored by the old rule after a month's last day
        later = [
            start
            for tabel in (zaken, partners)
            for start in conn.execute(sa.select(tabel.c.sinds).where(tabel.c.persoon == persoon)).scalars()
            if start > einde
        ]
        nieuw = min([_laatste_dag(geldig_tot), *(start - timedelta(days=1) for start in later)])
        if nieuw > geldig_tot:
            # recorded as Bekend.na records a change: a month's closing read before judges the window as it was
            conn.execute(
                termijnen.update()
                .where(termijnen.c.uitkering_id == uitkering_id)
                .values(geldig_tot=nieuw, vorig_einde=geldig_tot, einde_gewijzigd_op=nu, vorig_einde_sinds=bekend_op)
            )


def downgrade() -> None:
    """The longer windows stay, as reapplication's: shortening them again would take days from people."""

"""A benefit that ended on a month's last day gives a window of whole months (ended on 28 February:
open to 31 August after six). Windows stored before ran to the same day of the month (28 August):
they are lengthened to that month's last day, closed or not (a closing stays as it was).

Revision ID: reapplication_0013
"""

import calendar
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0013"
down_revision = "reapplication_0012"
branch_labels = None
depends_on = None

TERMIJNEN = sa.table(
    "heraanvraagtermijnen",
    sa.column("uitkering_id", sa.String),
    sa.column("einddatum", sa.Date),
    sa.column("geldig_tot", sa.Date),
)


def _laatste_dag(dag: date) -> date:
    return dag.replace(day=calendar.monthrange(dag.year, dag.month)[1])


def upgrade() -> None:
    conn = op.get_bind()
    for r in conn.execute(sa.select(TERMIJNEN.c.uitkering_id, TERMIJNEN.c.einddatum, TERMIJNEN.c.geldig_tot)).all():
        # stored by the old rule: the same day as the end (or the month's last, when shorter)
        if r.einddatum == _laatste_dag(r.einddatum) and r.geldig_tot != _laatste_dag(r.geldig_tot):
            if r.geldig_tot.day == r.einddatum.day:
                conn.execute(
                    TERMIJNEN.update()
                    .where(TERMIJNEN.c.uitkering_id == r.uitkering_id)
                    .values(geldig_tot=_laatste_dag(r.geldig_tot))
                )


def downgrade() -> None:
    """The longer windows stay: shortening them again would take days from people."""

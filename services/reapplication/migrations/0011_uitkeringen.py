"""The person's cases as decisions announced them, so a re-application waits while one runs
(decisions refuses a second running case), and why decisions did not reopen a grant
(`heropening.geweigerd`), so a grant counts as on its way only until decisions answers.

Filled from what was kept: every window is an ended case, and a re-application decisions confirmed
without a window since is a running one. A case opened without a re-application before this
version, and still running, is known only once it ends. A grant decisions had not opened an hour
after it was made it refused: its `heraanvraag.toegekend` is on `heraanvragen.dlq` (decisions
answers within seconds). It is marked as not reopened, so it no longer holds the person. Replaying
those dead letters later would open cases from grants months old: leave them.

Revision ID: reapplication_0011
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

from schakel.clock import SYSTEM
from schakel.persistence.types import UtcDateTime

revision = "reapplication_0011"
down_revision = "reapplication_0010"
branch_labels = None
depends_on = None

NIET_GEOPEND = {
    "code": "niet-geopend",
    "uitleg": "De heraanvraag is niet heropend: de decisions-service weigerde haar vóór deze versie (heraanvragen.dlq).",
}


def upgrade() -> None:
    uitkeringen = op.create_table(
        "uitkeringen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("einddatum", sa.Date),
    )
    op.add_column("heraanvragen", sa.Column("niet_geopend", sa.JSON))
    t = sa.table("heraanvraagtermijnen", sa.column("uitkering_id"), sa.column("persoon"), sa.column("einddatum"))
    h = sa.table(
        "heraanvragen",
        sa.column("uitkering_id"),
        sa.column("persoon"),
        sa.column("status"),
        sa.column("besloten_op", UtcDateTime),
        sa.column("niet_geopend", sa.JSON),
    )
    kolommen = ["uitkering_id", "persoon", "einddatum"]
    op.execute(uitkeringen.insert().from_select(kolommen, sa.select(t.c.uitkering_id, t.c.persoon, t.c.einddatum)))
    lopend = ~sa.exists().where(uitkeringen.c.uitkering_id == h.c.uitkering_id)
    op.execute(
        uitkeringen.insert().from_select(
            kolommen,
            sa.select(h.c.uitkering_id, h.c.persoon, sa.cast(sa.null(), sa.Date))
            .where(h.c.uitkering_id.is_not(None), lopend)
            .distinct(),
        )
    )
    uur_geleden = sa.literal(SYSTEM.now() - timedelta(hours=1), UtcDateTime)
    op.execute(
        h.update()
        .where(h.c.status == "toegekend", h.c.uitkering_id.is_(None), h.c.besloten_op < uur_geleden)
        .values(niet_geopend=NIET_GEOPEND)
    )


def downgrade() -> None:
    with op.batch_alter_table("heraanvragen") as tabel:  # SQLite rebuilds the table
        tabel.drop_column("niet_geopend")
    op.drop_table("uitkeringen")

"""The person's cases as decisions announced them, so a re-application waits while one runs
(decisions refuses a second running case), and why decisions did not reopen a grant
(`heropening.geweigerd`), so a grant counts as on its way only until decisions answers.

Filled from what was kept: every window is an ended case, and a re-application decisions confirmed
without a window since is a running one. A case opened without a re-application before this
version, and still running, is known only once it ends. A grant that decisions never opened
because an earlier grant of the person had opened a case that still runs (the double grants before
this version; decisions dead-lettered them) is marked as not reopened, so it no longer holds the
person. Do not replay those dead letters.

Revision ID: reapplication_0011
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0011"
down_revision = "reapplication_0010"
branch_labels = None
depends_on = None

NIET_GEOPEND = {
    "code": "uitkering-loopt",
    "uitleg": "Voor deze persoon liep al een uitkering; de heraanvraag is niet heropend.",
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
        sa.column("besloten_op"),
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
    # a grant not opened beside an earlier (or as early) grant of the person whose case runs
    eerder = h.alias("eerder")
    winnaar = sa.exists().where(
        eerder.c.persoon == h.c.persoon,
        eerder.c.uitkering_id.is_not(None),
        eerder.c.besloten_op <= h.c.besloten_op,
        sa.exists().where(uitkeringen.c.uitkering_id == eerder.c.uitkering_id, uitkeringen.c.einddatum.is_(None)),
    )
    op.execute(
        h.update()
        .where(h.c.status == "toegekend", h.c.uitkering_id.is_(None), winnaar)
        .values(niet_geopend=NIET_GEOPEND)
    )


def downgrade() -> None:
    with op.batch_alter_table("heraanvragen") as tabel:  # SQLite rebuilds the table
        tabel.drop_column("niet_geopend")
    op.drop_table("uitkeringen")

"""The person's cases as decisions announced them: a re-application waits while one runs (decisions
refuses a second running case), and a grant counts as on its way until a case of the person arrives
after it. Filled from what was kept: every window is an ended case, and a re-application decisions
confirmed without a window since is a running one. Both count as known from now, so a grant that
decisions never opened (the double grants before this version) no longer holds the person. A case
opened without a re-application before this version, and still running, is not known until it ends.

Revision ID: reapplication_0011
"""

import sqlalchemy as sa
from alembic import op

from schakel.clock import SYSTEM
from schakel.persistence.types import UtcDateTime

revision = "reapplication_0011"
down_revision = "reapplication_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    uitkeringen = op.create_table(
        "uitkeringen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("bekend_sinds", UtcDateTime, nullable=False),
        sa.Column("einddatum", sa.Date),
    )
    t = sa.table("heraanvraagtermijnen", sa.column("uitkering_id"), sa.column("persoon"), sa.column("einddatum"))
    h = sa.table("heraanvragen", sa.column("uitkering_id"), sa.column("persoon"))
    nu = sa.literal(SYSTEM.now(), UtcDateTime)
    kolommen = ["uitkering_id", "persoon", "bekend_sinds", "einddatum"]
    op.execute(uitkeringen.insert().from_select(kolommen, sa.select(t.c.uitkering_id, t.c.persoon, nu, t.c.einddatum)))
    lopend = (
        sa.select(h.c.uitkering_id, h.c.persoon, nu, sa.cast(sa.null(), sa.Date))
        .where(h.c.uitkering_id.is_not(None), ~sa.exists().where(uitkeringen.c.uitkering_id == h.c.uitkering_id))
        .distinct()
    )
    op.execute(uitkeringen.insert().from_select(kolommen, lopend))


def downgrade() -> None:
    op.drop_table("uitkeringen")

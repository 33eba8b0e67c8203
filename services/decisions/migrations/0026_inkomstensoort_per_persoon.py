"""A caseworker's judgement of an income relationship's kind is about one person's relationship
(`persoon`, the pseudonym of whose income it is): employers number relationships per employee, so the
applicant's and the partner's can share an employer and a number, and a judgement of one said nothing
of the other's. Judgements from before applied to both, and to every later partner: each is kept for
the applicant and for every partner the case ever had, so no month settles otherwise than before.

Revision ID: decisions_0026
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0026"
down_revision = "decisions_0025"
branch_labels = None
depends_on = None

KOLOMMEN = ("uitkering_id", "loonheffingennummer", "inkomstenverhouding", "soort", "reden", "vastgelegd_op")
oud = sa.table("inkomstensoorten", *(sa.column(k) for k in KOLOMMEN))
uitkeringen = sa.table("uitkeringen", sa.column("uitkering_id"), sa.column("persoon"))
situaties = sa.table("situaties", sa.column("uitkering_id"), sa.column("partner_persoon"))


def _tabel(naam: str, per_persoon: bool) -> None:
    op.create_table(
        naam,
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        *([sa.Column("persoon", sa.String(64), primary_key=True)] if per_persoon else []),
        sa.Column("loonheffingennummer", sa.String(12), primary_key=True),
        sa.Column("inkomstenverhouding", sa.Integer, primary_key=True),
        sa.Column("soort", sa.String(10), nullable=False),
        sa.Column("reden", sa.String(500), nullable=False),
        sa.Column("vastgelegd_op", UtcDateTime, nullable=False),
    )


def upgrade() -> None:
    _tabel("inkomstensoorten_nieuw", per_persoon=True)
    kolommen = [oud.c[k] for k in KOLOMMEN]
    van_aanvrager = sa.select(*kolommen, uitkeringen.c.persoon).join(
        uitkeringen, uitkeringen.c.uitkering_id == oud.c.uitkering_id
    )
    van_partners = (
        sa.select(*kolommen, situaties.c.partner_persoon)
        .join(situaties, situaties.c.uitkering_id == oud.c.uitkering_id)
        .where(situaties.c.partner_persoon.is_not(None))
    )
    nieuw = sa.table("inkomstensoorten_nieuw", *(sa.column(k) for k in (*KOLOMMEN, "persoon")))
    op.execute(nieuw.insert().from_select([*KOLOMMEN, "persoon"], sa.union(van_aanvrager, van_partners)))
    op.drop_table("inkomstensoorten")
    op.rename_table("inkomstensoorten_nieuw", "inkomstensoorten")


def downgrade() -> None:
    # before, a judgement was the case's: the applicant's is kept (a partner's alone is dropped)
    _tabel("inkomstensoorten_oud", per_persoon=False)
    per_persoon = sa.table("inkomstensoorten", *(sa.column(k) for k in (*KOLOMMEN, "persoon")))
    van_aanvrager = (
        sa.select(*(per_persoon.c[k] for k in KOLOMMEN))
        .join(uitkeringen, uitkeringen.c.uitkering_id == per_persoon.c.uitkering_id)
        .where(uitkeringen.c.persoon == per_persoon.c.persoon)
    )
    op.execute(
        sa.table("inkomstensoorten_oud", *(sa.column(k) for k in KOLOMMEN))
        .insert()
        .from_select(KOLOMMEN, van_aanvrager)
    )
    op.drop_table("inkomstensoorten")
    op.rename_table("inkomstensoorten_oud", "inkomstensoorten")

"""The household's partner (BSN, pseudonym, own vrijlating grounds) on a situation, a month's income
split by kind, and a caseworker's judgement of an income relationship of unknown kind.

Revision ID: decisions_0008
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0008"
down_revision = "decisions_0007"
branch_labels = None
depends_on = None

GRONDEN = ("partner_medisch_urenbeperkt", "partner_loonkostensubsidie", "partner_meer_uren_niet_mogelijk")


def upgrade() -> None:
    with op.batch_alter_table("situaties") as batch:
        batch.add_column(sa.Column("partner_bsn", sa.String(9)))
        batch.add_column(sa.Column("partner_persoon", sa.String(64)))
        for kolom in GRONDEN:
            batch.add_column(sa.Column(kolom, sa.Boolean, nullable=False, server_default=sa.false()))
        batch.create_index("ix_situaties_partner_persoon", ["partner_persoon"])
    with op.batch_alter_table("inkomens") as batch:
        batch.add_column(sa.Column("overig", sa.BigInteger, nullable=False, server_default="0"))
        batch.add_column(sa.Column("onbekend", sa.BigInteger, nullable=False, server_default="0"))
    op.create_table(
        "inkomstensoorten",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("loonheffingennummer", sa.String(12), primary_key=True),
        sa.Column("inkomstenverhouding", sa.Integer, primary_key=True),
        sa.Column("soort", sa.String(10), nullable=False),
        sa.Column("reden", sa.String(500), nullable=False),
        sa.Column("vastgelegd_op", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("inkomstensoorten")
    with op.batch_alter_table("inkomens") as batch:
        batch.drop_column("onbekend")
        batch.drop_column("overig")
    with op.batch_alter_table("situaties") as batch:
        batch.drop_index("ix_situaties_partner_persoon")
        for kolom in ("partner_bsn", "partner_persoon", *GRONDEN):
            batch.drop_column(kolom)

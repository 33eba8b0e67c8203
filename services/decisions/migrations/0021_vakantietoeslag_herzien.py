"""An announced payout of holiday allowance keeps what it announced (`stand`: per month its
reservation), and whether it must be looked at again (`te_controleren`, from `voorlopig_tot` when a
provisional month of it turns final then): a change to one of its months marks it, and it is announced
again when a final reservation changed. The payouts announced before this have no `stand`: they are
marked, so each is looked at once and keeps its `stand` from then.

Revision ID: decisions_0021
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0021"
down_revision = "decisions_0020"
branch_labels = None
depends_on = None

TE_CONTROLEREN = sa.text("te_controleren")


def upgrade() -> None:
    op.add_column("vakantietoeslagen", sa.Column("stand", sa.JSON))
    op.add_column(
        "vakantietoeslagen", sa.Column("te_controleren", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("vakantietoeslagen", sa.Column("voorlopig_tot", sa.Date))
    op.execute(sa.text("UPDATE vakantietoeslagen SET te_controleren = true"))
    op.create_index(
        "ix_vakantietoeslagen_te_controleren",
        "vakantietoeslagen",
        ["uitkering_id"],
        postgresql_where=TE_CONTROLEREN,
        sqlite_where=TE_CONTROLEREN,
    )


def downgrade() -> None:
    op.drop_index("ix_vakantietoeslagen_te_controleren", "vakantietoeslagen")
    for kolom in ("voorlopig_tot", "te_controleren", "stand"):
        op.drop_column("vakantietoeslagen", kolom)

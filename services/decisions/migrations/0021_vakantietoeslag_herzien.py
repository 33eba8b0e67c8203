"""An announced payout of holiday allowance keeps what it announced (`stand`: per month its
reservation), whether a change to one of its months marked it to be looked at again
(`te_controleren`), and the day after which a provisional month of it turns final (`voorlopig_tot`):
it is announced again when a final reservation changed. The payouts announced before this have no
`stand`: they are marked, so each is looked at once and keeps its `stand` from then.

Revision ID: decisions_0021
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0021"
down_revision = "decisions_0020"
branch_labels = None
depends_on = None

TE_BEKIJKEN = sa.text("te_controleren OR voorlopig_tot IS NOT NULL")


def upgrade() -> None:
    op.add_column("vakantietoeslagen", sa.Column("stand", sa.JSON))
    op.add_column(
        "vakantietoeslagen", sa.Column("te_controleren", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("vakantietoeslagen", sa.Column("voorlopig_tot", sa.Date))
    op.execute(sa.text("UPDATE vakantietoeslagen SET te_controleren = true"))
    op.create_index(
        "ix_vakantietoeslagen_te_bekijken",
        "vakantietoeslagen",
        ["uitkering_id"],
        postgresql_where=TE_BEKIJKEN,
        sqlite_where=TE_BEKIJKEN,
    )


def downgrade() -> None:
    op.drop_index("ix_vakantietoeslagen_te_bekijken", "vakantietoeslagen")
    for kolom in ("voorlopig_tot", "te_controleren", "stand"):
        op.drop_column("vakantietoeslagen", kolom)

"""Indexes for the webhook worker at national scale, where deliveries pile up for a subscription
whose endpoint is away: the claim (every half second) found due deliveries by walking every
delivery from the oldest, finished ones and those of subscriptions it may not take included; the
oldest waiting one read every waiting row; a subscription's latest deliveries read all of its own.
Each now reads only the rows it returns, from an index of the waiting deliveries per subscription
(partial: delivered rows leave it; it replaces the index on status and next attempt), of their
creation times, and of each subscription's ids.

Revision ID: decisions_0016
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0016"
down_revision = "decisions_0015"
branch_labels = None
depends_on = None

WACHTEND = sa.text("status = 'wachtend'")


def upgrade() -> None:
    op.create_index(
        "ix_afleveringen_wachtend",
        "afleveringen",
        ["abonnement_id", "id"],
        postgresql_where=WACHTEND,
        sqlite_where=WACHTEND,
    )
    op.create_index(
        "ix_afleveringen_wachtend_sinds",
        "afleveringen",
        ["aangemaakt_op"],
        postgresql_where=WACHTEND,
        sqlite_where=WACHTEND,
    )
    op.drop_index("ix_afleveringen_abonnement_id", table_name="afleveringen")
    op.create_index("ix_afleveringen_abonnement", "afleveringen", ["abonnement_id", "id"])
    op.drop_index("ix_afleveringen_te_doen", table_name="afleveringen")  # the claim reads the partial index


def downgrade() -> None:
    op.create_index("ix_afleveringen_te_doen", "afleveringen", ["status", "volgende_poging_op"])
    op.drop_index("ix_afleveringen_abonnement", table_name="afleveringen")
    op.create_index("ix_afleveringen_abonnement_id", "afleveringen", ["abonnement_id"])
    op.drop_index("ix_afleveringen_wachtend_sinds", table_name="afleveringen")
    op.drop_index("ix_afleveringen_wachtend", table_name="afleveringen")

"""The oldest waiting webhook delivery, of subscriptions not paused and of paused ones (the worker's
gauges, every round of every instance), from an index of the waiting deliveries' creation per
subscription: the index of their creation alone made it read every waiting row, a backlog behind a
pause (up to DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN of a large municipality's events) included.

Revision ID: decisions_0038
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0038"
down_revision = "decisions_0037"
branch_labels = None
depends_on = None

WACHTEND = sa.text("status = 'wachtend'")


def upgrade() -> None:
    op.create_index(
        "ix_afleveringen_wachtend_per_abonnement",
        "afleveringen",
        ["abonnement_id", "aangemaakt_op"],
        postgresql_where=WACHTEND,
        sqlite_where=WACHTEND,
    )


def downgrade() -> None:
    op.drop_index("ix_afleveringen_wachtend_per_abonnement", table_name="afleveringen")

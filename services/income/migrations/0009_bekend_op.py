"""A case, each period of a partner in it, and a re-application window remember when income learned
of them as far as they reach (a later end is news): a provider's closing of a month
(`POST /maandafsluitingen`) covers only who was in the population as the provider read it, not a
case opened later and backdated into the month. Nullable: a row stored before counts as known from
the start.

Revision ID: income_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0009"
down_revision = "income_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("populatie", sa.Column("bekend_op", sa.DateTime(timezone=True)))
    op.add_column("partners", sa.Column("bekend_op", sa.DateTime(timezone=True)))
    op.add_column("heraanvraagtermijnen", sa.Column("bekend_op", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("heraanvraagtermijnen", "bekend_op")
    op.drop_column("partners", "bekend_op")
    op.drop_column("populatie", "bekend_op")

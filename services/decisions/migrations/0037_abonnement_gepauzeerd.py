"""A webhook subscription paused by its municipality, by an operator, or by both (`POST …/_pauzeer`):
since when, each. Its deliveries wait, using up no attempts, while either pause stands; each party
lifts its own (`…/_hervat`). Empty for every subscription that is not paused.

Revision ID: decisions_0037
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0037"
down_revision = "decisions_0036"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("abonnementen", sa.Column("gepauzeerd_gemeente", UtcDateTime))
    op.add_column("abonnementen", sa.Column("gepauzeerd_beheerder", UtcDateTime))


def downgrade() -> None:
    with op.batch_alter_table("abonnementen") as t:
        t.drop_column("gepauzeerd_beheerder")
        t.drop_column("gepauzeerd_gemeente")

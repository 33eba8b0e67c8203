"""A webhook subscription paused by its municipality or an operator (`POST …/_pauzeer`): since when,
and by whom. Its deliveries wait, using up no attempts, until it is resumed (`…/_hervat`). Empty for
every subscription that is not paused.

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
    op.add_column("abonnementen", sa.Column("gepauzeerd_op", UtcDateTime))
    op.add_column("abonnementen", sa.Column("gepauzeerd_door", sa.String(20)))


def downgrade() -> None:
    with op.batch_alter_table("abonnementen") as t:
        t.drop_column("gepauzeerd_door")
        t.drop_column("gepauzeerd_op")

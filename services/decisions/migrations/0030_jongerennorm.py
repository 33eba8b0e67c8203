"""The norm a caseworker sets for a household the law leaves it to the municipality for (someone of
18 to 20 with a partner or child, Participatiewet art. 20 lid 1), per situation, in cents. Instances of
the earlier version neither write nor read it: a situation they record has none, and they leave the
months it would settle waiting, as before.

Revision ID: decisions_0030
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0030"
down_revision = "decisions_0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("situaties") as table:
        table.add_column(sa.Column("jongerennorm", sa.BigInteger))


def downgrade() -> None:
    with op.batch_alter_table("situaties") as table:
        table.drop_column("jongerennorm")

"""The processing log keeps in what capacity each person was noted: the one the processing was about,
or a member of that one's household (a partner in a case). An access request (AVG art. 15) may have to
leave out or shorten the second kind, where it would tell of another's life (schakel.logboek). A record
from before says nothing (NULL): a nullable column, so no table is rewritten.

Revision ID: platform_0012
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0012"
down_revision = "platform_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("verwerkingen", sa.Column("hoedanigheid", sa.String(12)))


def downgrade() -> None:
    with op.batch_alter_table("verwerkingen") as table:
        table.drop_column("hoedanigheid")

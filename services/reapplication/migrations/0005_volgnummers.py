"""Several instances: the latest income and the doelgroepregister ground remember the sequence
number of the event they came from, so only a newer event replaces them.

Revision ID: reapplication_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0005"
down_revision = "reapplication_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("laatste_inkomens", sa.Column("volgnummer", sa.BigInteger))
    op.add_column("doelgroepen", sa.Column("volgnummer", sa.BigInteger))


def downgrade() -> None:
    op.drop_column("doelgroepen", "volgnummer")
    op.drop_column("laatste_inkomens", "volgnummer")

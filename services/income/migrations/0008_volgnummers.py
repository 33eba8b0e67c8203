"""A case remembers the sequence number of the latest change to it that was applied (its opening,
a changed household, its end, a corrected end), and a re-application window that of the latest
announcement of it (a corrected end moves it), so that an older one replayed from a dead-letter topic
does not undo a newer one. Nullable: a row stored before knows none, and the next one counts as newer.

Revision ID: income_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0008"
down_revision = "income_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("populatie", sa.Column("volgnummer", sa.BigInteger))
    op.add_column("heraanvraagtermijnen", sa.Column("volgnummer", sa.BigInteger))


def downgrade() -> None:
    op.drop_column("heraanvraagtermijnen", "volgnummer")
    op.drop_column("populatie", "volgnummer")

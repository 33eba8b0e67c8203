"""The polis is asked of income when someone re-applies (fetched at its source): reapplication no
longer keeps a copy of every person's latest monthly income, and forgets the copies it kept. The
table itself stays for one release (expand/contract): in a rolling upgrade this migration runs
while instances of the earlier version still store the months they receive; the next migration
drops it.

Revision ID: reapplication_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0007"
down_revision = "reapplication_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM laatste_inkomens"))


def downgrade() -> None:
    pass  # the months are not restored: income has them, and an earlier version fills the copy again

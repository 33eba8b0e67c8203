"""The change feed read from a time (`GET /gebeurtenissen?vanafTijdstip=`): an index on the
municipality's rows by time, holding the transaction id, so the first page finds where the rows since
then start without walking the municipality's whole history in the feed's order (1 million rows: 117
ms, with it 3,5 ms; see docs/performance.md). Building it
holds writes to the histories (settling waits), as 0034's did: about a quarter of a minute for 12
million rows.

Revision ID: decisions_0036
"""

from alembic import op

revision = "decisions_0036"
down_revision = "decisions_0035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("gebeurtenissen_vanaf", "gebeurtenissen", ["gemeentecode", "tijdstip"], postgresql_include=["xact"])


def downgrade() -> None:
    op.drop_index("gebeurtenissen_vanaf", "gebeurtenissen")

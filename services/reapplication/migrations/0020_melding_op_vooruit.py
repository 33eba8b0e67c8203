"""A notification's moment ahead of its arrival is refused since reapplication 0.13.2 (a year typed
wrong): kept, it passed for the latest notification for good, and every later one that names its
moment was `verouderd` (a corrected WW end, a move). One kept before is cleared, so the next
notification is applied, as for a row from before 0018. Ahead means past the upgrade's own moment
and UWV's clock skew allowed (five minutes).

Revision ID: reapplication_0020
"""

from datetime import UTC, timedelta

import sqlalchemy as sa
from alembic import op

from schakel.clock import SYSTEM

revision = "reapplication_0020"
down_revision = "reapplication_0019"
branch_labels = None
depends_on = None

overdrachten = sa.table("overdrachten", sa.column("melding_op", sa.DateTime(timezone=True)))


def upgrade() -> None:
    # stored as UTC, naive on SQLite: compared as UTC on both
    vooruit = (SYSTEM.now() + timedelta(minutes=5)).astimezone(UTC).replace(tzinfo=None)
    if op.get_bind().dialect.name == "postgresql":
        vooruit = vooruit.replace(tzinfo=UTC)
    op.execute(overdrachten.update().where(overdrachten.c.melding_op > vooruit).values(melding_op=None))


def downgrade() -> None:
    """What was cleared is not put back: it was never a moment UWV made its notification."""

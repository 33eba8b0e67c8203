"""A notification's moment ahead of its arrival is refused since reapplication 0.13.2 (a year typed
wrong): kept, it passed for the latest notification for good, and every later one that names its
moment was `verouderd` (a corrected WW end, a move). One kept before, past the upgrade's moment and
UWV's clock skew allowed (five minutes), is cleared, so the next notification is applied, as for a
row from before 0018.

Revision ID: reapplication_0020
"""

from datetime import timedelta

from schakel.persistence.migrate import wis_vooruit

revision = "reapplication_0020"
down_revision = "reapplication_0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    wis_vooruit("overdrachten", "melding_op", timedelta(minutes=5))


def downgrade() -> None:
    """What was cleared is not put back: it was never a moment UWV made its notification."""

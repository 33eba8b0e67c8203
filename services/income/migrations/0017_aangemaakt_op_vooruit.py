"""A declaration's version said to be made after the day it arrived is refused since income 0.13.1 (a
year typed wrong): kept, it outranked every correction of its period, which was answered `verouderd`
and the month kept the typo's amount. The moment of one kept before, past the upgrade's next day, is
cleared: the next version of its period replaces it, as for a row from before 0014.

Revision ID: income_0017
"""

from datetime import timedelta

from schakel.persistence.migrate import wis_vooruit

revision = "income_0017"
down_revision = "income_0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    wis_vooruit("polisregels", "aangemaakt_op", timedelta(days=1))


def downgrade() -> None:
    """What was cleared is not put back: no provider made a version then."""

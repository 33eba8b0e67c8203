"""A declaration's version said to be made after the day it arrived is refused since income 0.13.1 (a
year typed wrong): kept, it outranked every correction of its period, which was answered `verouderd`
and the month kept the typo's amount. The moment of one kept before, past the upgrade's next day, is
cleared: it orders nothing then, and the next version of its period replaces it, as for a row from
before 0014.

Revision ID: income_0017
"""

from datetime import UTC, timedelta

import sqlalchemy as sa
from alembic import op

from schakel.clock import SYSTEM

revision = "income_0017"
down_revision = "income_0016"
branch_labels = None
depends_on = None

polisregels = sa.table("polisregels", sa.column("aangemaakt_op", sa.DateTime(timezone=True)))


def upgrade() -> None:
    morgen = (SYSTEM.now() + timedelta(days=1)).astimezone(UTC)
    # stored as UTC: naive on SQLite, which compares the text
    grens = morgen if op.get_bind().dialect.name == "postgresql" else morgen.replace(tzinfo=None)
    op.execute(polisregels.update().where(polisregels.c.aangemaakt_op > grens).values(aangemaakt_op=None))


def downgrade() -> None:
    """What was cleared is not put back: no provider made a version then."""

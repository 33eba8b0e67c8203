"""A case keeps the re-application that reopened it (`heraanvraag_id`): its start clock is the one the
case before handed on, so when months of that case settled later move the clock, the reopened case
counts on from the clock as it is. Cases reopened before this have none and keep their start clock.

Revision ID: decisions_0025
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0025"
down_revision = "decisions_0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("uitkeringen", sa.Column("heraanvraag_id", sa.String(36)))


def downgrade() -> None:
    op.drop_column("uitkeringen", "heraanvraag_id")

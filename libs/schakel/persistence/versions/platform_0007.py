"""When each housekeeping job last finished, so every instance reports it (not only the one that ran it).

Revision ID: platform_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0007"
down_revision = "platform_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("periodic_jobs", sa.Column("finished_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("periodic_jobs") as table:
        table.drop_column("finished_at")

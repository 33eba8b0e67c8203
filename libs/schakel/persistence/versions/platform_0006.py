"""Housekeeping once per interval for the database, not per instance: when each job last started, and on which day.

Revision ID: platform_0006
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0006"
down_revision = "platform_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "periodic_jobs",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("periodic_jobs")

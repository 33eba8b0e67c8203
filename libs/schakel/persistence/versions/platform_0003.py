"""The inbox is purged by the time an event was applied: an index for that.

Revision ID: platform_0003
"""

from alembic import op

revision = "platform_0003"
down_revision = "platform_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("inbox_processed_at", "inbox", ["processed_at"])


def downgrade() -> None:
    op.drop_index("inbox_processed_at", "inbox")

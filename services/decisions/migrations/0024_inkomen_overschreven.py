"""A month's income keeps whether the municipality established it (`overschreven`: from a payslip,
instead of the polis), so its settlement's explanation says so: its lines are the polis's and need
not add up to the amount that counts. Incomes stored before this read as the polis's until the next
income event of their month.

Revision ID: decisions_0024
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0024"
down_revision = "decisions_0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("inkomens", sa.Column("overschreven", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("inkomens", "overschreven")

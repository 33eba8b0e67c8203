"""A month's settlement keeps the difference booked before its version (`vorig_verschil`): the text of
a revision names what moves now, as the back-payment or claim of the version before was made already.
Versions from before this have none, and keep their text.

Revision ID: decisions_0023
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0023"
down_revision = "decisions_0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("verrekeningen", sa.Column("vorig_verschil", sa.BigInteger))


def downgrade() -> None:
    op.drop_column("verrekeningen", "vorig_verschil")

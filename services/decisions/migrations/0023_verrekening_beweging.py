"""A month's settlement keeps what settling each version moved (`beweging`: its own claim raised or
lowered, the part not recovered, the back-payment, and what the version before settled as payable):
its text names what moves now, from the claims' own bookings, as the back-payment or claim of a
version before was made already. Versions from before this have none, and keep their text.

Revision ID: decisions_0023
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0023"
down_revision = "decisions_0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("verrekeningen", sa.Column("beweging", sa.JSON))


def downgrade() -> None:
    op.drop_column("verrekeningen", "beweging")

"""Several instances: one instance at a time delivers a subscription's webhooks (its claim), and a
month's income remembers the sequence number of the event it came from (only newer replaces it).

Revision ID: decisions_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0007"
down_revision = "decisions_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("abonnementen", sa.Column("bezorger", sa.String(100)))
    op.add_column("abonnementen", sa.Column("bezorger_tot", sa.DateTime(timezone=True)))
    op.add_column("inkomens", sa.Column("volgnummer", sa.BigInteger))


def downgrade() -> None:
    op.drop_column("inkomens", "volgnummer")
    op.drop_column("abonnementen", "bezorger_tot")
    op.drop_column("abonnementen", "bezorger")

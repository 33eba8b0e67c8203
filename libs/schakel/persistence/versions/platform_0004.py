"""Several instances per service: a sequence per person for the outbox's events, and one row that
says which instance relays the outbox.

Revision ID: platform_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0004"
down_revision = "platform_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_sequences",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("sequence", sa.BigInteger, nullable=False),
    )
    relay = op.create_table(
        "outbox_relay",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("holder", sa.String(100)),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(relay, [{"name": "outbox", "holder": None, "expires_at": None}])


def downgrade() -> None:
    op.drop_table("outbox_relay")
    op.drop_table("outbox_sequences")

"""A remembered answer keeps the operation and the persons (pseudonyms) its first request processed,
so a repeat answered from it is on the processing log as the first was (schakel.api.idempotency).

Revision ID: platform_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0010"
down_revision = "platform_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("idempotency_keys", sa.Column("naam", sa.String(120)))
    op.add_column("idempotency_keys", sa.Column("betrokkenen", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as table:
        table.drop_column("betrokkenen")
        table.drop_column("naam")

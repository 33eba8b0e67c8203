"""The municipality on whose behalf a processing was done, beside the organisation's OIN: one
organisation (a shared service centre) may act for several municipalities under one OIN, and each
answers its residents' access requests with what it did itself.

Revision ID: platform_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0008"
down_revision = "platform_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("verwerkingen", sa.Column("gemeente", sa.String(6)))


def downgrade() -> None:
    with op.batch_alter_table("verwerkingen") as table:
        table.drop_column("gemeente")

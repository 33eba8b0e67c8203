"""The municipality on whose behalf a processing was done, beside the organisation's OIN: one
organisation (a shared service centre) may act for several municipalities under one OIN, and each
answers its residents' access requests with what it did itself. Records from before this migration
get "" (not known); a record written without one afterwards (a caller that acts for no municipality,
or an instance of the version before during a rolling upgrade) is NULL. On PostgreSQL the default is
set and dropped again, so the existing rows take it without the table being rewritten.

Revision ID: platform_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "platform_0008"
down_revision = "platform_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("verwerkingen", sa.Column("gemeente", sa.String(6), server_default=""))
    with op.batch_alter_table("verwerkingen") as table:
        table.alter_column("gemeente", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("verwerkingen") as table:
        table.drop_column("gemeente")

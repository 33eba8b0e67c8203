"""A case retention forgot leaves its id and the last sequence number applied, without its person, for
as long as a copy of one of its events can still arrive (`service.bewaring`): replayed then, from a
dead-letter topic or by a consumer group set back, its opening recorded a running case (a person held
for good) and its end opened a window again.

Revision ID: reapplication_0019
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0019"
down_revision = "reapplication_0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vergeten_uitkeringen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("volgnummer", sa.BigInteger, nullable=False),
        sa.Column("vergeten_op", sa.Date, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("vergeten_uitkeringen")

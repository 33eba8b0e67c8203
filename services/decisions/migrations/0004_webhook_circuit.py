"""The circuit of a webhook subscription; an attempt to a refused address has no duration.

Revision ID: decisions_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0004"
down_revision = "decisions_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("abonnementen", sa.Column("opeenvolgende_fouten", sa.Integer, nullable=False, server_default="0"))
    op.add_column("abonnementen", sa.Column("onderbroken_tot", sa.DateTime(timezone=True)))
    op.add_column("abonnementen", sa.Column("onderbrekingen", sa.Integer, nullable=False, server_default="0"))
    with op.batch_alter_table("pogingen") as batch:  # SQLite rebuilds the table to drop NOT NULL
        batch.alter_column("duur_ms", existing_type=sa.Integer, nullable=True)


def downgrade() -> None:
    op.execute("UPDATE pogingen SET duur_ms = 0 WHERE duur_ms IS NULL")
    with op.batch_alter_table("pogingen") as batch:
        batch.alter_column("duur_ms", existing_type=sa.Integer, nullable=False)
    with op.batch_alter_table("abonnementen") as batch:
        for column in ("onderbrekingen", "onderbroken_tot", "opeenvolgende_fouten"):
            batch.drop_column(column)

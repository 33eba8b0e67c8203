"""A fact dated after the day it arrived changes the status only on its date, when nothing
announced it: it now keeps that date (`aankondigen_op`) until the status is announced then. Facts
that arrived ahead of their date before this version are marked too, so those whose date has come
are announced at the next run (a fact that arrived late in the evening UTC, on its Dutch date, may
be announced a second time: the same status again).

Revision ID: registration_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "registration_0003"
down_revision = "registration_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feiten", sa.Column("aankondigen_op", sa.Date, nullable=True))
    op.create_index("ix_feiten_aankondigen_op", "feiten", ["aankondigen_op"])
    ontvangen = "date(ontvangen_op)" if op.get_bind().dialect.name == "sqlite" else "CAST(ontvangen_op AS DATE)"
    op.execute(f"UPDATE feiten SET aankondigen_op = datum WHERE datum > {ontvangen}")


def downgrade() -> None:
    op.drop_index("ix_feiten_aankondigen_op", "feiten")
    with op.batch_alter_table("feiten") as tabel:  # SQLite rebuilds the table
        tabel.drop_column("aankondigen_op")

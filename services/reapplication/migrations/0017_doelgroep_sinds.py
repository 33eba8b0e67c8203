"""A doelgroep ground keeps the day of the status it came from (`sinds`): one that says nothing of
someone nothing here holds goes the retention after that day, with its sequence number kept until
then (so an older status replayed meanwhile cannot bring a ground back). Rows from before have none.

Revision ID: reapplication_0017
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0017"
down_revision = "reapplication_0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("doelgroepen", sa.Column("sinds", sa.Date))


def downgrade() -> None:
    with op.batch_alter_table("doelgroepen") as tabel:  # SQLite rebuilds the table
        tabel.drop_column("sinds")

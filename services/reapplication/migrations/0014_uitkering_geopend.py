"""A case keeps its opening (municipality, decision day, start), so a Max-WW handover UWV notifies
after the person's case opened (they applied themselves, or UWV was late) finds the decision in
place. Cases known before have none: a handover for them waits for a later case, as before.

Revision ID: reapplication_0014
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0014"
down_revision = "reapplication_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("uitkeringen", sa.Column("gemeentecode", sa.String(6), nullable=True))
    op.add_column("uitkeringen", sa.Column("besloten_op", sa.Date, nullable=True))
    op.add_column("uitkeringen", sa.Column("startdatum", sa.Date, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("uitkeringen") as batch:
        for kolom in ("startdatum", "besloten_op", "gemeentecode"):
            batch.drop_column(kolom)

"""The search period for every application: what a first application brings for it (ages,
exemptions, a temporary contract's end) and the caseworker's waiver with its reason.

Revision ID: reapplication_0005
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0005"
down_revision = "reapplication_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("heraanvragen") as batch:
        batch.add_column(sa.Column("aanvullend", sa.JSON))
        batch.add_column(sa.Column("zoektermijn_ontheffing", sa.String(500)))


def downgrade() -> None:
    with op.batch_alter_table("heraanvragen") as batch:
        batch.drop_column("zoektermijn_ontheffing")
        batch.drop_column("aanvullend")

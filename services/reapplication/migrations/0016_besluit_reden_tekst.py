"""A re-application granted without a caseworker keeps its explanation as the decision's reason,
which can be longer than a caseworker's 500 characters: the column holds any length.

Revision ID: reapplication_0016
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0016"
down_revision = "reapplication_0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("heraanvragen") as tabel:  # SQLite rebuilds the table
        tabel.alter_column("besluit_reden", type_=sa.Text, existing_type=sa.String(500))


def downgrade() -> None:
    """An automatic grant's explanation is cut to the 500 characters the column held."""
    op.execute(
        "UPDATE heraanvragen SET besluit_reden = substr(besluit_reden, 1, 500) WHERE length(besluit_reden) > 500"
    )
    with op.batch_alter_table("heraanvragen") as tabel:
        tabel.alter_column("besluit_reden", type_=sa.String(500), existing_type=sa.Text)

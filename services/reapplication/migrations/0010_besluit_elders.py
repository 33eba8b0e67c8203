"""A handover keeps the first case opened for the person in the latest municipality other than its
own: the person moved before UWV reported it, and once UWV hands the handover there the case is its
decision (it was never credited, and UWV never heard it). Handovers stored before have none:
the case events that went by are not kept, so a move like that before this version stays uncredited.

Revision ID: reapplication_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0010"
down_revision = "reapplication_0009"
branch_labels = None
depends_on = None

KOLOMMEN = {"elders_gemeentecode": sa.String(6), "elders_besluit_op": sa.Date(), "elders_startdatum": sa.Date()}


def upgrade() -> None:
    for naam, soort in KOLOMMEN.items():
        op.add_column("overdrachten", sa.Column(naam, soort))


def downgrade() -> None:
    with op.batch_alter_table("overdrachten") as tabel:  # SQLite rebuilds the table
        for naam in KOLOMMEN:
            tabel.drop_column(naam)

"""A delivery's refusals get an end date and say when the list was cut: `leveringen.afwijzingen_afgekapt`
is set once a refusal beyond the first 1000 came (`GET /leveringen/{leveringId}` then says more were
refused than listed), and retention removes each refusal `INCOME_AFWIJZINGEN_BEWAREN_DAGEN` after it was
kept, by the index on its time. A refusal is kept with its CloudEvents id masked where it could hold a
BSN, so a batch tried again is known by `sleutel`, a keyed hash of the id as it came (two records whose
ids mask alike are two refusals). Without rewriting a table.

Revision ID: income_0016
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0016"
down_revision = "income_0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "leveringen", sa.Column("afwijzingen_afgekapt", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.create_index("afwijzingen_afgewezen_op", "afwijzingen", ["afgewezen_op"])
    op.add_column("afwijzingen", sa.Column("sleutel", sa.String(100)))


def downgrade() -> None:
    with op.batch_alter_table("afwijzingen") as t:
        t.drop_column("sleutel")
    op.drop_index("afwijzingen_afgewezen_op", "afwijzingen")
    op.drop_column("leveringen", "afwijzingen_afgekapt")

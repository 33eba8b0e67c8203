"""A month closing keeps the municipalities its provider stated it had nothing to deliver for
(income 0.14.0): a municipality is closed only once its provider delivered over the month for its
population, or said so. A closing asked before has none (null).

Revision ID: income_0018
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0018"
down_revision = "income_0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("maandafsluitingen", sa.Column("zonder_aangiften", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("maandafsluitingen") as t:
        t.drop_column("zonder_aangiften")

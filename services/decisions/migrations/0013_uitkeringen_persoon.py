"""An index on the person of a case: settling a batch of incomes finds the cases of its persons by
it, and without one each lookup read every case (a national delivery grew quadratic).

Revision ID: decisions_0013
"""

from alembic import op

revision = "decisions_0013"
down_revision = "decisions_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_uitkeringen_persoon", "uitkeringen", ["persoon"])


def downgrade() -> None:
    op.drop_index("ix_uitkeringen_persoon", table_name="uitkeringen")

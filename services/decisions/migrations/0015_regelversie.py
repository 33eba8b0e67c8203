"""The rules (parameters and rule modules) under which every case was last settled whole: a deploy
with other rules settles every case again once (service.verrekeningen.herbereken_na_nieuwe_regels).
One row; it names no case, so retention leaves it alone.

Revision ID: decisions_0015
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0015"
down_revision = "decisions_0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "regelversie",
        sa.Column("sleutel", sa.Integer, primary_key=True),  # always 1: the one row
        sa.Column("versie", sa.String(64), nullable=False),
        sa.Column("vastgesteld_op", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("regelversie")

"""The programme's fall-back figure: pseudonymous outflow records of cases ended for work, and the
counts they fold into once their window passed.

Revision ID: decisions_0011
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import IdType

revision = "decisions_0011"
down_revision = "decisions_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uitstroom",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("pseudoniem", sa.String(64), nullable=False, index=True),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("maand", sa.String(7), nullable=False, index=True),
        sa.Column("terug_na", sa.Integer),
    )
    op.create_table(
        "uitstroomtellingen",
        sa.Column("gemeentecode", sa.String(6), primary_key=True),
        sa.Column("maand", sa.String(7), primary_key=True),
        sa.Column("uitgestroomd", sa.Integer, nullable=False),
        sa.Column("terug_12", sa.Integer, nullable=False),
        sa.Column("terug_36", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("uitstroomtellingen")
    op.drop_table("uitstroom")

"""What stays of a withdrawn fact (registration 0.13): its kind, date and municipality, who withdrew it
and when, for the history; what it said only as a fingerprint, which recognises the same withdrawal
again. Facts withdrawn before this version left nothing.

Revision ID: registration_0006
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import IdType, UtcDateTime

revision = "registration_0006"
down_revision = "registration_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intrekkingen",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("soort", sa.String(40), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("kenmerk", sa.String(64), nullable=False),
        sa.Column("door", sa.String(20), nullable=False),
        sa.Column("ingetrokken_op", UtcDateTime, nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("intrekkingen")

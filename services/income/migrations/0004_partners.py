"""A partner of a case's household is in the population for their period in it; and every member's
months are queued for recomputation, so that figures established before the kinds of income get
their kind (work, other, unknown) from the table and are announced with the split.

Revision ID: income_0004
"""

import sqlalchemy as sa
from alembic import op

revision = "income_0004"
down_revision = "income_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partners",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), primary_key=True),
        sa.Column("sinds", sa.Date, primary_key=True),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("tot", sa.Date),
    )
    op.create_index("ix_partners_persoon", "partners", ["persoon"])
    op.execute(
        "INSERT INTO herberekeningen (persoon) SELECT DISTINCT persoon FROM populatie "
        "WHERE persoon NOT IN (SELECT persoon FROM herberekeningen)"
    )


def downgrade() -> None:
    op.drop_table("partners")

"""A caseworker's raise of a case's beslagvrije voet (Rv art. 475da: housing costs, the health
insurance premium), per ground and version.

Revision ID: decisions_0014
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0014"
down_revision = "decisions_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "beslagvrije_voet_verhogingen",
        sa.Column("uitkering_id", sa.String(36), primary_key=True),
        sa.Column("grond", sa.String(20), primary_key=True),
        sa.Column("geldig_vanaf", sa.Date, primary_key=True),
        sa.Column("bedrag", sa.BigInteger, nullable=False),
        sa.Column("reden", sa.String(500), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("beslagvrije_voet_verhogingen")

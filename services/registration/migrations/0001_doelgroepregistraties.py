"""Doelgroepregister registrations as UWV reports them.

Revision ID: registration_0001
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import IdType

revision = "registration_0001"
down_revision = None
branch_labels = ("registration",)
depends_on = "platform_0001"


def upgrade() -> None:
    op.create_table(
        "doelgroepregistraties",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("persoon", sa.String(64), nullable=False, index=True),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("grond", sa.String(30), nullable=False),
        sa.Column("startdatum", sa.Date, nullable=False),
        sa.Column("einddatum", sa.Date),
    )


def downgrade() -> None:
    op.drop_table("doelgroepregistraties")

"""The processing log (Logboek Dataverwerkingen): one record per processing and person.

Revision ID: platform_0005
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import IdType

revision = "platform_0005"
down_revision = "platform_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verwerkingen",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("trace_id", sa.String(32), nullable=False),
        sa.Column("span_id", sa.String(16), nullable=False),
        sa.Column("parent_span_id", sa.String(16)),
        sa.Column("naam", sa.String(120), nullable=False),
        sa.Column("status", sa.String(5), nullable=False),
        sa.Column("begin", sa.DateTime(timezone=True), nullable=False),
        sa.Column("eind", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activiteit", sa.String(200), nullable=False),
        sa.Column("betrokkene", sa.String(64), nullable=False),
        sa.Column("organisatie", sa.String(20), nullable=False),
        sa.Column("gebruiker", sa.String(200)),
        sa.Column("dienst", sa.String(40), nullable=False),
    )
    op.create_index("verwerkingen_betrokkene", "verwerkingen", ["betrokkene", "begin"])
    op.create_index("verwerkingen_begin", "verwerkingen", ["begin"])


def downgrade() -> None:
    op.drop_table("verwerkingen")

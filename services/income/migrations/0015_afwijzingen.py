"""Why the declarations of a Kafka delivery were refused, for its provider (`GET
/leveringen/{leveringId}/afwijzingen`): the record's CloudEvents id where it could be read, else its
place on the topic, and the reason, which names the field and the rule, never a value. The first
1000 of a delivery are kept (its counts stay exact), as long as the delivery's counts are.

Revision ID: income_0015
"""

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import IdType, UtcDateTime

revision = "income_0015"
down_revision = "income_0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "afwijzingen",
        sa.Column("id", IdType, primary_key=True, autoincrement=True),
        sa.Column("leverancier", sa.String(20), nullable=False),
        sa.Column("levering_id", sa.String(100), nullable=False),
        sa.Column("event_id", sa.String(200)),
        sa.Column("partitie", sa.Integer),
        sa.Column("positie", sa.BigInteger),
        sa.Column("reden", sa.String(2000), nullable=False),
        sa.Column("afgewezen_op", UtcDateTime, nullable=False),
    )
    op.create_index("afwijzingen_levering", "afwijzingen", ["leverancier", "levering_id", "id"])


def downgrade() -> None:
    op.drop_table("afwijzingen")

"""What stays of a withdrawn fact (registration 0.13): its kind, date and municipality, who withdrew it
and when, for the history; what it said only as a fingerprint, which recognises the same withdrawal
again. Facts withdrawn before this version left nothing. And whether UWV was asked to assess a
banenafspraak job when it arrived (`banenafspraakbaan.zonder-registratie`) is kept with the job
(`uwv_gevraagd`): its withdrawal tells UWV (`banenafspraakbaan.ingetrokken`) exactly then, where folding the
facts that arrived up to it again would not say (one withdrawn since, UWV's registration or its end, gives
another answer). Jobs stored before have none (null) and are judged so.

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
    op.add_column("feiten", sa.Column("uwv_gevraagd", sa.Boolean, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feiten") as tabel:  # SQLite rebuilds the table
        tabel.drop_column("uwv_gevraagd")
    op.drop_table("intrekkingen")

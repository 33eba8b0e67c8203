"""The rules are recorded with the release that deployed them (`<release> <fingerprint>`, the
release as SemVer), which orders them: an instance of an earlier release never settles every case
back to its rules, whatever its clock or start time says
(service.verrekeningen.herbereken_na_nieuwe_regels). The column widens to hold both. Instances of
the earlier version read and write it as before and still go by their start time, so the rules are
recorded as of a day far ahead (`OUDE_ORDE`): one restarted during the upgrade takes them for a
newer deploy's and leaves them.

Revision ID: decisions_0027
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from schakel.persistence.types import UtcDateTime

revision = "decisions_0027"
down_revision = "decisions_0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("regelversie") as batch:
        batch.alter_column("versie", existing_type=sa.String(64), type_=sa.String(128), existing_nullable=False)


def downgrade() -> None:
    # a release and fingerprint do not fit the narrower column: the fingerprint alone stays, as of long ago
    # (not the day far ahead the later release records: the earlier one takes its rules over by that day)
    op.execute("UPDATE regelversie SET versie = substr(versie, length(versie) - 63) WHERE length(versie) > 64")
    regelversie = sa.table("regelversie", sa.column("vastgesteld_op", UtcDateTime))
    op.execute(
        regelversie.update()
        .where(regelversie.c.vastgesteld_op > datetime(3000, 1, 1, tzinfo=UTC))
        .values(vastgesteld_op=datetime(1970, 1, 1, tzinfo=UTC))
    )
    with op.batch_alter_table("regelversie") as batch:
        batch.alter_column("versie", existing_type=sa.String(128), type_=sa.String(64), existing_nullable=False)

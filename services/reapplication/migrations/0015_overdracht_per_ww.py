"""A person may have a Max-WW handover for each WW that reaches its maximum (a later WW needs 26
weeks of work after the last): the handovers are no longer one per person. A handover of an earlier
WW stays as it ended; the person's latest is the one a new case or step applies to.

Revision ID: reapplication_0015
"""

import sqlalchemy as sa
from alembic import op

revision = "reapplication_0015"
down_revision = "reapplication_0014"
branch_labels = None
depends_on = None


def _overdrachten(persoon_uniek: bool) -> sa.Table:
    """The table as it is at this revision, for SQLite's rebuild (it cannot drop a constraint in place)."""
    return sa.Table(
        "overdrachten",
        sa.MetaData(),
        sa.Column("overdracht_id", sa.String(36), primary_key=True),
        sa.Column("persoon", sa.String(64), nullable=False, unique=persoon_uniek),
        sa.Column("bsn", sa.String(9), nullable=False),
        sa.Column("gemeentecode", sa.String(6), nullable=False),
        sa.Column("ww_einddatum", sa.Date, nullable=False),
        sa.Column("grondslag", sa.JSON, nullable=False),
        sa.Column("stappen", sa.JSON, nullable=False),
        sa.Column("besluit_op", sa.Date),
        sa.Column("besluit_startdatum", sa.Date),
        sa.Column("ww_bedrag_soort", sa.String(12)),
        sa.Column("ww_bedrag", sa.BigInteger),
        sa.Column("gemeld_op", sa.Date),
        sa.Column("uitkomst", sa.String(24)),
        sa.Column("uitkomst_op", sa.Date),
        sa.Column("elders_gemeentecode", sa.String(6)),
        sa.Column("elders_besluit_op", sa.Date),
        sa.Column("elders_startdatum", sa.Date),
        sa.Index("ix_overdrachten_volgorde", "gemeentecode", "ww_einddatum", "overdracht_id"),
    )


def _uniek(conn: sa.Connection) -> str:
    return conn.execute(
        sa.text("SELECT conname FROM pg_constraint WHERE conrelid = 'overdrachten'::regclass AND contype = 'u'")
    ).scalar_one()


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.drop_constraint(_uniek(conn), "overdrachten", type_="unique")
    else:
        with op.batch_alter_table("overdrachten", copy_from=_overdrachten(False), recreate="always"):
            pass
    op.create_index("ix_overdrachten_persoon", "overdrachten", ["persoon"])


def downgrade() -> None:
    """One per person again: the latest WW's handover stays."""
    op.execute(
        "DELETE FROM overdrachten WHERE EXISTS (SELECT 1 FROM overdrachten AS later "
        "WHERE later.persoon = overdrachten.persoon AND later.ww_einddatum > overdrachten.ww_einddatum)"
    )
    op.drop_index("ix_overdrachten_persoon", "overdrachten")
    if op.get_bind().dialect.name == "postgresql":
        op.create_unique_constraint("overdrachten_persoon_key", "overdrachten", ["persoon"])
    else:
        with op.batch_alter_table("overdrachten", copy_from=_overdrachten(True), recreate="always"):
            pass

"""The municipality's change feed (`GET /gebeurtenissen`): each case history row gets its case's
municipality, to page one municipality's rows by an index, and the id of the transaction that wrote
it (`xact`), to page them in the order they committed. Ids are not commit order on PostgreSQL: a row
with a lower id can commit after a reader passed a higher one, so the feed serves only rows of
transactions that ended before the oldest one still running (`pg_snapshot_xmin`), in (`xact`, id)
order, and no row can appear later before a position read already. The transaction id is a default,
so an instance of the earlier version writes it too. SQLite has one writer at a time: its ids are
commit order (`xact` 0).

Cheap at national scale: both columns are added without rewriting the table (rows from before get
`xact` 0, and sort first), and the municipality of the rows from before, and of those an instance of
the earlier version writes during the roll, is filled in afterwards, a batch per transaction
(`service.gebeurtenissen.vul_gemeentecodes`); until then the feed finds them through their case (the
index of rows without one: every row at first, so the feed is slow until it is done). Only building the two indexes holds writes to the histories
(settling waits): about half a minute for 12 million rows.

Revision ID: decisions_0034
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0034"
down_revision = "decisions_0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("gebeurtenissen", sa.Column("gemeentecode", sa.String(6)))
    op.add_column("gebeurtenissen", sa.Column("xact", sa.BigInteger, nullable=False, server_default="0"))
    if op.get_bind().dialect.name == "postgresql":  # from now on, the writing transaction's id
        op.alter_column("gebeurtenissen", "xact", server_default=sa.text("(pg_current_xact_id()::text::bigint)"))
    op.create_index("gebeurtenissen_feed", "gebeurtenissen", ["gemeentecode", "xact", "id"])
    op.create_index(
        "gebeurtenissen_zonder_gemeente",
        "gebeurtenissen",
        ["xact", "id"],
        postgresql_where=sa.text("gemeentecode IS NULL"),
        sqlite_where=sa.text("gemeentecode IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("gebeurtenissen_zonder_gemeente", "gebeurtenissen")
    op.drop_index("gebeurtenissen_feed", "gebeurtenissen")
    op.drop_column("gebeurtenissen", "xact")
    op.drop_column("gebeurtenissen", "gemeentecode")

"""The municipality's change feed (`GET /gebeurtenissen`): each case history row gets its case's
municipality, to page one municipality's rows by an index, and the id of the transaction that wrote
it (`xact`), to page them in the order they committed. Ids are not commit order on PostgreSQL: a row
with a lower id can commit after a reader passed a higher one, so the feed serves only rows of
transactions that ended before every transaction still running began (`pg_snapshot_xmin`), in
(`xact`, id) order, and no row can appear later before a cursor. The transaction id is a default,
so an instance of the earlier version writes it too; the municipality it leaves empty, and the feed
finds those rows through their case (a small index of them). SQLite has one writer at a time: its
ids are commit order (`xact` 0).

Rows from before are given their municipality and `xact` 0 in one pass: writes to the case
histories (settling) wait while it runs, seconds at national scale.

Revision ID: decisions_0034
"""

import sqlalchemy as sa
from alembic import op

revision = "decisions_0034"
down_revision = "decisions_0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column("gebeurtenissen", sa.Column("gemeentecode", sa.String(6)))
    op.add_column("gebeurtenissen", sa.Column("xact", sa.BigInteger, server_default=None if postgres else "0"))
    op.execute(
        "UPDATE gebeurtenissen SET xact = 0, gemeentecode ="
        " (SELECT u.gemeentecode FROM uitkeringen u WHERE u.uitkering_id = gebeurtenissen.uitkering_id)"
    )
    if postgres:  # set after the pass: a default on the new column would have rewritten the table
        op.alter_column(
            "gebeurtenissen",
            "xact",
            nullable=False,
            server_default=sa.text("(pg_current_xact_id()::text::bigint)"),
        )
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

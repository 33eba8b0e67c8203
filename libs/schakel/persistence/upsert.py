"""Insert or replace rows by primary key in one statement (one round trip instead of a delete and
an insert per row), on either database."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 500  # rows per statement: within both databases' limits on bound parameters


async def upsert(conn: AsyncConnection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """Writes the rows; a row whose primary key exists replaces every column the rows name (of
    rows with the same key, the last)."""
    keys = [c.name for c in table.primary_key.columns]
    rows = list({tuple(r[k] for k in keys): r for r in rows}.values())  # one statement may touch a row once
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), CHUNK):
        statement = dialect.insert(table).values(rows[start : start + CHUNK])
        await conn.execute(
            statement.on_conflict_do_update(
                index_elements=keys,
                set_={name: statement.excluded[name] for name in rows[0] if name not in keys},
            )
        )

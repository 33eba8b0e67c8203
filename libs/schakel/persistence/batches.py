"""Reading a consumer batch's rows at once: one statement per table for all its cases or persons
instead of one per case (a national delivery is bound by round trips, not by the rules)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

CHUNK = 500  # keys per IN list: within both databases' limits on bound parameters


async def select_in(
    conn: AsyncConnection, query: sa.Select[Any], column: sa.ColumnElement[Any], keys: Iterable[Any]
) -> list[sa.Row[Any]]:
    """The query's rows whose `column` is one of `keys`, in bounded IN lists."""
    ordered, rows = sorted(set(keys)), list[sa.Row[Any]]()
    for start in range(0, len(ordered), CHUNK):
        rows += (await conn.execute(query.where(column.in_(ordered[start : start + CHUNK])))).all()
    return rows

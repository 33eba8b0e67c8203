"""Holding a person (or any key) for the rest of a transaction, for a write that first reads what it
changes (a person's timeline, a month, a delivery's counts): two instances, or a request and a
consumer batch, that change the same person take turns instead of each deciding without the other."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

_LOCK = sa.text("SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(CAST(:keys AS text[])) AS k")


async def hold(conn: AsyncConnection, keys: Iterable[str]) -> None:
    """PostgreSQL: an advisory lock per key, released at commit or rollback, all taken in one
    statement in sorted order (so transactions that each hold several never wait on each other in a
    circle). SQLite has one writer at a time already (BEGIN IMMEDIATE)."""
    if (ordered := sorted(set(keys))) and conn.dialect.name == "postgresql":
        await conn.execute(_LOCK, {"keys": ordered})

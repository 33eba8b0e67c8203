"""Holding a person (or any key) for the rest of a transaction, for a write that first reads what it
changes (a person's timeline, a month, a delivery's counts): two instances, or a request and a
consumer batch, that change the same person take turns instead of each deciding without the other."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

# PostgreSQL keeps advisory locks in its shared lock table: max_locks_per_transaction (64) times
# max_connections (100) entries by default, for all transactions together. A transaction about more
# keys than this (a delivery of 50.000 persons, retention) holds them all at once instead, alone.
MOST = 1_000
_ALL = "schakel: every key"
_ALL_ALONE = sa.text("SELECT pg_advisory_xact_lock(hashtextextended(:all, 0))")
# the shared lock on all keys first, then each key's, in one round trip, in the array's order (the
# ORDER BY costs no sort: the ordinality is known to be sorted)
_KEYS = sa.text(
    "SELECT CASE WHEN i = 1 THEN pg_advisory_xact_lock_shared(hashtextextended(k, 0))"
    " ELSE pg_advisory_xact_lock(hashtextextended(k, 0)) END"
    " FROM unnest(CAST(:keys AS text[])) WITH ORDINALITY AS given (k, i) ORDER BY i"
)


async def hold(conn: AsyncConnection, keys: Iterable[str]) -> None:
    """PostgreSQL: an advisory lock per key, released at commit or rollback, all taken in one
    statement in sorted order (so transactions that each hold several never wait on each other in a
    circle), under a shared lock on all keys; more than MOST keys take the lock on all keys alone.
    SQLite has one writer at a time already (BEGIN IMMEDIATE)."""
    if not (ordered := sorted(set(keys))) or conn.dialect.name != "postgresql":
        return
    if len(ordered) > MOST:
        await conn.execute(_ALL_ALONE, {"all": _ALL})
    else:
        await conn.execute(_KEYS, {"keys": [_ALL, *ordered]})

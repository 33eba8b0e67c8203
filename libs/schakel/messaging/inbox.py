"""The inbox: the (source, id) of every event a service applied, so that a redelivered event changes
nothing. It is kept for a redelivery window longer than the topics' retention (a record older than
that can no longer arrive again), then purged, so lookups stay fast month after month."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.events import Event
from schakel.messaging.tables import inbox
from schakel.persistence import Database

LOOKUP_CHUNK = 500  # bounded IN lists


async def processed(conn: AsyncConnection, events: list[Event]) -> set[tuple[str, str]]:
    """The (source, id) pairs of these events that the inbox already holds (a primary-key lookup)."""
    pairs = sorted({(e.source, e.id) for e in events})
    found = set()
    for start in range(0, len(pairs), LOOKUP_CHUNK):
        rows = await conn.execute(select(inbox.c.source, inbox.c.event_id).where(
            tuple_(inbox.c.source, inbox.c.event_id).in_(pairs[start:start + LOOKUP_CHUNK])))
        found.update((r.source, r.event_id) for r in rows)
    return found


async def purge(db: Database, window: timedelta) -> int:
    """Forgets events applied longer ago than `window`; returns how many."""
    cutoff = datetime.now(timezone.utc) - window
    async with db.transaction() as conn:
        result = await conn.execute(delete(inbox).where(inbox.c.processed_at < cutoff))
    return result.rowcount

"""The inbox: the (source, id) of every event a service applied, so that a redelivered event changes
nothing. It is kept for a redelivery window longer than the topics' retention (a record older than
that can no longer arrive again), then purged, so lookups stay fast month after month."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.clock import SYSTEM
from schakel.events import Event
from schakel.messaging.tables import inbox
from schakel.persistence import Database

LOOKUP_CHUNK = 500  # bounded IN lists


async def processed(conn: AsyncConnection, events: list[Event]) -> set[tuple[str, str]]:
    """The (source, id) pairs of these events that the inbox already holds: per source an IN list
    on the primary key (source, event_id), which both databases answer from the index."""
    ids_by_source: dict[str, set[str]] = {}
    for event in events:
        ids_by_source.setdefault(event.source, set()).add(event.id)
    found: set[tuple[str, str]] = set()
    for source, ids in ids_by_source.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), LOOKUP_CHUNK):
            rows = await conn.execute(
                select(inbox.c.event_id).where(
                    inbox.c.source == source, inbox.c.event_id.in_(ordered[start : start + LOOKUP_CHUNK])
                )
            )
            found.update((source, r.event_id) for r in rows)
    return found


async def purge(db: Database, window: timedelta) -> int:
    """Forgets events applied longer ago than `window`; returns how many."""
    cutoff = SYSTEM.now() - window
    async with db.transaction() as conn:
        result = await conn.execute(delete(inbox).where(inbox.c.processed_at < cutoff))
    return result.rowcount

"""The inbox: the (source, id) of every event a service applied, so that a redelivered event changes
nothing. It is kept for a redelivery window longer than the topics' retention (a record older than
that can no longer arrive again), then purged, so lookups stay fast month after month."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.clock import SYSTEM
from schakel.events import Event
from schakel.messaging.tables import inbox
from schakel.persistence import Database
from schakel.persistence.batches import chunks
from schakel.persistence.upsert import batch_insert, execute_batch

CLAIMING = {
    name: batch_insert(inbox, ("source", "event_id", "processed_at"), name)
    .on_conflict_do_nothing(index_elements=[inbox.c.source, inbox.c.event_id])
    .returning(inbox.c.source, inbox.c.event_id)
    for name in ("postgresql", "sqlite")
}


async def claim(conn: AsyncConnection, events: list[Event]) -> set[tuple[str, str]]:
    """Records these events in the inbox, in the transaction that applies them, and returns the
    (source, id) pairs that were not there yet: the events to apply (the rest were applied before).
    One insert that skips what the inbox holds answers from the primary key whatever the planner
    thinks of the table; a lookup by IN list scanned every id of the source while the inbox's
    statistics were those of an empty table, a cost that grew with the inbox. A claim of an id that
    another transaction claimed and has not committed yet waits for it, then skips the id."""
    now = SYSTEM.now()
    rows = {(e.source, e.id): {"source": e.source, "event_id": e.id, "processed_at": now} for e in events}
    if not rows:
        return set()
    return {(r.source, r.event_id) for r in await execute_batch(conn, CLAIMING[conn.dialect.name], list(rows.values()))}


async def unclaim(conn: AsyncConnection, events: list[Event]) -> None:
    """Takes claimed events out of the inbox again: a refused event stays replayable."""
    ids_by_source: dict[str, list[str]] = {}
    for event in events:
        ids_by_source.setdefault(event.source, []).append(event.id)
    for source, ids in ids_by_source.items():
        for chunk in chunks(ids):
            await conn.execute(delete(inbox).where(inbox.c.source == source, inbox.c.event_id.in_(chunk)))


async def purge(db: Database, window: timedelta) -> int:
    """Forgets events applied longer ago than `window`; returns how many."""
    cutoff = SYSTEM.now() - window
    async with db.transaction() as conn:
        result = await conn.execute(delete(inbox).where(inbox.c.processed_at < cutoff))
    return result.rowcount

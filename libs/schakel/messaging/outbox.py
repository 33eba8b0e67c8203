"""Writing events in the same transaction as the state change that caused them, numbered per person.

Per person order with any number of writers (PostgreSQL) rests on one rule: an event gets its
sequence number and its outbox id while its transaction holds the person's row in
`outbox_sequences` (locked by the upsert that hands out the number), and keeps that lock until it
commits. So the next transaction that writes about the same person waits, and gets a higher number
and a higher id only after this one committed: for one person, id order is sequence order is commit
order, and a relay that publishes committed rows in id order never passes over an earlier event of
the same person that is still uncommitted. (Ids in general are not commit order; per person they are.)
On SQLite writers are serialised anyway. Keys are locked in sorted order within a statement.

A number never goes back, also after retention deleted a person's row (`forget`): a new row starts
at the time in microseconds, and a row never hands out less than that, so a returning person's
events still count as newer than any state a consumer kept of them.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.clock import SYSTEM
from schakel.events import Contract, Event, InvalidEvent, encode
from schakel.events.models import EventData
from schakel.messaging import tracing
from schakel.messaging.kafka import MAX_RECORD
from schakel.messaging.tables import outbox, outbox_sequences
from schakel.persistence.batches import chunks
from schakel.persistence.upsert import insert_all

# The upsert that hands out numbers: a new person's row starts at `floor` + their count, an existing
# one goes up by the count from at least `floor`. One statement over all keys in sorted order (the
# one lock order of every writer: no deadlock), the same text every time: a VALUES list built per
# call was compiled anew each time (a tenth of a delivery's CPU), and one statement per key with
# `floor` in its SET clause is what SQLAlchemy makes of an executemany (a round trip per person).
NUMBERING = {
    "postgresql": sa.text(
        "INSERT INTO outbox_sequences (key, sequence)"
        " SELECT k, :floor + n FROM unnest(CAST(:keys AS varchar[]), CAST(:counts AS bigint[])) AS given (k, n)"
        " ORDER BY k"
        " ON CONFLICT (key) DO UPDATE"
        " SET sequence = greatest(outbox_sequences.sequence, :floor) + excluded.sequence - :floor"
        " RETURNING key, sequence"
    ),
    "sqlite": sa.text(
        'INSERT INTO outbox_sequences ("key", sequence)'
        " SELECT json_extract(value, '$[0]'), :floor + json_extract(value, '$[1]') FROM json_each(:given)"
        " WHERE true ORDER BY 1"  # WHERE: SQLite's parser takes ON CONFLICT after a bare SELECT as a join
        ' ON CONFLICT ("key") DO UPDATE'
        " SET sequence = max(outbox_sequences.sequence, :floor) + excluded.sequence - :floor"
        ' RETURNING "key", sequence'
    ),
}


class Outbox:
    def __init__(self, contract: Contract, source: str, service: str) -> None:
        self._contract = contract
        self.source = source  # urn:nld:oin:<OIN>:systeem:<name>
        self._sends = contract.sends(service)

    def event(self, key: str, data: EventData) -> Event:
        """The event of `data`'s type about the person `key`."""
        if data.TYPE not in self._sends:
            raise InvalidEvent(f"the contract does not let this service send {data.TYPE}")
        return Event(
            type=data.TYPE,
            source=self.source,
            data=data.as_json(),
            key=key,
            dataschema=self._contract.dataschema(data.TYPE),
        )

    def check(self, *events: Event) -> None:
        """Validates against the contract: a producer never sends what a consumer would refuse."""
        for event in events:
            self._contract.validate(event)

    async def add(self, conn: AsyncConnection, *events: Event) -> None:
        """Validates against the contract (a producer never sends what a consumer would refuse)
        and the size a record may have (nor what the broker would), and stores the encoded records,
        in one statement, with the current trace context, so the relay publishes them later as part
        of the same trace."""
        trace = tracing.current()
        now = SYSTEM.now()
        self.check(*events)
        rows = []
        for event in await numbered(conn, events):
            key, value, headers = encode(event)
            size = len(key) + len(value) + sum(len(n) + len(raw) for n, raw in headers)
            if size > MAX_RECORD:  # a row the relay could never send would hold up the outbox behind it
                raise InvalidEvent(f"{event.type} is {size} bytes, more than a record may hold ({MAX_RECORD})")
            rows.append(
                {
                    "event_id": event.id,
                    "topic": self._contract.topic_of(event.type),
                    "key": key.decode(),
                    "value": value,
                    "headers": {n: raw.decode() for n, raw in headers} | trace,
                    "created_at": now,
                }
            )
        await insert_all(conn, outbox, rows)


async def numbered(conn: AsyncConnection, events: tuple[Event, ...]) -> list[Event]:
    """The events with the next sequence numbers of their persons, in order; takes (and holds
    until commit) the lock on each person's sequence row."""
    counts = Counter(event.key for event in events)
    floor = int(SYSTEM.now().timestamp() * 1_000_000)
    keys = sorted(counts)
    if conn.dialect.name == "postgresql":
        params: dict[str, object] = {"floor": floor, "keys": keys, "counts": [counts[k] for k in keys]}
    else:
        params = {"floor": floor, "given": json.dumps([[k, counts[k]] for k in keys])}
    last = {row.key: row.sequence for row in await conn.execute(NUMBERING[conn.dialect.name], params)}
    given = {key: last[key] - counts[key] for key in counts}  # the number before this transaction's
    result = []
    for event in events:
        given[event.key] += 1
        result.append(dataclasses.replace(event, sequence=given[event.key]))
    return result


async def forget(conn: AsyncConnection, keys: list[str]) -> None:
    """Deletes these persons' sequence rows (retention: the key is their pseudonym)."""
    for chunk in chunks(keys):
        await conn.execute(outbox_sequences.delete().where(outbox_sequences.c.key.in_(chunk)))

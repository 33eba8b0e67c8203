"""Writing events in the same transaction as the state change that caused them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.clock import SYSTEM
from schakel.events import Contract, Event, InvalidEvent, encode
from schakel.events.models import EventData
from schakel.messaging import tracing
from schakel.messaging.tables import outbox


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
        and stores the encoded records, in one statement, with the current trace context, so the
        relay publishes them later as part of the same trace."""
        trace = tracing.current()
        now = SYSTEM.now()
        self.check(*events)
        rows = []
        for event in events:
            key, value, headers = encode(event)
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
        await conn.execute(outbox.insert(), rows)

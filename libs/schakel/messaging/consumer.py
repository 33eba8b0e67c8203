"""Batched, idempotent consumption: one database transaction per `getmany` batch.

Per batch: decode and validate every record (invalid ones go to `<topic>.dlq`), apply the valid
ones in one transaction that also records their ids in the inbox (a redelivered event finds its
id there and changes nothing), and commit the Kafka offsets only after that transaction
committed. A handler's PermanentError sends that one event to the dead-letter topic and the
batch is applied without it; any other error rolls the batch back and retries it with backoff.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Awaitable, Callable

from aiokafka.structs import ConsumerRecord
from opentelemetry import propagate, trace
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.events import Contract, Event, InvalidEvent, decode
from schakel.messaging.errors import BrokerUnavailable, PermanentError
from schakel.messaging.kafka import KafkaConfig, bounded, consumer, producer
from schakel.messaging.tables import inbox
from schakel.messaging.timing import wait_any
from schakel.persistence import Database

log = logging.getLogger(__name__)
tracer = trace.get_tracer("schakel.messaging")

Handler = Callable[[AsyncConnection, Event], Awaitable[None]]


@dataclass(frozen=True)
class BatchHandler:
    """A handler that takes a batch's consecutive events of its type at once (bulk ingest) and
    returns the ids of those it refuses, with the reason; they go to the dead-letter topic."""
    handle: Callable[[AsyncConnection, list[Event]], Awaitable[dict[str, str]]]

DLQ_PREFIX = "dlq-"


@dataclass
class _Item:
    record: ConsumerRecord
    event: Event | None = None
    error: str | None = None


class _Poison(Exception):
    def __init__(self, item: _Item, cause: PermanentError) -> None:
        self.item, self.cause = item, cause


class ConsumerRunner:
    def __init__(self, *, db: Database, kafka: KafkaConfig, contract: Contract, group_id: str,
                 handlers: dict[str, Handler | BatchHandler], topics: list[str],
                 after_commit: Callable[[], None] = lambda: None, max_records: int = 500) -> None:
        self._db, self._kafka, self._contract = db, kafka, contract
        self._group_id, self._handlers, self.topics = group_id, handlers, topics
        self._after_commit = after_commit
        self._max_records = max_records
        self.event_types = frozenset(handlers)
        self.ready = asyncio.Event()  # set once partitions are assigned

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            kafka_consumer = consumer(self._kafka, self._group_id, self.topics)
            dlq_producer = producer(self._kafka)
            try:
                await bounded(kafka_consumer.start(), self._kafka.timeout, "consumer start")
                await bounded(dlq_producer.start(), self._kafka.timeout, "producer start")
                await self._loop(kafka_consumer, dlq_producer, stop)
            except BrokerUnavailable as exc:
                log.warning("consumer %s: broker unavailable (%s); retrying in %.1fs",
                            self._group_id, exc, backoff)
                await wait_any(stop, timeout=backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                for client in (kafka_consumer, dlq_producer):
                    try:
                        await asyncio.wait_for(client.stop(), self._kafka.timeout)
                    except Exception as exc:  # noqa: BLE001 - shutting down; keep going
                        log.warning("consumer %s: client stop failed: %s", self._group_id,
                                    exc.__class__.__name__)

    async def _loop(self, kafka_consumer, dlq_producer, stop: asyncio.Event) -> None:
        while not stop.is_set():
            batch = await bounded(kafka_consumer.getmany(timeout_ms=200, max_records=self._max_records),
                                  self._kafka.timeout, "getmany")
            if kafka_consumer.assignment():
                self.ready.set()
            items = [_Item(r) for records in batch.values() for r in records]
            if not items:
                continue
            if not await self.process(items, dlq_producer, stop):
                return  # stopped while retrying: the batch was not applied, its offsets stay uncommitted
            offsets = {tp: records[-1].offset + 1 for tp, records in batch.items() if records}
            await bounded(kafka_consumer.commit(offsets), self._kafka.timeout, "commit")

    async def process(self, items: list[_Item], dlq_producer, stop: asyncio.Event) -> bool:
        """Applies the batch; False when asked to stop while retrying a failing batch."""
        for item in items:
            self._decode(item)
        attempt = 0
        while True:
            live = [i for i in items if i.error is None and i.event.type in self._handlers]
            try:
                await self._apply(live)
                break
            except _Poison as poison:
                poison.item.error = f"{poison.cause.code}: {poison.cause}"
            except Exception as exc:  # noqa: BLE001 - retried; a PermanentError is the way out
                attempt += 1
                delay = min(0.1 * 2 ** attempt, 10.0)
                log.warning("consumer %s: batch failed (%s), attempt %d, retry in %.1fs",
                            self._group_id, exc.__class__.__name__, attempt, delay)
                await wait_any(stop, timeout=delay)
                if stop.is_set():
                    return False
        dead = [i for i in items if i.error is not None]
        if dead:
            await self._dead_letter(dead, dlq_producer)
        self._after_commit()
        return True

    def _decode(self, item: _Item) -> None:
        r = item.record
        try:
            item.event = decode(r.key, r.value, r.headers)
            self._contract.validate(item.event)
            if item.event.type not in self._contract.topics[r.topic].event_types:
                raise InvalidEvent(f"event type {item.event.type} does not belong on topic {r.topic}")
        except InvalidEvent as exc:
            item.error = f"ongeldig-bericht: {exc}"

    async def _apply(self, items: list[_Item]) -> None:
        async with self._db.transaction() as conn:
            seen = await _processed(conn, [i.event for i in items])
            fresh, run = [], []
            for item in items:
                ident = (item.event.source, item.event.id)
                if ident in seen:
                    continue  # redelivered or repeated: already applied
                seen.add(ident)
                fresh.append(item)
                handler = self._handlers[item.event.type]
                if run and handler is not self._handlers[run[0].event.type]:
                    await self._handle_batch(conn, run)
                    run = []
                if isinstance(handler, BatchHandler):
                    run.append(item)
                else:
                    await self._handle(conn, item)
            if run:
                await self._handle_batch(conn, run)
            applied = [i for i in fresh if i.error is None]  # a refused event stays replayable
            if applied:
                now = datetime.now(timezone.utc)
                await conn.execute(inbox.insert(), [
                    {"source": i.event.source, "event_id": i.event.id, "processed_at": now} for i in applied])

    async def _handle(self, conn: AsyncConnection, item: _Item) -> None:
        event = item.event
        with tracer.start_as_current_span(f"{event.type} process", context=_parent(item.record),
                                          kind=trace.SpanKind.CONSUMER, attributes=self._attributes(item)):
            try:
                await self._handlers[event.type](conn, event)
            except PermanentError as exc:
                raise _Poison(item, exc) from exc

    async def _handle_batch(self, conn: AsyncConnection, items: list[_Item]) -> None:
        event_type = items[0].event.type
        # each event's own trace gets a processing span (its parent is the producer's context);
        # the span of the batch as a whole links to them, and continues the trace of a lone event
        spans = [tracer.start_span(f"{event_type} process", context=_parent(i.record), kind=trace.SpanKind.CONSUMER,
                                   attributes=self._attributes(i)) for i in items]
        links = [trace.Link(s.get_span_context()) for s in spans[:128]]
        try:
            parent = _parent(items[0].record) if len(items) == 1 else None
            with tracer.start_as_current_span(f"{event_type} process batch", context=parent, links=links) as span:
                span.set_attribute("messaging.batch.message_count", len(items))
                refused = await self._handlers[event_type].handle(conn, [i.event for i in items])
        finally:
            for s in spans:
                s.end()
        for item in items:
            if item.event.id in refused:
                item.error = f"geweigerd: {refused[item.event.id]}"

    def _attributes(self, item: _Item) -> dict[str, str]:
        return {"messaging.system": "kafka", "messaging.destination.name": item.record.topic,
                "messaging.consumer.group.name": self._group_id, "cloudevents.event_id": item.event.id,
                "cloudevents.event_type": item.event.type}

    async def _dead_letter(self, dead: list[_Item], dlq_producer) -> None:
        deliveries = []
        for item in dead:
            r = item.record
            log.warning("consumer %s: %s[%d]@%d to dead-letter topic: %s",
                        self._group_id, r.topic, r.partition, r.offset, item.error)
            headers = [h for h in r.headers if not h[0].startswith(DLQ_PREFIX)] + [
                ("dlq-reden", item.error.encode()), ("dlq-bron-topic", r.topic.encode()),
                ("dlq-bron-partitie", str(r.partition).encode()), ("dlq-bron-offset", str(r.offset).encode()),
                ("dlq-consumer", self._group_id.encode()),
            ]
            dlq = self._contract.topics[r.topic].dlq
            deliveries.append(await bounded(dlq_producer.send(dlq, value=r.value, key=r.key, headers=headers),
                                            self._kafka.timeout, "dead-letter send"))
        await bounded(asyncio.gather(*deliveries), self._kafka.timeout, "dead-letter delivery")


def _parent(record: ConsumerRecord):
    """The producer's trace context, carried in the record's headers."""
    return propagate.extract({k: v.decode() for k, v in record.headers if k in ("traceparent", "tracestate")})


async def _processed(conn: AsyncConnection, events: list[Event]) -> set[tuple[str, str]]:
    """The (source, id) pairs of these events that the inbox already holds."""
    ids = sorted({e.id for e in events})
    found = set()
    for start in range(0, len(ids), 500):  # bounded IN lists
        rows = await conn.execute(select(inbox.c.source, inbox.c.event_id)
                                  .where(inbox.c.event_id.in_(ids[start:start + 500])))
        found.update((r.source, r.event_id) for r in rows)
    return found

"""Batched, idempotent consumption: one database transaction per `getmany` batch.

Per batch: decode and validate every record (invalid ones go to `<topic>.dlq`), apply the valid
ones in one transaction that also records their ids in the inbox (a redelivered event finds its
id there and changes nothing), and commit the Kafka offsets only after that transaction
committed. A failure is one of two kinds:
- a broken dependency (database or broker away, SQLite locked): the batch is retried with backoff
  for as long as it lasts, and readiness shows it; nothing is dead-lettered for it;
- a broken record (anything else): after `attempts` tries the batch is split in halves until the
  record that fails is found; that record goes to the dead-letter topic with the rule or the error
  class as its reason (never a value) and every other record is applied. A handler's
  PermanentError sends its event there at once (a batch handler's, split down to that event without
  retries). A record the Kafka client cannot read at all fails every fetch of its partition: the
  partition is read up to it one record at a time, and it is dead-lettered as unreadable.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from aiokafka.structs import TopicPartition
from opentelemetry import trace
from opentelemetry.context import Context
from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel import logboek
from schakel.errors import Unavailable
from schakel.events import Contract, Event, InvalidEvent, decode, pseudonym
from schakel.logboek import ERROR, OK, Verwerking
from schakel.messaging import tracing
from schakel.messaging.errors import BrokerUnavailable, PermanentError, is_outage
from schakel.messaging.inbox import claim, unclaim
from schakel.messaging.kafka import (
    MAX_RECORD,
    Consumer,
    KafkaConfig,
    Producer,
    Record,
    Unreadable,
    bounded,
    committed_or_beginning,
    consumer,
    producer,
    read_each_around,
    readable,
    stop_quietly,
    within,
)
from schakel.messaging.timing import wait_any
from schakel.persistence import Database
from schakel.primitives.bsn import why_invalid
from schakel.telemetry import metrics
from schakel.telemetry.health import TaskHealth, where

log = logging.getLogger(__name__)

Handler = Callable[[AsyncConnection, Event], Awaitable[None]]


@dataclass(frozen=True)
class BatchHandler:
    """A handler that takes a batch's consecutive events of its type at once (bulk ingest) and
    returns the ids of those it refuses, with the reason; they go to the dead-letter topic.
    `prepare` asks what the events need from elsewhere (the BRP) before the batch's transaction
    begins, so no connection waits on another party. It runs again for every try of the batch and
    sees every record of it, also a repeat `handle` will not get: what it learns is kept per person
    (or per what it asked), never per event. A refusal belongs in `handle`."""

    handle: Callable[[AsyncConnection, list[Event]], Awaitable[dict[str, str]]]
    prepare: Callable[[list[Event]], Awaitable[None]] | None = None


DLQ_PREFIX = "dlq-"
# while a batch waits for a dependency, the partitions' ends are asked within the wait, or this long
# (a wait may be 0.4 s; a broker asked under load may take longer), so the retry is late by no more
LAG_ASKED_SECONDS = 2.0
# a consumer that ran this long before the broker failed it starts its backoff afresh
HEALTHY_RUN = 60.0
# a dead letter too large to send keeps only the headers and key up to this size (a valid event's are
# far smaller)
MAX_ATTRIBUTE = 1024
# the longest a consumer honours a source's Retry-After: below readiness' default 30 s of failing, so
# one answer "wait" does not take the instances out of service
MOST_TOLD_WAIT = 20.0
ONLEESBAAR = "onleesbaar-record: the record could not be read (not Kafka's record format as aiokafka reads it)"


@dataclass
class _Item:
    record: Record
    event: Event | None = None
    error: str | None = None
    duplicate: bool = False  # its id was in the inbox (applied before), or on a record earlier in its batch
    on_record: bool = False  # its processing is in the processing log (written with a committed batch)
    context: Context | None = None  # its receive span: the parent of its processing
    writer: str | None = None  # the OIN of the party whose topic it came from (None: Schakel's own)

    @property
    def decoded(self) -> Event:
        """The event of a record that decoded; only those are applied."""
        assert self.event is not None
        return self.event


def _outcome(item: _Item) -> str:
    return "dead_lettered" if item.error else "duplicate" if item.duplicate else "applied"


class _Poison(Exception):
    def __init__(self, item: _Item, cause: PermanentError) -> None:
        self.item, self.cause = item, cause


class Undecodable(NamedTuple):
    """A record refused before any handler saw it: the party whose topic it came from (its OIN; None on
    Schakel's own), its value, why (the dead letter's reason, which quotes no value), and where it lay."""

    writer: str | None
    value: bytes | None
    reason: str
    partition: int
    offset: int


def refused_reason(reason: str) -> str:
    """The dead letter's reason of an event a batch handler refused (its own reason, as the handler gave it)."""
    return f"geweigerd: {reason}"


# what a service does with the records refused before any handler saw them, in the transaction given
Undecoded = Callable[[AsyncConnection, list[Undecodable]], Awaitable[None]]


class ConsumerRunner:
    def __init__(
        self,
        *,
        db: Database,
        kafka: KafkaConfig,
        contract: Contract,
        group_id: str,
        handlers: dict[str, Handler | BatchHandler],
        topics: list[str],
        after_commit: Callable[[], None] = lambda: None,
        max_records: int = 500,
        attempts: int = 3,
        health: TaskHealth | None = None,
        verwerking: Callable[[str], Verwerking] | None = None,
        undecoded: Undecoded | None = None,
    ) -> None:
        """`verwerking`: a new processing for an event type, for the processing log (none: no log);
        `undecoded`: what the service does with records refused before any handler saw them, in the
        transaction that puts them on the processing log (e.g. counting them)."""
        self._db, self._kafka, self._contract = db, kafka, contract
        self.group_id, self._handlers, self.topics = group_id, handlers, topics
        self._after_commit = after_commit
        self._max_records = max_records
        self._attempts = attempts  # tries of a batch that fails on a record before it is split
        self.health = health or TaskHealth(group_id)
        self._committed: dict[TopicPartition, int] = {}  # the next offset to process, per partition
        self._measured: set[TopicPartition] = set()  # the partitions this instance reports on
        self.event_types = frozenset(handlers)
        self._prepared = any(isinstance(h, BatchHandler) and h.prepare is not None for h in handlers.values())
        self._verwerking, self._undecoded = verwerking, undecoded
        self._log: list[tuple[list[_Item], Verwerking]] = []  # the processings of the batch being applied
        # the record key is the person's pseudonym, except on the outside parties' channels
        self._person_keyed = {t for t in handlers if contract.topic(contract.topic_of(t)).party is None}
        self.ready = asyncio.Event()  # set once partitions are assigned
        self._reader: Consumer | None = None  # the Kafka consumer while it runs

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            began = time.monotonic()
            kafka_consumer = consumer(self._kafka, self.group_id, self.topics, self._contract)
            dlq_producer = producer(self._kafka)
            try:
                await bounded(kafka_consumer.start(), self._kafka.timeout, "consumer start")
                await bounded(dlq_producer.start(), self._kafka.timeout, "producer start")
                self._committed = {}  # read anew: another instance may have held a partition meanwhile
                self._reader = kafka_consumer
                await self._loop(kafka_consumer, dlq_producer, stop)
            except BrokerUnavailable as exc:
                if time.monotonic() - began >= HEALTHY_RUN:  # it went well for a while: a new outage
                    backoff = 0.2
                self.health.failing(exc)
                log.warning("consumer %s: broker unavailable (%s); retrying in %.1fs", self.group_id, exc, backoff)
                await wait_any(stop, timeout=backoff)
                backoff = min(backoff * 2, 10.0)
            finally:
                self._reader = None
                for client in (kafka_consumer, dlq_producer):
                    await stop_quietly(client, self._kafka.timeout)

    async def _loop(self, kafka_consumer: Consumer, dlq_producer: Producer, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.health.beat()
            batch = await readable(kafka_consumer, self._kafka.timeout, max_records=self._max_records)
            if batch is None:  # a record that cannot be read stands in it as one, dead-lettered and committed past
                batch = await read_each_around(
                    kafka_consumer, self._kafka.timeout, self._max_records, partial(self._standing, kafka_consumer)
                )
            if kafka_consumer.assignment():
                self.ready.set()
            items = [_Item(r, error=ONLEESBAAR if isinstance(r, Unreadable) else None) for r in _records(batch)]
            self._receive(items)
            # measured before the batch is applied: a batch that waits for a dependency shows as lag
            await self._measure_lag(kafka_consumer, batch)
            if items:
                if not await self.process(items, dlq_producer, stop):
                    return  # stopped while retrying: the batch was not applied, its offsets stay uncommitted
                offsets = {tp: records[-1].offset + 1 for tp, records in batch.items() if records}
                await bounded(kafka_consumer.commit(offsets), self._kafka.timeout, "commit")
                self._committed.update(offsets)
                metrics.PROGRESS.labels(self.group_id).set_to_current_time()
            else:
                self.health.ok()
                await self._commit_past_markers(kafka_consumer)

    async def _commit_past_markers(self, kafka_consumer: Consumer) -> None:
        """Nothing to apply, yet the consumer may stand past what it committed: past a transaction's
        commit marker, or an aborted transaction's records, which `read_committed` never hands out.
        Committed there, the group's lag on the broker is 0 once it caught up (the alert on it counts
        on that), not a marker behind for ever."""
        moved = {}
        for tp in kafka_consumer.assignment():
            if tp in self._committed:
                position = await bounded(kafka_consumer.position(tp), self._kafka.timeout, "position")
                if position > self._committed[tp]:
                    moved[tp] = position
        if moved:
            await bounded(kafka_consumer.commit(moved), self._kafka.timeout, "commit")
            self._committed.update(moved)

    async def _standing(self, kafka_consumer: Consumer, tp: TopicPartition) -> int:
        """The next offset this consumer has to apply on a partition: what it committed last, or where
        its group stands (the beginning for a new group)."""
        if tp in self._committed:
            return self._committed[tp]
        return await committed_or_beginning(kafka_consumer, self._kafka.timeout, tp)

    def _receive(self, items: list[_Item]) -> None:
        """A receive span per topic and trace, child of the producer's send span, ended at once:
        it marks when the records arrived; their processing spans are its children."""
        with tracing.Hops("receive", trace.SpanKind.CONSUMER, {"messaging.consumer.group.name": self.group_id}) as hops:
            for item in items:
                item.context = hops.of(item.record.topic, tracing.of_record(item.record.headers)).context

    async def _measure_lag(self, kafka_consumer: Consumer, batch: dict[TopicPartition, list[Record]]) -> None:
        assigned = kafka_consumer.assignment()
        # a partition another instance took over is its to report: left here, its last lag would
        # stand for ever (phantom lag on the dashboard and its alert after every rebalance)
        for tp in self._measured - assigned:
            for gauge in (metrics.LAG, metrics.OLDEST_UNPROCESSED):
                gauge.remove(self.group_id, tp.topic, str(tp.partition))
            self._committed.pop(tp, None)
        self._measured = set(assigned)
        # a partition this instance has not committed on yet: where the group stands (a new group at
        # the beginning) and the partition's end until a fetch tells its high-water mark, so a backlog
        # shows from the start, also when the first batch waits for the database
        ends: dict[TopicPartition, int] = {}
        if new := [tp for tp in assigned if tp not in self._committed]:
            try:
                async with within(self._kafka.timeout, "committed offsets"):
                    beginnings = await kafka_consumer.beginning_offsets(new)
                    ends = await kafka_consumer.end_offsets(new)
                    committed = await asyncio.gather(*(kafka_consumer.committed(tp) for tp in new))
            except BrokerUnavailable as exc:  # only a metric: tried again next round, the batch goes on
                log.info("consumer %s: lag not measured (%s)", self.group_id, exc)
            else:
                for tp, offset in zip(new, committed, strict=True):
                    self._committed[tp] = beginnings[tp] if offset is None else offset
        held = kafka_consumer.assignment()  # a rebalance may have ended while the broker was asked
        for tp in assigned & held:
            highwater = kafka_consumer.highwater(tp)
            if highwater is None:
                highwater = ends.get(tp)
            if highwater is not None and tp in self._committed:
                self._gauge(metrics.LAG, tp).set(max(0, highwater - self._committed[tp]))
            records = batch.get(tp)
            self._gauge(metrics.OLDEST_UNPROCESSED, tp).set(records[0].timestamp / 1000 if records else 0)

    def _gauge(self, gauge: Gauge, tp: TopicPartition) -> Gauge:
        return gauge.labels(self.group_id, tp.topic, str(tp.partition))

    async def process(self, items: list[_Item], dlq_producer: Producer, stop: asyncio.Event) -> bool:
        """Applies the batch; False when asked to stop while retrying a failing batch."""
        for item in items:
            if item.error is None:
                self._decode(item)
        undecoded = [
            Undecodable(i.writer, i.record.value, i.error, i.record.partition, i.record.offset)
            for i in items
            if i.error is not None
        ]
        live = [i for i in items if i.error is None and i.decoded.type in self._handlers]
        if not await self._apply_isolating(live, stop, self._attempts):
            return False
        dead = [(i, i.error) for i in items if i.error is not None]
        if dead:
            # on the processing log once it has left (a refused event about a person is a processing
            # too): a send that fails tries the batch again, which would record and count it again
            await self._dead_letter(dead, dlq_producer)
            if not await self._record_dead([i for i, _ in dead if not i.on_record], undecoded, stop):
                return False
        # counted per batch: a metric's labels looked up per event cost as much as applying it
        outcomes = Counter(
            # a type no handler here takes is the sender's choice: not a label (unbounded, perhaps personal)
            (
                item.record.topic,
                item.event.type if item.event and item.event.type in self._handlers else "onbekend",
                _outcome(item),
            )
            for item in items
            if item.error is not None or (item.event is not None and item.event.type in self._handlers)
        )
        for (topic, event_type, outcome), count in outcomes.items():
            metrics.EVENTS.labels(self.group_id, topic, event_type, outcome).inc(count)
        self.health.ok()
        self._after_commit()
        return True

    async def _apply_isolating(self, items: list[_Item], stop: asyncio.Event, attempts: int) -> bool:
        """Applies the items that have no error yet; a record that keeps failing is found by halving
        and gets its reason. False when asked to stop while waiting for a dependency. A duplicate is left
        out of the next try, so halving splits only the work still to do (a repeat of a record that is
        dead-lettered goes with it: one id, one dead letter)."""
        attempt, outage = 0, 0
        while pending := [i for i in items if i.error is None and not i.duplicate]:
            self.health.beat()
            try:
                await self._apply(pending)
                return True
            except _Poison as poison:
                poison.item.error = f"{poison.cause.code}: {poison.cause}"
                continue
            except Exception as exc:  # noqa: BLE001 - sorted below into a dependency or a record failure
                failure = exc
            metrics.RETRIES.labels(self.group_id, "dependency" if is_outage(failure) else "record").inc()
            if is_outage(failure):
                outage += 1
                if not await self._wait_out(failure, outage, stop):
                    return False
            else:
                # tried again first (it may pass: a conflict with another instance), then isolated; a
                # batch handler's PermanentError will not pass, so its batch is split at once
                attempt = attempts if isinstance(failure, PermanentError) else attempt + 1
                if attempt >= attempts:
                    if len(pending) == 1:
                        pending[0].error = f"onverwerkbaar: {where(failure)}"
                        return True
                    # halves in order, so one person's events keep their order; each half is tried once
                    half = len(pending) // 2
                    return await self._apply_isolating(
                        pending[:half], stop, 1 if half > 1 else self._attempts
                    ) and await self._apply_isolating(
                        pending[half:], stop, 1 if len(pending) - half > 1 else self._attempts
                    )
                delay = 0.1 * 2**attempt
                log.warning(
                    "consumer %s: batch of %d failed (%s), attempt %d of %d, retry in %.1fs",
                    self.group_id,
                    len(pending),
                    where(failure),
                    attempt,
                    attempts,
                    delay,
                )
                await wait_any(stop, timeout=delay)
                if stop.is_set():
                    return False
        return True

    async def _wait_out(self, failure: Exception, outage: int, stop: asyncio.Event) -> bool:
        """Waits before the `outage`th try in a row at a dependency that is away; False when asked to stop."""
        self.health.failing(failure)
        delay = min(0.2 * 2**outage, 5.0)
        if isinstance(failure, Unavailable) and failure.told:  # a source that said how long to wait (a quota)
            delay = max(delay, min(failure.told, MOST_TOLD_WAIT))
        log.warning(
            "consumer %s: dependency unavailable (%s), retry in %.1fs",
            self.group_id,
            failure.__class__.__name__,
            delay,
        )
        spent = await self._lag_while_waiting(min(max(delay, LAG_ASKED_SECONDS), self._kafka.timeout), stop)
        await wait_any(stop, timeout=max(0.0, delay - spent))
        return not stop.is_set()

    async def _lag_while_waiting(self, within_seconds: float, stop: asyncio.Event) -> float:
        """The lag measured again from the partitions' ends while the batch waits for a dependency:
        records keep arriving, and the dashboard shows the backlog grow rather than its size before
        the outage. A broker that does not answer in time leaves it as it was, and a stop meanwhile
        does not wait for it (the wait it replaces never held a stop up). Returns the seconds spent."""
        reader = self._reader
        held = [] if reader is None else [tp for tp in reader.assignment() if tp in self._committed]
        if reader is None or not held:
            return 0.0
        began = time.monotonic()
        asked = asyncio.ensure_future(bounded(reader.end_offsets(held), within_seconds, "end offsets"))
        stopped = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait([asked, stopped], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (asked, stopped):
                waiter.cancel()
        try:
            ends = asked.result() if asked.done() else {}
        except BrokerUnavailable:
            ends = {}
        for tp, end in ends.items():
            if tp in self._committed and tp in reader.assignment():
                self._gauge(metrics.LAG, tp).set(max(0, end - self._committed[tp]))
        return time.monotonic() - began

    async def _record_dead(self, items: list[_Item], undecoded: list[Undecodable], stop: asyncio.Event) -> bool:
        """An ERROR record for each person a dead-lettered event is about (its key on Schakel's own
        topics, the BSN it names on a party's), in a transaction of its own; one that says no one it
        handles (an event type no handler takes, a record that did not decode) names no one to record.
        The records refused at decode go to the service's `undecoded` in the same transaction. Retried
        while the database is away; False when asked to stop."""
        verwerkingen = []
        for item in items:
            event = item.event
            if self._verwerking is None or event is None or event.type not in self._handlers:
                continue
            verwerking = self._verwerking(event.type)
            if event.type in self._person_keyed:
                if pseudonym.VORM.fullmatch(event.key):  # a key of another shape is no person's (a BSN, a page of text)
                    verwerking.noteer(event.key)
            elif isinstance(bsn := event.data.get("bsn"), str) and why_invalid(bsn) is None:
                verwerking.noteer(verwerking.pseudoniem(bsn))
            verwerkingen.append(verwerking)
        undecoded = undecoded if self._undecoded is not None else []
        outage = 0
        while verwerkingen or undecoded:
            try:
                async with self._db.transaction() as conn:
                    await logboek.schrijf_alle(conn, [(v, ERROR) for v in verwerkingen])
                    if undecoded:
                        assert self._undecoded is not None
                        await self._undecoded(conn, undecoded)
                return True
            except Exception as exc:  # noqa: BLE001 - an outage is waited out; anything else must not hold the partition
                if not is_outage(exc):
                    log.error(
                        "consumer %s: dead letters not on the processing log (nor counted): %s",
                        self.group_id,
                        where(exc),
                    )
                    return True
                outage += 1
                if not await self._wait_out(exc, outage, stop):
                    return False
        return True

    def _decode(self, item: _Item) -> None:
        r = item.record
        try:
            topic = self._contract.topic(r.topic)
            item.writer = topic.writer(r.topic)
            item.event = decode(r.key, r.value, r.headers)
            self._contract.validate(item.event)
            if item.event.type not in topic.event_types:
                raise InvalidEvent(f"event type {item.event.type} does not belong on topic {r.topic}")
            if topic.party is None and not pseudonym.VORM.fullmatch(item.event.key):
                raise InvalidEvent("the key is no person's pseudonym")  # never quoted: it could be a BSN
            # only the organisation with this OIN may write its own topic (the broker's ACLs)
            if item.writer is not None and item.event.source.split(":")[3] != item.writer:
                item.error = "bron-onjuist: ce_source names another organisation than the one that wrote the topic"
        except InvalidEvent as exc:
            item.error = f"ongeldig-bericht: {exc}"
        except Exception as exc:  # noqa: BLE001 - e.g. RecursionError on deeply nested JSON: never past the runner
            item.error = f"ongeldig-bericht: {exc.__class__.__name__}"

    async def _prepare(self, items: list[_Item]) -> None:
        """Each batch handler's `prepare`, with its events, before the transaction begins."""
        if not self._prepared:  # most consumers have none: no pass over the batch for it
            return
        runs: dict[int, tuple[Callable[[list[Event]], Awaitable[None]], list[Event]]] = {}
        for item in items:
            handler = self._handlers[item.decoded.type]
            if isinstance(handler, BatchHandler) and handler.prepare is not None:
                runs.setdefault(id(handler), (handler.prepare, []))[1].append(item.decoded)
        for prepare, events in runs.values():
            await prepare(events)
            self.health.beat()

    async def _apply(self, items: list[_Item]) -> None:
        await self._prepare(items)
        async with self._db.transaction() as conn:
            self._log = []
            unseen = await claim(conn, [i.decoded for i in items])
            fresh: list[_Item] = []
            run: list[_Item] = []  # consecutive events for one batch handler
            run_handler: BatchHandler | None = None
            for item in items:
                self.health.beat()  # a long batch on a busy machine is progress, not a stall
                ident = (item.decoded.source, item.decoded.id)
                item.duplicate = ident not in unseen
                if item.duplicate:
                    continue  # redelivered or repeated: already applied
                unseen.discard(ident)  # its repeat later in the batch is a duplicate
                fresh.append(item)
                handler = self._handlers[item.decoded.type]
                if run_handler is not None and handler is not run_handler:
                    await self._handle_batch(conn, run, run_handler)
                    run, run_handler = [], None
                if isinstance(handler, BatchHandler):
                    run.append(item)
                    run_handler = handler
                else:
                    await self._handle(conn, item, handler)
            if run_handler is not None:
                await self._handle_batch(conn, run, run_handler)
            await logboek.schrijf_alle(  # on record with the change, or not at all
                conn, [(v, OK if all(i.error is None for i in handled) else ERROR) for handled, v in self._log]
            )
            refused = [i.decoded for i in fresh if i.error is not None]
            if refused:
                await unclaim(conn, refused)  # a refused event stays replayable
        for item in fresh:
            item.on_record = True

    async def _handle(self, conn: AsyncConnection, item: _Item, handler: Handler) -> None:
        event = item.decoded
        with (
            tracing.tracer.start_as_current_span(
                f"{event.type} process",
                context=item.context,
                kind=trace.SpanKind.CONSUMER,
                attributes=self._attributes(item),
            ) as span,
            self._processing([item], span, [span]),
        ):
            try:
                await handler(conn, event)
            except PermanentError as exc:
                raise _Poison(item, exc) from exc

    async def _handle_batch(self, conn: AsyncConnection, items: list[_Item], handler: BatchHandler) -> None:
        event_type = items[0].decoded.type
        # each event's own trace gets a processing span (its parent is the receive span); the span
        # of the batch as a whole links to them, and continues the trace when they share one
        spans = [
            tracing.tracer.start_span(
                f"{event_type} process",
                context=i.context,
                kind=trace.SpanKind.CONSUMER,
                attributes=self._attributes(i),
            )
            for i in items
        ]
        links = [trace.Link(s.get_span_context()) for s in spans[:128]]
        try:
            parent = items[0].context if all(i.context is items[0].context for i in items) else None
            with (
                tracing.tracer.start_as_current_span(
                    f"{event_type} process batch", context=parent, links=links
                ) as span,
                self._processing(items, span, spans),
            ):
                span.set_attribute("messaging.batch.message_count", len(items))
                try:
                    refused = await handler.handle(conn, [i.decoded for i in items])
                except PermanentError as exc:
                    if len(items) == 1:  # the batch was split down to the event it refuses
                        raise _Poison(items[0], exc) from exc
                    raise
        finally:
            for s in spans:
                s.end()
        for item in items:
            if item.decoded.id in refused:
                item.error = refused_reason(refused[item.decoded.id])

    @contextmanager
    def _processing(self, items: list[_Item], span: trace.Span, spans: list[trace.Span]) -> Iterator[None]:
        """The processing of these events for the processing log. A person-keyed event is the
        processing of its person, in its own trace (`spans`: each event's processing span); whoever
        else a handler notes (an outside party's event names people by BSN) is on record with the
        handling as a whole (`span`)."""
        if self._verwerking is None:
            yield
            return
        naam = items[0].decoded.type
        eigen: list[tuple[list[_Item], Verwerking]] = []
        if naam in self._person_keyed:
            for item, item_span in zip(items, spans, strict=True):
                verwerking = self._verwerking(naam)
                verwerking.span(item_span)
                verwerking.noteer(item.decoded.key)
                eigen.append(([item], verwerking))
        geheel = self._verwerking(naam)
        geheel.span(span)
        geheel.vastgelegd = {v.open()[0] for _, v in eigen}  # on record with their own event
        with logboek.binnen(geheel):
            yield
        self._log += [*eigen, (items, geheel)]

    def _attributes(self, item: _Item) -> dict[str, str]:
        return {
            "messaging.system": "kafka",
            "messaging.destination.name": item.record.topic,
            "messaging.consumer.group.name": self.group_id,
            "cloudevents.event_id": item.decoded.id,
            "cloudevents.event_type": item.decoded.type,
        }

    async def _dead_letter(self, dead: list[tuple[_Item, str]], dlq_producer: Producer) -> None:
        deliveries: list[Awaitable[object]] = []
        for item, long_reason in dead:
            r, reason = item.record, _bounded(long_reason)
            log.warning(
                "consumer %s: %s[%d]@%d to dead-letter topic: %s",
                self.group_id,
                r.topic,
                r.partition,
                r.offset,
                reason,
            )
            headers = [h for h in r.headers if not h[0].startswith(DLQ_PREFIX)] + [
                ("dlq-reden", reason.encode()),
                ("dlq-bron-topic", r.topic.encode()),
                ("dlq-bron-partitie", str(r.partition).encode()),
                ("dlq-bron-offset", str(r.offset).encode()),
                ("dlq-consumer", self.group_id.encode()),
            ]
            key, value = r.key, r.value
            if (size := _size(key, value, headers)) > MAX_RECORD:
                # accepted compressed, too large to send on as it is: the dead letter names where the
                # record stays (its topic, partition and offset, for the topic's retention) instead of
                # failing the send and with it the partition, for good
                value = b""
                headers = [(n, v) for n, v in headers if n.startswith(DLQ_PREFIX) or len(v or b"") <= MAX_ATTRIBUTE]
                key = key if len(key or b"") <= MAX_ATTRIBUTE else None
                if _size(key, value, headers) > MAX_RECORD:  # many small headers: only where it stays
                    headers = [(n, v) for n, v in headers if n.startswith(DLQ_PREFIX)]
                headers.append(("dlq-waarde-weggelaten", f"{size} bytes".encode()))
            dlq = self._contract.topic(r.topic).dlq
            assert dlq is not None, "only a dead-letter topic has none, and no service consumes one"
            async with within(self._kafka.timeout, "dead-letter send"):
                deliveries.append(await dlq_producer.send(dlq, value=value, key=key, headers=headers))
        await bounded(asyncio.gather(*deliveries), self._kafka.timeout, "dead-letter delivery")


def _records(batch: dict[TopicPartition, list[Record]]) -> Iterator[Record]:
    return (r for records in batch.values() for r in records)


def _bounded(reason: str) -> str:
    """A reason of at most MAX_ATTRIBUTE bytes: a handler's may list many fields, and the dead letter
    keeps its own headers whatever else it must leave out."""
    raw = reason.encode()
    return reason if len(raw) <= MAX_ATTRIBUTE else raw[: MAX_ATTRIBUTE - 3].decode(errors="ignore") + "…"


def _size(key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes | None]]) -> int:
    return len(key or b"") + len(value or b"") + sum(len(n) + len(v or b"") for n, v in headers)

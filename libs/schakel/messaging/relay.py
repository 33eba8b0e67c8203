"""Publishes outbox rows to Kafka with an idempotent producer (acks=all), then deletes them: the
topic holds the event from then on. Deleting costs PostgreSQL a fraction of marking the row sent,
which wrote the whole row (the event) again, and keeps no copy of personal data longer than needed.

A crash between the state commit and the publish only delays the event: the row stays unsent
and the next relay run publishes it. A crash after the publish but before the delete publishes it
again; consumers drop the repeat through their inbox.

Every instance of a service runs a relay, but one relays a database at a time: it publishes a
batch and deletes it before another may take the next, so each row is published once (but for
that crash) and, with the outbox's per person numbering (outbox.py), each person's events in commit
order. On PostgreSQL the relay holds the lock on the `outbox_relay` row (`FOR UPDATE SKIP LOCKED`)
in the transaction of its batch; an instance that dies loses its connection and with it the lock,
so another takes over at once. On SQLite (one file, one host) the row is a lease that the holder
renews every round and while it sends, and gives back when it stops; one that was killed is taken over once its lease
ran out (`lease`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable
from datetime import datetime, timedelta
from typing import Any

from opentelemetry import trace
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.clock import SYSTEM
from schakel.messaging import tracing
from schakel.messaging.errors import BrokerUnavailable, is_outage
from schakel.messaging.kafka import KafkaConfig, Producer, bounded, producer, stop_quietly, within
from schakel.messaging.tables import outbox, outbox_relay
from schakel.messaging.timing import wait_any
from schakel.persistence import Database
from schakel.persistence.batches import one_of
from schakel.telemetry import metrics
from schakel.telemetry.health import TaskHealth, where

log = logging.getLogger(__name__)

# the backlog gauges are scraped every 15 s: measured every round (each commit wakes the relay) they
# cost a connection and a scan of the unsent rows per batch in a busy delivery, for nothing
MEASURE_EVERY = 5.0


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        kafka: KafkaConfig,
        batch_size: int = 1000,
        poll_interval: float = 0.5,
        keep_sent: timedelta = timedelta(days=7),  # rows an earlier version marked sent instead
        lease: timedelta = timedelta(seconds=10),
    ) -> None:
        self.health = TaskHealth("outbox-relay")
        self._db = db
        self._kafka = kafka
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._keep_sent = keep_sent
        self._next_purge = 0.0
        self._next_measure = 0.0
        self._wakeup = asyncio.Event()
        self._producer: Producer | None = None
        self._lease = lease
        self._leased_until: datetime | None = None  # SQLite: our lease, as last renewed
        self.holder = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"

    def wake(self) -> None:
        """Called after a transaction that wrote to the outbox committed: publish now."""
        self._wakeup.set()

    async def run(self, stop: asyncio.Event) -> None:
        backoff = 0.2
        while not stop.is_set():
            self.health.beat()
            try:
                while await self.publish_pending():
                    self.health.beat()
                if time.monotonic() >= self._next_measure:
                    await self.measure_backlog()
                    self._next_measure = time.monotonic() + MEASURE_EVERY
                if time.monotonic() >= self._next_purge:
                    await self.purge_sent()
                    self._next_purge = time.monotonic() + 600
                backoff = 0.2
                self.health.ok()
                await self._sleep(stop, self._poll_interval)
            except Exception as exc:  # noqa: BLE001 - the relay never ends while the service runs
                # a database or broker outage, or a bug: logged by class and place, retried, and
                # shown by readiness once it lasts; the rows stay unsent until it passes
                self.health.failing(exc)
                with contextlib.suppress(Exception):  # the database may be what is away
                    await self.measure_backlog()
                log.warning(
                    "outbox relay: %s (%s); retrying in %.1fs",
                    where(exc),
                    "unavailable" if is_outage(exc) else "failed",
                    backoff,
                )
                await self._reset_producer()
                await self._sleep(stop, backoff)
                backoff = min(backoff * 2, 10.0)
        await self.close(flush=True)

    async def publish_pending(self) -> int:
        """Publishes one batch of unsent rows in outbox order, when this instance is the one that
        relays; returns how many it published."""
        if self._db.is_sqlite:
            if not await self._renew_lease():
                return 0
            async with self._db.engine.connect() as conn:
                rows = await self._unsent(conn)
            async with self._lease_kept():
                await self._send(rows)
            async with self._db.transaction() as conn:
                await self._forget_sent(conn, rows)
            return len(rows)
        async with self._db.transaction() as conn:
            relaying = select(outbox_relay.c.name).with_for_update(skip_locked=True)
            if (await conn.execute(relaying)).first() is None:
                return 0  # another instance relays now
            rows = await self._unsent(conn)
            await self._send(rows)
            await self._forget_sent(conn, rows)
        return len(rows)

    async def _unsent(self, conn: AsyncConnection) -> list[Row[Any]]:
        return list(
            await conn.execute(
                select(outbox.c.event_id, outbox.c.topic, outbox.c.key, outbox.c.value, outbox.c.headers)
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self._batch_size)
            )
        )

    async def _send(self, rows: list[Row[Any]]) -> None:
        if not rows:
            return
        kafka = await self._ensure_producer()
        deliveries: list[Awaitable[object]] = []
        # each record continues the trace of the request that wrote it, under its topic's send span
        with tracing.Hops("send", trace.SpanKind.PRODUCER) as sends:
            # one timeout for the whole batch: one per record (a task each) made every record wait for a
            # turn of the event loop, so a busy request in the same process starved the relay
            async with within(self._kafka.timeout, "send"):
                for row in rows:
                    parent = {k: v for k, v in row.headers.items() if k in tracing.HEADERS}
                    headers = [(k, v.encode()) for k, v in row.headers.items() if k not in tracing.HEADERS]
                    headers += sends.of(row.topic, parent).headers
                    deliveries.append(
                        await kafka.send(row.topic, value=row.value, key=row.key.encode(), headers=headers)
                    )
            async with within(self._kafka.timeout, "delivery"):
                await asyncio.gather(*deliveries)

    async def _forget_sent(self, conn: AsyncConnection, rows: list[Row[Any]]) -> None:
        # by event id, not row id: SQLite gives a deleted row's id to the next row, and on SQLite an
        # instance whose lease ran out mid-send deletes after another relayed (and emptied) the outbox
        if rows:
            await conn.execute(delete(outbox).where(one_of(conn, outbox.c.event_id, [r.event_id for r in rows])))

    async def _renew_lease(self, left: float = 1 / 2) -> bool:
        """SQLite: takes or keeps the lease when it is free, ours or ran out; True when ours. Ours is
        renewed once less than `left` of it is left (half: each renewal takes SQLite's one write lock)."""
        if self._leased_until is not None and SYSTEM.now() < self._leased_until - self._lease * left:
            return True
        async with self._db.transaction() as conn:
            # the time once the write lock is ours: BEGIN IMMEDIATE waits up to the busy timeout (30 s)
            # behind another writer, and a lease dated from before that wait was over when written
            now = SYSTEM.now()
            result = await conn.execute(
                update(outbox_relay)
                .where(
                    or_(
                        outbox_relay.c.holder.is_(None),
                        outbox_relay.c.holder == self.holder,
                        outbox_relay.c.expires_at < now,
                    )
                )
                .values(holder=self.holder, expires_at=now + self._lease)
            )
        self._leased_until = now + self._lease if result.rowcount else None
        return self._leased_until is not None

    @contextlib.asynccontextmanager
    async def _lease_kept(self) -> AsyncIterator[None]:
        """SQLite: the lease renewed while a batch is sent, which may take twice the broker's timeout,
        longer than the lease: another instance would take it and publish the same rows again. One
        killed mid-send stops renewing, and is taken over once its lease ran out."""

        async def renew() -> None:
            while True:
                # a failed renewal is tried again; should the lease run out meanwhile, another instance
                # may publish the batch again, which consumers drop as a repeat. Renewed with less than
                # two thirds left, looked at every quarter: at least 5/12 of it is left (4 s), where
                # renewing at half left a quarter (2.5 s) to a stalled loop or a writer ahead of us
                with contextlib.suppress(Exception):
                    await self._renew_lease(left=2 / 3)
                await asyncio.sleep(self._lease.total_seconds() / 4)

        renewing = asyncio.create_task(renew())
        try:
            yield
        finally:
            renewing.cancel()
            await asyncio.wait([renewing])  # ended before the rows are deleted; a cancel of ours still arrives

    async def _release_lease(self) -> None:
        self._leased_until = None
        async with self._db.transaction() as conn:
            await conn.execute(
                update(outbox_relay).where(outbox_relay.c.holder == self.holder).values(holder=None, expires_at=None)
            )

    async def measure_backlog(self) -> None:
        """The outbox's unsent rows and the age of the oldest, for the metrics."""
        async with self._db.engine.connect() as conn:
            count, oldest = (
                await conn.execute(
                    select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.sent_at.is_(None))
                )
            ).one()
        metrics.OUTBOX_BACKLOG.set(count)
        metrics.OUTBOX_OLDEST.set(oldest.timestamp() if oldest else 0)

    async def purge_sent(self) -> int:
        """Deletes rows an earlier version marked sent (it kept them a while) longer ago than
        `keep_sent`, as it would have; returns how many. Goes with the `sent_at` column in a later release."""
        cutoff = SYSTEM.now() - self._keep_sent
        async with self._db.transaction() as conn:
            result = await conn.execute(delete(outbox).where(outbox.c.sent_at < cutoff))
        return result.rowcount

    async def close(self, flush: bool = False) -> None:
        if flush:
            try:
                while await self.publish_pending():
                    pass
            except Exception as exc:  # noqa: BLE001 - shutting down: the next start publishes them
                log.warning("outbox relay: unsent events stay in the outbox (%s)", where(exc))
        if self._db.is_sqlite:  # another instance takes over at once instead of after the lease
            with contextlib.suppress(Exception):  # the database may be away: the lease runs out then
                await self._release_lease()
        await self._reset_producer()

    async def _ensure_producer(self) -> Producer:
        if self._producer is None:
            candidate = producer(self._kafka)
            try:
                await bounded(candidate.start(), self._kafka.timeout, "producer start")
            except BrokerUnavailable:
                await stop_quietly(candidate, self._kafka.timeout)
                raise
            self._producer = candidate
        return self._producer

    async def _reset_producer(self) -> None:
        # after a broker failure aiokafka's producer can stay stuck; start afresh
        if self._producer is not None:
            await stop_quietly(self._producer, self._kafka.timeout)
            self._producer = None

    async def _sleep(self, stop: asyncio.Event, seconds: float) -> None:
        await wait_any(self._wakeup, stop, timeout=seconds)
        self._wakeup.clear()

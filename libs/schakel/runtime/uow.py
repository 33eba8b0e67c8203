"""The adapter behind every service's unit-of-work port: one database transaction, the service's
repositories bound to it, and the events published in it written to the outbox in the same
transaction (so a state change and its events commit together or not at all).

A service subclasses it and binds its repositories in `bind`. Opened by a request it owns its
transaction (`Service.transaction`: the relay wakes after the commit and an Idempotency-Key claim
commits with it); handed the consumer runner's connection it joins the batch's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.events import Event
from schakel.events.models import EventData
from schakel.messaging import Outbox
from schakel.persistence import after_commit, savepoint_actions
from schakel.persistence.locks import hold
from schakel.telemetry import metrics


class Transactional(Protocol):
    """What a unit of work needs of the service (`schakel.runtime.Service` is one)."""

    @property
    def outbox(self) -> Outbox: ...

    def transaction(self) -> AbstractAsyncContextManager[AsyncConnection]: ...


@asynccontextmanager
async def apart(conn: AsyncConnection | None) -> AsyncIterator[None]:
    """A savepoint in the consumer's batch transaction: a handler that answers a refusal, instead of
    failing the batch, keeps nothing of the refused work (None: an in-memory unit of work, which
    rolls itself back). Named the same every time: SQLAlchemy numbers its savepoints per connection,
    and on asyncpg each new name is a statement prepared and cached, pushing the service's own
    statements out of the connection's cache."""
    if conn is None:
        yield
        return
    await conn.exec_driver_sql("SAVEPOINT apart")
    try:
        with savepoint_actions():  # what it counts counts only if it is kept
            yield
    except Exception:
        # a lost connection has no savepoint to go back to: its own error goes up (an outage); a
        # cancellation leaves the savepoint, as the batch's transaction ends with it
        if not conn.invalidated:
            await conn.exec_driver_sql("ROLLBACK TO SAVEPOINT apart")
            await conn.exec_driver_sql("RELEASE SAVEPOINT apart")  # so an enclosing one's name is next
        raise
    await conn.exec_driver_sql("RELEASE SAVEPOINT apart")


class SqlUnitOfWork:
    def __init__(self, service: Transactional, conn: AsyncConnection | None = None) -> None:
        self._service, self._joined = service, conn
        self._owned: AbstractAsyncContextManager[AsyncConnection] | None = None
        self.conn: AsyncConnection | None = None

    async def __aenter__(self) -> Self:
        if self._joined is None:
            self._owned = self._service.transaction()
            self.conn = await self._owned.__aenter__()
        else:
            self.conn = self._joined
        self.bind(self.conn)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> bool | None:
        if self._owned is not None:
            return await self._owned.__aexit__(exc_type, exc, traceback)
        return None

    def bind(self, conn: AsyncConnection) -> None:
        """Sets the service's repositories on `self`, each working in `conn`."""
        raise NotImplementedError

    def event(self, key: str, data: EventData) -> Event:
        return self._service.outbox.event(key, data)

    async def vergrendel(self, *personen: str) -> None:
        assert self.conn is not None, "vergrendel inside `async with` the unit of work"
        await hold(self.conn, personen)

    async def publish(self, *events: Event) -> None:
        if events:
            assert self.conn is not None, "publish inside `async with` the unit of work"
            await self._service.outbox.add(self.conn, *events)
            # counted once committed; the labels looked up once per label set, not per event (a
            # delivery step writes thousands)
            geteld = Counter((event.type, str(event.data.get("gemeentecode", ""))) for event in events)
            after_commit(lambda: _tel(geteld))


def _tel(geteld: Counter[tuple[str, str]]) -> None:
    for labels, aantal in geteld.items():
        metrics.EVENTS_PUBLISHED.labels(*labels).inc(aantal)

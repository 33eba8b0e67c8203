from __future__ import annotations

import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from pathlib import Path

import orjson
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from schakel.telemetry import metrics
from schakel.telemetry.health import where

log = logging.getLogger(__name__)

# what to do once the transaction open in this context commits (`after_commit`)
_on_commit: ContextVar[list[Callable[[], None]] | None] = ContextVar("on_commit", default=None)


def after_commit(action: Callable[[], None]) -> None:
    """Runs `action` once the transaction open in this context has committed (at once outside one):
    counting what a transaction did when it did it counted it again on every retry of a rolled back
    consumer batch. An action that fails is logged; the commit stands."""
    pending = _on_commit.get()
    if pending is None:
        _run([action])
    else:
        pending.append(action)


@contextmanager
def savepoint_actions() -> Iterator[None]:
    """Around a savepoint's work: the actions it registers wait for the transaction's commit when it
    ends without an exception (the savepoint released), and are dropped when it fails (rolled back)."""
    mine: list[Callable[[], None]] = []
    token = _on_commit.set(mine)
    try:
        yield
    finally:
        _on_commit.reset(token)
    for action in mine:
        after_commit(action)


def _run(actions: list[Callable[[], None]]) -> None:
    for action in actions:
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - what committed stays committed; the rest still run
            log.warning("an action after commit failed: %s", where(exc))


class PersistenceError(RuntimeError):
    code = "database-onbereikbaar"


# SQLSTATE classes of an unreachable or stopping server: connection exception, operator
# intervention (shutdown, restart), insufficient resources; and a transaction the server rolled
# back to let a concurrent one through (deadlock, serialization failure: instances writing about
# the same person), which succeeds when tried again
_OUTAGE_SQLSTATES = ("08", "57P", "53", "40")
# JSON columns hold what the services wrote (a settlement, an income): orjson reads and writes them
# at a third of the json module's cost; the statement's parameters never appear in an error (a BSN)
_OPTIONS = {
    "json_serializer": lambda value: orjson.dumps(value).decode(),
    "json_deserializer": orjson.loads,
    "hide_parameters": True,
}


def is_unavailable(exc: BaseException) -> bool:
    """True when the database itself is away or refusing work (a restart, SQLite "database is
    locked", a lost connection): the same work will succeed later, so it is retried, never refused."""
    if isinstance(exc, (OSError, PoolTimeout, DisconnectionError, OperationalError, InterfaceError, PersistenceError)):
        return True
    if isinstance(exc, DBAPIError):
        state = str(getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None) or "")
        return exc.connection_invalidated or state.startswith(_OUTAGE_SQLSTATES)
    return False


# The longest a PostgreSQL session may sit idle inside a transaction before the server ends it and
# its locks go (the outbox relay's row, a person's advisory lock, SKIP LOCKED claims): a holder whose
# host froze, or whose network dropped without a close, otherwise keeps them until TCP keepalive gives
# up (two hours by default) and every other instance finds them taken. Longer than the longest wait
# the code does inside a transaction: the relay sends a batch to Kafka inside its transaction (the
# producer's start, the sends, their delivery: at most three times SCHAKEL_KAFKA_TIMEOUT, 30 s each),
# which is also as long as the relay may go without a round before it is restarted (120 s). With a
# longer broker timeout the caller passes more (`Database(..., idle_in_transaction_seconds=)`).
IDLE_IN_TRANSACTION_SECONDS = 120.0
# TCP keepalive on the server's end of each session: a peer that vanished is found within about a
# minute (30 s idle, then three probes 10 s apart), and data left unacknowledged that long ends the
# session too (`tcp_user_timeout`, PostgreSQL 12+)
_KEEPALIVE = {
    "tcp_keepalives_idle": "30",
    "tcp_keepalives_interval": "10",
    "tcp_keepalives_count": "3",
    "tcp_user_timeout": "60000",
}


def idle(kafka_timeout: float) -> float:
    """The idle-in-transaction bound for a service whose broker calls wait up to `kafka_timeout` each:
    above the relay's three of them in a transaction."""
    return max(IDLE_IN_TRANSACTION_SECONDS, 4 * kafka_timeout)


def session_settings(idle_in_transaction_seconds: float) -> dict[str, str]:
    """The settings each PostgreSQL session of the services starts with (asyncpg `server_settings`)."""
    return {"idle_in_transaction_session_timeout": str(math.ceil(idle_in_transaction_seconds * 1000)), **_KEEPALIVE}


class Database:
    """An async engine plus the one way to change state: `async with db.transaction() as conn`.
    Its errors never quote the statement's parameters (a BSN), wherever they end up. On PostgreSQL a
    transaction left idle longer than `idle_in_transaction_seconds` is ended by the server, its locks
    released (`session_settings`)."""

    def __init__(self, url: str, *, idle_in_transaction_seconds: float = IDLE_IN_TRANSACTION_SECONDS) -> None:
        parsed = make_url(url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            # how long a writer waits for SQLite's lock; `?timeout=` in the URL changes it
            timeout = float(parsed.normalized_query.get("timeout", ("30",))[-1])
            self.engine = create_async_engine(
                parsed.difference_update_query(["timeout"]), connect_args={"timeout": timeout}, **_OPTIONS
            )
            _serialise_sqlite_writers(self.engine)
        else:
            self.engine = create_async_engine(
                url,
                # at most 20, kept open: a connection opened for a burst and closed after it (an
                # overflow one) costs PostgreSQL a new backend and each statement its prepare again;
                # the one returned last is taken first, so at a low rate the few in use stay busy
                # and are not pinged (`_ping_when_idle`) at every checkout
                pool_size=20,
                max_overflow=0,
                pool_use_lifo=True,
                connect_args={"server_settings": session_settings(idle_in_transaction_seconds)},
                **_OPTIONS,
            )
            _ping_when_idle(self.engine)
        event.listen(self.engine.sync_engine, "before_cursor_execute", _counted)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        pending: list[Callable[[], None]] = []
        token = _on_commit.set(pending)
        try:
            async with self.engine.begin() as conn:
                yield conn
        finally:
            _on_commit.reset(token)
        _run(pending)

    @asynccontextmanager
    async def alone(self) -> AsyncIterator[AsyncConnection]:
        """For a statement that is atomic by itself (a read by key, a single write): on PostgreSQL in
        autocommit, without the round trips of BEGIN and COMMIT; SQLite keeps its transaction (its
        writers queue for the lock at BEGIN IMMEDIATE)."""
        if self.is_sqlite:
            async with self.transaction() as conn:
                yield conn
        else:
            async with self.engine.connect() as conn:
                yield await conn.execution_options(isolation_level="AUTOCOMMIT")

    async def ping(self) -> None:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except (SQLAlchemyError, OSError) as exc:
            raise PersistenceError(str(exc.__class__.__name__)) from exc

    async def dispose(self) -> None:
        await self.engine.dispose()


def _counted(*_: object) -> None:
    metrics.DB_STATEMENTS.inc()


IDLE_PING_SECONDS = 1.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    """A pooled connection that sat idle is pinged before use, so one the server dropped meanwhile (a
    restart, a failover) is replaced instead of failing the work. One in steady use is not: a ping
    on every checkout (`pool_pre_ping`) costs a round trip for each transaction."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _checkin(_dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checkout(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _proxy: object) -> None:
        if time.monotonic() - record.info.get("idle_since", math.inf) > IDLE_PING_SECONDS:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except Exception as exc:  # noqa: BLE001 - any failure: the pool discards it and connects anew
                raise DisconnectionError() from exc


def _serialise_sqlite_writers(engine: AsyncEngine) -> None:
    """SQLite allows one writer. A deferred transaction that reads and then writes can fail at
    once with SQLITE_BUSY when another connection wrote in between; BEGIN IMMEDIATE takes the
    write lock up front and waits for it (busy timeout) instead. WAL lets readers go on."""

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

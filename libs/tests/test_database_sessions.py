"""A PostgreSQL session of the services does not keep its locks when its holder's host vanishes: the
server ends a transaction left idle (the relay's row lock on `outbox_relay`, a person's advisory lock)
after `idle_in_transaction_session_timeout`, and TCP keepalive finds a peer that went away within about
a minute, instead of the two hours of the operating system's default. PostgreSQL with
SCHAKEL_TEST_POSTGRES_URL, or a server of the test's own (SQLite has no sessions to leave behind)."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deploy.databases import new_database_sync
from schakel.messaging.tables import outbox_relay
from schakel.persistence import Database, is_unavailable
from schakel.persistence.locks import hold
from tests.support.postgres import postgres_server

pytestmark = pytest.mark.integration  # a real PostgreSQL server
IDLE = 1.0  # the test's idle-in-transaction timeout: the behaviour under test is its running out


@pytest.fixture(scope="module")
def server():
    with postgres_server() as url:
        yield url


async def database_url(tmp_path, server: str) -> str:
    url = await asyncio.to_thread(new_database_sync, tmp_path, f"sessies-{uuid.uuid4().hex[:8]}", server)
    async with (db := Database(url)).transaction() as conn:
        await conn.run_sync(outbox_relay.metadata.create_all, tables=[outbox_relay])
        await conn.execute(outbox_relay.insert().values(name="relay"))
    await db.dispose()
    return url


async def shown(db: Database, *names: str) -> dict[str, str]:
    async with db.alone() as conn:
        return {name: (await conn.execute(sa.text(f"SHOW {name}"))).scalar_one() for name in names}


async def test_a_service_s_sessions_end_an_idle_transaction_and_find_a_vanished_peer_within_a_minute(tmp_path, server):
    db = Database(await database_url(tmp_path, server))
    try:
        settings = await shown(
            db,
            "idle_in_transaction_session_timeout",
            "tcp_keepalives_idle",
            "tcp_keepalives_interval",
            "tcp_keepalives_count",
            "tcp_user_timeout",
        )
        assert settings == {
            "idle_in_transaction_session_timeout": "2min",
            "tcp_keepalives_idle": "30",
            "tcp_keepalives_interval": "10",
            "tcp_keepalives_count": "3",
            "tcp_user_timeout": "60000",  # milliseconds
        }
        async with db.transaction() as conn:  # a transaction's connection is such a session too
            timeout = (await conn.execute(sa.text("SHOW idle_in_transaction_session_timeout"))).scalar_one()
        assert timeout == "2min"
    finally:
        await db.dispose()


@asynccontextmanager
async def frozen_holder(url: str, take: Callable[[AsyncConnection], Awaitable[None]]) -> AsyncIterator[Database]:
    """A holder that takes its locks (`take`) and then stops between two statements, as a host that
    froze or lost its network; yields another instance's database. On the way out the holder thaws and
    finds its session ended by the server (an outage, retried later)."""
    holder, other = Database(url, idle_in_transaction_seconds=IDLE), Database(url)
    frozen, taken = asyncio.Event(), asyncio.Event()

    async def freeze() -> None:
        async with holder.transaction() as conn:
            await take(conn)
            taken.set()
            await frozen.wait()

    stuck = asyncio.create_task(freeze())
    try:
        await taken.wait()
        yield other
        frozen.set()
        with pytest.raises(Exception) as ended:
            await stuck
        assert is_unavailable(ended.value)
    finally:
        frozen.set()
        await asyncio.gather(stuck, return_exceptions=True)
        await holder.dispose()
        await other.dispose()


async def test_the_relay_s_row_lock_left_idle_by_a_holder_that_froze_goes_to_another_instance(tmp_path, server):
    relaying = sa.select(outbox_relay.c.name).with_for_update(skip_locked=True)

    async def relays(conn: AsyncConnection) -> None:
        assert (await conn.execute(relaying)).first() is not None

    async with frozen_holder(await database_url(tmp_path, server), relays) as other:
        async with other.transaction() as conn:
            assert (await conn.execute(relaying)).first() is None, "the holder relays: the others skip"
        async with other.transaction() as conn:
            await conn.execute(sa.text("SET LOCAL lock_timeout = '10s'"))  # a bound, should the fix be missing
            # waits for the row instead of skipping it: until the server ends the holder's idle transaction
            assert (await conn.execute(sa.select(outbox_relay.c.name).with_for_update())).first() is not None
        async with other.transaction() as conn:
            assert (await conn.execute(relaying)).first() is not None, "another instance relays now"


async def test_a_person_s_advisory_lock_left_idle_goes_to_another_instance(tmp_path, server):
    async def holds(conn: AsyncConnection) -> None:
        await hold(conn, ["persoon 17"])

    async with frozen_holder(await database_url(tmp_path, server), holds) as other:
        async with other.transaction() as conn:
            await conn.execute(sa.text("SET LOCAL lock_timeout = '10s'"))  # a bound, should the fix be missing
            await hold(conn, ["persoon 17"])  # granted once the server ended the idle holder

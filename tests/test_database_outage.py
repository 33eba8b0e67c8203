"""A database outage under a running relay and consumer: readiness turns 503 and names what fails,
and once the database is back, what arrived meanwhile is applied once and published once.
On CI (PostgreSQL) the test stops and starts its own PostgreSQL server; on SQLite it holds the
write lock of income's database file, as another process or a long migration would."""

import asyncio
import os
import sqlite3
from contextlib import contextmanager

import httpx
import pytest
import sqlalchemy as sa

from deploy.databases import new_database, new_database_sync
from schakel.api import Rol
from schakel.persistence import Database, database
from tests.support import builders, kafka
from tests.support.polis import aangeleverd, aangifte, emitted, open_case
from tests.support.postgres import OwnPostgres
from tests.support.stack import POLISAANGIFTEN, eventually, pseudonym, start_stack

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def outage_stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("outage")
    stack = start_stack(tmp, [])
    postgres = OwnPostgres() if os.environ.get("SCHAKEL_TEST_POSTGRES_URL") else None
    try:
        for name in ("income", "decisions"):
            url = (
                new_database_sync(tmp, name, postgres.url)
                if postgres
                else f"sqlite+aiosqlite:///{tmp / name}.db?timeout=1"
            )  # a writer gives up after 1 s
            stack.start(name, **{f"{name.upper()}_DATABASE_URL": url, "SCHAKEL_TASK_FAILURE_SECONDS": "2"})
        yield stack, postgres
    finally:
        stack.close()
        stack.collector.close()
        if postgres:
            postgres.remove()


@contextmanager
def outage(stack, postgres):
    if postgres:
        postgres.stop()
        yield
        postgres.start()
        return
    url = stack.services["income"].env["INCOME_DATABASE_URL"]
    lock = sqlite3.connect(url.removeprefix("sqlite+aiosqlite:///").split("?")[0], isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long transaction elsewhere would
    try:
        yield
    finally:
        lock.execute("ROLLBACK")
        lock.close()


def readiness(stack, name: str) -> httpx.Response:
    return httpx.get(f"{stack.services[name].url}/health/ready", timeout=10)


def test_readiness_shows_the_outage_and_everything_is_applied_and_published_once_after_it(outage_stack):
    stack, postgres = outage_stack
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    assert readiness(stack, "income").status_code == 200

    with outage(stack, postgres):
        # a provider's declaration arrives while income cannot write
        kafka.produce_events(stack.kafka, POLISAANGIFTEN, [aangeleverd("outage", aangifte(bsn))])
        # the database check fails at once; the consumer once it has been failing past the threshold
        down = eventually(
            lambda: (
                (r := readiness(stack, "income")).status_code == 503
                and "consumer faalt" in r.json()["detail"]
                and r.json()
            ),
            timeout=60,
        )
        assert down["detail"].startswith("Niet gereed: ") and "database" in down["detail"]
        assert bsn not in down["detail"]

    eventually(lambda: all(readiness(stack, name).status_code == 200 for name in ("income", "decisions")), timeout=90)
    with stack.client("decisions", Rol.municipality) as client:
        settled = eventually(lambda: client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json(), timeout=60)
    assert [(s["maand"], s["versie"]) for s in settled] == [("2026-01", 1)], "applied once"
    assert [e["maand"] for e in emitted(stack, bsn)] == ["2026-01"], "income published the month once"
    verrekeningen = eventually(lambda: kafka.read(stack.kafka, "verrekeningen", key=pseudonym(bsn)))
    assert len(verrekeningen) == 1, "decisions published the settlement once"


def test_a_pooled_connection_the_server_dropped_while_idle_is_replaced_before_use(tmp_path, monkeypatch):
    """Connections in steady use are not pinged (a round trip per transaction); one that sat idle is,
    so a server that dropped it meanwhile (a restart, a failover) fails no work. Always on a
    PostgreSQL server of its own: SQLite has no connections to drop."""
    postgres = OwnPostgres()
    pings = []
    try:

        async def run() -> None:
            url = await new_database(tmp_path, "pool", postgres.url)
            db, other = Database(url), Database(url)
            ping = db.engine.dialect.do_ping
            monkeypatch.setattr(db.engine.dialect, "do_ping", lambda c: pings.append(c) or ping(c))
            try:
                backend = [await _backend(db) for _ in range(3)][-1]
                assert pings == [], "steady use: no ping"
                monkeypatch.setattr(database, "IDLE_PING_SECONDS", 0.0)  # every checkin now counts as idle
                async with other.transaction() as conn:
                    await conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
                assert await _backend(db) != backend and pings, "pinged, replaced, no error"
            finally:
                await db.dispose()
                await other.dispose()

        asyncio.run(run())
    finally:
        postgres.remove()


async def _backend(db: Database) -> int:
    async with db.transaction() as conn:
        return (await conn.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()

"""The change feed end to end, on the real broker and database: a municipality follows the events of
its own cases (no BSN, the ids of the events on the topics), reads on from where its last page stood
or from a time, and no other municipality reads them or its cursor. On PostgreSQL, where ids are not
commit order, a row is served only once no row written before it can still commit."""

import asyncio
import json
import uuid
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from decisions.adapters.repository import SqlGebeurtenissen
from decisions.adapters.tables import gebeurtenissen as gebeurtenissen_tabel
from decisions.adapters.tables import uitkeringen as uitkeringen_tabel
from decisions.service.ports import Gebeurtenis, Lopend
from deploy.databases import new_database
from schakel.api import Rol
from schakel.events import models as events
from schakel.persistence import Database, migrate
from tests.support import builders, kafka
from tests.support.opslag import SERVICES
from tests.support.polis import open_case
from tests.support.postgres import OwnPostgres, postgres_server
from tests.support.stack import eventually, eventually_async, pseudonym

pytestmark = pytest.mark.integration

ENSCHEDE, DEVENTER = "GM0153", "GM0150"  # in no other test


def test_a_municipality_follows_the_events_of_its_cases_and_reads_on_where_it_stood(stack):
    bsn = builders.bsn(ENSCHEDE)
    zaak = open_case(stack, bsn, gemeente=ENSCHEDE)
    with stack.client("decisions", Rol.municipality, ENSCHEDE) as client:
        eerste = eventually(lambda: r if (r := client.get("/gebeurtenissen")).json() else None)
        assert [(g["uitkeringId"], g["type"]) for g in eerste.json()] == [(zaak, events.UitkeringGeopend.TYPE)]
        assert bsn not in eerste.text
        verder = "/gebeurtenissen" + eerste.links["next"]["url"]  # also after the last page
        assert client.get(verder).json() == [], "nothing new yet"

        einde = client.post(f"/uitkeringen/{zaak}/_beeindig", json={"einddatum": "2026-05-31", "reden": "werk"})
        assert einde.status_code == 200, einde.text
        nieuw = eventually(lambda: client.get(verder).json() or None)
        [beeindigd] = [g for g in nieuw if g["type"] == events.UitkeringBeeindigd.TYPE]
        assert {g["uitkeringId"] for g in nieuw} == {zaak}
        op_topic = [
            dict(r.headers)["ce_id"].decode()
            for r in kafka.read(stack.kafka, "uitkeringen", key=pseudonym(bsn))
            if dict(r.headers)["ce_type"].decode() == events.UitkeringBeeindigd.TYPE
        ]
        assert beeindigd["eventId"] in op_topic, "the event as on the topic, by its id"
        sinds = client.get("/gebeurtenissen", params={"vanafTijdstip": beeindigd["tijdstip"]})
        assert beeindigd in sinds.json() and sinds.json() == [
            g for g in nieuw if g["tijdstip"] >= beeindigd["tijdstip"]
        ]
        cursor = eerste.links["next"]["url"].removeprefix("?vanaf=").split("&")[0]
        naast = client.get(verder + "&vanafTijdstip=2026-01-01T00:00:00Z")
        assert (naast.status_code, naast.json()["code"]) == (422, "niet-met-vanaf")
        zonder_zone = client.get("/gebeurtenissen", params={"vanafTijdstip": "2026-01-01T00:00:00"})
        assert zonder_zone.status_code == 400 and zonder_zone.json()["invalidParams"][0]["name"] == "vanafTijdstip"
        # a client's zero time reads from the start, also with an offset that carries it into year 0 in
        # UTC (a 500 before); a moment past every event reads nothing
        alles = client.get("/gebeurtenissen").json()
        for begin in ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00"):
            assert client.get("/gebeurtenissen", params={"vanafTijdstip": begin}).json() == alles, begin
        assert client.get("/gebeurtenissen", params={"vanafTijdstip": "9999-12-31T23:59:59-14:00"}).json() == []
    with stack.client("decisions", Rol.municipality, DEVENTER) as other:
        assert zaak not in json.dumps(other.get("/gebeurtenissen").json())
        vreemd = other.get("/gebeurtenissen", params={"vanaf": cursor})
    assert (vreemd.status_code, vreemd.json()["code"]) == (422, "ongeldige-cursor"), "another municipality's cursor"


@pytest.fixture(scope="module")
def server():
    with postgres_server() as url:
        yield url


async def test_a_row_committed_after_a_later_one_is_not_passed_by_a_reader(tmp_path, server):
    """Transaction A writes first (the lower id), B writes and commits, then A commits: a reader between
    the two commits must not be given B's row, or reading on after it would pass A's for good."""
    db = Database(await new_database(tmp_path, f"feed-{uuid.uuid4().hex[:8]}", server))
    await migrate(db, SERVICES / "decisions" / "migrations")

    def rij(event_id: str) -> Gebeurtenis:
        return Gebeurtenis(str(uuid.uuid4()), "t", datetime.now(UTC), None, event_id, ENSCHEDE)

    async def lees(na):
        async with db.transaction() as conn:
            return await SqlGebeurtenissen(conn).van_gemeente(ENSCHEDE, None, na, 100)

    try:
        async with db.transaction() as a:
            await SqlGebeurtenissen(a).voeg_toe([rij("a")])
            async with db.transaction() as b:
                await SqlGebeurtenissen(b).voeg_toe([rij("b")])
            tussendoor = await lees(None)
        assert tussendoor == [], "B's row waits for A, which may still commit before it"
        na = tussendoor[-1].positie if tussendoor else None
        # the server is shared with the stack's services: their transactions may hold the horizon a moment
        assert [g.event_id for g in await eventually_async(lambda: lees(na), count=2)] == ["a", "b"]
    finally:
        await db.dispose()


async def test_a_writing_transaction_that_runs_holds_the_feed_back_once_a_later_one_committed(tmp_path):
    """The horizon the feed waits for, as the alert's gauge reads it, on a server of the test's own (on a
    shared one, others' transactions come and go): a transaction that wrote holds the feed back once a
    later one committed; not before, as nothing waits for it then, and not after it ended."""
    server = OwnPostgres()
    db = Database(await new_database(tmp_path, "feed-horizon", server.url))

    def rij(event_id: str) -> Gebeurtenis:
        return Gebeurtenis(str(uuid.uuid4()), "t", datetime.now(UTC), None, event_id, ENSCHEDE)

    async def oudste() -> Lopend | None:
        async with db.transaction() as conn:
            return await SqlGebeurtenissen(conn).oudste_lopende()

    try:
        await migrate(db, SERVICES / "decisions" / "migrations")
        assert await oudste() is None, "nothing runs"
        async with db.transaction() as a:
            await SqlGebeurtenissen(a).voeg_toe([rij("a")])
            xid, begonnen = (await a.execute(sa.text("SELECT pg_current_xact_id()::text::bigint, now()"))).one()
            assert await oudste() is None, "it runs, but nothing committed after it waits for it"
            async with db.transaction() as b:
                await SqlGebeurtenissen(b).voeg_toe([rij("b")])
            assert await oudste() == Lopend(xid, begonnen), "and when it began, shown to the server's owner"
        assert await oudste() is None, "it ended"
    finally:
        await db.dispose()
        server.remove()


class _NaDeEersteLezing:
    """The reader's connection; after its first statement another transaction commits (`tussendoor`)."""

    def __init__(self, conn, tussendoor) -> None:
        self._conn, self._tussendoor, self.dialect = conn, tussendoor, conn.dialect

    async def execute(self, *args, **kwargs):
        resultaat = await self._conn.execute(*args, **kwargs)
        if self._tussendoor is not None:
            tussendoor, self._tussendoor = self._tussendoor, None
            await tussendoor()
        return resultaat


async def test_a_row_held_back_from_the_first_statement_is_not_passed_by_the_second(tmp_path, server):
    """A page reads the municipality's rows and, in a second statement, the rows an instance of the earlier
    version wrote without it. A (ours) is written first and still runs at the first statement; B (the earlier
    version's, a later transaction) commits; A commits before the second statement. Had each statement its
    own horizon, the second would serve B, and reading on after B would pass A for good."""
    db = Database(await new_database(tmp_path, f"feed-{uuid.uuid4().hex[:8]}", server))
    await migrate(db, SERVICES / "decisions" / "migrations")
    zaak, geschreven, nu_vastleggen, vastgelegd = str(uuid.uuid4()), asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def a() -> None:
        async with db.transaction() as conn:
            await SqlGebeurtenissen(conn).voeg_toe([Gebeurtenis(zaak, "t", datetime.now(UTC), None, "a", ENSCHEDE)])
            geschreven.set()
            await nu_vastleggen.wait()
        vastgelegd.set()

    async def tussendoor() -> None:
        nu_vastleggen.set()
        await vastgelegd.wait()

    try:
        async with db.transaction() as conn:
            await conn.execute(
                uitkeringen_tabel.insert().values(
                    uitkering_id=zaak,
                    bsn=builders.bsn(ENSCHEDE),
                    persoon="p",
                    gemeentecode=ENSCHEDE,
                    geboortedatum=date(1990, 1, 1),
                    startdatum=date(2026, 1, 1),
                    status="lopend",
                )
            )
        schrijver = asyncio.create_task(a())
        await geschreven.wait()
        async with db.transaction() as conn:  # as an instance of the earlier version writes it: no municipality
            await conn.execute(
                gebeurtenissen_tabel.insert().values(
                    uitkering_id=zaak, event_id="b", type="t", tijdstip=datetime.now(UTC)
                )
            )
        async with db.transaction() as conn:
            pagina = await SqlGebeurtenissen(_NaDeEersteLezing(conn, tussendoor)).van_gemeente(
                ENSCHEDE, None, None, 100
            )
        await schrijver

        async def lees_verder():
            async with db.transaction() as conn:
                return await SqlGebeurtenissen(conn).van_gemeente(
                    ENSCHEDE, None, pagina[-1].positie if pagina else None, 100
                )

        # the server is shared with the stack's services: their transactions may hold the horizon a moment
        verder = await eventually_async(lees_verder, count=2 - len(pagina))
        assert [g.event_id for g in pagina + verder] == ["a", "b"]
    finally:
        await db.dispose()

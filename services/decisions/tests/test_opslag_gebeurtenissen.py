"""The change feed on a migrated database (SQLite, or PostgreSQL when SCHAKEL_TEST_POSTGRES_URL names a
server): each municipality reads the events of its own cases in the order they were written, page by
page after a position, from a time on; a row an instance of the earlier version wrote without the
municipality is found through its case; whose cases a page shows is on record."""

from dataclasses import replace
from datetime import date, timedelta

import sqlalchemy as sa

from decisions.adapters.tables import gebeurtenissen as gebeurtenissen_tabel
from decisions.domain.situatie import Huishouden, Situatie
from decisions.service import gebeurtenissen, uitkeringen
from decisions.tests.opslag import sql_ports
from decisions.tests.test_service import AMSTERDAM, GEBOREN, ROTTERDAM, START
from schakel import logboek
from schakel.clock import FixedClock
from schakel.events.models import UitkeringGeopend, UitkeringGewijzigd
from tests.support.builders import bsn
from tests.support.fakes import FakeBrp
from tests.support.stack import eventually_async

VANDAAG = date(2026, 11, 2)


async def test_each_municipality_pages_through_the_events_of_its_own_cases_in_the_order_written(tmp_path):
    db, p = await sql_ports(tmp_path, VANDAAG)
    personen = [bsn() for _ in range(3)]
    p = replace(p, brp=FakeBrp({personen[2]: "GM0599"}))
    try:
        zaken = []
        for dag, (wie, gemeente) in enumerate(zip(personen, [AMSTERDAM, AMSTERDAM, ROTTERDAM], strict=True)):
            q = replace(p, clock=FixedClock(VANDAAG + timedelta(days=dag)))
            alleen = Situatie(START, Huishouden.alleenstaand)
            zaken.append((await uitkeringen.open_uitkering(q, gemeente, wie, GEBOREN, START, alleen)).uitkering)
        later = replace(p, clock=FixedClock(VANDAAG + timedelta(days=5)))
        async with db.transaction() as conn:  # as an instance of the earlier version writes it: no municipality
            await conn.execute(
                gebeurtenissen_tabel.insert().values(
                    uitkering_id=zaken[0].uitkering_id,
                    event_id="eerder",
                    type=UitkeringGewijzigd.TYPE,
                    tijdstip=later.clock.now(),
                )
            )

        # on a PostgreSQL server shared with other work, the feed serves a row once the transactions before
        # it have ended: read until all are there
        alle = await eventually_async(lambda: gebeurtenissen.lijst(p, AMSTERDAM, None, None, 100), count=3)
        assert [(g.uitkering_id, g.type) for g in alle] == [
            (zaken[0].uitkering_id, UitkeringGeopend.TYPE),
            (zaken[1].uitkering_id, UitkeringGeopend.TYPE),
            (zaken[0].uitkering_id, UitkeringGewijzigd.TYPE),
        ]
        assert [g.positie for g in alle] == sorted(g.positie for g in alle)
        gelezen, na = [], None
        for _ in alle:
            pagina = await gebeurtenissen.lijst(p, AMSTERDAM, None, na, 1)
            gelezen, na = gelezen + pagina, pagina[-1].positie
        assert gelezen == alle and await gebeurtenissen.lijst(p, AMSTERDAM, None, na, 1) == []
        vanaf = VANDAAG + timedelta(days=1)
        assert await gebeurtenissen.lijst(p, AMSTERDAM, FixedClock(vanaf).now(), None, 100) == alle[1:]
        [rotterdam] = await eventually_async(lambda: gebeurtenissen.lijst(p, ROTTERDAM, None, None, 100))
        assert rotterdam.uitkering_id == zaken[2].uitkering_id

        # filled in afterwards, a batch at a time: the same feed, now by the index (a row without a case stays)
        async with db.transaction() as conn:
            await conn.execute(
                gebeurtenissen_tabel.insert().values(
                    uitkering_id="geen-zaak", event_id="wees", type=UitkeringGewijzigd.TYPE, tijdstip=later.clock.now()
                )
            )
        assert await gebeurtenissen.vul_gemeentecodes(p, per_keer=1) == 1
        async with db.transaction() as conn:
            zonder = gebeurtenissen_tabel.c.gemeentecode.is_(None)
            rijen = await conn.execute(sa.select(gebeurtenissen_tabel.c.event_id).where(zonder))
            assert list(rijen.scalars()) == ["wees"]
        assert await gebeurtenissen.lijst(p, AMSTERDAM, None, None, 100) == alle
        assert [g.uitkering_id for g in await gebeurtenissen.lijst(p, ROTTERDAM, None, None, 100)] == [
            zaken[2].uitkering_id
        ]

        # whose cases a page shows is on record, though it names no BSN
        verwerking = logboek.Verwerking("decisions", p.pseudonym, AMSTERDAM.oin, {"lees": "x"}, naam="lees")
        with logboek.binnen(verwerking):
            await gebeurtenissen.lijst(p, AMSTERDAM, None, None, 1)
        assert list(verwerking.betrokkenen) == [p.pseudonym(personen[0])]
    finally:
        await db.dispose()


async def test_each_batch_of_the_backfill_goes_on_after_the_last(tmp_path):
    """A batch starts after the last row the one before filled, not at the start of the rows without a
    municipality: while a long transaction elsewhere lives (a backup during the deploy), the entries of the
    rows filled stay in their index (PostgreSQL), and walked again by every batch the run grows with the
    square of the rows. A row left behind (its transaction committed late) waits for the next run."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        alleen = Situatie(START, Huishouden.alleenstaand)
        zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, bsn(), GEBOREN, START, alleen)).uitkering
        async with db.transaction() as conn:  # as an instance of the earlier version writes them
            await conn.execute(gebeurtenissen_tabel.update().values(gemeentecode=None))
            for i in range(2):
                await conn.execute(
                    gebeurtenissen_tabel.insert().values(
                        uitkering_id=zaak.uitkering_id,
                        event_id=f"eerder-{i}",
                        type=UitkeringGewijzigd.TYPE,
                        tijdstip=p.clock.now(),
                    )
                )
        gelezen = await eventually_async(lambda: gebeurtenissen.lijst(p, AMSTERDAM, None, None, 100), count=3)
        posities = [g.positie for g in gelezen]
        async with p.uow() as uow:
            assert await uow.gebeurtenissen.vul_gemeentecodes(None, 2) == (2, posities[1])
        async with db.transaction() as conn:  # the first without one again: behind where the run stands
            eerste = gebeurtenissen_tabel.c.id == posities[0][1]
            await conn.execute(gebeurtenissen_tabel.update().where(eerste).values(gemeentecode=None))
        async with p.uow() as uow:
            assert await uow.gebeurtenissen.vul_gemeentecodes(posities[1], 2) == (1, posities[2])
            assert await uow.gebeurtenissen.vul_gemeentecodes(posities[2], 2) == (0, posities[2])
        assert await gebeurtenissen.vul_gemeentecodes(p) == 1, "the next run"
        assert [g.positie for g in await gebeurtenissen.lijst(p, AMSTERDAM, None, None, 100)] == posities
    finally:
        await db.dispose()


async def test_from_a_time_every_row_since_comes_in_the_order_written_whatever_the_order_of_their_times(tmp_path):
    """A transaction that began first may write a later time (`xact` is when it began, `tijdstip` when it
    wrote): read from a time, the feed starts at the first transaction among the rows since then and serves
    them all in the order written, none from before."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    t = FixedClock(VANDAAG).now()
    rijen = [  # (event, transaction, time)
        ("ervoor", 5, t - timedelta(hours=1)),
        ("laat-geschreven", 10, t + timedelta(hours=2)),
        ("vroeg-geschreven", 20, t + timedelta(hours=1)),
        ("anders-dan-ervoor", 30, t - timedelta(hours=1)),
        ("erna", 40, t + timedelta(hours=3)),
    ]
    try:
        async with db.transaction() as conn:
            for event_id, xact, tijdstip in rijen:
                waarden = {"uitkering_id": "z", "event_id": event_id, "type": UitkeringGewijzigd.TYPE}
                await conn.execute(
                    gebeurtenissen_tabel.insert().values(
                        **waarden, tijdstip=tijdstip, gemeentecode=AMSTERDAM.gemeente, xact=xact
                    )
                )
        gelezen = await gebeurtenissen.lijst(p, AMSTERDAM, t, None, 100)
        assert [g.event_id for g in gelezen] == ["laat-geschreven", "vroeg-geschreven", "erna"]
        [eerste] = await gebeurtenissen.lijst(p, AMSTERDAM, t, None, 1)
        assert [g.event_id for g in await gebeurtenissen.lijst(p, AMSTERDAM, t, eerste.positie, 100)] == [
            "vroeg-geschreven",
            "erna",
        ]
    finally:
        await db.dispose()


async def test_from_a_time_a_later_page_starts_at_its_cursor_without_reading_the_rows_since_again(tmp_path):
    """The first transaction among the rows since the time is looked for on the first page only: a later
    page starts at its cursor, where looking again would read every row since the time for each page."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    t = FixedClock(VANDAAG).now()
    statements: list[str] = []
    try:
        async with db.transaction() as conn:
            for xact, event_id in enumerate(("eerste", "tweede"), start=10):
                waarden = {"uitkering_id": "z", "event_id": event_id, "type": UitkeringGewijzigd.TYPE}
                await conn.execute(
                    gebeurtenissen_tabel.insert().values(
                        **waarden, tijdstip=t + timedelta(hours=xact), gemeentecode=AMSTERDAM.gemeente, xact=xact
                    )
                )
        [eerste] = await gebeurtenissen.lijst(p, AMSTERDAM, t, None, 1)
        sa.event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        [tweede] = await gebeurtenissen.lijst(p, AMSTERDAM, t, eerste.positie, 1)
        assert tweede.event_id == "tweede"
        assert not [s for s in statements if "sinds" in s], "a later page reads no row before its cursor"
    finally:
        await db.dispose()

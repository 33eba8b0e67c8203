"""Opening a case on a migrated database: the answer shows what is stored (read back, a couple's too);
a case for which no income is known reads nothing a settlement needs (opening is a write over HTTP
that must stay cheap: `make bench` measures it); a situation given again on its date replaces the
first; a case that would pay days an earlier one pays is refused by the store."""

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from decisions.domain.deelname import Deelnamestatus
from decisions.domain.fouten import UitkeringLooptAl
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden
from decisions.service import uitkeringen
from decisions.service.ports import Voorstel
from decisions.tests.opslag import sql_ports
from schakel.caller import Caller, Rol
from tests.support.builders import bsn

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
START = date(2026, 1, 1)
SETTLING = ("verrekeningen", "betalingen", "inkomstensoorten", "vorderingsverschillen", "vorderingsboekingen")


async def test_a_case_opens_as_stored_without_reading_what_settling_needs(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 11, 2))
    statements: list[str] = []
    sa.event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        for situatie in (
            Situatie(START, Huishouden.alleenstaand),
            Situatie(START, Huishouden.gehuwd, Partner(bsn(), date(1988, 3, 1)), kostendelers=1),
            # a caseworker's jongerennorm (stored with it, though these two are older than 21)
            Situatie(START, Huishouden.gehuwd, Partner(bsn(), date(1988, 3, 1)), jongerennorm=150_000),
        ):
            statements.clear()
            geopend = await uitkeringen.open_uitkering(p, AMSTERDAM, bsn(), date(1990, 5, 1), START, situatie)
            assert not [s for s in statements if any(t in s for t in SETTLING)], "no income: nothing to settle"
            gelezen = await uitkeringen.lees(p, AMSTERDAM, geopend.uitkering.uitkering_id)
            assert geopend == gelezen == replace(geopend, situaties=[situatie])

        uitkering_id = geopend.uitkering.uitkering_id
        alleen = Situatie(START, Huishouden.alleenstaand)
        async with p.uow() as uow:
            await uow.situaties.zet(uitkering_id, alleen, None)
            assert await uow.situaties.van(uitkering_id) == [alleen], "the same date: replaced"
    finally:
        await db.dispose()


async def test_a_participation_status_keeps_its_sequence_number_through_the_store(tmp_path):

    db, p = await sql_ports(tmp_path, date(2026, 11, 2))
    try:
        for status in (Deelnamestatus("doelgroepregister", "wajong", START, 7), Deelnamestatus("geen", None, START, 8)):
            async with p.uow() as uow:
                await uitkeringen.zet_deelnamestatus(p, uow, "p-1", status)
        async with p.uow() as uow:
            await uitkeringen.zet_deelnamestatus(p, uow, "p-1", Deelnamestatus("doelgroepregister", "wajong", START, 7))
            assert await uow.deelnamestatussen.van("p-1") == Deelnamestatus("geen", None, START, 8)
    finally:
        await db.dispose()


async def test_the_store_refuses_a_case_that_pays_days_an_earlier_one_pays(tmp_path):
    """One statement inserts the case unless a case of the person has no end, or ends on or after
    its start (`Uitkering.overlapt`), on SQLite and PostgreSQL alike."""
    db, p = await sql_ports(tmp_path, date(2026, 11, 30))
    aanvrager = bsn()
    try:
        geopend = await uitkeringen.open_uitkering(
            p, AMSTERDAM, aanvrager, date(1990, 5, 1), START, Situatie(START, Huishouden.alleenstaand)
        )
        await uitkeringen.beeindig(p, AMSTERDAM, geopend.uitkering.uitkering_id, date(2027, 2, 28), Reden.werk)
        for start in (date(2027, 2, 28), date(2025, 1, 1)):
            with pytest.raises(UitkeringLooptAl):
                await uitkeringen.open_uitkering(
                    p, AMSTERDAM, aanvrager, date(1990, 5, 1), start, Situatie(start, Huishouden.alleenstaand)
                )
        weer = date(2027, 3, 1)
        await uitkeringen.open_uitkering(
            p, AMSTERDAM, aanvrager, date(1990, 5, 1), weer, Situatie(weer, Huishouden.alleenstaand)
        )
        async with p.uow() as uow:
            assert len(await uow.uitkeringen.van_persoon(p.pseudonym(aanvrager))) == 2
    finally:
        await db.dispose()


async def test_a_dismissed_proposal_to_end_reads_back_with_when_and_why(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 11, 2))
    try:
        alleen = Situatie(START, Huishouden.alleenstaand)
        zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, bsn(), date(1990, 5, 1), START, alleen)).uitkering
        voorstel = Voorstel("2026-02", "2026-04", p.clock.now())
        afgewezen = replace(voorstel, afgewezen_op=p.clock.now(), reden="seizoenswerk")
        nieuw = Voorstel("2026-06", "2026-08", p.clock.now())
        async with p.uow() as uow:
            await uow.beeindigingsvoorstellen.zet(zaak.uitkering_id, voorstel)
            assert await uow.beeindigingsvoorstellen.van(zaak.uitkering_id) == voorstel
            await uow.beeindigingsvoorstellen.wijs_af(zaak.uitkering_id, afgewezen)
        async with p.uow() as uow:
            assert await uow.beeindigingsvoorstellen.van(zaak.uitkering_id) == afgewezen
            await uow.beeindigingsvoorstellen.zet(zaak.uitkering_id, nieuw)  # a later run's: the dismissal stays
        async with p.uow() as uow:
            assert await uow.beeindigingsvoorstellen.van(zaak.uitkering_id) == nieuw
            assert await uow.beeindigingsvoorstellen.afgewezen(zaak.uitkering_id) == [afgewezen]
    finally:
        await db.dispose()

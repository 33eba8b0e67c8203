"""A municipality's lists page by key: page after page gives the whole list once, in its order, ties
included, in memory as on a database (SQLite here, PostgreSQL in CI)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from reapplication.domain.fouten import Onbekend
from reapplication.domain.heraanvraag import ZONDER_UITKERING
from reapplication.entrypoints import consumers
from reapplication.service import heraanvragen, overdrachten
from reapplication.tests.fakes import op_database, ports
from reapplication.tests.test_service import AMSTERDAM, BEEINDIGD, ROTTERDAM, VANDAAG, beeindigd, simpel
from tests.support.builders import bsn

GROND = {"soort": "toestemming", "referentie": "UWV-1"}


async def gevuld(p) -> None:
    """Eleven re-applications and eleven handovers in Amsterdam, sharing melding days, submission
    moments and WW ends, and two more handovers in Rotterdam."""
    handle = consumers.handlers(lambda conn: p)
    for i in range(11):
        persoon = bsn()
        await handle[BEEINDIGD](None, beeindigd(persoon, uitkering_id=str(uuid.uuid4())))
        if i % 4 == 0:
            p.clock.advance(timedelta(microseconds=1))  # a later submission on the same melding day
        wijzigingen = ("adres",) if i % 2 else ()  # half wait for a caseworker
        await heraanvragen.dien_in(p, AMSTERDAM, persoon, simpel(VANDAAG - timedelta(days=i % 3), *wijzigingen))
    for i in range(13):
        gemeente = "GM0599" if i in (3, 8) else "GM0363"
        p.brp.personen[persoon := bsn()] = gemeente
        await overdrachten.meld(p, persoon, gemeente, VANDAAG + timedelta(days=i % 4), GROND, None)


async def bladerend(lees, grootte: int, sleutel=lambda h: h.volgorde) -> list:
    """Every page of `grootte`, each read from the key of the last one before it (at most 30 pages:
    a page that does not move on is a failure, not a loop)."""
    gelezen, na = [], None
    for _ in range(30):
        if not (pagina := await lees(na, grootte)):
            break
        gelezen += pagina
        na = sleutel(pagina[-1])
    return gelezen


def overdracht(rij) -> tuple:
    return rij[0].volgorde


@pytest.mark.parametrize("op", ["geheugen", "database"])
async def test_page_after_page_is_the_whole_list_once_in_its_order(op, tmp_path):
    p, db = ports(VANDAAG)[0], None
    if op == "database":
        p, db = await op_database(p, tmp_path)
    try:
        await gevuld(p)
        alle = await heraanvragen.lijst(p, AMSTERDAM, None)
        assert len(alle) == 11 and all(h.gemeentecode == "GM0363" for h in alle)
        assert [h.volgorde for h in alle] == sorted(h.volgorde for h in alle)
        assert len({h.aanvraag.meldingsdatum for h in alle}) < len({h.volgorde[:2] for h in alle}) < len(alle)
        wachtend = await heraanvragen.lijst(p, AMSTERDAM, "beoordelen")
        assert 0 < len(wachtend) < len(alle)
        lijst = await overdrachten.lijst(p, AMSTERDAM, None, None)
        assert len(lijst) == 11 and len({o.ww_einddatum for o, _ in lijst}) < len(lijst)
        binnen = await overdrachten.lijst(p, AMSTERDAM, VANDAAG + timedelta(days=1), VANDAAG + timedelta(days=2))
        assert 0 < len(binnen) < len(lijst)

        for grootte in (1, 2, 4, 11, 100):
            assert await bladerend(lambda na, n: heraanvragen.lijst(p, AMSTERDAM, None, na, n), grootte) == alle
            assert await bladerend(lambda na, n: heraanvragen.lijst(p, AMSTERDAM, "beoordelen", na, n), grootte) == (
                wachtend
            )
            alle_overdrachten = await bladerend(
                lambda na, n: overdrachten.lijst(p, AMSTERDAM, None, None, na, n), grootte, overdracht
            )
            assert alle_overdrachten == lijst
            assert (
                await bladerend(
                    lambda na, n: overdrachten.lijst(
                        p, AMSTERDAM, VANDAAG + timedelta(days=1), VANDAAG + timedelta(days=2), na, n
                    ),
                    grootte,
                    overdracht,
                )
                == binnen
            )
    finally:
        if db is not None:
            await db.dispose()


@pytest.mark.parametrize("op", ["geheugen", "database"])
async def test_a_municipality_finds_a_person_s_re_applications_and_handover_by_bsn(op, tmp_path):
    """A back office that lost an id finds it again by BSN: its own re-applications of the person, and
    the handover UWV notified to it while the person lives there; another municipality's, or one after a
    move, is answered as for someone unknown."""
    p, db = ports(VANDAAG)[0], None
    if op == "database":
        p, db = await op_database(p, tmp_path)
    try:
        await gevuld(p)
        [eerste, *_] = await heraanvragen.lijst(p, AMSTERDAM, None)
        assert await heraanvragen.zoek(p, AMSTERDAM, eerste.bsn) == [eerste]
        assert await heraanvragen.zoek(p, ROTTERDAM, eerste.bsn) == [] == await heraanvragen.zoek(p, AMSTERDAM, bsn())

        [(overdracht, wie), *_] = await overdrachten.lijst(p, AMSTERDAM, None, None)
        assert await overdrachten.zoek(p, AMSTERDAM, wie) == overdracht
        (_, elders), *_ = await overdrachten.lijst(p, ROTTERDAM, None, None)
        for gemeente, persoon in ((ROTTERDAM, wie), (AMSTERDAM, elders), (AMSTERDAM, bsn())):
            with pytest.raises(Onbekend):
                await overdrachten.zoek(p, gemeente, persoon)
        # both moved; UWV has not notified the new municipalities yet
        p.brp.personen[wie], p.brp.personen[elders] = "GM0599", "GM0363"
        for gemeente, persoon in ((AMSTERDAM, wie), (AMSTERDAM, elders)):
            with pytest.raises(Onbekend):
                await overdrachten.zoek(p, gemeente, persoon)
    finally:
        if db is not None:
            await db.dispose()


@pytest.mark.parametrize("op", ["geheugen", "database"])
async def test_the_list_of_grants_without_a_reopened_case_leaves_out_those_decisions_confirmed(op, tmp_path):
    p, db = ports(VANDAAG)[0], None
    if op == "database":
        p, db = await op_database(p, tmp_path)
    try:
        await gevuld(p)
        toegekend = await heraanvragen.lijst(p, AMSTERDAM, "toegekend")
        assert toegekend and await heraanvragen.lijst(p, AMSTERDAM, ZONDER_UITKERING) == toegekend, "none opened yet"
        async with p.uow() as uow:
            await heraanvragen.bevestigd(uow, toegekend[0].heraanvraag_id, str(uuid.uuid4()))
        assert await heraanvragen.lijst(p, AMSTERDAM, ZONDER_UITKERING) == toegekend[1:]
        assert await heraanvragen.lijst(p, ROTTERDAM, ZONDER_UITKERING) == []
    finally:
        if db is not None:
            await db.dispose()


async def test_the_search_finds_the_municipality_s_own_handover_though_a_later_one_went_elsewhere():
    """A later WW's handover went to Rotterdam while the person lived there; back in Amsterdam, the one
    UWV gave Amsterdam is still Amsterdam's (its list shows it), and the search finds it."""
    p = ports(VANDAAG)[0]
    p.brp.personen[wie := bsn()] = "GM0363"
    eerste = (await overdrachten.meld(p, wie, "GM0363", VANDAAG + timedelta(days=10), GROND, None))[1]
    p.clock.advance(timedelta(days=250))  # that WW ended; a new one, notified where the person lives then
    p.brp.personen[wie] = "GM0599"
    await overdrachten.meld(p, wie, "GM0599", VANDAAG + timedelta(days=350), GROND, None)
    p.brp.personen[wie] = "GM0363"
    assert (await overdrachten.zoek(p, AMSTERDAM, wie)).overdracht_id == eerste.overdracht_id

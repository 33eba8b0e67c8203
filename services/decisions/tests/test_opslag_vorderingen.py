"""Claims' SQL adapter on a migrated database: the dated policy, the bookings a claim is folded from,
the months' differences as booked (a replay books nothing), the raises of the beslagvrije voet, and
the running cases with an open claim still without this month's instalment (withheld once)."""

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from decisions.domain.situatie import Huishouden, Situatie
from decisions.domain.vordering import Boeking, Soort, Verhoging, Verhogingsgrond, Vorderingsbeleid
from decisions.domain.vordering import vorderingen as vorderingen_van
from decisions.entrypoints import consumers
from decisions.service import uitkeringen, verrekeningen, vorderingen
from decisions.tests.opslag import sql_ports
from schakel.caller import Caller, Rol
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
START, MAART, JULI = date(2026, 3, 1), Maand(2026, 3), Maand(2026, 7)


async def test_the_sql_claims_keep_policies_bookings_and_one_instalment_a_month(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 7, 1))
    try:
        later = Vorderingsbeleid(date(2026, 8, 1), maximale_termijn=5_000)
        for versie in (later, Vorderingsbeleid(date(2026, 1, 1), drempel=1_000), replace(later, drempel=2_000)):
            await vorderingen.zet_beleid(p, AMSTERDAM, versie)
        assert await vorderingen.beleid(p, AMSTERDAM) == [
            Vorderingsbeleid(date(2026, 1, 1), drempel=1_000),
            replace(later, drempel=2_000),
        ]
        ids = {}
        for bsn in ("999993653", "999990019"):
            situatie = Situatie(START, Huishouden.alleenstaand)
            u = await uitkeringen.open_uitkering(p, AMSTERDAM, bsn, date(1990, 5, 1), START, situatie)
            ids[bsn] = u.uitkering.uitkering_id
            await verrekeningen.betaal(p, AMSTERDAM, ids[bsn], MAART, 100_000)
        for _ in range(2):  # the second is a replay: nothing more is booked
            await consumers.on_maandinkomens(lambda conn: p).handle(
                None, [received("p-999993653", maandinkomen("999993653", "2026-03", 100_000))]
            )
        uitkering_id = ids["999993653"]
        async with p.uow() as uow:
            assert await uow.vorderingen.boekingen(uitkering_id) == [Boeking(MAART, Soort.ontstaan, 38_108, MAART)]
            assert await uow.vorderingen.verschillen([uitkering_id]) == {uitkering_id: {MAART: (-38_108, 1)}}
            assert await uow.vorderingen.zonder_inhouding(JULI) == [uitkering_id], "the other owes nothing"

        woonkosten = Verhoging(date(2026, 7, 1), Verhogingsgrond.woonkosten, 4_596, "huur boven de normhuur")
        zorg = Verhoging(date(2026, 7, 1), Verhogingsgrond.zorgpremie, 3_000, "premie boven de zorgtoeslag")
        for versie in (woonkosten, zorg, replace(woonkosten, bedrag=2_000)):  # the last replaces the first
            await vorderingen.verhoog(p, AMSTERDAM, uitkering_id, versie)
        assert await vorderingen.verhogingen(p, AMSTERDAM, uitkering_id) == [replace(woonkosten, bedrag=2_000), zorg]
        assert await vorderingen.verhogingen(p, AMSTERDAM, ids["999990019"]) == []

        assert await vorderingen.houd_termijnen_in(p) == 1
        assert await vorderingen.houd_termijnen_in(p) == 0
        async with p.uow() as uow:
            ingehouden = 32_007 - 3_000 - 2_000  # less the raises of the beslagvrije voet
            assert (await uow.vorderingen.boekingen(uitkering_id))[-1] == Boeking(
                MAART, Soort.inhouding, ingehouden, JULI
            )
            assert await uow.vorderingen.zonder_inhouding(JULI) == []
            assert await uow.vorderingen.zonder_inhouding(Maand(2026, 8)) == [uitkering_id]
    finally:
        await db.dispose()


async def met_maartclaim(p) -> str:
    """A case whose March paid an advance of € 1.000,00 against a wage of € 1.000,00: € 381,08 too much."""
    situatie = Situatie(START, Huishouden.alleenstaand)
    u = await uitkeringen.open_uitkering(p, AMSTERDAM, "999993653", date(1990, 5, 1), START, situatie)
    await verrekeningen.betaal(p, AMSTERDAM, u.uitkering.uitkering_id, MAART, 100_000)
    await consumers.on_maandinkomens(lambda conn: p).handle(
        None, [received("p-999993653", maandinkomen("999993653", "2026-03", 100_000))]
    )
    return u.uitkering.uitkering_id


async def test_a_repayment_is_stored_with_its_reference_once_per_case_and_closes_the_claim(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 7, 1))
    try:
        uitkering_id = await met_maartclaim(p)
        for _ in range(2):  # the second: the same payment reported again
            await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 38_108, JULI, "NL-BANK-1")
        async with p.uow() as uow:
            assert (await uow.vorderingen.boekingen(uitkering_id))[-1:] == [
                Boeking(MAART, Soort.terugbetaling, 38_108, JULI, "NL-BANK-1")
            ]
            assert await uow.vorderingen.zonder_inhouding(JULI) == [], "paid back: nothing left to withhold"
        with pytest.raises(sa.exc.IntegrityError):  # the store holds a reference once per case too
            async with p.uow() as uow:
                await uow.vorderingen.boek(
                    uitkering_id, [Boeking(MAART, Soort.terugbetaling, 1, JULI, "NL-BANK-1")], p.clock.now()
                )
    finally:
        await db.dispose()


async def test_a_reversed_repayment_is_open_again_in_the_store_and_reversed_once(tmp_path):
    """The store keeps a repayment's reference once for it and once for its reversal; the reversal makes
    the claim open again for July's instalment, as the claim's fold does."""
    db, p = await sql_ports(tmp_path, date(2026, 7, 1))
    try:
        uitkering_id = await met_maartclaim(p)
        await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 38_108, JULI, "NL-BANK-1")
        for _ in range(2):  # the second: reported again
            await vorderingen.storneer_terugbetaling(p, AMSTERDAM, uitkering_id, "NL-BANK-1", JULI)
        async with p.uow() as uow:
            assert (await uow.vorderingen.boekingen(uitkering_id))[-2:] == [
                Boeking(MAART, Soort.terugbetaling, 38_108, JULI, "NL-BANK-1"),
                Boeking(MAART, Soort.terugbetaling, -38_108, JULI, "NL-BANK-1"),
            ]
            assert await uow.vorderingen.zonder_inhouding(JULI) == [uitkering_id], "open again: withheld again"
        with pytest.raises(sa.exc.IntegrityError):  # one reversal per repayment in the store too
            async with p.uow() as uow:
                await uow.vorderingen.boek(
                    uitkering_id, [Boeking(MAART, Soort.terugbetaling, -1, JULI, "NL-BANK-1")], p.clock.now()
                )
    finally:
        await db.dispose()


async def test_a_refund_adds_to_what_is_open_in_the_store_as_in_the_fold(tmp_path):
    """March's claim paid back in full, then lowered by a correction (the refund booked), then raised again
    by the next: the store finds it open again for July's instalment, as the claim's fold does."""
    db, p = await sql_ports(tmp_path, date(2026, 7, 1))
    try:
        uitkering_id = await met_maartclaim(p)
        inkomen = consumers.on_maandinkomens(lambda conn: p)
        await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 38_108, JULI, "NL-BANK-1")
        for bedrag in (90_000, 100_000):
            await inkomen.handle(None, [received("p-999993653", maandinkomen("999993653", "2026-03", bedrag))])
        async with p.uow() as uow:
            boekingen = await uow.vorderingen.boekingen(uitkering_id)
            assert [b.soort for b in boekingen] == [
                Soort.ontstaan,
                Soort.terugbetaling,
                Soort.herzien,
                Soort.teruggave,
                Soort.herzien,
            ]
            [maart] = vorderingen_van(boekingen)
            assert maart.open > 0
            assert await uow.vorderingen.zonder_inhouding(JULI) == [uitkering_id]
    finally:
        await db.dispose()

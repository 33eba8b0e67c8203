"""Retention (AVG art. 5(1)(e)): a person is forgotten `retentie_maanden` after their last case
ended, with everything kept about them, and never while a case runs; a finished webhook delivery
goes after its days, a waiting one stays. The rule, the use case against the fakes, and the SQL
deletes on a real database."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from decisions.adapters import tables
from decisions.domain.deelname import Deelnamestatus
from decisions.domain.inkomen import Inkomen, Oordeel
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden
from decisions.domain.vordering import Boeking, Soort, Verhoging, Verhogingsgrond
from decisions.service import bewaring, uitkeringen
from decisions.service.ports import Aflevering
from decisions.tests.fakes import ports
from decisions.tests.opslag import sql_ports
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.events import Pseudonymiser
from schakel.primitives import Maand
from schakel.primitives.bewaring import bewaren_tot, uitgestroomd

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
START, EINDE = date(2026, 1, 1), date(2026, 6, 30)


def test_a_person_is_kept_until_retention_after_the_last_case_ended():
    tot = bewaren_tot(date(2027, 7, 1), 12)
    assert tot == date(2026, 7, 1)
    einden = {
        "beeindigd-lang-geleden": [date(2026, 6, 30)],
        "beeindigd-op-de-grens": [date(2026, 7, 1)],
        "lopend": [None],
        "een-lopend-een-oud": [date(2020, 1, 31), None],
        "twee-oud": [date(2020, 1, 31), date(2026, 6, 30)],
        "zonder-zaak": [],
    }
    assert uitgestroomd(einden, tot) == ["beeindigd-lang-geleden", "twee-oud"]


def aflevering(status: str, aangemaakt: datetime, bsn: str = "999993653") -> Aflevering:
    return Aflevering(None, "a-1", str(uuid.uuid4()), "x", f'{{"bsn": "{bsn}"}}', status, 1, aangemaakt, aangemaakt)


async def test_opschonen_forgets_the_ended_person_with_everything_kept_about_them():
    p, uow = ports(date(2026, 7, 1))
    ended = (await uitkeringen.open_uitkering(p, AMSTERDAM, "999993653", date(1990, 5, 1), START, situatie())).uitkering
    running = (
        await uitkeringen.open_uitkering(p, AMSTERDAM, "999990019", date(1990, 5, 1), START, situatie())
    ).uitkering
    await uitkeringen.beeindig(p, AMSTERDAM, ended.uitkering_id, EINDE, Reden.werk)
    for zaak in (ended, running):
        verhoging = Verhoging(START, Verhogingsgrond.woonkosten, 2_000, "huur boven de normhuur")
        await uow.vorderingen.zet_verhoging(zaak.uitkering_id, verhoging)
    for persoon, status in ((p.pseudonym("999993653"), "geen"), (p.pseudonym("999990019"), "doelgroepregister")):
        uow.inkomens.rijen[persoon] = {Maand(2026, 2): Inkomen(100000, 0, ())}
        uow.deelnamestatussen.rijen[persoon] = Deelnamestatus(status, "wajong", START)
    now = datetime(2026, 7, 1, 8, tzinfo=UTC)
    await uow.afleveringen.voeg_toe(
        [aflevering("afgeleverd", now - timedelta(days=31)), aflevering("wachtend", now - timedelta(days=31))]
    )

    assert await bewaring.opschonen(p, 12, 30) == (0, 1), "kept for 12 months after the end; old delivery gone"
    assert await bewaring.opschonen(replace(p, clock=FixedClock(date(2027, 7, 1))), 12, 30) == (1, 0)

    assert set(uow.uitkeringen.rijen) == {running.uitkering_id}
    assert set(uow.inkomens.rijen) == {p.pseudonym("999990019")} == set(uow.deelnamestatussen.rijen)
    assert ended.uitkering_id not in uow.situaties.rijen and running.uitkering_id in uow.situaties.rijen
    assert not [g for g in uow.gebeurtenissen.rijen if g.uitkering_id == ended.uitkering_id]
    assert set(uow.vorderingen.verhogingrijen) == {running.uitkering_id}
    assert [a.status for a in uow.afleveringen.rijen.values()] == ["wachtend"]


def situatie() -> Situatie:
    return Situatie(START, Huishouden.alleenstaand)


async def paar_en_een(p, ander: str):
    """A couple's case (999993653 with partner 999991905) and a case of `ander` alone, both from START."""
    paar = Situatie(START, Huishouden.gehuwd, Partner("999991905", date(1991, 1, 1)))
    zaak = (await uitkeringen.open_uitkering(p, AMSTERDAM, "999993653", date(1990, 5, 1), START, paar)).uitkering
    een = (await uitkeringen.open_uitkering(p, AMSTERDAM, ander, date(1990, 5, 1), START, situatie())).uitkering
    return zaak, een


async def test_the_sql_retention_deletes_the_persons_rows_and_the_finished_deliveries(tmp_path):
    db, p = await sql_ports(tmp_path, date(2027, 7, 1))
    p = replace(p, pseudonym=Pseudonymiser(b"retention-test-key"))
    ended, running = await paar_en_een(p, "999990019")  # the couple's partner is forgotten too
    await uitkeringen.beeindig(p, AMSTERDAM, ended.uitkering_id, EINDE, Reden.werk)
    async with p.uow() as uow:
        for persoon, status in ((p.pseudonym("999993653"), "geen"), (p.pseudonym("999990019"), "doelgroepregister")):
            await uow.inkomens.zet([(persoon, Maand(2026, 2), Inkomen(100000, 0, ()), 1)])
            await uow.deelnamestatussen.zet(persoon, Deelnamestatus(status, "wajong", START))
        await uow.inkomens.zet([(p.pseudonym("999991905"), Maand(2026, 2), Inkomen(50000, 0, ()), 1)])
        await uow.inkomstensoorten.zet(
            ended.uitkering_id,
            p.pseudonym("999993653"),
            Oordeel("123456782L01", 2, "overig", "pensioen"),
            p.clock.now(),
        )
        await uow.betalingen.zet(ended.uitkering_id, Maand(2026, 2), 50000, p.clock.now())
        await uow.vaste_bedragen.zet(ended.uitkering_id, {Maand(2026, 3): 133142}, p.clock.now())
        await uow.kalender.tel_eerste(date(2026, 3, 2), {("GM0363", Maand(2026, 2)): 1})
        for zaak in (ended, running):
            assert await uow.kalender.stel_voor(zaak.uitkering_id, Maand(2026, 3), 60000, p.clock.now())
            claim = Boeking(Maand(2026, 2), Soort.ontstaan, 1000, Maand(2026, 2))
            await uow.vorderingen.boek(zaak.uitkering_id, [claim], p.clock.now())
            await uow.vorderingen.zet_verschillen([(zaak.uitkering_id, Maand(2026, 2), -1000, 1)])
            assert await uow.vorderingen.houd_in(zaak.uitkering_id, Maand(2026, 3), 1000)
            verhoging = Verhoging(START, Verhogingsgrond.zorgpremie, 2_000, "eigen bijdrage zorg")
            await uow.vorderingen.zet_verhoging(zaak.uitkering_id, verhoging)
        assert not await uow.kalender.stel_voor(ended.uitkering_id, Maand(2026, 3), 1, p.clock.now()), "once"
        await uow.afleveringen.voeg_toe(
            [
                aflevering("mislukt", p.clock.now() - timedelta(days=31)),
                aflevering("wachtend", p.clock.now(), "999990019"),
            ]
        )

    assert await bewaring.opschonen(p, 12, 30) == (2, 1), "the applicant and their partner; one delivery"

    async with db.transaction() as conn:
        over = {t.name: [tuple(r) for r in await conn.execute(sa.select(t))] for t in tables.metadata.sorted_tables}
    await db.dispose()
    assert [r[0] for r in over["uitkeringen"]] == [running.uitkering_id]
    assert not over["betalingen"] and [r[0] for r in over["situaties"]] == [running.uitkering_id]
    assert not over["vaste_bedragen"]
    assert [r[0] for r in over["voorschotvoorstellen"]] == [running.uitkering_id]
    assert [r[1] for r in over["vorderingsboekingen"]] == [running.uitkering_id]
    assert (
        [r[0] for r in over["vorderingsverschillen"]] == [running.uitkering_id] == [r[0] for r in over["inhoudingen"]]
    )
    assert {r[1] for r in over["gebeurtenissen"]} == {running.uitkering_id}
    assert [r[0] for r in over["beslagvrije_voet_verhogingen"]] == [running.uitkering_id]
    assert [r[0] for r in over["inkomens"]] == [p.pseudonym("999990019")] == [r[0] for r in over["deelnamestatussen"]]
    assert [r[6] for r in over["afleveringen"]] == ["wachtend"] and not over["inkomstensoorten"]
    assert "999993653" not in str(over) and "999991905" not in str(over), "nothing of the forgotten persons is left"
    # but the statistics' outflow record (no BSN, a pseudonym of its own), for its 36 months
    assert [r[2:] for r in over["uitstroom"]] == [("GM0363", "2026-06", None)]
    # and the count of months first settled (no case, no person)
    assert [tuple(r) for r in over["eerste_verrekeningen"]] == [("GM0363", "2026-02", date(2026, 3, 2), 1)]
    assert p.pseudonym("999993653") not in str(over)


async def _oud_paar_en_nieuwe_zaak(p) -> None:
    """A couple's case ended long ago; the applicant has a later case, alone, that runs."""
    paar = Situatie(START, Huishouden.gehuwd, Partner("999991905", date(1991, 1, 1)))
    oud = (await uitkeringen.open_uitkering(p, AMSTERDAM, "999993653", date(1990, 5, 1), START, paar)).uitkering
    await uitkeringen.beeindig(p, AMSTERDAM, oud.uitkering_id, EINDE, Reden.werk)
    later = date(2026, 9, 1)
    alleen = Situatie(later, Huishouden.alleenstaand)
    await uitkeringen.open_uitkering(p, AMSTERDAM, "999993653", date(1990, 5, 1), later, alleen)


async def test_a_former_partner_is_kept_as_long_as_the_applicant_whose_old_case_names_them(tmp_path):
    """The old case stays with the applicant, and settling it again reads the partner's income of then:
    forgetting the partner alone would settle their months as if they had earned nothing."""
    p, _ = ports(date(2027, 7, 1))
    await _oud_paar_en_nieuwe_zaak(p)
    assert await bewaring.opschonen(p, 12, 30) == (0, 0)

    db, p = await sql_ports(tmp_path, date(2027, 7, 1))
    await _oud_paar_en_nieuwe_zaak(p)
    assert await bewaring.opschonen(p, 12, 30) == (0, 0)
    await db.dispose()


async def _partner_elders_met_oude_paren(p) -> None:
    """999993653's case with partner 999991905 ended long ago, and before that 999991905's own case with
    partner 999990020; 999993653 is now the partner in 999990019's running case."""
    ouder = date(2025, 1, 1)
    paar = Situatie(ouder, Huishouden.gehuwd, Partner("999990020", date(1992, 1, 1)))
    oudst = (await uitkeringen.open_uitkering(p, AMSTERDAM, "999991905", date(1991, 1, 1), ouder, paar)).uitkering
    await uitkeringen.beeindig(p, AMSTERDAM, oudst.uitkering_id, date(2025, 12, 31), Reden.werk)
    paar = Situatie(START, Huishouden.gehuwd, Partner("999991905", date(1991, 1, 1)))
    oud = (await uitkeringen.open_uitkering(p, AMSTERDAM, "999993653", date(1990, 5, 1), START, paar)).uitkering
    await uitkeringen.beeindig(p, AMSTERDAM, oud.uitkering_id, EINDE, Reden.werk)
    later = date(2026, 9, 1)
    elders = Situatie(later, Huishouden.gehuwd, Partner("999993653", date(1990, 5, 1)))
    await uitkeringen.open_uitkering(p, AMSTERDAM, "999990019", date(1989, 1, 1), later, elders)


async def test_a_partner_is_kept_by_whatever_keeps_the_applicant(tmp_path):
    """The applicant is kept as the partner in another's running case, and so is their old case: its
    partner, and the partner of that partner's own old case (which the partner's kept case reads), stay."""
    p, _ = ports(date(2027, 7, 1))
    await _partner_elders_met_oude_paren(p)
    assert await bewaring.opschonen(p, 12, 30) == (0, 0)

    db, p = await sql_ports(tmp_path, date(2027, 7, 1))
    await _partner_elders_met_oude_paren(p)
    assert await bewaring.opschonen(p, 12, 30) == (0, 0)
    await db.dispose()


async def test_what_no_case_holds_any_more_goes_row_by_row_on_its_own_end(tmp_path):
    """A partner a correction took out of the household, income that came after its person was forgotten,
    and a status of someone who never had a case: no case holds them, so they went with no case either
    and stayed for ever. Now each income goes `retentie_maanden` after its month and a status once it
    has said nothing that long (a running status is registration's: it announces the end), while a
    running case holds its applicant's and partner's; and a person forgotten keeps a running status."""
    for fake in (True, False):
        db, p = (None, ports(date(2027, 7, 1))[0]) if fake else await sql_ports(tmp_path / "sql", date(2027, 7, 1))
        zaak, oud = await paar_en_een(p, "999990068")
        await uitkeringen.beeindig(p, AMSTERDAM, oud.uitkering_id, EINDE, Reden.werk)
        async with p.uow() as uow:
            for bsn, maand in (
                ("999991905", 2),  # the partner corrected away
                ("999993653", 2),  # the applicant of the running case
                ("999990019", 5),  # income that came after its person was forgotten
                ("999990020", 8),
                ("999990032", 2),  # and one with a later month too: each month on its own end
                ("999990032", 8),
                ("999990043", 2),  # and one with a running status
            ):
                await uow.inkomens.zet([(p.pseudonym(bsn), Maand(2026, maand), Inkomen(50000, 0, ()), 1)])
            for bsn, status, dag in (
                ("999990031", "geen", date(2026, 3, 1)),
                ("999990043", "dagbesteding", date(2020, 3, 1)),
                ("999990055", "advies-negatief", date(2026, 9, 1)),
                ("999990068", "beschut-werk", date(2026, 1, 1)),  # of the person whose case goes now
            ):
                await uow.deelnamestatussen.zet(p.pseudonym(bsn), Deelnamestatus(status, None, dag))
        await uitkeringen.wijzig(p, AMSTERDAM, zaak.uitkering_id, Situatie(START, Huishouden.alleenstaand))

        assert await bewaring.opschonen(p, 12, 30) == (1, 0), fake
        assert await bewaring.vergeet_los(p, 12) == 5, fake  # four incomes and the status that says nothing
        async with p.uow() as uow:
            personen = {bsn: p.pseudonym(bsn) for bsn in ("999991905", "999993653", "999990019", "999990020")}
            inkomens = await uow.inkomens.van_alle(
                {*personen.values(), p.pseudonym("999990032"), p.pseudonym("999990043")}
            )
            maanden = {
                bsn: sorted(str(m) for m in inkomens.get(p.pseudonym(bsn), {}))
                for bsn in [*personen, "999990032", "999990043"]
            }
            assert maanden == {
                "999991905": [],
                "999993653": ["2026-02"],  # its running case holds the applicant
                "999990019": [],
                "999990020": ["2026-08"],  # not 12 months after its month yet
                "999990032": ["2026-08"],
                "999990043": [],  # a running status keeps no income
            }, fake
            assert await uow.deelnamestatussen.van(p.pseudonym("999990031")) is None
            assert not await uow.inkomens.volgnummers({p.pseudonym("999991905")}), "with its sequence number"
            for bsn in ("999990043", "999990055", "999990068"):  # running, or said nothing too recently
                assert await uow.deelnamestatussen.van(p.pseudonym(bsn)), (bsn, fake)
        if db is not None:
            await db.dispose()

"""The programme's figures of the decisions service (Simpel Switchen): falling back into bijstand
within 12 and 36 months of leaving it for work, counted only over cohorts whose window passed, and
the share of months settled within the municipality's target; per municipality and nationally, small
groups withheld (AVG art. 89 lid 1). The rules, then the use cases against the fakes: the outflow
record kept as a case ends for work (no BSN), the return recorded as a case opens, retention turning
records whose 36 months passed into counts without a person."""

from dataclasses import replace
from datetime import date

from decisions.domain.kalender import Tijdigheid
from decisions.domain.programmacijfers import Uitstroomtelling, cijfers, meetbaar_tot
from decisions.domain.situatie import Huishouden, Situatie
from decisions.domain.uitkering import Reden
from decisions.entrypoints import consumers
from decisions.service import bewaring, programmacijfers, uitkeringen
from decisions.tests.fakes import FakeBrp, ports
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.primitives import Maand
from schakel.primitives.cijfers import Cijfer, Periode
from tests.support import builders
from tests.support.events import maandinkomen, received

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")
KWARTAAL = Periode(date(2025, 4, 1), date(2025, 6, 30))  # they left in June 2025


def test_a_window_counts_once_all_its_months_passed():
    """A return in the 12th month after leaving still counts, so June 2025 counts from July 2026."""
    assert Maand(2025, 6).tot(Maand(2026, 6)) == 12
    assert meetbaar_tot(Maand(2026, 7), 12) == Maand(2025, 6)
    assert meetbaar_tot(Maand(2026, 1), 36) == Maand(2022, 12)


def test_fall_back_shares_once_every_leaver_of_the_period_counts_and_small_groups_are_withheld():
    telling = Uitstroomtelling(uitgestroomd=30, meetbaar_12=30, terug_12=10, meetbaar_36=20, terug_36=10)
    uit, terug12, terug36, tijdig = cijfers(telling, Tijdigheid(40, 30))
    assert uit == Cijfer("uitgestroomdNaarWerk", 30.0, 30)
    assert terug12 == Cijfer("terugInBijstandBinnen12Maanden", 0.333, 30)
    # 20 of the 30 countable: a share growing cohort by cohort would give each month's few by difference
    assert terug36 == Cijfer("terugInBijstandBinnen36Maanden", None, None, "nog-niet-meetbaar")
    assert tijdig == Cijfer("maandenTijdigVerrekend", 0.75, 40)
    weinig = cijfers(replace(telling, terug_12=3), Tijdigheid(5, 5))
    assert weinig[1].reden == "kleine-groep" and weinig[3].reden == "minder-dan-drempel"
    assert cijfers(Uitstroomtelling(), Tijdigheid(0, 0))[2].reden == "minder-dan-drempel", "nobody left"


async def uitgestroomd(p, caller: Caller, reden: Reden = Reden.werk) -> str:
    """A person who had bijstand in 2025 until the end of June."""
    bsn = builders.bsn(caller.gemeente)
    p.brp.personen[bsn] = caller.gemeente
    start = date(2025, 1, 1)
    w = await uitkeringen.open_uitkering(
        p, caller, bsn, date(1990, 5, 1), start, Situatie(start, Huishouden.alleenstaand)
    )
    await uitkeringen.beeindig(p, caller, w.uitkering.uitkering_id, date(2025, 6, 30), reden)
    return bsn


async def terug(p, caller: Caller, bsn: str, start: date) -> None:
    await uitkeringen.open_uitkering(p, caller, bsn, date(1990, 5, 1), start, Situatie(start, Huishouden.alleenstaand))


def naar_naam(cijfers_: list[Cijfer]) -> dict[str, Cijfer]:
    return {c.naam: c for c in cijfers_}


async def test_leaving_for_work_is_kept_without_a_bsn_and_a_new_case_records_the_return():
    p, uow = ports(date(2026, 11, 30), brp=FakeBrp())
    bsn = await uitgestroomd(p, AMSTERDAM)
    await uitgestroomd(p, AMSTERDAM, Reden.verhuizing)  # not for work: no record
    [(pseudoniem, gemeente, maand, na)] = uow.uitstroom.rijen.values()
    assert (gemeente, maand, na) == ("GM0363", Maand(2025, 6), None)
    assert pseudoniem != p.pseudonym(bsn), "not the message key: cannot be joined to the case's other data"
    await terug(p, AMSTERDAM, bsn, date(2026, 3, 1))
    assert [r[3] for r in uow.uitstroom.rijen.values()] == [9]
    [nieuw] = [u for u, _ in uow.uitkeringen.rijen.values() if u.bsn == bsn and u.einddatum is None]
    await uitkeringen.beeindig(p, AMSTERDAM, nieuw.uitkering_id, date(2026, 8, 31), Reden.werk)
    assert [(r[2], r[3]) for r in uow.uitstroom.rijen.values()] == [(Maand(2025, 6), 9), (Maand(2026, 8), None)]


async def test_a_municipality_reads_its_own_fall_back_figures_and_the_operator_the_country():
    p, uow = ports(date(2026, 11, 30), brp=FakeBrp())
    amsterdammers = [await uitgestroomd(p, AMSTERDAM) for _ in range(20)]
    for bsn in amsterdammers[:10]:
        await terug(p, AMSTERDAM, bsn, date(2026, 3, 1))
    for _ in range(3):
        await uitgestroomd(p, ROTTERDAM)

    eigen = await programmacijfers.lees(p, KWARTAAL, "GM0363")
    assert list(eigen) == ["GM0363"]
    cijfer = naar_naam(eigen["GM0363"])
    assert cijfer["uitgestroomdNaarWerk"] == Cijfer("uitgestroomdNaarWerk", 20.0, 20)
    assert cijfer["terugInBijstandBinnen12Maanden"] == Cijfer("terugInBijstandBinnen12Maanden", 0.5, 20)
    assert cijfer["terugInBijstandBinnen36Maanden"].reden == "nog-niet-meetbaar", "June 2025 + 36 is still to come"

    landelijk = await programmacijfers.lees(p, KWARTAAL, None)
    assert list(landelijk) == [None, "GM0363", "GM0599"]
    # 10 of 23, rounded: 10 of 25; the country less Amsterdam's 20 leaves Rotterdam's 3 as "about 5"
    assert naar_naam(landelijk[None])["terugInBijstandBinnen12Maanden"] == Cijfer(
        "terugInBijstandBinnen12Maanden", 0.4, 25
    )
    assert naar_naam(landelijk["GM0599"])["uitgestroomdNaarWerk"].reden == "minder-dan-drempel"
    # a cohort whose 12 months did not pass yet is not counted
    jong = await programmacijfers.lees(replace(p, clock=FixedClock(date(2026, 6, 30))), KWARTAAL, "GM0363")
    assert naar_naam(jong["GM0363"])["terugInBijstandBinnen12Maanden"].reden == "nog-niet-meetbaar"


async def test_retention_turns_records_whose_36_months_passed_into_counts_with_the_same_figures():
    p, uow = ports(date(2026, 11, 30), brp=FakeBrp())
    amsterdammers = [await uitgestroomd(p, AMSTERDAM) for _ in range(20)]
    in_2028 = replace(p, clock=FixedClock(date(2028, 6, 1)))
    for bsn in amsterdammers[:10]:
        await terug(in_2028, AMSTERDAM, bsn, date(2028, 6, 1))  # 36 months after June 2025: still within
    voor = replace(p, clock=FixedClock(date(2028, 6, 30)))
    await bewaring.opschonen(voor, 12, 30)
    assert len(uow.uitstroom.rijen) == 20, "kept during its 36 months"
    na = replace(p, clock=FixedClock(date(2028, 7, 1)))
    bewaard = await programmacijfers.lees(na, KWARTAAL, None)
    await bewaring.opschonen(na, 12, 30)
    assert uow.uitstroom.rijen == {}, "deleted after its 36 months"
    assert await programmacijfers.lees(na, KWARTAAL, None) == bewaard, "counted without a person, the same"
    cijfer = naar_naam(bewaard["GM0363"])
    # nobody back within 12 months: a share of 0 would say it of each, so withheld
    assert cijfer["terugInBijstandBinnen12Maanden"] == Cijfer(
        "terugInBijstandBinnen12Maanden", None, 20, "kleine-groep"
    )
    assert cijfer["terugInBijstandBinnen36Maanden"] == Cijfer("terugInBijstandBinnen36Maanden", 0.5, 20)
    assert await programmacijfers.tel_af(na, uow) == 0, "counted once"


async def test_months_settled_on_time_in_the_period_per_municipality():
    p, uow = ports(date(2026, 11, 20), brp=FakeBrp())
    start = date(2026, 9, 1)
    for _ in range(10):
        bsn = builders.bsn()
        await uitkeringen.open_uitkering(
            p, AMSTERDAM, bsn, date(1990, 5, 1), start, Situatie(start, Huishouden.alleenstaand)
        )
        await consumers.on_maandinkomens(lambda conn: p).handle(
            None, [received(f"p-{bsn}", maandinkomen(bsn, "2026-09", 60_000))]
        )
    periode = Periode(date(2026, 11, 1), date(2026, 11, 30))
    tijdig = naar_naam((await programmacijfers.lees(p, periode, "GM0363"))["GM0363"])["maandenTijdigVerrekend"]
    assert tijdig == Cijfer("maandenTijdigVerrekend", None, 10, "kleine-groep"), "all ten: 1 would say it of each"
    eerder = Periode(date(2026, 10, 1), date(2026, 10, 31))
    assert naar_naam((await programmacijfers.lees(p, eerder, None))[None])["maandenTijdigVerrekend"].aantal is None

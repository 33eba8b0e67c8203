"""The holiday allowance a case builds up: 5% of each month's bijstand, paid out in June for June to
May, or at the latest three months after the benefit ends when that comes first. A month not settled
reserves from the bijstand its advance expects until its polis is due, and from the whole norm once
its polis came due without income. Against in-memory ports: read by the municipality, the citizen
and the partner from the month they joined, another's case not found; each payout announced once in
the month it falls due."""

from dataclasses import replace
from datetime import date

import pytest

from decisions.domain import vakantietoeslag as vt
from decisions.domain.fouten import Onbekend
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden
from decisions.entrypoints import consumers
from decisions.service import bewaring, kalender, uitkeringen, verrekeningen
from decisions.tests.fakes import ports
from decisions.tests.test_service_kalender import AMSTERDAM, ANDER, ANDERE_BURGER, BSN, BURGER, geopend
from decisions.tests.test_service_vorderingen import ROTTERDAM, inkomen
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.events import models as events
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received

ZONDER_INKOMEN = 7_008  # 5% of a single person's norm from 2026-01-01 (140.150), half a cent rounded up


def maanden(van: Maand, tot: Maand) -> list[Maand]:
    rij = [van]
    while rij[-1] < tot:
        rij.append(rij[-1].volgende())
    return rij


def test_june_starts_a_new_payout():
    [mei, juni] = vt.opbouw(maanden(Maand(2026, 4), Maand(2026, 7)), None, {}, lambda m: (m.maand * 100, False))
    assert ([r.maand for r in mei.maanden], mei.uiterlijk, mei.bedrag, mei.voorlopig) == (
        [Maand(2026, 4), Maand(2026, 5)],
        date(2026, 6, 30),
        900,
        False,
    )
    assert ([r.maand for r in juni.maanden], juni.uiterlijk, juni.bedrag) == (
        [Maand(2026, 6), Maand(2026, 7)],
        date(2027, 6, 30),
        1300,
    )
    assert juni.einddatum is None


def test_an_end_brings_its_payout_forward_to_three_months_after_it_unless_june_comes_first():
    def een(m):
        return 1, False

    vroeg = vt.opbouw(maanden(Maand(2026, 9), Maand(2027, 2)), date(2027, 2, 15), {}, een)
    assert [(o.uiterlijk, o.einddatum, o.bedrag) for o in vroeg] == [(date(2027, 5, 15), date(2027, 2, 15), 6)]
    laat = vt.opbouw(maanden(Maand(2026, 5), Maand(2027, 4)), date(2027, 4, 30), {}, een)
    assert [(o.uiterlijk, o.einddatum) for o in laat] == [
        (date(2026, 6, 30), None),
        (date(2027, 6, 30), date(2027, 4, 30)),
    ]
    for einde, uiterlijk in ((date(2027, 5, 31), date(2027, 6, 30)), (date(2027, 11, 30), date(2028, 2, 29))):
        [*_, o] = vt.opbouw(maanden(Maand(2027, 3), Maand.van(einde)), einde, {}, een)
        assert o.uiterlijk == uiterlijk, einde


def test_the_explanation_names_the_provisional_months_those_without_a_norm_and_those_without_income():
    bedragen = {Maand(2026, 9): (7_008, False), Maand(2026, 10): (None, True), Maand(2026, 11): (3_258, True)}
    [o] = vt.opbouw(list(bedragen), date(2027, 2, 15), {}, bedragen.__getitem__)
    assert (o.bedrag, o.voorlopig) == (7_008 + 3_258, True)
    uitleg = vt.uitleg(o, 5, date(2026, 11, 20))
    assert "Over november 2026 is de bijstand nog niet verrekend: daar rekenen we met de bijstand die we" in uitleg
    assert "Van oktober 2026 staat de norm nog niet vast: die telt nog niet mee." in uitleg
    assert "Over september 2026 stond geen inkomen op de polis: daar telt de hele bijstand." in uitleg
    assert "Uw bijstand loopt tot en met 15-02-2027: de maanden tot dan komen er nog bij." in uitleg
    assert uitleg.endswith("U krijgt deze vakantietoeslag uiterlijk op 15-05-2027.")
    assert vt.uitleg(o, 5, date(2027, 6, 1)).endswith(
        "Deze vakantietoeslag moest uiterlijk op 15-05-2027 worden uitbetaald."
    )


async def test_a_settled_month_reserves_what_it_says_one_not_yet_due_as_its_advance_and_one_due_the_whole_norm():
    p, _ = ports(date(2026, 11, 20))
    uitkering_id = await geopend(p)
    await inkomen(p, "2026-10", 100_000)  # October settled with wage
    [verrekend] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    [v] = await kalender.vakantietoeslag(p, AMSTERDAM, uitkering_id)

    per_maand = {r.maand: (r.gereserveerd, r.verrekend, r.voorlopig) for r in v.maanden}
    assert per_maand["2026-10"] == (verrekend.verrekening.vakantietoeslag, True, False)
    # September's polis was due on 15 November without income: the whole norm
    assert per_maand["2026-09"] == (ZONDER_INKOMEN, False, False)
    # November's is not: what its advance expects (the norm less October's counted income), as the calendar shows
    [november] = [r for r in (await kalender.lees(p, AMSTERDAM, uitkering_id))[0] if r.maand == Maand(2026, 11)]
    verwachte_bijstand = 140_150 - verrekend.verrekening.gekort_inkomen
    assert november.verwacht == verwachte_bijstand - vt.reservering(verwachte_bijstand, 5)
    assert per_maand["2026-11"] == (vt.reservering(verwachte_bijstand, 5), False, True)
    assert (v.vanMaand, v.totMaand, v.uitbetalenUiterlijk, v.voorlopig) == (
        "2026-09",
        "2026-11",
        date(2027, 6, 30),
        True,
    )
    assert v.bedrag == sum(g for g, _, _ in per_maand.values())
    assert v.uitleg.startswith("Over september 2026 tot en met november 2026 reserveren we 5% van uw bijstand")
    assert v.uitleg.endswith("U krijgt deze vakantietoeslag in juni 2027.")


async def test_a_partner_reads_the_months_from_the_one_they_joined():
    p, _ = ports(date(2026, 11, 20))
    uitkering_id = await geopend(p)
    partner = "999991905"
    await uitkeringen.wijzig(
        p, AMSTERDAM, uitkering_id, Situatie(date(2026, 10, 1), Huishouden.gehuwd, Partner(partner, date(1991, 1, 1)))
    )
    [v] = await kalender.vakantietoeslag(p, Caller("burger", Rol.burger, bsn=partner), uitkering_id)
    assert [r.maand for r in v.maanden] == ["2026-10", "2026-11"]


async def test_after_the_end_the_citizen_reads_when_it_is_paid_and_another_municipality_finds_nothing():
    p, _ = ports(date(2027, 3, 10))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 12, 15), Reden.werk)
    [v] = await kalender.vakantietoeslag(p, BURGER, uitkering_id)
    assert [r.maand for r in v.maanden] == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert not v.voorlopig, "every month's polis was due by 10 March (December's on 15 February), none with income"
    assert v.maanden[-1].gereserveerd == 3_391  # 5% of the norm for the 15 days the case ran: 140.150 × 15 / 31
    assert (v.uitbetalenUiterlijk, v.einddatum) == (date(2027, 3, 15), date(2026, 12, 15))
    assert "Uw bijstand loopt tot en met 15-12-2026. U krijgt deze vakantietoeslag uiterlijk op 15-03-2027." in v.uitleg
    for vreemde in (ROTTERDAM, ANDERE_BURGER):
        with pytest.raises(Onbekend):
            await kalender.vakantietoeslag(p, vreemde, uitkering_id)


VASTGESTELD = events.VakantietoeslagVastgesteld.TYPE


def vastgesteld(uow) -> list:
    return [e for e in uow.published if e.type == VASTGESTELD]


async def test_june_announces_every_case_s_payout_once_with_the_amount_as_it_stands():
    p, uow = ports(date(2027, 5, 31))
    lopend = await geopend(p)
    geeindigd = await geopend(p, ANDER)
    await uitkeringen.beeindig(p, AMSTERDAM, geeindigd, date(2027, 4, 30), Reden.werk)  # its payout comes in June too
    assert await kalender.stel_vakantietoeslagen_vast(p) == 0, "May: nothing is due"

    juni = replace(p, clock=FixedClock(date(2027, 6, 1)))
    assert await kalender.stel_vakantietoeslagen_vast(juni) == 2
    per_zaak = {e.data["uitkeringId"]: e for e in vastgesteld(uow)}
    assert set(per_zaak) == {lopend, geeindigd}
    v, volgend = await kalender.vakantietoeslag(juni, AMSTERDAM, lopend)
    assert (volgend.vanMaand, volgend.uitbetalenUiterlijk) == ("2027-06", date(2028, 6, 30))
    aangekondigd = per_zaak[lopend]
    assert aangekondigd.data["bedrag"] == v.bedrag and (v.vanMaand, v.totMaand) == ("2026-09", "2027-05")
    assert aangekondigd.data["uitbetalenUiterlijk"] == "2027-06-30" and aangekondigd.key == "p-" + BSN
    assert per_zaak[geeindigd].data["einddatum"] == "2027-04-30"

    # a rerun (another hour, or another instance) announces nothing again; June's own month waits for next year
    assert await kalender.stel_vakantietoeslagen_vast(replace(p, clock=FixedClock(date(2027, 6, 20)))) == 0
    assert len(vastgesteld(uow)) == 2


async def test_a_case_that_ended_is_announced_in_the_month_its_payout_falls_due():
    p, uow = ports(date(2026, 12, 20))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 12, 15), Reden.werk)
    for dag in (date(2027, 1, 1), date(2027, 2, 28)):
        assert await kalender.stel_vakantietoeslagen_vast(replace(p, clock=FixedClock(dag))) == 0
    maart = replace(p, clock=FixedClock(date(2027, 3, 1)))
    assert await kalender.stel_vakantietoeslagen_vast(maart) == 1
    [event] = vastgesteld(uow)
    assert (event.data["vanMaand"], event.data["totMaand"], event.data["uitbetalenUiterlijk"]) == (
        "2026-09",
        "2026-12",
        "2027-03-15",
    )
    # every month's polis was due by then without income: a final figure, from the whole norm of each month
    assert not event.data["voorlopig"] and "uiterlijk op 15-03-2027" in event.data["uitleg"]
    assert [m["gereserveerd"] for m in event.data["maanden"]] == [ZONDER_INKOMEN] * 3 + [3_391]
    assert await kalender.stel_vakantietoeslagen_vast(maart) == 0


async def test_the_announced_payouts_go_with_the_case_at_retention():
    p, uow = ports(date(2026, 12, 20))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 12, 15), Reden.werk)
    await kalender.stel_vakantietoeslagen_vast(replace(p, clock=FixedClock(date(2027, 3, 1))))
    assert uow.kalender.vakantietoeslagen
    assert await bewaring.opschonen(replace(p, clock=FixedClock(date(2028, 1, 1))), 12, 30) == (1, 0)
    assert not uow.kalender.vakantietoeslagen


async def test_an_end_recorded_after_its_payout_came_due_announces_the_payout_at_once():
    p, uow = ports(date(2027, 5, 10))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2027, 1, 31), Reden.werk)  # due by 30 April
    [event] = vastgesteld(uow)
    assert (event.data["totMaand"], event.data["uitbetalenUiterlijk"]) == ("2027-01", "2027-04-30")
    assert "moest uiterlijk op 30-04-2027 worden uitbetaald" in event.data["uitleg"]
    assert await kalender.stel_vakantietoeslagen_vast(p) == 0, "once"


async def test_a_month_waiting_for_a_caseworker_counts_provisionally_not_as_one_without_income():
    p, _ = ports(date(2027, 1, 20))
    uitkering_id = await geopend(p)
    onbekend = maandinkomen(BSN, "2026-10", 120_000, soort="onbekend")  # of a kind Schakel cannot tell: waits
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [received(f"p-{BSN}", onbekend)])
    [v] = await kalender.vakantietoeslag(p, AMSTERDAM, uitkering_id)
    [oktober] = [r for r in v.maanden if r.maand == "2026-10"]
    assert (oktober.verrekend, oktober.voorlopig) == (False, True)
    assert oktober.gereserveerd == ZONDER_INKOMEN, "no settled month before it: the advance expects no income"
    assert "oktober 2026 stond geen inkomen" not in v.uitleg

"""The holiday allowance a case builds up: 5% of each month's bijstand, paid out in June for June to
May, or at the latest three months after the benefit ends when that comes first. A month not settled
reserves from the bijstand its advance expects until its polis is due, and from the whole norm once
its polis came due without income. Against in-memory ports: read by the municipality, the citizen
and the partner from the month they joined, another's case not found; each payout announced once in
the month it falls due."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from decisions.domain import kalender as k
from decisions.domain import vakantietoeslag as vt
from decisions.domain.fouten import Onbekend
from decisions.domain.inkomen import Oordeel
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden
from decisions.domain.verrekening import reservering
from decisions.entrypoints import consumers
from decisions.service import bewaring, kalender, uitkeringen, verrekeningen
from decisions.tests.fakes import ports
from decisions.tests.test_service_kalender import AMSTERDAM, ANDER, ANDERE_BURGER, BSN, BURGER, geopend
from decisions.tests.test_service_vorderingen import ROTTERDAM, inkomen
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.events import models as events
from schakel.primitives import Bedrag, Maand
from tests.support.events import maandinkomen, received

ZONDER_INKOMEN = 7_008  # 5% of a single person's norm from 2026-01-01 (140.150), half a cent rounded up


def maanden(van: Maand, tot: Maand) -> list[Maand]:
    rij = [van]
    while rij[-1] < tot:
        rij.append(rij[-1].volgende())
    return rij


def test_june_starts_a_new_payout():
    [mei, juni] = vt.opbouw(
        maanden(Maand(2026, 4), Maand(2026, 7)), None, {}, lambda m: (m.maand * 100, False, None, None)
    )
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
        return 1, False, None, None

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
    bedragen = {
        Maand(2026, 9): (7_008, False, None, None),
        Maand(2026, 10): (None, True, None, None),
        Maand(2026, 11): (3_258, True, None, None),
    }
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
    assert november.verwacht == verwachte_bijstand - reservering(verwachte_bijstand, 5)
    assert per_maand["2026-11"] == (reservering(verwachte_bijstand, 5), False, True)
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


# --- a payout announced again ------------------------------------------------------------------------

HERZIEN = events.VakantietoeslagHerzien.TYPE


def herzien(uow) -> list:
    return [e for e in uow.published if e.type == HERZIEN]


def op(p, dag: date):
    return replace(p, clock=FixedClock(dag))


def r(maand: Maand, bedrag: int | None, verrekend=False, voorlopig=False, na=None, definitief=None) -> vt.Reservering:
    return vt.Reservering(maand, bedrag, verrekend, voorlopig, na, definitief)


APRIL, MEI = Maand(2027, 4), Maand(2027, 5)


def test_only_a_change_to_a_final_reservation_revises_a_payout_and_then_every_change_is_listed():
    stand = vt.Opbouw((r(APRIL, 7_008), r(MEI, 7_008, voorlopig=True)), date(2027, 6, 30), None)
    alleen_voorlopig = replace(stand, maanden=(r(APRIL, 7_008), r(MEI, 5_000, voorlopig=True)))
    assert vt.wijzigingen(stand, alleen_voorlopig) == [], "a provisional figure alone announces nothing"
    assert vt.wijzigingen(stand, stand) == []
    verrekend = replace(stand, maanden=(r(APRIL, 6_000, verrekend=True), r(MEI, 5_000, voorlopig=True)))
    assert vt.wijzigingen(stand, verrekend) == [
        vt.Wijziging(APRIL, 7_008, 6_000, vt.VERREKEND),
        vt.Wijziging(MEI, 7_008, 5_000, vt.VERWACHT),
    ]
    assert [w.reden for w in vt.wijzigingen(verrekend, replace(verrekend, maanden=(r(APRIL, 6_500, True),)))] == [
        vt.HERZIEN,
        vt.VERVALLEN,
    ], "settled again; and May left the benefit"
    assert [(w.maand, w.nu, w.reden) for w in vt.wijzigingen(stand, None)] == [
        (APRIL, None, vt.VERVALLEN),
        (MEI, None, vt.VERVALLEN),
    ]
    erbij = vt.Opbouw((*stand.maanden, r(Maand(2027, 6), 100, voorlopig=True)), date(2027, 6, 30), None)
    assert vt.wijzigingen(stand, erbij) == [], "a month joining provisionally waits for its figure"


def test_a_written_settlement_touches_a_payout_only_in_its_period_and_at_another_amount():
    stand = vt.Opbouw((r(APRIL, 7_008), r(MEI, 7_008, voorlopig=True)), date(2027, 6, 30), None)
    a = vt.Aangekondigd("u", 2027, 14_016, stand, False)
    assert not vt.geraakt(a, {APRIL: 7_008, MEI: 7_008})
    assert vt.geraakt(a, {MEI: 6_000})
    assert vt.geraakt(a, {Maand(2027, 3): 7_008}), "a month the payout did not announce"
    assert not vt.geraakt(a, {Maand(2027, 6): 1}), "June belongs to the next payout"
    # looked at again when its provisional month turns final at another amount, after its polis is due
    assert vt.voorlopig_tot(stand, stand) is None and not a.te_bekijken(date(2030, 1, 1))
    polis = date(2027, 7, 15)
    later = replace(stand, maanden=(r(APRIL, 7_008), r(MEI, 5_000, voorlopig=True, na=polis, definitief=7_008)))
    assert vt.voorlopig_tot(later, later) == polis, "announced at 50,00: its polis date makes it 70,08"
    assert vt.voorlopig_tot(later, stand) is None, "as announced (70,08) once final: nothing to look at then"
    assert vt.voorlopig_tot(later, replace(stand, maanden=stand.maanden[:1])) == polis, "May was not announced"
    assert vt.voorlopig_tot(None, stand) is None
    wacht = replace(a, stand=later, voorlopig_tot=date(2027, 7, 15))
    assert [wacht.te_bekijken(d) for d in (date(2027, 7, 15), date(2027, 7, 16))] == [False, True]
    assert replace(wacht, te_controleren=True).te_bekijken(date(2027, 6, 1)), "a change: at once"


async def test_a_month_settled_after_the_announcement_revises_the_payout_once_and_a_provisional_one_when_due():
    p, uow = ports(date(2027, 6, 1))
    uitkering_id = await geopend(p)
    assert await kalender.stel_vakantietoeslagen_vast(p) == 1
    [aangekondigd] = vastgesteld(uow)
    assert await kalender.herzie_vakantietoeslagen(p) == 0, "nothing changed"

    juni = op(p, date(2027, 6, 10))
    await inkomen(juni, "2027-04", 100_000)  # April's wage, after the payout was announced
    assert await kalender.herzie_vakantietoeslagen(juni) == 1
    [h] = herzien(uow)
    april = next(v for v in await verrekeningen.lijst(juni, AMSTERDAM, uitkering_id) if v.verrekening.maand == APRIL)
    [v, _] = await kalender.vakantietoeslag(juni, AMSTERDAM, uitkering_id)
    mei = next(m.gereserveerd for m in v.maanden if m.maand == "2027-05")
    assert (h.data["bedrag"], h.data["vorigBedrag"]) == (v.bedrag, aangekondigd.data["bedrag"])
    assert h.data["wijzigingen"] == [
        {
            "maand": "2027-04",
            "vorigGereserveerd": ZONDER_INKOMEN,
            "gereserveerd": april.verrekening.vakantietoeslag,
            "reden": "verrekend",
        },
        # May's advance now expects April's income: provisional, listed beside the final change
        {"maand": "2027-05", "vorigGereserveerd": ZONDER_INKOMEN, "gereserveerd": mei, "reden": "verwacht"},
    ]
    assert mei < ZONDER_INKOMEN and h.key == "p-" + BSN
    assert h.data["uitleg"].startswith(
        f"Eerder stelden we deze vakantietoeslag vast op {Bedrag(aangekondigd.data['bedrag'])}; nu is het "
        f"{Bedrag(v.bedrag)}. Wat er veranderde: april 2027: € 70,08 → {Bedrag(april.verrekening.vakantietoeslag)}, "
        "nu verrekend met uw inkomen; mei 2027:"
    )
    assert h.data["uitleg"].endswith(
        f"Dat is {Bedrag(aangekondigd.data['bedrag'] - v.bedrag)} minder. Kreeg u het eerdere bedrag al, dan hoort "
        "u van de gemeente hoe het te veel betaalde wordt verrekend."
    )
    assert await kalender.herzie_vakantietoeslagen(juni) == 0, "once"

    # May's polis is due on 15 July: without income by then, it reserves from the whole norm
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 7, 15))) == 0
    juli = op(p, date(2027, 7, 16))
    assert await kalender.herzie_vakantietoeslagen(juli) == 1
    [_, h2] = herzien(uow)
    assert h2.data["wijzigingen"] == [
        {"maand": "2027-05", "vorigGereserveerd": mei, "gereserveerd": ZONDER_INKOMEN, "reden": "zonder-inkomen"}
    ]
    assert (h2.data["vorigBedrag"], h2.data["bedrag"]) == (v.bedrag, v.bedrag - mei + ZONDER_INKOMEN)
    assert h2.data["uitleg"].endswith(
        f"Dat is {Bedrag(ZONDER_INKOMEN - mei)} meer. Kreeg u het eerdere bedrag al, dan krijgt u het verschil bijbetaald."
    )
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 8, 1))) == 0


async def test_a_month_settled_at_the_reservation_announced_marks_nothing():
    p, uow = ports(date(2027, 6, 1))
    uitkering_id = await geopend(p)
    await kalender.stel_vakantietoeslagen_vast(p)
    await inkomen(op(p, date(2027, 6, 10)), "2027-04", 0)  # settled: no income, the whole norm as announced
    assert not uow.kalender.vakantietoeslagen[uitkering_id, 2027].te_controleren
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 6, 10))) == 0 and not herzien(uow)


async def test_a_new_situation_revises_the_months_without_income_at_the_new_norm():
    p, uow = ports(date(2027, 6, 1))
    uitkering_id = await geopend(p)
    await kalender.stel_vakantietoeslagen_vast(p)
    juni = op(p, date(2027, 6, 3))
    partner = Partner("999991905", date(1991, 1, 1))
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, Situatie(date(2027, 3, 1), Huishouden.gehuwd, partner))
    assert await kalender.herzie_vakantietoeslagen(juni) == 1
    [h] = herzien(uow)
    [maart] = [w for w in h.data["wijzigingen"] if w["maand"] == "2027-03"]
    assert maart["reden"] == "norm" and maart["gereserveerd"] > maart["vorigGereserveerd"] == ZONDER_INKOMEN
    assert (
        "maart 2027: € 70,08 → " in h.data["uitleg"] and "de norm voor deze maand is vastgesteld of" in h.data["uitleg"]
    )
    assert {w["maand"] for w in h.data["wijzigingen"]} == {"2027-03", "2027-04", "2027-05"}


async def test_an_end_moved_back_before_a_payout_s_months_revises_it_to_nothing_and_leaves_the_others():
    p, uow = ports(date(2027, 6, 1))
    uitkering_id = await geopend(p)
    await kalender.stel_vakantietoeslagen_vast(p)  # September 2026 to May 2027
    await uitkeringen.beeindig(op(p, date(2027, 10, 5)), AMSTERDAM, uitkering_id, date(2027, 9, 30), Reden.werk)
    december = op(p, date(2027, 12, 1))
    assert await kalender.stel_vakantietoeslagen_vast(december) == 1  # June to September 2027, due 31 December
    assert await kalender.herzie_vakantietoeslagen(december) == 0, "the end came before that announcement"

    await uitkeringen.corrigeer_einde(december, AMSTERDAM, uitkering_id, date(2027, 5, 31))
    assert await kalender.herzie_vakantietoeslagen(december) == 1, "the earlier payout's months did not change"
    [h] = herzien(uow)
    assert (h.data["vanMaand"], h.data["totMaand"], h.data["bedrag"], h.data["maanden"]) == (
        "2027-06",
        "2027-09",
        0,
        [],
    )
    assert h.data["vorigBedrag"] == 4 * ZONDER_INKOMEN
    assert [(w["maand"], w["gereserveerd"], w["reden"]) for w in h.data["wijzigingen"]] == [
        (f"2027-{m:02d}", None, "vervallen") for m in (6, 7, 8, 9)
    ]
    assert "Geen van de maanden valt nog in uw bijstand" in h.data["uitleg"]
    assert await kalender.herzie_vakantietoeslagen(december) == 0
    # the end back again: the months return, final (their polis came due without income)
    await uitkeringen.corrigeer_einde(december, AMSTERDAM, uitkering_id, date(2027, 9, 30))
    assert await kalender.herzie_vakantietoeslagen(december) == 1
    assert herzien(uow)[-1].data["bedrag"] == 4 * ZONDER_INKOMEN


async def test_a_payout_announced_before_its_months_were_kept_is_compared_by_its_amount_once():
    p, uow = ports(date(2027, 6, 10))
    uitkering_id = await geopend(p)
    # as migration decisions_0021 leaves it: the amount announced, no months, marked
    uow.kalender.vakantietoeslagen[uitkering_id, 2027] = vt.Aangekondigd(uitkering_id, 2027, 1_000, None, True)
    assert await kalender.herzie_vakantietoeslagen(p) == 1
    [h] = herzien(uow)
    [v, _] = await kalender.vakantietoeslag(p, AMSTERDAM, uitkering_id)
    assert (h.data["vorigBedrag"], h.data["bedrag"], h.data["wijzigingen"]) == (1_000, v.bedrag, [])
    assert await kalender.herzie_vakantietoeslagen(p) == 0, "its months are kept now: nothing changed since"


async def test_a_provisional_month_whose_norm_changed_is_looked_at_again_when_its_polis_comes_due():
    """May announced provisionally at the whole norm; a new situation from May changes its norm while it is
    still provisional (nothing to announce yet): once its polis came due without income it is final at
    the new norm, and the payout is announced again then."""
    p, uow = ports(date(2027, 6, 1))
    uitkering_id = await geopend(p)
    await kalender.stel_vakantietoeslagen_vast(p)
    juni = op(p, date(2027, 6, 3))
    mei_ = Situatie(date(2027, 5, 1), Huishouden.alleenstaand, kostendelers=1)
    await uitkeringen.wijzig(juni, AMSTERDAM, uitkering_id, mei_)
    assert await kalender.herzie_vakantietoeslagen(juni) == 0, "May is provisional still"
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 7, 15))) == 0
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 7, 16))) == 1
    [h] = herzien(uow)
    [mei] = h.data["wijzigingen"]
    assert (mei["maand"], mei["vorigGereserveerd"], mei["reden"]) == ("2027-05", ZONDER_INKOMEN, "norm")
    assert mei["gereserveerd"] < ZONDER_INKOMEN, "the whole norm counts, a lower one than announced"


async def test_months_that_join_a_payout_provisionally_are_announced_once_final():
    """Ended on 31 March, its payout announced in June; the end corrected to 31 May on 5 June: April and May
    join, provisional until their polis comes due (15 June and 15 July), then at the whole norm."""
    p, uow = ports(date(2027, 5, 1))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2027, 3, 31), Reden.werk)
    assert await kalender.stel_vakantietoeslagen_vast(op(p, date(2027, 6, 1))) == 1
    [aangekondigd] = vastgesteld(uow)
    await uitkeringen.corrigeer_einde(op(p, date(2027, 6, 5)), AMSTERDAM, uitkering_id, date(2027, 5, 31))
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 6, 5))) == 0, "they join provisionally"
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 7, 16))) == 1
    [h] = herzien(uow)
    assert [(w["maand"], w["vorigGereserveerd"], w["gereserveerd"], w["reden"]) for w in h.data["wijzigingen"]] == [
        ("2027-04", None, ZONDER_INKOMEN, "erbij"),
        ("2027-05", None, ZONDER_INKOMEN, "erbij"),
    ]
    assert h.data["bedrag"] == aangekondigd.data["bedrag"] + 2 * ZONDER_INKOMEN
    assert "april 2027: geen bedrag → € 70,08, deze maand valt nu ook in uw bijstand" in h.data["uitleg"]


async def test_a_payout_from_before_its_months_were_kept_keeps_them_once_looked_at():
    p, uow = ports(date(2027, 6, 10))
    uitkering_id = await geopend(p)
    [v, _] = await kalender.vakantietoeslag(p, AMSTERDAM, uitkering_id)
    uow.kalender.vakantietoeslagen[uitkering_id, 2027] = vt.Aangekondigd(uitkering_id, 2027, v.bedrag, None, True)
    assert await kalender.herzie_vakantietoeslagen(p) == 0, "the same amount"
    a = uow.kalender.vakantietoeslagen[uitkering_id, 2027]
    assert a.stand is not None and a.stand.bedrag == v.bedrag and not a.te_controleren


async def test_a_payout_from_before_its_months_were_kept_whose_months_all_left_is_revised_to_nothing():
    p, uow = ports(date(2027, 6, 1))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(op(p, date(2027, 10, 5)), AMSTERDAM, uitkering_id, date(2027, 9, 30), Reden.werk)
    december = op(p, date(2027, 12, 1))
    assert await kalender.stel_vakantietoeslagen_vast(december) == 1  # June to September 2027, due 31 December
    a = uow.kalender.vakantietoeslagen[uitkering_id, 2028]
    uow.kalender.vakantietoeslagen[uitkering_id, 2028] = replace(a, stand=None, te_controleren=True)
    await uitkeringen.corrigeer_einde(december, AMSTERDAM, uitkering_id, date(2027, 5, 31))
    assert await kalender.herzie_vakantietoeslagen(december) == 1
    [h] = herzien(uow)
    assert (h.data["vanMaand"], h.data["totMaand"], h.data["bedrag"], h.data["vorigBedrag"]) == (
        "2027-06",
        "2028-05",
        0,
        a.bedrag,
    )
    assert h.data["uitbetalenUiterlijk"] == "2028-06-30" and h.data["wijzigingen"] == []


def test_a_fractional_percentage_reserves_its_hundredths_everywhere():
    # the settlement, the advance, stable income and the payout share one rule: 5,5% was read as 5%
    assert reservering(140_150, Decimal("5.5")) == 7_708  # 7.708,25 cents
    assert k.Verwachting(140_150, 0, 0).te_betalen(Decimal("5.5")) == 140_150 - 7_708
    [o] = vt.opbouw([Maand(2026, 9)], None, {}, lambda m: (7_708, False, None, None))
    assert vt.uitleg(o, Decimal("5.50"), date(2026, 12, 1)).startswith("Over september 2026 reserveren we 5,5% van")


async def test_a_payout_reserves_a_fractional_percentage_as_the_settlement_does():
    p, _ = ports(date(2026, 11, 20))
    p = replace(p, parameters=replace(p.parameters, vakantietoeslag=Decimal("5.5")))
    uitkering_id = await geopend(p)
    await inkomen(p, "2026-10", 100_000)
    [verrekend] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    [v] = await kalender.vakantietoeslag(p, AMSTERDAM, uitkering_id)
    per_maand = {r.maand: r.gereserveerd for r in v.maanden}
    assert (
        per_maand["2026-10"]
        == verrekend.verrekening.vakantietoeslag
        == reservering(verrekend.verrekening.bijstand, Decimal("5.5"))
    )
    assert per_maand["2026-09"] == 7_708, "September without income: 5,5% of the whole norm"


async def test_an_earlier_provisional_month_turning_final_is_not_held_back_by_a_later_one():
    """Income in March: April and May announced on 1 June at the lower bijstand expected. April's polis is due
    15 June, May's 15 July: April's whole norm is announced from 16 June, May's from 16 July."""
    p, uow = ports(date(2027, 6, 1))
    uitkering_id = await geopend(p)
    await inkomen(op(p, date(2027, 4, 10)), "2027-03", 100_000)
    assert await kalender.stel_vakantietoeslagen_vast(p) == 1
    assert uow.kalender.vakantietoeslagen[uitkering_id, 2027].voorlopig_tot == date(2027, 6, 15)
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 6, 16))) == 1
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 7, 16))) == 1
    april, mei = herzien(uow)
    assert [
        (w["maand"], w["gereserveerd"], w["reden"]) for w in april.data["wijzigingen"] if w["reden"] != "verwacht"
    ] == [("2027-04", ZONDER_INKOMEN, "zonder-inkomen")]
    assert [(w["maand"], w["gereserveerd"], w["reden"]) for w in mei.data["wijzigingen"]] == [
        ("2027-05", ZONDER_INKOMEN, "zonder-inkomen")
    ]
    assert "U krijgt deze vakantietoeslag in juni 2027." in april.data["uitleg"], "before its date: when it comes"


@pytest.mark.parametrize(
    ("einde", "aangekondigd", "gecorrigeerd", "maand"),
    [
        (date(2027, 1, 31), date(2027, 4, 1), date(2027, 1, 15), "2027-01"),  # every month final
        (date(2027, 5, 31), date(2027, 6, 1), date(2027, 5, 15), "2027-05"),  # May announced provisionally
    ],
)
async def test_an_end_moved_within_its_last_month_says_the_days_changed(einde, aangekondigd, gecorrigeerd, maand):
    p, uow = ports(date(2027, 2, 5))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, einde, Reden.werk)
    assert await kalender.stel_vakantietoeslagen_vast(op(p, aangekondigd)) == 1
    later = op(p, date(2027, 8, 10))
    await uitkeringen.corrigeer_einde(later, AMSTERDAM, uitkering_id, gecorrigeerd)
    assert await kalender.herzie_vakantietoeslagen(later) == 1
    [h] = herzien(uow)
    [w] = h.data["wijzigingen"]
    assert (w["maand"], w["reden"]) == (maand, "einde") and w["gereserveerd"] < w["vorigGereserveerd"]
    assert "de einddatum van uw bijstand is veranderd, dus telt een ander aantal dagen" in h.data["uitleg"]


async def test_an_end_recorded_on_a_month_s_last_day_does_not_change_its_reason():
    """April settled with wage, May announced provisionally; ended back in time on 31 May (May's days as
    they were): once May's polis came due without income, that is the reason, not the end."""
    p, uow = ports(date(2027, 5, 20))
    uitkering_id = await geopend(p)
    await inkomen(p, "2027-04", 100_000)
    assert await kalender.stel_vakantietoeslagen_vast(op(p, date(2027, 6, 1))) == 1
    juni = op(p, date(2027, 6, 10))
    await uitkeringen.beeindig(juni, AMSTERDAM, uitkering_id, date(2027, 5, 31), Reden.werk)
    assert await kalender.herzie_vakantietoeslagen(juni) == 0
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 7, 16))) == 1
    [h] = herzien(uow)
    assert [(w["maand"], w["gereserveerd"], w["reden"]) for w in h.data["wijzigingen"]] == [
        ("2027-05", ZONDER_INKOMEN, "zonder-inkomen")
    ]


async def test_a_month_that_joined_after_the_announced_end_is_announced_once_settled():
    """Ended 31 March, announced in June; April's income of a kind to judge is known, and the end corrected to
    30 April: April joins waiting for a caseworker (provisional, no polis date). The judgement settles it."""
    p, uow = ports(date(2027, 5, 1))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2027, 3, 31), Reden.werk)
    assert await kalender.stel_vakantietoeslagen_vast(op(p, date(2027, 6, 1))) == 1
    juni = op(p, date(2027, 6, 3))
    onbekend = maandinkomen(BSN, "2027-04", 50_000, soort="onbekend")
    await consumers.on_maandinkomens(lambda conn: juni).handle(None, [received(f"p-{BSN}", onbekend)])
    await uitkeringen.corrigeer_einde(op(p, date(2027, 6, 5)), AMSTERDAM, uitkering_id, date(2027, 4, 30))
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 6, 5))) == 0, "April joins provisionally"
    oordeel = Oordeel("123456782L01", 1, "arbeid", "loonstrook gezien")
    await uitkeringen.beoordeel_inkomstensoort(op(p, date(2027, 6, 20)), AMSTERDAM, uitkering_id, oordeel)
    assert await kalender.herzie_vakantietoeslagen(op(p, date(2027, 6, 21))) == 1
    [h] = herzien(uow)
    april = next(v for v in await verrekeningen.lijst(p, AMSTERDAM, uitkering_id) if v.verrekening.maand == APRIL)
    assert [(w["maand"], w["vorigGereserveerd"], w["gereserveerd"], w["reden"]) for w in h.data["wijzigingen"]] == [
        ("2027-04", None, april.verrekening.vakantietoeslag, "erbij")
    ]


async def test_a_month_after_the_end_settled_again_does_not_mark_the_payout():
    p, uow = ports(date(2027, 10, 1))
    uitkering_id = await geopend(p)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2027, 10), 100_000)
    await uitkeringen.beeindig(op(p, date(2027, 10, 5)), AMSTERDAM, uitkering_id, date(2027, 9, 30), Reden.werk)
    assert await kalender.stel_vakantietoeslagen_vast(op(p, date(2027, 12, 1))) == 1
    await inkomen(op(p, date(2027, 12, 10)), "2027-10", 50_000)  # October, after the end, settled again at nil
    assert not uow.kalender.vakantietoeslagen[uitkering_id, 2028].te_controleren

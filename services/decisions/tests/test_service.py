"""The decisions use cases against in-memory ports: a case opened, changed and ended, the refusals
(each domain error), doelbinding, a month's income to a settlement and its revision, the exit
proposal, the intermediate account, the history with the vrijlating clock, the what-if, and the
Kafka handlers. Milliseconds, any date: the clock is fixed far from the months settled."""

import logging
from dataclasses import replace
from datetime import date

import pytest
from prometheus_client import REGISTRY

from decisions.domain.fouten import (
    AlBeeindigd,
    GeenIngezetene,
    GeenStabielInkomen,
    Geweigerd,
    NietTeBerekenen,
    Onbekend,
    UitkeringLooptAl,
    VoorstelVastgezet,
)
from decisions.domain.situatie import Betaalmodel, Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden, Status
from decisions.domain.verrekening import uitleg
from decisions.domain.vordering import Vorderingsbeleid
from decisions.entrypoints import consumers, models
from decisions.service import uitkeringen, verrekeningen, vorderingen
from decisions.tests.fakes import ports
from schakel.caller import Caller, Rol
from schakel.events import Event
from schakel.events import models as events
from schakel.primitives import Maand
from schakel.telemetry import metrics
from tests.support.events import deelnamestatus, maandinkomen, received, situatie
from tests.support.fakes import FakeBrp

GEOPEND, GEWIJZIGD, BEEINDIGD = (
    events.UitkeringGeopend.TYPE,
    events.UitkeringGewijzigd.TYPE,
    events.UitkeringBeeindigd.TYPE,
)
VASTGESTELD, HERZIEN = events.VerrekeningVastgesteld.TYPE, events.VerrekeningHerzien.TYPE
FEBRUARI = Maand(2026, 2)
BEEINDIGING_VOORGESTELD = events.BeeindigingVoorgesteld.TYPE
MAANDINKOMEN = events.MaandinkomenVastgesteld.TYPE

VANDAAG = date(2029, 6, 15)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")
BSN, ANDER, PARTNER = "999993653", "999990019", "999991905"
GEBOREN, START = date(1990, 5, 1), date(2026, 1, 1)
ALLEEN = Situatie(START, Huishouden.alleenstaand)
HERAANVRAAG = "6f1c2a3e-1b2c-4d5e-8f90-0123456789ab"
ANDERE_HERAANVRAAG = "6f1c2a3e-1b2c-4d5e-8f90-0123456789ac"


async def geopend(p, caller=AMSTERDAM, bsn=BSN, situatie=ALLEEN):
    return (await uitkeringen.open_uitkering(p, caller, bsn, GEBOREN, START, situatie)).uitkering.uitkering_id


def inkomen_event(bsn: str, maand: str, netto: int) -> Event:
    return received(f"p-{bsn}", maandinkomen(bsn, maand, netto))


async def inkomens(p, *maanden: tuple[str, int], bsn=BSN) -> None:
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [inkomen_event(bsn, m, n) for m, n in maanden])


def types(uow) -> list[str]:
    return [e.type for e in uow.published]


async def test_a_case_opens_with_its_situation_and_is_announced():
    p, uow = ports(VANDAAG)
    weergave = await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, ALLEEN)

    assert (weergave.uitkering.status, weergave.situaties, weergave.deelnamestatus) == (Status.lopend, [ALLEEN], None)
    [event] = uow.published
    assert (event.type, event.key, event.data["gemeentecode"]) == (GEOPEND, f"p-{BSN}", "GM0363")
    assert [g.type for g in uow.gebeurtenissen.rijen] == [GEOPEND]


async def test_a_couples_youngest_child_may_be_older_than_the_applicant_when_younger_than_the_partner():
    p, _ = ports(VANDAAG)
    jong = date(2000, 5, 1)
    stiefkind = Situatie(
        START, Huishouden.gehuwd, Partner(PARTNER, date(1970, 1, 1)), jongste_kind_geboortedatum=date(1995, 1, 1)
    )
    weergave = await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, jong, START, stiefkind)
    assert weergave.situaties == [stiefkind]
    ouder = replace(stiefkind, jongste_kind_geboortedatum=date(1969, 1, 1))
    with pytest.raises(Geweigerd) as refused:
        await uitkeringen.open_uitkering(p, AMSTERDAM, ANDER, jong, START, ouder)
    assert (refused.value.code, refused.value.field) == ("geboortedatum-kind", "jongsteKindGeboortedatum")


@pytest.mark.parametrize(
    "geboren, situatie, code, veld",
    [
        (date(2008, 1, 2), ALLEEN, "te-jong", "startdatum"),
        (GEBOREN, Situatie(START, Huishouden.gehuwd), "partner-ontbreekt", "partner"),
        (
            GEBOREN,
            Situatie(START, Huishouden.gehuwd, Partner("999990019", date(2026, 6, 1))),
            "geboortedatum-na-ingangsdatum",
            "partner.geboortedatum",
        ),
        (
            GEBOREN,
            Situatie(START, Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(2099, 1, 1)),
            "geboortedatum-kind",
            "jongsteKindGeboortedatum",
        ),
        (
            GEBOREN,
            Situatie(START, Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(1950, 1, 1)),
            "geboortedatum-kind",
            "jongsteKindGeboortedatum",
        ),
    ],
)
async def test_a_case_the_rules_refuse_leaves_no_trace(geboren, situatie, code, veld):
    p, uow = ports(VANDAAG)
    with pytest.raises(Geweigerd) as refused:
        await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, geboren, START, situatie)
    assert (refused.value.code, refused.value.field) == (code, veld)
    assert not uow.uitkeringen.rijen and not uow.published


async def test_a_second_running_case_is_a_conflict():
    p, uow = ports(VANDAAG)
    await geopend(p)
    with pytest.raises(UitkeringLooptAl) as conflict:
        await geopend(p)
    assert conflict.value.code == "uitkering-bestaat-al" and conflict.value.field is None
    assert len(uow.uitkeringen.rijen) == 1 and types(uow) == [GEOPEND]


async def test_a_new_case_may_not_pay_the_days_an_earlier_one_pays_nor_start_far_ahead():
    """A case ended from a later date still pays until then: a new one starts after it (else the
    household gets bijstand twice for those days). A start more than 6 months ahead is a typing error."""
    p, uow = ports(date(2026, 11, 30))
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2027, 3, 31), Reden.werk)
    for start in (date(2027, 3, 31), date(2025, 6, 1)):
        with pytest.raises(UitkeringLooptAl):
            await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, start, replace(ALLEEN, ingangsdatum=start))
    with pytest.raises(Geweigerd) as refused:
        await uitkeringen.open_uitkering(
            p, AMSTERDAM, BSN, GEBOREN, date(2027, 6, 1), replace(ALLEEN, ingangsdatum=date(2027, 6, 1))
        )
    assert (refused.value.code, refused.value.field) == ("startdatum-te-ver-vooruit", "startdatum")
    weer = date(2027, 4, 1)
    await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, weer, replace(ALLEEN, ingangsdatum=weer))
    assert len(uow.uitkeringen.rijen) == 2


async def test_a_month_whose_norm_a_caseworker_sets_is_shown_as_waiting():
    """Nothing stops silently: a couple with a partner under 21 has no norm in the rules (art. 20) until the caseworker records it;
    its months wait, each with the reason, instead of the case going unsettled without a word."""
    p, uow = ports(VANDAAG)
    jong = Situatie(START, Huishouden.gehuwd, Partner("999990019", date(2006, 1, 1)))
    uitkering_id = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, START, jong)).uitkering.uitkering_id
    await inkomens(p, ("2026-03", 50000))
    [wacht] = (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).te_beoordelen
    assert (str(wacht.maand), wacht.wie) == ("2026-03", "aanvrager") and "jongerennorm" in wacht.reden
    assert VASTGESTELD not in types(uow)


async def test_only_the_municipality_the_brp_registers_the_person_in_opens_a_case():
    """Participatiewet art. 40: the municipality of residence; a move in the BRP moves that right."""
    p, uow = ports(VANDAAG, brp=FakeBrp({BSN: "GM0599"}, standaard=None))
    for caller, bsn in ((AMSTERDAM, BSN), (AMSTERDAM, "999990019")):  # lives elsewhere; unknown to the BRP
        with pytest.raises(GeenIngezetene) as refused:
            await geopend(p, caller, bsn)
        assert refused.value.code == "geen-ingezetene"
    assert not uow.uitkeringen.rijen and not uow.published
    await geopend(p, ROTTERDAM)
    p.brp.personen[BSN] = "GM0363"  # moved: Amsterdam may open once Rotterdam ends its case
    with pytest.raises(UitkeringLooptAl):
        await geopend(p)


async def test_another_municipality_is_answered_as_a_stranger_everywhere():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    for use_case in (
        lambda: uitkeringen.lees(p, ROTTERDAM, uitkering_id),
        lambda: uitkeringen.wijzig(p, ROTTERDAM, uitkering_id, ALLEEN),
        lambda: uitkeringen.beeindig(p, ROTTERDAM, uitkering_id, date(2026, 6, 30), Reden.werk),
        lambda: verrekeningen.betaal(p, ROTTERDAM, uitkering_id, Maand(2026, 3), 1),
        lambda: verrekeningen.lijst(p, ROTTERDAM, uitkering_id),
        lambda: verrekeningen.geschiedenis(p, ROTTERDAM, uitkering_id),
        lambda: verrekeningen.tussenrekening(p, ROTTERDAM, uitkering_id),
        lambda: uitkeringen.lees(p, AMSTERDAM, "00000000-0000-0000-0000-000000000000"),
    ):
        with pytest.raises(Onbekend):
            await use_case()
    assert types(uow) == [GEOPEND] and not uow.betalingen.rijen


async def test_a_month_s_income_is_settled_and_a_correction_announces_only_the_difference():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    assert await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 3), 60000) is None, "no income yet"

    await inkomens(p, ("2026-03", 100000))
    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    v = maart.verrekening
    assert (maart.versie, v.bijstand, v.te_betalen, v.verschil, v.vrijlating.bedrag) == (1, 65150, 61892, 1892, 25000)
    assert maart.vastgesteld_op == p.clock.now()
    assert "wij betalen u nog € 18,92 bij" in uow.published[-1].data["uitleg"]

    await inkomens(p, ("2026-03", 100000))  # the same figures again: nothing new
    assert types(uow) == [GEOPEND, VASTGESTELD]
    await inkomens(p, ("2026-03", 80000))
    herzien = uow.published[-1]
    assert (herzien.type, herzien.data["vorigTeBetalen"], herzien.data["herziening"]) == (HERZIEN, 61892, 76142 - 61892)
    # the text names what moves now: the € 18,92 of the first settlement was paid on top of the advance
    nu = (
        "U kreeg al € 600,00; dat is € 161,42 te weinig. Wij hebben deze maand opnieuw verrekend: eerder was dat "
        "€ 618,92. Wat toen te veel of te weinig was, hebben wij toen al verrekend. Wij betalen u nog € 142,50 bij."
    )
    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert herzien.data["uitleg"].endswith(nu) and models.verrekening(maart)["uitleg"] == herzien.data["uitleg"]

    terug = await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 3), 80000)
    assert (terug.versie, terug.verrekening.verschil) == (3, 76142 - 80000)
    # € 800 and € 161,42 paid against € 761,42 due
    te_veel = (
        "opnieuw verrekend. Als voorschot kreeg u € 800,00; eerder stond daarvoor € 600,00 vastgelegd. U heeft "
        "€ 200,00 te veel gekregen, dat vorderen wij terug."
    )
    assert models.verrekening(terug)["uitleg"].endswith(te_veel)


async def test_a_revision_says_what_was_paid_for_the_month_and_its_whole_difference():
    """DOMAIN §3: every settlement says what was already paid and the difference, a revision too: before
    what changes now, the advance and how far the month as a whole is from it."""
    p, _ = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 3), 100000)
    await inkomens(p, ("2026-03", 50000))
    await inkomens(p, ("2026-03", 120000))
    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert (maart.verrekening.te_betalen, maart.verrekening.verschil) == (46217, -53783)
    assert models.verrekening(maart)["uitleg"].endswith(
        "Over deze maand krijgt u € 462,17. U kreeg al € 1.000,00; dat is € 537,83 te veel. Wij hebben deze maand "
        "opnieuw verrekend: eerder was dat € 975,17. Wat toen te veel of te weinig was, hebben wij toen al verrekend. Uw "
        "vordering over deze maand wordt € 513,00 hoger, dat vorderen wij terug."
    )


async def test_each_revision_of_a_month_says_what_moves_now_as_its_claim_is_booked():
    """Five polis corrections of March after an advance of € 600: each settlement names only what its run
    pays on top, claims, or takes off the month's claim, as the claim's own bookings say."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 3), 60000)
    # (net wage, payable): n's 25% up to € 285, 5% reserved (half up)
    stappen = {
        100000: (61892, "U kreeg al € 600,00; wij betalen u nog € 18,92 bij."),
        80000: (76142, "€ 161,42 te weinig. Wij hebben deze maand opnieuw verrekend: eerder was dat € 618,92."),
        120000: (46217, "€ 137,83 te veel. Wij hebben deze maand opnieuw verrekend: eerder was dat € 761,42."),
        140000: (27217, "€ 327,83 te veel. Wij hebben deze maand opnieuw verrekend: eerder was dat € 462,17."),
        90000: (69017, "€ 90,17 te weinig. Wij hebben deze maand opnieuw verrekend: eerder was dat € 272,17."),
    }
    # and then what changes now, as the claim's bookings say
    nu = {
        80000: "Wij betalen u nog € 142,50 bij.",
        120000: "U heeft € 299,25 te veel gekregen, dat vorderen wij terug.",
        140000: "Uw vordering over deze maand wordt € 190,00 hoger, dat vorderen wij terug.",
        90000: "Uw vordering over deze maand wordt € 418,00 lager.",  # € 71,25 stays
    }
    for netto, (te_betalen, einde) in stappen.items():
        await inkomens(p, ("2026-03", netto))
        [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
        tekst = models.verrekening(maart)["uitleg"]
        einde = (
            f"{einde} Wat toen te veel of te weinig was, hebben wij toen al verrekend. {nu[netto]}"
            if netto in nu
            else einde
        )
        assert maart.verrekening.te_betalen == te_betalen and tekst.endswith(einde), tekst
    [claim] = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert (claim["bedrag"], claim["open"]) == (7125, 7125)


async def test_a_claim_under_the_municipality_s_threshold_is_said_not_to_be_recovered():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await vorderingen.zet_beleid(p, AMSTERDAM, Vorderingsbeleid(date(2026, 1, 1), drempel=50_000))
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 3), 100000)
    grens = "niet terug: de vordering over deze maand blijft onder de grens van uw gemeente."
    # € 618,92 payable: € 381,08 too much; then net 1.100,00: € 547,67 payable, € 71,25 more
    for netto, einde in {
        100000: f"U kreeg al € 1.000,00; u heeft € 381,08 te veel gekregen, maar wij vorderen € 381,08 {grens}",
        110000: f"Uw vordering over deze maand wordt € 71,25 hoger, maar wij vorderen € 71,25 {grens}",
    }.items():
        await inkomens(p, ("2026-03", netto))
        [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
        assert models.verrekening(maart)["uitleg"].endswith(einde)


async def test_a_back_payment_that_pays_off_another_month_s_claim_says_so_and_not_that_it_is_paid_out():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 2), 100000)
    await inkomens(p, ("2026-02", 200000))  # above the norm: the advance of € 1.000 is claimed
    await inkomens(p, ("2026-03", 120000))  # € 462,17 payable, nothing paid: all of it pays off February
    [_, maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert models.verrekening(maart)["uitleg"].endswith(
        "U kreeg over deze maand geen voorschot; u heeft nog € 462,17 tegoed: daarvan verrekenen wij € 462,17 met "
        "openstaande vorderingen over andere maanden (zie de vorderingen)."
    )


async def test_a_month_that_says_otherwise_why_it_had_no_vrijlating_is_announced_with_its_amounts_unchanged():
    """January corrected to nil moves n's months: July, above the norm either way, no longer has them
    used up but is above the norm with them; its text changes, so it is announced (herziening 0)."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, *((f"2026-0{m}", 60000) for m in range(1, 7)), ("2026-07", 200000))
    gezien = len(uow.published)
    await inkomens(p, ("2026-01", 0))
    [juli] = [e for e in uow.published[gezien:] if e.data.get("maand") == "2026-07"]
    [opgeslagen] = [
        v for v in await verrekeningen.lijst(p, AMSTERDAM, uitkering_id) if str(v.verrekening.maand) == "2026-07"
    ]
    assert (juli.type, juli.data["herziening"], opgeslagen.versie) == (HERZIEN, 0, 2)
    assert juli.data["uitleg"] == models.verrekening(opgeslagen)["uitleg"]
    assert "Ook met vrijlating is uw inkomen niet lager dan de norm" in juli.data["uitleg"]


async def test_a_payment_for_a_month_the_case_does_not_run_in_is_refused_and_not_stored():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)  # from 2026-01-01
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 6, 10), Reden.werk)
    for maand in (Maand(2025, 12), Maand(2026, 7), Maand(1900, 1)):
        with pytest.raises(Geweigerd) as refused:
            await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, maand, 60000)
        assert (refused.value.code, refused.value.field) == ("maand-buiten-uitkering", "maand")
    assert not uow.betalingen.rijen
    for maand in (Maand(2026, 1), Maand(2026, 6)):  # the first and the last month, each in part
        await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, maand, 60000)


async def test_a_payment_for_a_month_after_the_next_is_refused():
    p, uow = ports(VANDAAG)  # 15 June 2029
    uitkering_id = await geopend(p)
    for maand in (Maand(2029, 8), Maand(2099, 1)):
        with pytest.raises(Geweigerd) as refused:
            await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, maand, 60000)
        assert (refused.value.code, refused.value.field) == ("maand-te-ver-vooruit", "maand")
    assert not uow.betalingen.rijen
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2029, 7), 60000)  # next month's advance


async def test_a_payment_above_twice_the_highest_norm_is_a_typing_error_also_when_corrected():
    """Euros sent as cents would otherwise become a claim on the person once the case ends."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    maand = Maand(2026, 3)
    grens = 2 * p.parameters.normen_op(maand.eerste_dag).gehuwd_aow
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, maand, grens)  # a month's advance and the holiday allowance
    for bedrag in (grens + 1, 60000 * 100):
        with pytest.raises(Geweigerd) as refused:
            await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, maand, bedrag)
        assert (refused.value.code, refused.value.field) == ("bedrag-onaannemelijk", "bedrag")
    assert uow.betalingen.rijen[uitkering_id] == {maand: grens}


async def test_a_household_change_settles_the_months_from_its_date_again():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, ("2026-03", 0), ("2026-04", 0))
    with pytest.raises(Geweigerd) as refused:
        await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, Situatie(date(2025, 12, 1), Huishouden.alleenstaand))
    assert refused.value.field == "ingangsdatum"

    gehuwd = Situatie(date(2026, 4, 1), Huishouden.gehuwd, partner=Partner(PARTNER, GEBOREN))
    weergave = await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, gehuwd)
    assert weergave.situaties == [ALLEEN, gehuwd] and GEWIJZIGD in types(uow)
    maart, april = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert (maart.verrekening.norm.bedrag, maart.versie) == (140150, 1)
    assert (april.verrekening.norm.bedrag, april.versie) == (200213, 2)


async def test_an_ended_case_passes_on_what_a_reapplication_may_reuse_and_ends_once():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, ("2026-02", 50000), ("2026-03", 50000))
    with pytest.raises(Geweigerd) as refused:
        await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2025, 12, 31), Reden.werk)
    assert refused.value.field == "einddatum"

    weergave = await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 31), Reden.werk)
    assert weergave.uitkering.status is Status.beeindigd
    [beeindigd] = [e for e in uow.published if e.type == BEEINDIGD]
    assert beeindigd.data["hergebruik"]["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 2}]
    with pytest.raises(AlBeeindigd) as twice:
        await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 31), Reden.werk)
    assert (twice.value.code, twice.value.field) == ("al-beeindigd", None)


async def test_the_history_shows_the_events_and_the_clock_from_the_stored_settlements():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, *[(f"2026-{m:02d}", 50000) for m in range(1, 9)])

    klok, partnerklok, gebeurtenissen = await verrekeningen.geschiedenis(p, AMSTERDAM, uitkering_id)
    assert (klok, partnerklok) == ({"n": 6}, {}), "n for six months; after that no ground applies to a single person"
    assert [g.type for g in gebeurtenissen] == [GEOPEND] + [VASTGESTELD] * 8
    assert [g.maand for g in gebeurtenissen][1:3] == ["2026-01", "2026-02"]


async def test_three_months_above_the_norm_propose_an_end_once():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, *[(f"2026-0{m}", 300000) for m in (2, 3, 4)])
    await inkomens(p, ("2026-04", 300001))  # a revision in the same run: no second proposal

    assert types(uow).count(BEEINDIGING_VOORGESTELD) == 1
    voorstel = (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).beeindigingsvoorstel
    assert (voorstel.van_maand, voorstel.tot_maand, voorstel.voorgesteld_op) == ("2026-02", "2026-04", p.clock.now())
    [voorgesteld] = [e for e in uow.published if e.type == BEEINDIGING_VOORGESTELD]
    assert "februari 2026, maart 2026 en april 2026" in voorgesteld.data["uitleg"]


async def test_a_corrected_birth_date_settles_every_month_again_and_an_ended_case_hands_it_on():
    """A typing error in the applicant's birth date: 19 at the start, not 35, so the norm of an 18 to 20
    year old applies and every settled month is revised; the end is announced again with the date, so a
    re-application reuses it. Too young at the start is refused; the same date again changes nothing."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, ("2026-01", 50000), ("2026-02", 50000))
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 2, 28), Reden.werk)
    voor = len(uow.published)

    gecorrigeerd = await uitkeringen.corrigeer_geboortedatum(p, AMSTERDAM, uitkering_id, date(2006, 3, 1))

    assert gecorrigeerd.uitkering.geboortedatum == date(2006, 3, 1)
    nieuw = uow.published[voor:]
    herzien = [e.data for e in nieuw if e.type == HERZIEN]
    assert [h["maand"] for h in herzien] == ["2026-01", "2026-02"]
    assert all(
        h["herziening"] < 0 and h["norm"]["omschrijving"] == "alleenstaande van 18 tot en met 20 jaar" for h in herzien
    )
    einde = nieuw[-1]
    assert (einde.type, einde.data["einddatum"], einde.data["hergebruik"]["geboortedatum"]) == (
        BEEINDIGD,
        "2026-02-28",
        "2006-03-01",
    )
    assert await uitkeringen.corrigeer_geboortedatum(p, AMSTERDAM, uitkering_id, date(2006, 3, 1)) == gecorrigeerd
    assert len(uow.published) == voor + len(nieuw), "the same date again: nothing"

    with pytest.raises(Geweigerd) as te_jong:
        await uitkeringen.corrigeer_geboortedatum(p, AMSTERDAM, uitkering_id, date(2008, 1, 2))
    assert (te_jong.value.code, te_jong.value.field) == ("te-jong", "geboortedatum")
    with pytest.raises(Onbekend):
        await uitkeringen.corrigeer_geboortedatum(p, ROTTERDAM, uitkering_id, date(1990, 5, 1))
    assert len(uow.published) == voor + len(nieuw), "nothing announced by a refusal"
    assert (await uow.uitkeringen.get(uitkering_id)).geboortedatum == date(2006, 3, 1)
    ouder = Situatie(START, Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(2004, 1, 1))
    met_kind = await geopend(p, bsn=ANDER, situatie=ouder)
    with pytest.raises(Geweigerd) as kind:
        await uitkeringen.corrigeer_geboortedatum(p, AMSTERDAM, met_kind, date(2005, 1, 1))
    assert kind.value.code == "geboortedatum-kind"


async def test_a_dismissed_proposal_keeps_its_run_from_being_proposed_again_but_not_a_new_run():
    """Without a dismissal each next month above the norm proposes again; once the municipality keeps
    the case, that run is not proposed again as it grows; a month below the norm ends it, and the next
    run is proposed. A citizen reads that the proposal was dismissed, not why."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, *[(f"2026-0{m}", 300000) for m in (2, 3, 4)])
    await inkomens(p, ("2026-05", 300000))
    assert types(uow).count(BEEINDIGING_VOORGESTELD) == 2, "the run grew: proposed again"
    with pytest.raises(VoorstelVastgezet) as geen:
        await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, await geopend(p, bsn=ANDER), FEBRUARI, "seizoenswerk")
    assert geen.value.code == "geen-beeindigingsvoorstel"
    with pytest.raises(Onbekend):
        await uitkeringen.wijs_voorstel_af(p, ROTTERDAM, uitkering_id, FEBRUARI, "seizoenswerk")

    afgewezen = await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, FEBRUARI, "seizoenswerk")
    voorstel = afgewezen.beeindigingsvoorstel
    assert (voorstel.van_maand, voorstel.tot_maand, voorstel.afgewezen_op, voorstel.reden) == (
        "2026-02",
        "2026-05",
        p.clock.now(),
        "seizoenswerk",
    )
    [gemeld] = [e for e in uow.published if e.type == events.BeeindigingsvoorstelAfgewezen.TYPE]
    assert (gemeld.data["vanMaand"], gemeld.data["totMaand"], gemeld.data["uitkeringId"]) == (
        "2026-02",
        "2026-05",
        uitkering_id,
    )
    assert "februari 2026 tot en met mei 2026" in gemeld.data["uitleg"] and "seizoenswerk" not in str(gemeld.data)
    assert await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, FEBRUARI, "seizoenswerk") == afgewezen
    assert types(uow).count(events.BeeindigingsvoorstelAfgewezen.TYPE) == 1, "the same dismissal again: once"
    with pytest.raises(VoorstelVastgezet) as ander:
        await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, FEBRUARI, "iets anders")
    assert (ander.value.code, ander.value.field) == ("voorstel-al-afgewezen", "reden")
    [mijn] = await uitkeringen.mijn(p, Caller("burger", Rol.burger, bsn=BSN))
    assert mijn.beeindigingsvoorstel.reden == uitkeringen.REDEN_VOOR_GEMEENTE

    await inkomens(p, ("2026-06", 300000))
    assert types(uow).count(BEEINDIGING_VOORGESTELD) == 2, "the dismissed run grew: not proposed again"
    await inkomens(p, ("2026-07", 10000), *[(f"2026-{m:02d}", 300000) for m in (8, 9, 10)])
    assert types(uow).count(BEEINDIGING_VOORGESTELD) == 3, "a new run"
    voorstel = (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).beeindigingsvoorstel
    assert (voorstel.van_maand, voorstel.tot_maand, voorstel.afgewezen_op) == ("2026-08", "2026-10", None)
    # the same dismissal again (a retry without its key) names the run it dismissed: not the new one
    with pytest.raises(VoorstelVastgezet) as later:
        await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, FEBRUARI, "seizoenswerk")
    assert (later.value.code, later.value.field) == ("ander-voorstel", "vanMaand")
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 10, 31), Reden.werk)
    with pytest.raises(AlBeeindigd):
        await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, Maand(2026, 8), "werk")


async def test_a_correction_that_moves_the_first_month_of_a_dismissed_run_does_not_propose_it_again():
    """The run the municipality kept the case through stays kept when a correction moves its first
    month: later (February found at the norm), earlier (January found above it), or joining two
    dismissed runs (the month between them found above it). A new run after its months still is."""
    hoog, laag = 300000, 10000
    for eerst, correctie in (
        ([("2026-01", laag)], ("2026-02", laag)),
        ([("2026-01", laag)], ("2026-01", hoog)),
    ):
        p, uow = ports(VANDAAG)
        uitkering_id = await geopend(p)
        await inkomens(p, *eerst, *[(f"2026-0{m}", hoog) for m in (2, 3, 4, 5)])
        await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, FEBRUARI, "seizoenswerk")
        voorgesteld = types(uow).count(BEEINDIGING_VOORGESTELD)
        await inkomens(p, correctie)
        await inkomens(p, ("2026-06", hoog))
        assert types(uow).count(BEEINDIGING_VOORGESTELD) == voorgesteld, correctie
        voorstel = (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).beeindigingsvoorstel
        assert (voorstel.van_maand, voorstel.reden) == ("2026-02", "seizoenswerk"), "the dismissal stays on record"

    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, *[(f"2026-0{m}", hoog) for m in (2, 3, 4)])
    await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, FEBRUARI, "seizoenswerk")
    await inkomens(p, ("2026-05", laag), *[(f"2026-0{m}", hoog) for m in (6, 7, 8)])
    assert types(uow).count(BEEINDIGING_VOORGESTELD) == 2, "a new run after a month at the norm"
    await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, Maand(2026, 6), "nog steeds seizoenswerk")
    assert [a.van_maand for a in await uow.beeindigingsvoorstellen.afgewezen(uitkering_id)] == ["2026-02", "2026-06"]
    await inkomens(p, ("2026-05", hoog))  # one run from February, both parts dismissed
    await inkomens(p, ("2026-09", hoog))
    assert types(uow).count(BEEINDIGING_VOORGESTELD) == 2


async def test_a_settled_month_that_waits_for_a_caseworker_still_counts_in_the_run_above_the_norm():
    """March was settled above the norm; a correction of an unknown kind makes it wait for a caseworker,
    but its settlement stands until they decide: with April the run February to April is complete."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, ("2026-02", 300000), ("2026-03", 300000))
    onbekend = received(f"p-{BSN}", maandinkomen(BSN, "2026-03", 300000, soort="onbekend"))
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [onbekend])
    assert [
        str(t.maand) for t in await verrekeningen.te_beoordelen(p, uow, await uow.uitkeringen.get(uitkering_id))
    ] == ["2026-03"]
    await inkomens(p, ("2026-04", 300000))

    voorstel = (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).beeindigingsvoorstel
    assert (voorstel.van_maand, voorstel.tot_maand) == ("2026-02", "2026-04")


async def test_the_intermediate_account_is_only_for_stable_income():
    p, _ = ports(VANDAAG)
    voorschot = await geopend(p)
    stabiel = await geopend(
        p, bsn=ANDER, situatie=Situatie(START, Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
    )
    await inkomens(p, ("2026-03", 100000), bsn=ANDER)
    onbekend = maandinkomen(ANDER, "2026-04", 50000, soort="onbekend")
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [received(f"p-{ANDER}", onbekend)])

    [boeking], [wacht] = await verrekeningen.tussenrekening(p, AMSTERDAM, stabiel)
    assert (str(boeking.maand), boeking.loon, boeking.bijstand) == ("2026-03", 100000, 61892)
    assert (str(wacht.maand), wacht.wie) == ("2026-04", "aanvrager"), "not on the account, and said so"
    with pytest.raises(GeenStabielInkomen):
        await verrekeningen.tussenrekening(p, AMSTERDAM, voorschot)


async def test_the_latest_effective_participation_status_holds_whatever_order_it_arrives_in():
    p, _ = ports(VANDAAG)
    uitkering_id = await geopend(p)
    handle = consumers.on_deelnamestatus(lambda conn: p)
    for status, grond, ingang in (("doelgroepregister", "wajong", "2026-05-01"), ("geen", None, "2026-02-01")):
        await handle(None, received(f"p-{BSN}", deelnamestatus(BSN, status, grond, date.fromisoformat(ingang))))

    status = (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).deelnamestatus
    assert (status.status, status.grond, status.ingangsdatum) == ("doelgroepregister", "wajong", date(2026, 5, 1))


async def test_a_numbered_status_holds_by_its_number_and_an_older_replay_is_skipped_and_counted():
    p, _ = ports(VANDAAG)
    uitkering_id = await geopend(p)
    handle = consumers.on_deelnamestatus(lambda conn: p)
    geregistreerd = received(f"p-{BSN}", deelnamestatus(BSN, "doelgroepregister", "wajong", date(2026, 5, 1)))
    beeindigd = received(f"p-{BSN}", deelnamestatus(BSN, "geen", None, date(2026, 2, 1)))  # back-dated, newer
    overgeslagen = metrics.EVENTS_SUPERSEDED.labels(events.DeelnamestatusGewijzigd.TYPE, "newer")._value.get()
    for event in (
        replace(geregistreerd, sequence=7),
        replace(beeindigd, sequence=8),
        replace(geregistreerd, sequence=7),
    ):
        await handle(None, event)

    status = (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).deelnamestatus
    assert (status.status, status.grond, status.volgnummer) == ("geen", None, 8)
    assert (
        metrics.EVENTS_SUPERSEDED.labels(events.DeelnamestatusGewijzigd.TYPE, "newer")._value.get() == overgeslagen + 1
    )


async def test_what_if_uses_the_rules_of_a_settlement_and_refuses_what_it_cannot_compute():
    p, _ = ports(VANDAAG)
    uitkomst = uitkeringen.proefberekening(p, GEBOREN, ALLEEN, 100000, Maand(2026, 2), False)
    assert len(uitkomst.maanden) == 12 and str(uitkomst.vrijlating_tot) == "2027-01", "n in 2026, in balans from 2027"
    assert uitkomst.maanden[0].erbij == uitkomst.maanden[0].verrekening.vrijlating.bedrag

    with pytest.raises(Geweigerd):
        uitkeringen.proefberekening(p, GEBOREN, Situatie(START, Huishouden.gehuwd), 100000, Maand(2026, 2), False)
    jonge_ouder = Situatie(START, Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(2025, 1, 1))
    with pytest.raises(NietTeBerekenen) as refused:
        uitkeringen.proefberekening(p, date(2006, 1, 1), jonge_ouder, 100000, Maand(2026, 2), False)
    assert refused.value.code == "norm-onbekend" and refused.value.field is None


def heraanvraag_toegekend(klok: tuple[str, int]) -> Event:
    """A re-application granted from 1 September 2026 in Amsterdam, with the months of one vrijlating ground used."""
    return received(
        f"p-{BSN}",
        events.HeraanvraagToegekend(
            heraanvraagId=HERAANVRAAG,
            bsn=BSN,
            gemeentecode="GM0363",
            geboortedatum=GEBOREN,
            startdatum=date(2026, 9, 1),
            situatie=situatie(),
            vrijlatingsklok=[events.Klokstand(grond=klok[0], maandenGebruikt=klok[1])],
        ),
    )


async def test_a_granted_reapplication_reopens_the_case_and_one_that_is_refused_is_answered_with_why():
    p, uow = ports(VANDAAG)
    handle = consumers.on_heraanvraag_toegekend(lambda conn: p)
    toegekend = heraanvraag_toegekend(("werk", 4))
    await handle(None, toegekend)
    [heropend] = uow.uitkeringen.rijen.values()
    assert heropend[0].startklok == (("werk", 4),), "the person's months count on (art. 31 lid 2)"

    [event] = uow.published
    assert (event.type, event.data["heraanvraagId"], event.data["startdatum"]) == (GEOPEND, HERAANVRAAG, "2026-09-01")
    tweede = replace(toegekend, id="tweede", data={**toegekend.data, "heraanvraagId": ANDERE_HERAANVRAAG})
    await handle(None, tweede)  # a second grant of a person whose case runs: not reopened, and said so
    assert len(uow.uitkeringen.rijen) == 1
    [geweigerd] = uow.published[1:]
    assert (geweigerd.type, geweigerd.key, geweigerd.data["heraanvraagId"], geweigerd.data["reden"]) == (
        events.HeropeningGeweigerd.TYPE,
        f"p-{BSN}",
        ANDERE_HERAANVRAAG,
        "uitkering-loopt",
    )
    onvolledig = {**toegekend.data["situatie"], "huishouden": "gehuwd"}  # without the partner
    await handle(None, replace(toegekend, id="derde", data={**toegekend.data, "situatie": onvolledig}))
    assert [(e.type, e.data["reden"]) for e in uow.published[2:]] == [
        (events.HeropeningGeweigerd.TYPE, "partner-ontbreekt")
    ]
    assert len(uow.uitkeringen.rijen) == 1, "a rule's refusal is answered too, with its code"


def gedeeltelijk(bsn: str, maand: str, netto: int, dagen: tuple[int, int], einde: date | None = None) -> Event:
    """A month's income from one employer's monthly period earned on the days `dagen` of the month, as
    the income service counts a relationship that began (or ended, `einde`) within the period."""
    d = maandinkomen(bsn, maand, netto)
    [b] = d.bijdragen
    dagen_ = dagen[1] - dagen[0] + 1
    b = b.model_copy(update={"dagen": dagen_, "dagenTijdvak": dagen_, "eindeInkomstenverhouding": einde})
    return received(f"p-{bsn}", d.model_copy(update={"bijdragen": [b]}))


async def test_income_earned_after_the_case_ended_within_the_month_counts_in_no_settlement():
    """Art. 32 lid 1: income counts in the period it was earned in. A job that starts the day after the
    case ends pays the rest of that month: the days with bijstand had none of it, so they are settled
    without it (their norm, in proportion), and no vrijlating month is used for it."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 9, 15), Reden.werk)
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [gedeeltelijk(BSN, "2026-09", 120000, (16, 30))])
    [september] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    v = september.verrekening
    # 15/30 of 1.401,50 = 700,75, nothing earned on those days: 700,75, of which 35,04 reserved
    assert (v.norm_bedrag, v.inkomen.totaal, v.vrijlating, v.bijstand, v.te_betalen) == (70075, 0, None, 70075, 66571)
    tekst = uitleg(v)
    assert "van de € 1.200,00 is € 1.200,00 verdiend op dagen zonder bijstand en telt niet" in tekst
    assert "We tellen € 0,00 als inkomen" in tekst


async def test_a_month_the_municipality_established_itself_counts_by_the_days_in_a_month_covered_in_part():
    """A payslip's amount says how much, not on which days: in a case that ends on the 15th it counts
    for 15 of September's 30 days. Counted whole, a month shared by an ended case and the next one (a
    move) counted it twice, and the person lost that month's bijstand."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 9, 15), Reden.werk)
    gesteld = gedeeltelijk(BSN, "2026-09", 120000, (1, 30))
    gesteld = replace(gesteld, data={**gesteld.data, "bron": "overschrijving"})
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [gesteld])
    [september] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert september.verrekening.inkomen.totaal == 60000 and september.verrekening.inkomen.ontvangen == 120000
    tekst = models.verrekening(september)["uitleg"]
    assert "Uw gemeente stelde uw netto inkomen over deze maand vast op € 1.200,00" in tekst
    assert "daarom telt € 600,00, naar verhouding van de dagen met deze uitkering" in tekst
    assert (
        "Op de polis staat: € 1.200,00 bij de werkgever met loonheffingennummer" in tekst and "U verdiende" not in tekst
    )
    assert models.verrekening(september)["inkomen"]["bron"] == "overschrijving"


async def test_a_month_two_cases_share_counts_an_established_income_once_between_them():
    """The reviewer's case: Amsterdam's case ends on 15 March, Rotterdam's starts on the 16th, and March's
    income is a payslip of € 1.000: each counts its days' part, as they would of the polis."""
    brp = FakeBrp({BSN: "GM0363"})
    p, uow = ports(date(2026, 3, 10), brp=brp)
    situatie = Situatie(date(2026, 1, 1), Huishouden.alleenstaand)
    amsterdam = (await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, date(2026, 1, 1), situatie)).uitkering
    await uitkeringen.beeindig(p, AMSTERDAM, amsterdam.uitkering_id, date(2026, 3, 15), Reden.verhuizing)
    brp.personen[BSN] = "GM0599"
    rotterdam = (
        await uitkeringen.open_uitkering(
            p, ROTTERDAM, BSN, GEBOREN, date(2026, 3, 16), Situatie(date(2026, 3, 16), Huishouden.alleenstaand)
        )
    ).uitkering
    for bron in ("polis", "overschrijving"):
        maart = replace(
            gedeeltelijk(BSN, "2026-03", 100000, (1, 31)),
            data={**gedeeltelijk(BSN, "2026-03", 100000, (1, 31)).data, "bron": bron},
        )
        await consumers.on_maandinkomens(lambda conn: p).handle(None, [maart])
        [a] = [
            v.verrekening
            for v in await verrekeningen.lijst(p, AMSTERDAM, amsterdam.uitkering_id)
            if v.verrekening.maand == Maand(2026, 3)
        ]
        [r] = [
            v.verrekening
            for v in await verrekeningen.lijst(p, ROTTERDAM, rotterdam.uitkering_id)
            if v.verrekening.maand == Maand(2026, 3)
        ]
        assert a.inkomen.totaal + r.inkomen.totaal == 100000, bron
        assert (a.inkomen.totaal, r.inkomen.totaal) == (48387, 51613), bron


async def test_income_earned_before_a_reopened_case_began_within_the_month_counts_in_no_settlement():
    """The same at a reopening from the 15th: the job that ended on the 14th was paid for days without bijstand."""
    p, uow = ports(VANDAAG)
    reopened = Situatie(date(2026, 6, 15), Huishouden.alleenstaand)
    uitkering_id = (
        await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, date(2026, 6, 15), reopened)
    ).uitkering.uitkering_id
    oud = gedeeltelijk(BSN, "2026-06", 90000, (1, 14), einde=date(2026, 6, 14))
    werk = gedeeltelijk(BSN, "2026-07", 50000, (1, 31))  # a month the case covers whole counts whole
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [oud, werk])
    juni, juli = [s.verrekening for s in await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)]
    # 16/30 of 1.401,50 = 747,47; 37,37 reserved: 710,10
    assert (juni.norm_bedrag, juni.inkomen.totaal, juni.vrijlating, juni.te_betalen) == (74747, 0, None, 71010)
    assert juli.inkomen.totaal == 50000 and juli.vrijlating.maand_nummer == 1, "July is the first month with work"


async def test_a_reopened_case_that_used_no_vrijlating_passes_on_the_months_it_was_opened_with():
    """The months used before the reopening count on at its end too (art. 31 lid 2), also when the
    case itself applied no vrijlating: the history shows them, and so must the next re-application."""
    p, uow = ports(VANDAAG)
    await consumers.on_heraanvraag_toegekend(lambda conn: p)(None, heraanvraag_toegekend(("n", 4)))
    [uitkering_id] = uow.uitkeringen.rijen
    await inkomens(p, ("2026-09", 0), ("2026-10", 0))  # no work income: no vrijlating applied

    eigen, _, _ = await verrekeningen.geschiedenis(p, AMSTERDAM, uitkering_id)
    assert eigen == {"n": 4}
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 10, 31), Reden.werk)
    [beeindigd] = [e for e in uow.published if e.type == BEEINDIGD]
    assert beeindigd.data["hergebruik"]["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 4}]


async def test_a_case_reopened_before_the_last_months_before_it_settled_counts_on_from_them_once_they_do():
    """The polis comes weeks after the month, so a re-application can be granted before the last months
    of the case before are settled: the reopened case starts on the clock handed on then. Once they
    settle, it counts on from the clock as it is (art. 31 lid 2: the months are the person's), and a
    month that used a vrijlating month the law no longer leaves is settled again and claimed."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, *((f"2026-0{m}", 50000) for m in range(1, 5)))  # n: four months used
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 5, 31), Reden.werk)
    await consumers.on_heraanvraag_toegekend(lambda conn: p)(None, heraanvraag_toegekend(("n", 4)))
    [heropend_id] = [i for i in uow.uitkeringen.rijen if i != uitkering_id]
    await inkomens(p, ("2026-09", 50000), ("2026-10", 50000))  # n's fifth and sixth month, as it looked
    gezien = len(uow.published)

    await inkomens(p, ("2026-05", 50000))  # May's polis, late: n's fifth month was May
    assert uow.uitkeringen.rijen[heropend_id][0].startklok == (("n", 5),)
    september, oktober = [s.verrekening for s in await verrekeningen.lijst(p, AMSTERDAM, heropend_id)]
    assert (september.vrijlating.maand_nummer, oktober.vrijlating) == (6, None)
    nieuw = uow.published[gezien:]
    [herzien] = [e for e in nieuw if e.type == HERZIEN and e.data["maand"] == "2026-10"]
    # 1.401,50 − 500,00 = 901,50, 45,08 reserved: 856,42, against 975,17 with n's € 125,00
    assert (herzien.data["vorigTeBetalen"], herzien.data["teBetalen"]) == (97517, 85642)
    assert "vordering.ontstaan" in " ".join(e.type for e in nieuw)
    assert not [e for e in nieuw if e.type == BEEINDIGD], "the window is used: the end is not announced again"


def heraanvraag(klok: dict[str, int], start: date, heraanvraag_id: str = HERAANVRAAG) -> Event:
    return received(
        f"p-{BSN}",
        events.HeraanvraagToegekend(
            heraanvraagId=heraanvraag_id,
            bsn=BSN,
            gemeentecode="GM0363",
            geboortedatum=GEBOREN,
            startdatum=start,
            situatie=situatie(),
            vrijlatingsklok=[events.Klokstand(grond=g, maandenGebruikt=n) for g, n in klok.items()],
        ),
    )


async def heropen(p, uow, klok: dict[str, int], start: date, heraanvraag_id: str = HERAANVRAAG) -> str:
    voor = set(uow.uitkeringen.rijen)
    await consumers.on_heraanvraag_toegekend(lambda conn: p)(None, heraanvraag(klok, start, heraanvraag_id))
    [nieuw] = set(uow.uitkeringen.rijen) - voor
    return nieuw


async def vier_maanden_n_tot_mei(p) -> str:
    """A case that used four months of vrijlating n, ended on 31 May; May's polis not in yet."""
    uitkering_id = await geopend(p)
    await inkomens(p, *((f"2026-0{m}", 50000) for m in range(1, 5)))
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 5, 31), Reden.werk)
    return uitkering_id


async def test_a_moved_clock_is_passed_on_along_cases_reopened_one_after_another_and_by_the_last_one_s_end():
    p, uow = ports(VANDAAG)
    await vier_maanden_n_tot_mei(p)
    juli = await heropen(p, uow, {"n": 4}, date(2026, 7, 1))
    await inkomens(p, ("2026-07", 0))
    await uitkeringen.beeindig(p, AMSTERDAM, juli, date(2026, 7, 31), Reden.werk)
    gezien = len(uow.published)
    await inkomens(p, ("2026-05", 50000))  # May's polis, late: n's fifth month
    assert uow.uitkeringen.rijen[juli][0].startklok == (("n", 5),)
    [einde] = [e for e in uow.published[gezien:] if e.type == BEEINDIGD]
    assert (einde.data["uitkeringId"], einde.data["hergebruik"]["vrijlatingsklok"]) == (
        juli,
        [{"grond": "n", "maandenGebruikt": 5}],
    ), "the window after the July case hands on the clock as it is"

    september = await heropen(p, uow, {"n": 5}, date(2026, 9, 1), ANDERE_HERAANVRAAG)
    await inkomens(p, ("2026-09", 50000), ("2026-10", 50000))
    oktober = (await verrekeningen.lijst(p, AMSTERDAM, september))[-1].verrekening
    assert oktober.vrijlating is None, "n's six months are over"
    await inkomens(p, ("2026-04", 300000))  # April above the norm after all: n's fourth month was May
    assert [uow.uitkeringen.rijen[i][0].startklok for i in (juli, september)] == [(("n", 4),), (("n", 4),)]
    oktober = (await verrekeningen.lijst(p, AMSTERDAM, september))[-1].verrekening
    assert (oktober.vrijlating.maand_nummer, oktober.te_betalen) == (6, 97517)


async def test_late_months_in_one_batch_with_the_reopened_case_s_own_are_settled_on_the_clock_they_make():
    """May's polis and the reopened case's September and October in one batch: the reopened case is
    settled once, on the clock May makes, and not first on the one it started with."""
    p, uow = ports(VANDAAG)
    await vier_maanden_n_tot_mei(p)
    september = await heropen(p, uow, {"n": 4}, date(2026, 9, 1))
    for maand in (Maand(2026, 9), Maand(2026, 10)):
        await verrekeningen.betaal(p, AMSTERDAM, september, maand, 90000)
    gezien = len(uow.published)
    await inkomens(p, ("2026-05", 50000), ("2026-09", 50000), ("2026-10", 50000))
    van_september = [e for e in uow.published[gezien:] if e.data.get("uitkeringId") == september]
    assert [
        (e.type, e.data.get("maand"), e.data.get("teBetalen")) for e in van_september if "verrekening" in e.type
    ] == [
        (VASTGESTELD, "2026-09", 97517),
        (VASTGESTELD, "2026-10", 85642),  # no vrijlating: n's sixth month was September
    ]


async def test_a_reopened_case_granted_on_the_clock_before_it_moved_is_put_right_when_the_case_before_settles():
    """The grant was decided on the clock before May moved it (reapplication had not yet heard): the
    next settlement of the ended case, whatever its cause, puts the reopened case right."""
    p, uow = ports(VANDAAG)
    await vier_maanden_n_tot_mei(p)
    await inkomens(p, ("2026-05", 50000))
    september = await heropen(p, uow, {"n": 4}, date(2026, 9, 1))
    await inkomens(p, ("2026-05", 50000), ("2026-04", 50000))  # a repeat: nothing of the case before moves
    assert uow.uitkeringen.rijen[september][0].startklok == (("n", 5),)


async def test_a_month_s_income_from_an_older_event_than_the_one_applied_is_skipped_and_said_so(caplog):
    """Per person order: a late record (published again after a crash, replayed from the dead-letter
    topic) cannot overwrite the income a later event of the same person set."""
    p, uow = ports(VANDAAG)
    await geopend(p)
    handle = consumers.on_maandinkomens(lambda conn: p).handle
    await handle(None, [replace(inkomen_event(BSN, "2026-02", 90000), sequence=7)])
    gepubliceerd = list(uow.published)
    voor = (
        REGISTRY.get_sample_value(
            "schakel_events_superseded_total", {"cloudevents_event_type": MAANDINKOMEN, "reason": "newer"}
        )
        or 0
    )

    with caplog.at_level(logging.INFO):
        await handle(None, [replace(inkomen_event(BSN, "2026-02", 50000), sequence=5)])
    assert uow.inkomens.rijen[f"p-{BSN}"][Maand(2026, 2)].netto == 90000 and uow.published == gepubliceerd
    assert REGISTRY.get_sample_value(
        "schakel_events_superseded_total", {"cloudevents_event_type": MAANDINKOMEN, "reason": "newer"}
    ) == (voor + 1)
    assert "sequence 5 skipped: newer state (sequence 7)" in caplog.text and BSN not in caplog.text

    await handle(None, [replace(inkomen_event(BSN, "2026-02", 80000), sequence=8), inkomen_event(BSN, "2026-03", 1)])
    assert uow.inkomens.rijen[f"p-{BSN}"][Maand(2026, 2)].netto == 80000, "a newer one is applied"
    assert uow.inkomens.rijen[f"p-{BSN}"][Maand(2026, 3)].netto == 1, "an unnumbered one, as before numbering"


async def test_months_settled_after_the_end_hand_on_the_clock_they_moved():
    """The polis comes weeks after the month: the last months settle after the end. The end is announced
    again with the same date and the clock they moved, so a re-application counts on from it; a
    settlement that moves no clock announces nothing, nor one after the person's later case began."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomens(p, ("2026-02", 50000))
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 31), Reden.werk)
    await inkomens(p, ("2026-03", 50000))
    eerst, opnieuw = [e for e in uow.published if e.type == BEEINDIGD]
    assert eerst.data["hergebruik"]["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 1}]
    assert opnieuw.data["hergebruik"]["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 2}]
    assert (opnieuw.data["einddatum"], opnieuw.data["vorigeEinddatum"]) == ("2026-03-31", "2026-03-31")
    await inkomens(p, ("2026-03", 50000))  # the same again: the clock stays
    await inkomens(p, ("2026-02", 400000))  # February above the norm: n's first month is March now
    *_, laatst = [e for e in uow.published if e.type == BEEINDIGD]
    assert laatst.data["hergebruik"]["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 1}]
    assert len([e for e in uow.published if e.type == BEEINDIGD]) == 3
    # a later case began on the clock as it was: an older month settled now hands on nothing more
    mei = date(2026, 5, 1)
    await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, GEBOREN, mei, replace(ALLEEN, ingangsdatum=mei))
    await inkomens(p, ("2026-02", 50000))
    assert len([e for e in uow.published if e.type == BEEINDIGD]) == 3


async def test_a_partner_reads_no_proposal_to_end_of_a_run_before_they_joined():
    """February to April above the norm, proposed and dismissed, while the applicant lived alone: a
    partner from June reads the case from June, so not that run (the applicant's income then, and
    the municipality's decision on it); a run within their period they do read."""
    p, _ = ports(VANDAAG)
    p.brp.personen[PARTNER] = "GM0363"
    uitkering_id = await geopend(p)
    await inkomens(p, *[(f"2026-0{m}", 300000) for m in (2, 3, 4)])
    await uitkeringen.wijs_voorstel_af(p, AMSTERDAM, uitkering_id, FEBRUARI, "seizoenswerk")
    await inkomens(p, ("2026-05", 10000))
    gehuwd = Situatie(date(2026, 6, 1), Huishouden.gehuwd, partner=Partner(PARTNER, GEBOREN))
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, gehuwd)
    partner = Caller("burger", Rol.burger, bsn=PARTNER)
    [zaak] = await uitkeringen.mijn(p, partner)
    assert zaak.beeindigingsvoorstel is None
    assert (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).beeindigingsvoorstel.van_maand == "2026-02"

    await inkomens(p, *[(f"2026-{m:02d}", 400000) for m in (6, 7, 8)])
    [zaak] = await uitkeringen.mijn(p, partner)
    assert (zaak.beeindigingsvoorstel.van_maand, zaak.beeindigingsvoorstel.afgewezen_op) == ("2026-06", None)


async def test_a_corrected_birth_date_of_an_ended_case_moves_the_clock_of_the_case_reopened_after_it():
    """Four months of vrijlating n were used at 36; born in 2003 the person was 23, and n is from 27: the
    case reopened after it (on the clock the end handed on) counts on from none."""
    p, uow = ports(VANDAAG)
    uitkering_id = await vier_maanden_n_tot_mei(p)
    september = await heropen(p, uow, {"n": 4}, date(2026, 9, 1))
    await uitkeringen.corrigeer_geboortedatum(p, AMSTERDAM, uitkering_id, date(2003, 1, 1))
    assert dict(uow.uitkeringen.rijen[september][0].startklok).get("n", 0) == 0

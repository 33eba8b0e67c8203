"""Claims against in-memory ports (Participatiewet art. 58, 60; Rv art. 475dc): a month paid too much
becomes a claim once, however often it is replayed; a back-payment pays it off; a correction in the
person's favour lowers its own claim first and pays out the rest; the running benefit withholds an
instalment once per month within the beslagvrije voet and the municipality's policy; a claim under
the waiver threshold is not recovered; the municipality and the citizen read only their own."""

from dataclasses import replace
from datetime import date

import pytest

from decisions.domain import vordering as vd
from decisions.domain.fouten import AlBeeindigd, Geweigerd, KenmerkGebruikt, NogNietAan, Onbekend
from decisions.domain.situatie import Betaalmodel, Huishouden, Situatie
from decisions.domain.uitkering import Reden
from decisions.domain.vordering import Verhoging, Verhogingsgrond, Vorderingsbeleid
from decisions.entrypoints import consumers, models
from decisions.entrypoints.vorderingen import VorderingWeergave, lees_verhogingen
from decisions.service import kalender, uitkeringen, verrekeningen, vorderingen
from decisions.tests.fakes import ports
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.events import models as events
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")
BSN, ANDER = "999993653", "999990019"
BURGER, ANDERE_BURGER = Caller("burger", Rol.burger, bsn=BSN), Caller("burger", Rol.burger, bsn=ANDER)
START, VANDAAG = date(2026, 3, 1), date(2026, 7, 1)
ONTSTAAN, GEWIJZIGD = events.VorderingOntstaan.TYPE, events.VorderingGewijzigd.TYPE
VASTGESTELD, HERZIEN = events.VerrekeningVastgesteld.TYPE, events.VerrekeningHerzien.TYPE
MAART, APRIL = Maand(2026, 3), Maand(2026, 4)


async def geopend(p, bsn=BSN):
    situatie = Situatie(START, Huishouden.alleenstaand)
    return (
        await uitkeringen.open_uitkering(p, AMSTERDAM, bsn, date(1990, 5, 1), START, situatie)
    ).uitkering.uitkering_id


async def inkomen(p, maand: str, netto: int, bsn=BSN):
    await consumers.on_maandinkomens(lambda conn: p).handle(
        None, [received(f"p-{bsn}", maandinkomen(bsn, maand, netto))]
    )


def claims(uow):
    return [e for e in uow.published if e.type in (ONTSTAAN, GEWIJZIGD)]


async def met_claim(p):
    """March: an advance of € 1.000,00 paid, then € 1.000,00 wage: € 618,92 payable, € 381,08 too much."""
    uitkering_id = await geopend(p)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, MAART, 100_000)
    await inkomen(p, "2026-03", 100_000)
    return uitkering_id


async def test_a_month_paid_too_much_becomes_one_claim_across_replays():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    [event] = claims(uow)
    assert event.type == ONTSTAAN and event.key == f"p-{BSN}"
    d = event.data
    assert (d["maand"], d["bedrag"], d["open"], d["status"]) == ("2026-03", 38_108, 38_108, "open")
    assert "Over maart 2026 kreeg u € 381,08 te veel bijstand" in d["uitleg"]
    assert "nooit zoveel dat u minder overhoudt dan de beslagvrije voet (95% van uw bijstandsnorm" in d["uitleg"]
    # the voet is of the norm with the holiday allowance: that month's payment is less by the part reserved
    # for it, which the text says counts as kept
    assert "de vakantietoeslag die wij voor u opzij zetten, telt daarin mee" in d["uitleg"]
    for _ in range(2):  # a replayed income event and a recomputation settle the same amounts
        await inkomen(p, "2026-03", 100_000)
        await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, MAART, 100_000)
    assert len(claims(uow)) == 1
    [lijst] = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert (lijst["open"], [b["soort"] for b in lijst["boekingen"]]) == (38_108, ["ontstaan"])


async def test_a_later_back_payment_pays_off_the_claim_first():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    await inkomen(p, "2026-04", 100_000)  # April: nothing paid yet, so all of it is a back-payment
    gewijzigd = claims(uow)[-1]
    assert gewijzigd.type == GEWIJZIGD
    assert gewijzigd.data["boekingen"] == [{"soort": "nabetaling", "bedrag": 38_108, "maand": "2026-04"}]
    assert (gewijzigd.data["open"], gewijzigd.data["status"]) == (0, "afgelost")
    assert "Wij verrekenden € 381,08 met wat wij u over april 2026 nabetalen." in gewijzigd.data["uitleg"]
    assert [v["status"] for v in await vorderingen.lees(p, AMSTERDAM, uitkering_id)] == ["afgelost"]
    # the month's own settlement says where part of its back-payment went, in the event and the API
    [april] = [
        e for e in uow.published if e.type == events.VerrekeningVastgesteld.TYPE and e.data["maand"] == "2026-04"
    ]
    zin = (
        "u heeft nog € 618,92 tegoed: daarvan verrekenen wij € 381,08 met openstaande vorderingen over andere "
        "maanden (zie de vorderingen) en betalen wij u € 237,84."
    )
    assert april.data["verrekendMetVorderingen"] == 38_108 and zin in april.data["uitleg"]
    maart, gelezen = await verrekeningen.lijst(p, BURGER, uitkering_id)
    assert (maart.verrekend, gelezen.verrekend) == ({}, {MAART: 38_108})
    weergave = models.VerrekeningWeergave.model_validate(models.verrekening(gelezen))
    assert (weergave.uitleg, weergave.verrekendMetVorderingen) == (april.data["uitleg"], 38_108)


async def test_a_correction_in_the_persons_favour_lowers_the_claim_first_and_never_doubles():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    await inkomen(p, "2026-03", 0)  # the polis is corrected: no wage in March after all
    gewijzigd = claims(uow)[-1]
    assert gewijzigd.data["boekingen"] == [{"soort": "herzien", "bedrag": -38_108, "maand": "2026-03"}]
    assert (gewijzigd.data["bedrag"], gewijzigd.data["open"], gewijzigd.data["status"]) == (0, 0, "vervallen")
    [maart] = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert maart.verrekening.verschil == 133_142 - 100_000, "the rest is a back-payment"
    await inkomen(p, "2026-03", 100_000)  # and back again: the same claim, raised, not a second one
    [vordering] = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    # the € 331,42 back-payment counts as paid out: now it is owed too
    assert (vordering["bedrag"], vordering["open"]) == (38_108 + 33_142, 38_108 + 33_142)
    assert [e.type for e in claims(uow)] == [ONTSTAAN, GEWIJZIGD, GEWIJZIGD]


async def test_the_running_benefit_withholds_one_instalment_a_month_above_the_beslagvrije_voet():
    p, uow = ports(VANDAAG)
    await met_claim(p)
    assert await vorderingen.houd_termijnen_in(p) == 1
    inhouding = claims(uow)[-1].data
    # March's income: € 1.000,00 wage and € 651,50 bijstand; 95% of the € 1.401,50 norm stays
    assert inhouding["boekingen"] == [{"soort": "inhouding", "bedrag": 165_150 - 133_143, "maand": "2026-07"}]
    assert await vorderingen.houd_termijnen_in(p) == 0, "a rerun or a second instance withholds nothing again"
    assert len(claims(uow)) == 2


async def test_an_open_claim_of_an_ended_case_goes_to_a_payment_arrangement_and_nothing_is_withheld():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    assert claims(uow)[-1].data["invordering"] == "inhouding"
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 6, 30), Reden.werk)
    einde = claims(uow)[-1]
    assert (einde.type, einde.data["boekingen"], einde.data["open"]) == (GEWIJZIGD, [], 38_108)
    assert einde.data["invordering"] == "betalingsregeling"
    assert "Uw bijstand is gestopt, dus wij kunnen niets meer inhouden." in einde.data["uitleg"]
    assert "U hoeft zelf niets te doen" not in einde.data["uitleg"]
    assert await vorderingen.houd_termijnen_in(p) == 0
    [gelezen] = await vorderingen.lees(p, BURGER, uitkering_id)
    assert (gelezen["invordering"], gelezen["uitleg"].endswith("bericht van de gemeente.")) == (
        "betalingsregeling",
        True,
    )


async def test_a_repayment_under_a_payment_arrangement_is_booked_once_and_a_later_back_payment_is_paid_out():
    """After the end the municipality collects by a payment arrangement, outside Schakel: what the person
    paid back is booked on the claim, once per payment, or a later back-payment would be netted against
    a claim already paid and the person would pay twice."""
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 6, 30), Reden.werk)
    voor = len(claims(uow))

    deel = await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 20_000, Maand(2026, 6), "BANK-1")
    assert (deel["afgelost"], deel["open"], deel["status"]) == (20_000, 18_108, "open")
    assert deel["boekingen"][-1] == {
        "soort": "terugbetaling",
        "bedrag": 20_000,
        "maand": "2026-06",
        "kenmerk": "BANK-1",
    }
    assert all("kenmerk" not in b for b in deel["boekingen"][:-1]), "only a repayment has a reference"
    [gemeld] = claims(uow)[voor:]
    assert gemeld.type == GEWIJZIGD and gemeld.data["boekingen"] == [deel["boekingen"][-1]]
    assert "In juni 2026 is € 200,00 terugbetaald." in gemeld.data["uitleg"]
    assert "Daarvan is € 200,00 al terugbetaald. Er staat nog € 181,08 open." in gemeld.data["uitleg"]

    nogmaals = await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 20_000, Maand(2026, 6), "BANK-1")
    assert nogmaals == deel and len(claims(uow)) == voor + 1, "the same payment reported again is booked once"
    weigeringen = [
        (KenmerkGebruikt, "kenmerk", (MAART, 10_000, Maand(2026, 6), "BANK-1")),
        (Geweigerd, "bedrag", (MAART, 18_109, Maand(2026, 6), "BANK-2")),
        (Geweigerd, "ontvangenIn", (MAART, 100, Maand(2026, 8), "BANK-2")),
        (Geweigerd, "ontvangenIn", (MAART, 100, Maand(2026, 2), "BANK-2")),
        (Geweigerd, "vordering", (APRIL, 100, Maand(2026, 6), "BANK-2")),
    ]
    for fout, veld, (bron, bedrag, maand, kenmerk) in weigeringen:
        with pytest.raises(fout) as geweigerd:
            await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, bron, bedrag, maand, kenmerk)
        assert geweigerd.value.field == veld
    with pytest.raises(Onbekend):
        await vorderingen.boek_terugbetaling(p, ROTTERDAM, uitkering_id, MAART, 100, Maand(2026, 6), "BANK-3")
    assert len(claims(uow)) == voor + 1, "nothing booked by a refusal"

    uit = replace(p, terugbetalingen=False)  # DECISIONS_TERUGBETALINGEN off: not every instance reads them yet
    with pytest.raises(NogNietAan):
        await vorderingen.boek_terugbetaling(uit, AMSTERDAM, uitkering_id, MAART, 18_108, Maand(2026, 7), "BANK-2")
    assert len(claims(uow)) == voor + 1
    rest = await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 18_108, Maand(2026, 7), "BANK-2")
    assert (rest["afgelost"], rest["open"], rest["status"], rest["invordering"]) == (38_108, 0, "afgelost", None)
    await inkomen(p, "2026-04", 100_000)  # April: nothing paid yet, a back-payment of € 618,92
    [april] = [e for e in uow.published if e.type == VASTGESTELD and e.data["maand"] == "2026-04"]
    assert april.data["verrekendMetVorderingen"] == 0, "not netted against a claim the person paid back"
    [gelezen] = await vorderingen.lees(p, BURGER, uitkering_id)
    assert gelezen["open"] == 0
    assert [b["kenmerk"] for b in gelezen["boekingen"] if b["soort"] == "terugbetaling"] == ["BANK-1", "BANK-2"]


def test_a_payment_reference_is_credited_once_in_a_case():
    """One transfer of € 100,00 must not pay off € 100,00 of March and again of April."""
    boekingen = [
        vd.Boeking(MAART, vd.Soort.ontstaan, 10_000, MAART),
        vd.Boeking(APRIL, vd.Soort.ontstaan, 10_000, APRIL),
    ]
    juni = Maand(2026, 6)
    maart = vd.terugbetaald(vd.vorderingen(boekingen), MAART, 10_000, juni, "TX-1", juni)
    assert maart == vd.Boeking(MAART, vd.Soort.terugbetaling, 10_000, juni, "TX-1")
    claims_ = vd.vorderingen([*boekingen, maart])
    assert vd.terugbetaald(claims_, MAART, 10_000, juni, "TX-1", juni) is None, "reported again: booked already"
    with pytest.raises(KenmerkGebruikt):
        vd.terugbetaald(claims_, APRIL, 10_000, juni, "TX-1", juni)
    assert vd.terugbetaald(claims_, APRIL, 5_000, juni, "TX-2/2", juni) is not None, "a part with its own reference"


async def test_a_caseworkers_raise_of_the_beslagvrije_voet_lowers_the_instalment_and_is_explained():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    woonkosten = Verhoging(date(2026, 7, 1), Verhogingsgrond.woonkosten, 10_000, "huur boven de normhuur")
    assert await vorderingen.verhoog(p, AMSTERDAM, uitkering_id, woonkosten) == [woonkosten]
    assert await vorderingen.verhogingen(p, BURGER, uitkering_id) == [woonkosten]
    await vorderingen.houd_termijnen_in(p)
    inhouding = claims(uow)[-1].data
    # March's income € 1.651,50; the voet € 1.331,43 plus € 100,00 for housing costs
    assert inhouding["boekingen"] == [{"soort": "inhouding", "bedrag": 165_150 - 133_143 - 10_000, "maand": "2026-07"}]
    assert "plus € 100,00 die uw consulent erbij telde voor uw kosten" in inhouding["uitleg"]
    for caller in (ROTTERDAM, ANDERE_BURGER):
        with pytest.raises(Onbekend):
            await vorderingen.verhogingen(p, caller, uitkering_id)
    with pytest.raises(Onbekend):
        await vorderingen.verhoog(p, ROTTERDAM, uitkering_id, woonkosten)


async def test_a_raise_announces_the_open_claims_again_and_is_refused_backdated_or_after_the_end():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    eerder = len(claims(uow))
    groot = Verhoging(VANDAAG, Verhogingsgrond.zorgpremie, 50_000, "premie boven de zorgtoeslag")
    await vorderingen.verhoog(p, AMSTERDAM, uitkering_id, groot)
    [opnieuw] = claims(uow)[eerder:]
    assert (opnieuw.type, opnieuw.data["boekingen"], opnieuw.data["open"]) == (GEWIJZIGD, [], 38_108)
    assert "Op uw bijstand houden wij nu niets in" in opnieuw.data["uitleg"], "the raise leaves no room"
    assert await vorderingen.houd_termijnen_in(p) == 0
    with pytest.raises(Geweigerd) as terug:
        await vorderingen.verhoog(p, AMSTERDAM, uitkering_id, replace(groot, geldig_vanaf=date(2026, 6, 30)))
    assert (terug.value.code, terug.value.field) == ("verhoging-terugwerkend", "geldigVanaf")
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 7, 31), Reden.werk)
    with pytest.raises(AlBeeindigd):
        await vorderingen.verhoog(p, AMSTERDAM, uitkering_id, replace(groot, geldig_vanaf=date(2026, 8, 1)))


async def test_a_case_ended_from_a_later_date_still_withholds_until_then():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 9, 30), Reden.werk)
    assert claims(uow)[-1].data["invordering"] == "inhouding", "nothing announced: it still runs"
    assert await vorderingen.houd_termijnen_in(p) == 1
    assert "Daarna houden wij elke maand een deel in" in claims(uow)[-1].data["uitleg"]


async def test_ending_a_case_in_a_month_with_a_claim_announces_that_claim_once():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    eerder = len(claims(uow))
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 15), Reden.werk)
    [einde] = claims(uow)[eerder:]
    assert (einde.data["maand"], einde.data["boekingen"][0]["soort"]) == ("2026-03", "herzien")
    assert einde.data["invordering"] == "betalingsregeling"
    soorten = [e.type for e in uow.published]
    assert soorten.index(events.UitkeringBeeindigd.TYPE) > soorten.index(GEWIJZIGD)


async def test_ending_a_case_before_months_already_paid_recovers_what_was_paid_for_them():
    """Advances paid for March to May and April settled; then the case is ended on 31 March: April
    is revised to nil, May settled at nil, and all that was paid for them is claimed. The timeliness
    figure counts no month the case did not run in."""
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    mei = Maand(2026, 5)
    for maand in (APRIL, mei):
        await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, maand, 100_000)
    await inkomen(p, "2026-04", 100_000)  # April like March: € 618,92 payable, € 381,08 claimed
    tijdig = (await kalender.tijdigheid(p, AMSTERDAM))[0].verrekend
    eerder = len(uow.published)

    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 31), Reden.werk)

    nieuw = uow.published[eerder:]
    settled = {e.data["maand"]: e for e in nieuw if e.type.startswith("nl.participatiewet.verrekening.")}
    assert sorted(settled) == ["2026-04", "2026-05"], "March ran whole and stays as it was"
    april, mei_ = settled["2026-04"], settled["2026-05"]
    assert (april.type, april.data["teBetalen"], april.data["herziening"]) == (HERZIEN, 0, -61_892)
    assert (mei_.type, mei_.data["teBetalen"], mei_.data["betaald"], mei_.data["verschil"]) == (
        VASTGESTELD,
        0,
        100_000,
        -100_000,
    )
    assert (mei_.data["norm"]["dagen"], mei_.data["norm"]["bedragNaarRato"], mei_.data["vrijlating"]) == (0, 0, None)
    assert "geen recht op bijstand" in mei_.data["uitleg"]
    assert mei_.data["uitleg"].endswith(
        "U kreeg al € 1.000,00; u heeft € 1.000,00 te veel gekregen, dat vorderen wij terug."
    )
    assert april.data["uitleg"].endswith(
        "U kreeg al € 1.000,00; dat is € 1.000,00 te veel. Wij hebben deze maand opnieuw verrekend: eerder was dat "
        "€ 618,92. Wat toen te veel of te weinig was, hebben wij toen al verrekend. Uw vordering over deze maand wordt € 618,92 "
        "hoger, dat vorderen wij terug."
    ), "the € 381,08 claimed before is not claimed again"
    open_ = {c["maand"]: (c["open"], c["invordering"]) for c in await vorderingen.lees(p, BURGER, uitkering_id)}
    assert open_ == {
        "2026-03": (38_108, "betalingsregeling"),
        "2026-04": (100_000, "betalingsregeling"),
        "2026-05": (100_000, "betalingsregeling"),
    }
    assert (await kalender.tijdigheid(p, AMSTERDAM))[0].verrekend == tijdig
    assert [str(v.verrekening.maand) for v in await verrekeningen.lijst(p, BURGER, uitkering_id)] == [
        "2026-03",
        "2026-04",
        "2026-05",
    ]
    # a replayed income event or a recomputation changes nothing again
    aantal = len(uow.published)
    await inkomen(p, "2026-04", 100_000)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, MAART, 100_000)
    assert len(uow.published) == aantal
    # May's advance was recorded by mistake: corrected after the end, its claim goes
    gecorrigeerd = await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, mei, 0)
    assert (gecorrigeerd.verrekening.betaald, gecorrigeerd.verrekening.verschil) == (0, 0)
    open_ = {c["maand"]: (c["open"], c["status"]) for c in await vorderingen.lees(p, BURGER, uitkering_id)}
    assert open_["2026-05"] == (0, "vervallen")
    with pytest.raises(Geweigerd) as buiten:  # a month after the end that was never paid stays refused
        await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 6), 100_000)
    assert buiten.value.code == "maand-buiten-uitkering"


async def test_the_citizen_reads_the_raises_without_the_reason():
    p, _ = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    await vorderingen.verhoog(p, AMSTERDAM, uitkering_id, Verhoging(VANDAAG, Verhogingsgrond.zorgpremie, 100, "ziek"))
    [gemeente] = await lees_verhogingen(uitkering_id, p, AMSTERDAM)
    [burger] = await lees_verhogingen(uitkering_id, p, BURGER)
    assert (gemeente["reden"], burger["reden"], burger["bedrag"]) == ("ziek", None, 100)


async def test_the_municipalitys_policy_caps_the_instalment_and_waives_a_small_claim():
    p, uow = ports(VANDAAG)
    await vorderingen.zet_beleid(p, AMSTERDAM, Vorderingsbeleid(date(2026, 1, 1), maximale_termijn=5_000))
    await met_claim(p)
    await vorderingen.houd_termijnen_in(p)
    assert claims(uow)[-1].data["boekingen"][0]["bedrag"] == 5_000
    assert "en nooit meer dan € 50,00" in claims(uow)[-1].data["uitleg"]

    p, uow = ports(VANDAAG)
    await vorderingen.zet_beleid(p, AMSTERDAM, Vorderingsbeleid(date(2026, 1, 1), drempel=50_000))
    await met_claim(p)
    [event] = claims(uow)
    assert (event.data["status"], event.data["kwijtgescholden"], event.data["open"]) == (
        "buiten-invordering",
        38_108,
        0,
    )
    assert "niet terug: het bedrag is lager dan de grens van uw gemeente" in event.data["uitleg"]
    assert await vorderingen.houd_termijnen_in(p) == 0
    assert await vorderingen.beleid(p, AMSTERDAM) == [Vorderingsbeleid(date(2026, 1, 1), drempel=50_000)]


async def test_only_the_municipality_and_the_person_of_the_case_read_its_claims():
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    andere = await geopend(p, ANDER)
    await verrekeningen.betaal(p, AMSTERDAM, andere, MAART, 140_000)
    await inkomen(p, "2026-03", 100_000, ANDER)
    assert [v["maand"] for v in await vorderingen.lees(p, BURGER, uitkering_id)] == ["2026-03"]
    for caller in (ROTTERDAM, ANDERE_BURGER):
        with pytest.raises(Onbekend):
            await vorderingen.lees(p, caller, uitkering_id)
    assert [v["uitkeringId"] for v in await vorderingen.mijn(p, BURGER)] == [uitkering_id]
    assert [v["uitkeringId"] for v in await vorderingen.mijn(p, ANDERE_BURGER)] == [andere]


async def test_on_stable_income_the_account_takes_the_bijstand_and_only_an_advance_on_top_is_a_claim():
    """The bijstand of a month on stable income goes into the intermediate account, which pays the fixed
    amount: it pays off no claim, a correction that lowers it raises none, and an advance paid on top of
    the fixed amount (one proposed before the switch) is owed back whole."""
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)  # March on advances: € 381,08 too much
    stabiel = Situatie(APRIL.eerste_dag, Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, stabiel)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 5), 133_142)  # May's advance was paid
    await inkomen(p, "2026-04", 100_000)
    await inkomen(p, "2026-05", 100_000)
    maart, april, mei = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert (april.verrekening.tussenrekening, april.verrekening.te_betalen, april.verrekening.verschil) == (
        True,
        61_892,
        0,
    )
    assert mei.verrekening.verschil == -133_142
    assert "ook een voorschot van € 1.331,42" in verrekeningen.uitleg(mei.verrekening)
    maart_claim, mei_claim = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert (maart_claim["open"], [b["soort"] for b in maart_claim["boekingen"]]) == (38_108, ["ontstaan"])
    assert (mei_claim["maand"], mei_claim["open"]) == ("2026-05", 133_142)
    # nothing is withheld from the fixed amount: a payment arrangement, said so
    assert await vorderingen.houd_termijnen_in(p) == 0
    assert mei_claim["invordering"] == "betalingsregeling"
    assert "op het vaste bedrag van de tussenrekening houden wij niets in" in mei_claim["uitleg"]
    # April's wage corrected upwards: less bijstand into the account, no claim for money never paid out
    await inkomen(p, "2026-04", 130_000)
    assert [v["maand"] for v in await vorderingen.lees(p, AMSTERDAM, uitkering_id)] == ["2026-03", "2026-05"]
    # ended before April: the fixed amount the account paid for April to July (today; June and July not
    # settled yet) is owed no more, a claim as an advance paid for a month after the end is (May's advance on
    # top of it too)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 31), Reden.werk)
    assert [(v["maand"], v["bedrag"]) for v in await vorderingen.lees(p, AMSTERDAM, uitkering_id)] == [
        ("2026-03", 38_108),
        ("2026-04", 133_142),
        ("2026-05", 2 * 133_142),
        ("2026-06", 133_142),
        ("2026-07", 133_142),
    ]


async def test_a_month_settled_or_paid_keeps_its_payment_model():
    """Turning a month already settled (its bijstand went to the person) or paid to stable income would claim
    back what was paid; turning one from stable income would pay it twice. Refused, nothing changed; from
    a month after them it is a change like any other."""
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await inkomen(p, "2026-03", 100_000)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, APRIL, 133_142)
    for ingang in (START, date(2026, 4, 1)):
        stabiel = Situatie(ingang, Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
        with pytest.raises(Geweigerd) as refused:
            await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, stabiel)
        assert (refused.value.code, refused.value.field) == ("betaalmodel-al-verrekend", "betaalmodel")
    assert [s.betaalmodel for s in await uow.situaties.van(uitkering_id)] == [Betaalmodel.voorschot]
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, Maand(2026, 5), 0)  # nothing paid, as settling reads it
    mei = Situatie(date(2026, 5, 1), Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, mei)
    assert [s.betaalmodel for s in await uow.situaties.van(uitkering_id)][-1] is Betaalmodel.stabiel_inkomen


async def test_a_month_stored_before_it_said_it_was_on_stable_income_is_announced_when_it_does():
    """A month settled on stable income before 0.11 was stored without saying so: settled again, it is
    announced as a revision of nothing (`herziening` 0), with `tussenrekening`."""
    p, uow = ports(VANDAAG)
    stabiel = Situatie(START, Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
    uitkering_id = (
        await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, date(1990, 5, 1), START, stabiel)
    ).uitkering.uitkering_id
    await inkomen(p, "2026-03", 100_000)
    opgeslagen = uow.verrekeningen.rijen[uitkering_id][MAART]
    uow.verrekeningen.rijen[uitkering_id][MAART] = replace(
        opgeslagen, verrekening=replace(opgeslagen.verrekening, tussenrekening=False)
    )
    await inkomen(p, "2026-03", 100_000)  # settled again: the same amounts
    herzien = [e for e in uow.published if e.type == HERZIEN]
    assert [(e.data["maand"], e.data["herziening"], e.data["tussenrekening"]) for e in herzien] == [
        ("2026-03", 0, True)
    ]


async def test_back_on_advances_the_instalment_is_estimated_though_the_last_settled_month_was_on_stable_income():
    """April and May on stable income, from June on advances again: July's instalment is estimated as
    usual (the month's own payment model counts, not that of the last month settled), and the text says
    so, not that the person gets stable income."""
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)  # March on advances: € 381,08 too much
    stabiel = Situatie(APRIL.eerste_dag, Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
    # both decided in March, before the account paid any month (a month it paid keeps stable income)
    in_maart = replace(p, clock=FixedClock(date(2026, 3, 31)))
    await uitkeringen.wijzig(in_maart, AMSTERDAM, uitkering_id, stabiel)
    await uitkeringen.wijzig(in_maart, AMSTERDAM, uitkering_id, Situatie(date(2026, 6, 1), Huishouden.alleenstaand))
    await inkomen(p, "2026-04", 100_000)
    await inkomen(p, "2026-05", 100_000)
    *_, mei = await verrekeningen.lijst(p, AMSTERDAM, uitkering_id)
    assert (str(mei.verrekening.maand), mei.verrekening.tussenrekening) == ("2026-05", True)
    [claim] = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert claim["invordering"] == "inhouding"
    assert "stabiel inkomen" not in claim["uitleg"]
    # July as the months before: € 1.000,00 wage, € 750,00 counted after the vrijlating, so € 651,50 bijstand
    # (€ 618,92 payable); € 1.651,50 in all leaves € 320,07 above the beslagvrije voet of € 1.331,43
    assert 65_150 + 100_000 - 133_143 == 32_007
    assert "(naar verwachting € 320,07 per maand)" in claim["uitleg"]
    assert await vorderingen.houd_termijnen_in(p) == 1
    [claim] = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert claim["boekingen"][-1] == {"soort": "inhouding", "bedrag": 32_007, "maand": "2026-07"}


async def test_a_claim_from_the_month_stable_income_starts_says_so():
    """On stable income from this month, the last month settled on advances: nothing is withheld from the
    fixed amount, and the text says that, not that no bijstand is expected."""
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    stabiel = Situatie(VANDAAG, Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, stabiel)
    assert await vorderingen.houd_termijnen_in(p) == 0
    [claim] = await vorderingen.lees(p, AMSTERDAM, uitkering_id)
    assert claim["invordering"] == "betalingsregeling"
    assert "geen bijstand te betalen" not in claim["uitleg"]
    assert "U krijgt stabiel inkomen: op het vaste bedrag van de tussenrekening houden wij niets in." in claim["uitleg"]


async def test_a_claim_of_a_month_on_stable_income_lowered_by_a_revision_pays_back_what_was_repaid():
    """April on stable income; the case ended back before it makes its fixed amount a claim; the end
    corrected past April lowers it. What the person repaid of it is paid back to them, as the month's
    settlement says (wij betalen u bij), on stable income as on advances."""
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    stabiel = Situatie(APRIL.eerste_dag, Huishouden.alleenstaand, betaalmodel=Betaalmodel.stabiel_inkomen)
    await uitkeringen.wijzig(p, AMSTERDAM, uitkering_id, stabiel)
    await inkomen(p, "2026-04", 100_000)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 31), Reden.werk)
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 4, 30))
    [april] = [c for c in await vorderingen.lees(p, AMSTERDAM, uitkering_id) if c["maand"] == "2026-04"]
    assert [(b["soort"], b["bedrag"]) for b in april["boekingen"]] == [("ontstaan", 133_142), ("herzien", -133_142)]
    assert (
        "Na een nieuwe verrekening van april 2026 is de vordering € 1.331,42 lager; wat u daarna nog tegoed "
        "heeft, betalen wij u na." in april["uitleg"]
    )


async def test_a_repayment_the_bank_reversed_is_open_again_announced_and_reversed_once():
    """A direct debit under the payment arrangement came back: the municipality reverses its booking. The
    claim is open again from that month, the person and the back office read why; reported again, or the
    repayment reported again, nothing moves."""
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 6, 30), Reden.werk)
    await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 20_000, Maand(2026, 6), "BANK-1")
    voor = len(claims(uow))

    weigeringen = [("BANK-2", Maand(2026, 7), "kenmerk"), ("BANK-1", Maand(2026, 5), "gestorneerdIn")]
    for kenmerk, maand, veld in weigeringen:
        with pytest.raises(Geweigerd) as geweigerd:
            await vorderingen.storneer_terugbetaling(p, AMSTERDAM, uitkering_id, kenmerk, maand)
        assert geweigerd.value.field == veld
    with pytest.raises(Onbekend):
        await vorderingen.storneer_terugbetaling(p, ROTTERDAM, uitkering_id, "BANK-1", Maand(2026, 7))
    uit = replace(p, storneringen=False)  # DECISIONS_STORNERINGEN off: an instance before 0.21 misreads it
    with pytest.raises(NogNietAan):
        await vorderingen.storneer_terugbetaling(uit, AMSTERDAM, uitkering_id, "BANK-1", Maand(2026, 7))
    assert len(claims(uow)) == voor, "nothing booked by a refusal"

    terug = await vorderingen.storneer_terugbetaling(p, AMSTERDAM, uitkering_id, "BANK-1", Maand(2026, 7))
    assert (terug["afgelost"], terug["open"], terug["status"], terug["invordering"]) == (
        0,
        38_108,
        "open",
        "betalingsregeling",
    )
    storno = {"soort": "terugbetaling", "bedrag": -20_000, "maand": "2026-07", "kenmerk": "BANK-1"}
    assert terug["boekingen"][-1] == storno
    [gemeld] = claims(uow)[voor:]
    assert gemeld.type == GEWIJZIGD and gemeld.data["boekingen"] == [storno]
    assert "Een terugbetaling van € 200,00 is in juli 2026 teruggedraaid" in gemeld.data["uitleg"]

    nogmaals = await vorderingen.storneer_terugbetaling(p, AMSTERDAM, uitkering_id, "BANK-1", Maand(2026, 7))
    with pytest.raises(KenmerkGebruikt):  # as a repayment reported again with other details
        await vorderingen.storneer_terugbetaling(p, AMSTERDAM, uitkering_id, "BANK-1", Maand(2026, 8))
    opnieuw = await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 20_000, Maand(2026, 6), "BANK-1")
    assert nogmaals == opnieuw == terug and len(claims(uow)) == voor + 1, "each reported again: nothing moves"
    nieuw = await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 20_000, Maand(2026, 7), "BANK-3")
    assert nieuw["open"] == 18_108, "paid again, under the new payment's own reference"


async def test_a_repayment_reversed_after_it_paid_for_a_refund_is_owed_with_that_refund():
    """March's € 381,08 was paid back (BANK-1); a correction lowered the claim to € 238,58 and the € 142,50
    paid beyond it went back to the person. Then the bank reversed BANK-1: the whole € 381,08 is owed again
    (the claim, and the refund paid out of money never received), announced and answered as the contract
    has it: what was paid off is nothing, never below."""
    p, uow = ports(VANDAAG)
    uitkering_id = await met_claim(p)
    await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 38_108, Maand(2026, 6), "BANK-1")
    await inkomen(p, "2026-03", 80_000)  # the refund of € 142,50
    voor = len(claims(uow))

    terug = await vorderingen.storneer_terugbetaling(p, AMSTERDAM, uitkering_id, "BANK-1", Maand(2026, 7))
    assert (terug["bedrag"], terug["afgelost"], terug["open"], terug["status"]) == (38_108, 0, 38_108, "open")
    [gemeld] = claims(uow)[voor:]
    assert (gemeld.data["afgelost"], gemeld.data["open"]) == (0, 38_108)
    assert "In totaal kreeg u over maart 2026 € 381,08 te veel. Er staat nog € 381,08 open." in gemeld.data["uitleg"]
    [gelezen] = await vorderingen.lees(p, BURGER, uitkering_id)
    assert VorderingWeergave.model_validate(gelezen).open == 38_108, "the API answers it too"


async def test_a_reversed_repayment_of_a_claim_under_the_threshold_is_not_recovered_and_says_so():
    """Amsterdam does not recover a claim under € 380,00. March's € 381,08 was paid € 300,00 (BANK-1), then
    lowered to € 373,95: the € 73,95 open is not recovered. The bank reverses BANK-1: the claim still comes
    to € 373,95, so the € 300,00 is not recovered either, not withheld while the text says the claim is
    under the threshold."""
    p, uow = ports(VANDAAG)
    await vorderingen.zet_beleid(p, AMSTERDAM, Vorderingsbeleid(date(2026, 1, 1), drempel=38_000))
    uitkering_id = await met_claim(p)
    await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 30_000, Maand(2026, 6), "BANK-1")
    await inkomen(p, "2026-03", 99_000)
    terug = await vorderingen.storneer_terugbetaling(p, AMSTERDAM, uitkering_id, "BANK-1", Maand(2026, 7))
    assert (terug["bedrag"], terug["kwijtgescholden"], terug["open"], terug["status"], terug["invordering"]) == (
        37_395,
        37_395,
        0,
        "buiten-invordering",
        None,
    )
    assert claims(uow)[-1].data["boekingen"] == [
        {"soort": "terugbetaling", "bedrag": -30_000, "maand": "2026-07", "kenmerk": "BANK-1"},
        {"soort": "kwijtschelding", "bedrag": 30_000, "maand": "2026-03"},
    ]
    assert await vorderingen.houd_termijnen_in(p) == 0


@pytest.mark.parametrize("teruggaven", [True, False])
async def test_a_correction_in_favour_of_a_claim_paid_back_books_the_refund(teruggaven):
    """March's € 381,08 too much was paid back; then March's wage turns out lower: March paid only
    € 238,58 too much. The claim says so, and the € 142,50 of what was paid back beyond it goes back with
    March's back-payment, which the settlement says too. Without refunds (DECISIONS_TERUGGAVEN off: not
    every instance reads them) the claim is left as it was, and the money is the same."""
    p, uow = ports(VANDAAG)
    p = replace(p, teruggaven=teruggaven)
    uitkering_id = await met_claim(p)
    await vorderingen.boek_terugbetaling(p, AMSTERDAM, uitkering_id, MAART, 38_108, Maand(2026, 6), "BANK-1")
    voor = len(claims(uow))
    await inkomen(p, "2026-03", 80_000)
    [herzien] = [e for e in uow.published if e.type == HERZIEN and e.data["maand"] == "2026-03"]
    assert herzien.data["betaald"] - herzien.data["teBetalen"] == 23_858, "the advance of € 1.000,00, less payable"
    [gelezen] = await vorderingen.lees(p, BURGER, uitkering_id)
    if not teruggaven:
        assert len(claims(uow)) == voor and (gelezen["bedrag"], gelezen["afgelost"]) == (38_108, 38_108)
        return
    [gemeld] = claims(uow)[voor:]
    assert gemeld.type == GEWIJZIGD
    assert gemeld.data["boekingen"] == [
        {"soort": "herzien", "bedrag": -14_250, "maand": "2026-03"},
        {"soort": "teruggave", "bedrag": 14_250, "maand": "2026-03"},
    ]
    assert (gelezen["bedrag"], gelezen["afgelost"], gelezen["open"], gelezen["status"]) == (
        23_858,
        23_858,
        0,
        "afgelost",
    )
    terug = "Daarvan was € 142,50 al terugbetaald: dat gaat terug met de nabetaling over maart 2026"
    assert terug in gemeld.data["uitleg"]
    assert "(€ 142,50 daarvan was al terugbetaald: dat telt mee in wat u tegoed heeft)" in herzien.data["uitleg"]

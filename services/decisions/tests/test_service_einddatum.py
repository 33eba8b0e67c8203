"""Correcting the end date of an ended case against in-memory ports: an earlier end settles the months
after it at nil and claims what was paid for them, a later end settles a month it brings back by its
income and revises its claim, the outflow record moves along, and the end is announced again with the
date it replaces; refused while the case runs, once a later case exists, or when a month it brings
back waits for a caseworker or for its polis."""

from dataclasses import replace
from datetime import date

import pytest

from decisions.domain.fouten import EindeVastgezet, Geweigerd, Onbekend
from decisions.domain.situatie import Huishouden, Situatie
from decisions.domain.uitkering import Reden
from decisions.entrypoints import consumers
from decisions.service import uitkeringen, verrekeningen, vorderingen
from decisions.tests.fakes import ports
from decisions.tests.test_service_vorderingen import AMSTERDAM, BSN, ROTTERDAM, VANDAAG, geopend, inkomen
from schakel.clock import FixedClock
from schakel.events import models as events
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received

MAART, APRIL, MEI = Maand(2026, 3), Maand(2026, 4), Maand(2026, 5)
VERREKEND = (events.VerrekeningVastgesteld.TYPE, events.VerrekeningHerzien.TYPE)


async def betaald_en_beeindigd(p, einddatum: date) -> str:
    """March to May paid € 1.000,00 each; € 1.000,00 wage in March and April, May's polis not yet in."""
    uitkering_id = await geopend(p)
    for maand in (MAART, APRIL, MEI):
        await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, maand, 100_000)
    for maand in ("2026-03", "2026-04"):
        await inkomen(p, maand, 100_000)
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, einddatum, Reden.werk)
    return uitkering_id


def sinds(uow, eerder: int, *soorten: str):
    return [e for e in uow.published[eerder:] if e.type in soorten]


async def open_claims(p, uitkering_id):
    return {c["maand"]: c["open"] for c in await vorderingen.lees(p, AMSTERDAM, uitkering_id) if c["open"]}


async def test_an_earlier_end_settles_the_months_after_it_at_nil_and_is_announced_with_the_date_it_replaces():
    p, uow = ports(VANDAAG)
    uitkering_id = await betaald_en_beeindigd(p, date(2026, 5, 31))
    assert await open_claims(p, uitkering_id) == {"2026-03": 38_108, "2026-04": 38_108}
    [(_, _, maand, _)] = uow.uitstroom.rijen.values()
    assert maand == MEI
    eerder = len(uow.published)

    weergave = await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 3, 31))

    assert (weergave.uitkering.einddatum, weergave.uitkering.reden) == (date(2026, 3, 31), Reden.werk)
    verrekend = {e.data["maand"]: e.data for e in sinds(uow, eerder, *VERREKEND)}
    assert sorted(verrekend) == ["2026-04", "2026-05"], "March ran whole and stays as it was"
    assert (verrekend["2026-04"]["teBetalen"], verrekend["2026-04"]["herziening"]) == (0, -61_892)
    assert (verrekend["2026-05"]["teBetalen"], verrekend["2026-05"]["verschil"]) == (0, -100_000)
    assert await open_claims(p, uitkering_id) == {"2026-03": 38_108, "2026-04": 100_000, "2026-05": 100_000}
    [einde] = sinds(uow, eerder, events.UitkeringBeeindigd.TYPE)
    assert (einde.data["einddatum"], einde.data["vorigeEinddatum"], einde.data["reden"]) == (
        "2026-03-31",
        "2026-05-31",
        "werk",
    )
    assert einde.data["partners"] == []
    [(_, _, maand, _)] = uow.uitstroom.rijen.values()
    assert maand == MAART, "the outflow record moves, it does not double"

    eerder = len(uow.published)
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 3, 31))
    assert uow.published[eerder:] == [], "the same end again changes nothing"


async def test_a_later_end_settles_a_month_it_brings_back_by_its_income_or_with_none_known():
    p, uow = ports(VANDAAG)
    uitkering_id = await betaald_en_beeindigd(p, date(2026, 3, 31))
    assert await open_claims(p, uitkering_id) == {"2026-03": 38_108, "2026-04": 100_000, "2026-05": 100_000}
    eerder = len(uow.published)

    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 4, 30))

    [april] = sinds(uow, eerder, *VERREKEND)
    assert (april.data["maand"], april.data["teBetalen"], april.data["herziening"]) == ("2026-04", 61_892, 61_892)
    assert "Over april 2026 is uw bijstandsnorm" in april.data["uitleg"]
    assert await open_claims(p, uitkering_id) == {"2026-03": 38_108, "2026-04": 38_108, "2026-05": 100_000}
    [(_, _, maand, _)] = uow.uitstroom.rijen.values()
    assert maand == APRIL

    # May was settled at nil only because it was paid, and its polis is due on 15 July: until then no
    # income known is no sign of none, so the correction waits
    eerder = len(uow.published)
    with pytest.raises(EindeVastgezet) as vroeg:
        await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 5, 31))
    assert (vroeg.value.code, vroeg.value.field) == ("maand-niet-te-verrekenen", "einddatum")
    assert "over mei 2026 is nog geen inkomen bekend en de polis wordt pas op 15-07-2026 verwacht" in vroeg.value.detail
    assert uow.published[eerder:] == []
    assert (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).uitkering.einddatum == date(2026, 4, 30)

    # the day after it no polis of May came (the person had no income), so it comes back settled with
    # none: the whole benefit, and what was paid is no claim
    p = replace(p, clock=FixedClock(date(2026, 7, 16)))
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 5, 31))
    [mei] = sinds(uow, eerder, *VERREKEND)
    assert (mei.data["maand"], mei.data["inkomen"]["nettoInkomen"], mei.data["betaald"]) == ("2026-05", 0, 100_000)
    assert (mei.data["getoetstInkomen"], mei.data["vrijlating"]) == (0, None)
    assert mei.data["teBetalen"] == mei.data["bijstand"] - mei.data["vakantietoeslag"] > 100_000
    assert mei.data["herziening"] == mei.data["teBetalen"]
    assert "Over deze maand is geen inkomen van u bekend." in mei.data["uitleg"]
    nabetaling = mei.data["teBetalen"] - 100_000  # pays off the oldest open claim first
    assert mei.data["verrekendMetVorderingen"] == nabetaling
    assert await open_claims(p, uitkering_id) == {"2026-03": 38_108 - nabetaling, "2026-04": 38_108}

    # May's polis arrives after all: the month is revised by its income, and what it paid off is owed again
    await inkomen(p, "2026-05", 100_000)
    assert await open_claims(p, uitkering_id) == {
        "2026-03": 38_108 - nabetaling,
        "2026-04": 38_108,
        "2026-05": 38_108 + nabetaling,
    }


async def test_a_month_brought_back_that_waits_for_a_caseworker_is_refused_too():
    p, _ = ports(VANDAAG)
    uitkering_id = await betaald_en_beeindigd(p, date(2026, 3, 31))
    mei = maandinkomen(BSN, "2026-05", 100_000, soort="onbekend")  # of a kind Schakel cannot tell
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [received(f"p-{BSN}", mei)])
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 4, 30))
    with pytest.raises(EindeVastgezet) as wacht:
        await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 5, 31))
    assert (wacht.value.code, wacht.value.field) == ("maand-niet-te-verrekenen", "einddatum")
    assert "de verrekening over mei 2026 wacht op een consulent" in wacht.value.detail
    assert await open_claims(p, uitkering_id) == {"2026-03": 38_108, "2026-04": 38_108, "2026-05": 100_000}


async def test_an_end_moved_past_today_announces_how_the_claims_are_recovered_now():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    await verrekeningen.betaal(p, AMSTERDAM, uitkering_id, MAART, 100_000)
    await inkomen(p, "2026-03", 100_000)  # a claim of € 381,08
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 6, 30), Reden.werk)
    assert [c["invordering"] for c in await vorderingen.lees(p, AMSTERDAM, uitkering_id)] == ["betalingsregeling"]
    eerder = len(uow.published)
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 9, 30))
    [claim] = sinds(uow, eerder, events.VorderingGewijzigd.TYPE)
    assert (claim.data["maand"], claim.data["invordering"]) == ("2026-03", "inhouding")
    eerder = len(uow.published)
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 6, 30))
    [claim] = sinds(uow, eerder, events.VorderingGewijzigd.TYPE)
    assert claim.data["invordering"] == "betalingsregeling"


async def test_a_correction_is_refused_while_the_case_runs_before_its_start_after_a_later_case_and_elsewhere():
    p, uow = ports(VANDAAG)
    uitkering_id = await geopend(p)
    with pytest.raises(EindeVastgezet) as loopt:
        await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 3, 31))
    assert loopt.value.code == "niet-beeindigd"
    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 31), Reden.werk)
    with pytest.raises(Geweigerd) as voor:
        await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 2, 28))
    assert (voor.value.code, voor.value.field) == ("einddatum-voor-startdatum", "einddatum")
    with pytest.raises(Onbekend):
        await uitkeringen.corrigeer_einde(p, ROTTERDAM, uitkering_id, date(2026, 4, 15))

    # a later case counts on from this end (its vrijlating clock, its outflow return): it stays
    situatie = Situatie(date(2026, 6, 1), Huishouden.alleenstaand)
    await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, date(1990, 5, 1), date(2026, 6, 1), situatie)
    eerder = len(uow.published)
    with pytest.raises(EindeVastgezet) as later:
        await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 4, 30))
    assert later.value.code == "latere-uitkering"
    assert uow.published[eerder:] == []
    [(_, _, maand, terug)] = uow.uitstroom.rijen.values()
    assert (maand, terug) == (MAART, 3)

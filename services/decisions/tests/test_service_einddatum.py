"""Correcting the end date of an ended case against in-memory ports: an earlier end settles the months
after it at nil and claims what was paid for them, a later end settles a month it brings back by its
income and revises its claim, the outflow record moves along, and the end is announced again with the
date it replaces; refused while the case runs, when a later case starts by the new end, or when a
month it brings back has no income known."""

from datetime import date

import pytest

from decisions.domain.fouten import EindeVastgezet, Geweigerd, Onbekend
from decisions.domain.situatie import Huishouden, Situatie
from decisions.domain.uitkering import Reden
from decisions.service import uitkeringen, verrekeningen, vorderingen
from decisions.tests.fakes import ports
from decisions.tests.test_service_vorderingen import AMSTERDAM, BSN, ROTTERDAM, VANDAAG, geopend, inkomen
from schakel.events import models as events
from schakel.primitives import Maand

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


async def test_a_later_end_settles_a_month_it_brings_back_by_its_income_but_not_one_without():
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

    # May was settled at nil only because it was paid; within the case and without its polis it
    # would have no settlement at all, so the correction waits for May's income
    eerder = len(uow.published)
    with pytest.raises(EindeVastgezet) as zonder:
        await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 5, 31))
    assert (zonder.value.code, zonder.value.field) == ("maand-zonder-inkomen", "einddatum")
    assert "over mei 2026 is nog geen inkomen bekend" in zonder.value.detail
    assert uow.published[eerder:] == []
    assert (await uitkeringen.lees(p, AMSTERDAM, uitkering_id)).uitkering.einddatum == date(2026, 4, 30)

    await inkomen(p, "2026-05", 100_000)
    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 5, 31))
    assert await open_claims(p, uitkering_id) == {"2026-03": 38_108, "2026-04": 38_108, "2026-05": 38_108}


async def test_a_correction_is_refused_while_the_case_runs_before_its_start_by_a_later_case_and_to_another_municipality():
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

    situatie = Situatie(date(2026, 5, 1), Huishouden.alleenstaand)
    await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, date(1990, 5, 1), date(2026, 5, 1), situatie)
    [(_, _, _, terug)] = uow.uitstroom.rijen.values()
    assert terug == 2, "left in March, back in May"
    with pytest.raises(EindeVastgezet) as later:
        await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 5, 1))
    assert (later.value.code, later.value.field) == ("latere-uitkering", "einddatum")

    await uitkeringen.corrigeer_einde(p, AMSTERDAM, uitkering_id, date(2026, 4, 30))
    [(_, _, maand, terug)] = uow.uitstroom.rijen.values()
    assert (maand, terug) == (APRIL, 1), "the return counts from the corrected month of leaving"

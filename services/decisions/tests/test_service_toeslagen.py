"""The toeslagen signal through the service with in-memory ports: a month settled from the polis
that moves the year's expected income by more than the threshold is announced once, keyed by the
person's pseudonym; a correction the bijstand absorbs, or the same income again, is not; the
municipality and the person read the estimate, another person does not, and a partner only from the
months since they joined."""

from datetime import date

import pytest

from decisions.domain.fouten import Onbekend
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.uitkering import Reden
from decisions.entrypoints import consumers
from decisions.service import toeslagen, uitkeringen
from decisions.tests.fakes import ports
from schakel.caller import Caller, Rol
from schakel.events import models as events
from tests.support.builders import bsn
from tests.support.events import maandinkomen, received

VANDAAG = date(2026, 6, 15)
BSN, ANDER = "999993653", "999990019"
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
BURGER, ANDERE_BURGER = Caller("burger", Rol.burger, bsn=BSN), Caller("burger", Rol.burger, bsn=ANDER)
GEWIJZIGD = events.ToeslageninkomenGewijzigd.TYPE


async def binnen(p, maand: str, netto: int, fiscaal: int = 0, van: str = BSN) -> None:
    """A month's wage from the polis: its net and its fiscal wage (before wage tax)."""
    data = maandinkomen(van, maand, netto, soort="arbeid")
    [b] = data.bijdragen
    berekening = b.berekening.model_copy(update={"fiscaalLoon": fiscaal})
    data = data.model_copy(update={"bijdragen": [b.model_copy(update={"berekening": berekening})]})
    event = received(f"p-{van}", data)
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [event])


def signalen(uow) -> list:
    return [e for e in uow.published if e.type == GEWIJZIGD]


async def case(p) -> str:
    alleen = Situatie(date(2026, 3, 1), Huishouden.alleenstaand)
    return (
        await uitkeringen.open_uitkering(p, AMSTERDAM, BSN, date(1990, 5, 1), date(2026, 3, 1), alleen)
    ).uitkering.uitkering_id


async def test_a_new_job_is_signalled_once_with_the_estimate_before_and_after():
    p, uow = ports(VANDAAG)
    uitkering_id = await case(p)
    await binnen(p, "2026-03", 0)
    await binnen(p, "2026-04", 0)
    assert signalen(uow) == []  # the first months: nothing to compare with yet, or no change
    await binnen(p, "2026-05", 150_000, 190_000)  # a job: the bijstand drops by the net less the vrijlating
    [signaal] = signalen(uow)
    assert signaal.key == f"p-{BSN}" and BSN not in signaal.id + signaal.source + signaal.type
    d = signaal.data
    assert (d["uitkeringId"], d["jaar"], d["verrekendeMaanden"]) == (uitkering_id, 2026, ["2026-05"])
    assert (d["voor"]["fiscaalLoon"], d["na"]["fiscaalLoon"]) == (0, 190_000)
    assert d["verschil"] == d["na"]["jaarinkomen"] - d["voor"]["jaarinkomen"] > d["drempel"] == 100_000
    assert d["na"]["bijstandNettoMaanden"] == 3 and "Mijn toeslagen" in d["stap"] and "te laag" in d["uitleg"]

    await binnen(p, "2026-05", 150_000, 190_000)  # the same income again: nothing moved
    await binnen(p, "2026-05", 160_000, 202_000)  # a correction the bijstand mostly absorbs: 20 euro a month more
    assert len(signalen(uow)) == 1


async def test_the_municipality_and_the_person_read_the_estimate_another_person_does_not():
    p, _ = ports(VANDAAG)
    uitkering_id = await case(p)
    await binnen(p, "2026-03", 50_000, 60_000)
    [gemeente] = await toeslagen.lees(p, AMSTERDAM, uitkering_id)
    [burger] = await toeslagen.lees(p, BURGER, uitkering_id)
    assert gemeente == burger
    schatting, uitleg = burger
    assert (schatting.jaar, schatting.loon, len(schatting.maanden)) == (2026, 60_000, 1)
    assert "januari en februari 2026 kent Schakel niet" in uitleg
    with pytest.raises(Onbekend):
        await toeslagen.lees(p, ANDERE_BURGER, uitkering_id)


@pytest.mark.parametrize(("erbij", "vanaf"), [(date(2026, 5, 1), "2026-05"), (date(2026, 5, 15), "2026-06")])
async def test_a_partner_reads_the_estimate_of_the_months_settled_with_them_only(erbij, vanaf):
    """The months before were another household's: the applicant's wage then is not the new partner's
    to see, so their estimate starts at the first month settled with them in the household (a month
    settles with the household of its first day) and asks them to add the couple's income before it."""
    p, _ = ports(VANDAAG)
    uitkering_id, partner = await case(p), bsn()
    await binnen(p, "2026-03", 50_000, 61_000)
    await binnen(p, "2026-04", 50_000, 62_000)
    await uitkeringen.wijzig(
        p, AMSTERDAM, uitkering_id, Situatie(erbij, Huishouden.gehuwd, Partner(partner, date(1988, 2, 1)))
    )
    for maand, fiscaal in (("2026-05", 63_000), ("2026-06", 64_000)):
        await binnen(p, maand, 50_000, fiscaal)
        await binnen(p, maand, 0, van=partner)

    [(gemeente, _)] = await toeslagen.lees(p, AMSTERDAM, uitkering_id)
    [(schatting, uitleg)] = await toeslagen.lees(p, Caller("burger", Rol.burger, bsn=partner), uitkering_id)
    assert gemeente.loon == 61_000 + 62_000 + 63_000 + 64_000, "the municipality sees the whole year"
    gezien = [str(m.maand) for m in schatting.maanden]
    assert gezien == [m for m in ("2026-05", "2026-06") if m >= vanaf]
    assert schatting.loon == {"2026-05": 63_000 + 64_000, "2026-06": 64_000}[vanaf]
    voor = {"2026-05": "januari tot en met april", "2026-06": "januari tot en met mei"}[vanaf]
    assert f"Het inkomen van u en uw partner in {voor} 2026 kent Schakel niet" in uitleg
    assert "u en uw partner samen" in uitleg and "610,00" not in uitleg and "620,00" not in uitleg


async def test_a_case_ended_back_in_time_keeps_the_wage_of_the_months_after_its_end_in_the_estimate():
    """Ended on 31 March after April and May were settled on a full-time wage: those months have no
    bijstand any more, but their wage still counts (it is why the case ended)."""
    p, uow = ports(VANDAAG)
    uitkering_id = await case(p)
    for maand, fiscaal in (("2026-03", 10_000), ("2026-04", 250_000), ("2026-05", 250_000)):
        await binnen(p, maand, fiscaal, fiscaal)
    [(voor, _)] = await toeslagen.lees(p, AMSTERDAM, uitkering_id)

    await uitkeringen.beeindig(p, AMSTERDAM, uitkering_id, date(2026, 3, 31), Reden.werk)

    [(na, toelichting)] = await toeslagen.lees(p, AMSTERDAM, uitkering_id)
    assert [str(m.maand) for m in na.maanden] == ["2026-03", "2026-04", "2026-05"]
    assert na.loon == voor.loon == 510_000
    assert [m.bijstand for m in na.maanden][1:] == [0, 0] and na.netto_maanden == 1, "only March had bijstand"
    # the rest of the year: the wage of the last months, no bijstand after the end
    assert na.rest == 7 * (10_000 + 250_000 + 250_000) // 3 and "alleen het loon" in toelichting

"""The worklist through the service with in-memory ports: a month that waits for a caseworker is on
its municipality's worklist, since the settlement that first found it waiting, and announced once
(`verrekening.te-beoordelen`); it stays, with the same `sinds`, while later months settle (also when
a settlement from a later month leaves it unjudged), and leaves once the caseworker's judgement
settles it. New rules that settle every case fill the worklist and empty it of what they settle."""

from dataclasses import replace
from datetime import date, datetime, timedelta

from decisions.adapters.parameters import laad
from decisions.domain.inkomen import Oordeel
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.service import uitkeringen, verrekeningen, werkvoorraad
from decisions.tests.fakes import ports
from decisions.tests.test_service import (
    AMSTERDAM,
    ANDER,
    BSN,
    PARTNER,
    ROTTERDAM,
    START,
    VANDAAG,
    geopend,
    inkomens,
    types,
)
from decisions.tests.test_service_huishouden import binnen
from decisions.tests.test_service_regelversie import normen_pas_vanaf
from schakel import logboek
from schakel.clock import FixedClock
from schakel.events import models as events
from schakel.logboek import BETROKKENE, GEZINSLID
from schakel.primitives import Maand
from tests.support.fakes import FakeBrp

WACHT = events.VerrekeningTeBeoordelen.TYPE
VASTGESTELD = events.VerrekeningVastgesteld.TYPE


def later(p, dagen: int):
    return replace(p, clock=FixedClock(VANDAAG + timedelta(days=dagen)))


async def lijst(p, caller=AMSTERDAM, soort=None, na=None, aantal=100):
    return await werkvoorraad.lijst(p, caller, soort, na, aantal)


async def test_a_month_of_an_unknown_kind_waits_on_the_worklist_until_the_caseworker_judges_it():
    p, uow = ports(VANDAAG, brp=FakeBrp({BSN: "GM0363", ANDER: "GM0599"}))
    zaak = await geopend(p)
    await geopend(p, ROTTERDAM, ANDER)
    await binnen(p, BSN, "2026-02", 60000, "arbeid")
    uow.published.clear()

    await binnen(p, BSN, "2026-03", 50000, "onbekend")

    [wacht] = uow.published
    assert wacht.type == WACHT and wacht.data["uitkeringId"] == zaak
    assert [(w["maand"], w["wie"], w["soort"]) for w in wacht.data["maanden"]] == [
        ("2026-03", "aanvrager", "inkomstensoort")
    ]
    assert "Over maart 2026 kreeg u inkomen" in wacht.data["uitleg"]
    assert "bekijkt deze maand; daarna verrekenen wij die" in wacht.data["uitleg"]
    [maart] = await lijst(p)
    sinds = p.clock.now()
    assert (maart.uitkering_id, str(maart.maand), maart.soort, maart.sinds) == (
        zaak,
        "2026-03",
        "inkomstensoort",
        sinds,
    )
    assert maart.inkomstenverhoudingen == (("123456782L01", 1),)
    assert "leg vast of het arbeid of overig inkomen is" in maart.reden
    assert await lijst(p, ROTTERDAM) == [], "another municipality's worklist"
    assert await lijst(p, soort="partner") == [] and await lijst(p, soort="inkomstensoort") == [maart]
    assert await lijst(p, na=maart.positie) == []

    # April settles; March waits as it did, since when it first did, and is not announced again
    p = later(p, 3)
    uow.published.clear()
    await binnen(p, BSN, "2026-04", 40000, "arbeid")
    assert VASTGESTELD in types(uow) and WACHT not in types(uow)
    assert await lijst(p) == [maart]

    await uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, zaak, Oordeel("123456782L01", 1, "arbeid", "loon"))
    assert await lijst(p) == [] and WACHT not in types(uow)
    assert "2026-03" in {e.data.get("maand") for e in uow.published if e.type == VASTGESTELD}


async def test_a_settlement_from_a_later_month_keeps_an_earlier_month_that_waits():
    """February waits, March is settled: April's income settles from March on, and February (which that
    settlement does not judge) stays on the worklist."""
    p, uow = ports(VANDAAG)
    zaak = await geopend(p)
    await binnen(p, BSN, "2026-01", 60000, "arbeid")
    await binnen(p, BSN, "2026-02", 50000, "onbekend")
    await binnen(p, BSN, "2026-03", 60000, "arbeid")
    [februari] = await lijst(p)
    uow.published.clear()

    await binnen(p, BSN, "2026-04", 60000, "arbeid")

    assert [e.data["maand"] for e in uow.published if e.type == VASTGESTELD] == ["2026-04"]
    assert uow.verrekeningen.rijen[zaak].keys() >= {Maand(2026, 3)}, "March stands as stored"
    assert await lijst(p) == [februari]


async def test_new_rules_settle_the_months_that_waited_for_their_amounts_and_take_them_off_the_worklist():
    p, uow = ports(VANDAAG, regelversie="A")
    p = replace(p, parameters=normen_pas_vanaf(date(2026, 4, 1)))
    zaak = await geopend(p)
    await inkomens(p, ("2026-01", 50_000), ("2026-02", 50_000))
    assert [(str(w.maand), w.soort) for w in await lijst(p)] == [("2026-01", "bedragen"), ("2026-02", "bedragen")]
    [wacht] = [e for e in uow.published if e.type == WACHT]
    assert [w["maand"] for w in wacht.data["maanden"]] == ["2026-01", "2026-02"]
    assert "bekijkt deze maanden; daarna verrekenen wij ze" in wacht.data["uitleg"]

    # a worklist that starts empty (as after the migration) is filled by the first round of new rules
    uow.werkvoorraad.rijen.clear()
    nu = replace(p, regelversie="B", clock=FixedClock(VANDAAG + timedelta(days=1)))
    await verrekeningen.herbereken_na_nieuwe_regels(nu, "0.19.0")
    assert [(w.uitkering_id, str(w.maand), w.sinds) for w in await lijst(p)] == [
        (zaak, "2026-01", nu.clock.now()),
        (zaak, "2026-02", nu.clock.now()),
    ]

    # rules with the amounts settle both months, and the worklist is empty
    met_bedragen = replace(p, regelversie="C", parameters=laad())
    await verrekeningen.herbereken_na_nieuwe_regels(met_bedragen, "0.20.0")
    assert await lijst(p) == [] and types(uow).count(VASTGESTELD) == 2


async def test_the_worklist_pages_longest_waiting_first():
    p, _ = ports(VANDAAG)
    zaken = []
    for dag, bsn in enumerate(("999993653", "999990019", "999991905")):
        q = later(p, dag)
        zaken.append(await geopend(q, bsn=bsn))
        await binnen(q, bsn, "2026-02", 50000, "onbekend")
    alle = await lijst(p)
    assert [w.uitkering_id for w in alle] == zaken
    assert [w.sinds for w in alle] == sorted(w.sinds for w in alle) and isinstance(alle[0].sinds, datetime)
    gelezen, na = [], None
    for _ in alle:
        pagina = await lijst(p, na=na, aantal=1)
        gelezen, na = gelezen + pagina, pagina[-1].positie
    assert gelezen == alle and await lijst(p, na=na, aantal=1) == []


async def gelezen_over(p, **lees) -> dict[str, str | None]:
    """The persons a read of the worklist records as processed, with their capacity (schakel.logboek)."""
    verwerking = logboek.Verwerking("decisions", p.pseudonym, AMSTERDAM.oin, {"lees": "x"}, naam="lees")
    with logboek.binnen(verwerking):
        await werkvoorraad.lijst(p, AMSTERDAM, None, None, **lees)
    return verwerking.betrokkenen


async def test_a_read_of_the_worklist_records_whose_months_it_shows():
    """The worklist shows each month's case by its id, never a BSN: the persons whose data it shows (the
    applicant; for a partner's income the partner of that month) are on record all the same, as a read of
    one case records them. Of a page, only the months shown: the one read beyond it tells a next page."""
    p, _ = ports(VANDAAG, brp=FakeBrp({BSN: "GM0363", ANDER: "GM0363", PARTNER: "GM0363"}))
    await geopend(p)
    await binnen(p, BSN, "2026-02", 50000, "onbekend")
    q = later(p, 1)
    stel = await geopend(q, bsn=ANDER, situatie=Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1))))
    await binnen(q, PARTNER, "2026-03", 50000, "onbekend")
    assert [(w.wie, w.uitkering_id == stel) for w in await lijst(p)] == [("aanvrager", False), ("partner", True)]

    # the partner's month is the case's: its applicant is the one it is about, the partner a member of the household
    assert await gelezen_over(p, aantal=100) == {
        p.pseudonym(BSN): BETROKKENE,
        p.pseudonym(ANDER): BETROKKENE,
        p.pseudonym(PARTNER): GEZINSLID,
    }
    assert await gelezen_over(p, aantal=2, getoond=1) == {p.pseudonym(BSN): BETROKKENE}
    assert await gelezen_over(p, aantal=1, getoond=0) == {}

"""The reapplication use cases against in-memory ports: a window opened when a benefit ends (art.
43a) and closed by a new one, each municipality's window length, a re-application decided at once
or prepared for review (and the caseworker's decision), the Max-WW handover, another municipality
answered as a stranger, and the Kafka handlers. Milliseconds, any date."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from prometheus_client import REGISTRY

from reapplication.domain.fouten import (
    AlAfgerond,
    AlBesloten,
    BuitenGrondslag,
    DatumBuitenOverdracht,
    GeenHergebruik,
    GeenIngezetene,
    HeraanvraagFout,
    HeraanvraagLoopt,
    MeldingTeVroeg,
    NietWoongemeente,
    Onbekend,
    PartnerElders,
    StapAlVastgelegd,
    StapNietVastgelegd,
    UitkeringLoopt,
    UitkomstNietVastgelegd,
    WwEinddatumBuitenBereik,
    ZoektermijnLoopt,
)
from reapplication.domain.heraanvraag import Aanvraag, Context, automatisch_toegekend
from reapplication.domain.inkomen import ONBEKEND, LaatsteInkomen, Polis
from reapplication.domain.overdracht import LAAT_GEOPEND, Overdracht
from reapplication.entrypoints import consumers, models
from reapplication.entrypoints import examples as vb
from reapplication.service import heraanvragen, overdrachten, programmacijfers, termijnen
from reapplication.service.hergebruik import situatie_contract, situatie_van_contract
from reapplication.tests.fakes import op_database, ports
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.errors import Unavailable
from schakel.events import Event
from schakel.events import models as events
from schakel.primitives import plus_maanden
from schakel.primitives.cijfers import Periode
from tests.support.events import deelnamestatus, received, situatie

VANDAAG = date(2029, 6, 15)
EINDE = VANDAAG - timedelta(days=30)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")
BSN, ANDER = "999993653", "999990019"
BURGER = Caller("burger", Rol.burger, bsn=BSN)
SITUATIE_CONTRACT = situatie().model_dump(mode="json")
BEEINDIGD, GEOPEND = events.UitkeringBeeindigd.TYPE, events.UitkeringGeopend.TYPE
GEOPEND_ID = "7b2e3c1c-2222-4c1c-9c1c-000000000002"  # the case `geopend` opens


def beeindigd(
    bsn: str = BSN, geboren: str = "1980-01-01", uitkering_id: str = "6a1e3c1c-1111-4c1c-9c1c-000000000001", **anders
) -> Event:
    hergebruik = events.Hergebruik(
        geboortedatum=date.fromisoformat(geboren),
        situatie=situatie(kostendelers=1, **anders),
        vrijlatingsklok=[events.Klokstand(grond="n", maandenGebruikt=2)],
    )
    return received(
        f"p-{bsn}",
        events.UitkeringBeeindigd(
            uitkeringId=uitkering_id,
            bsn=bsn,
            gemeentecode="GM0363",
            einddatum=EINDE,
            reden="werk",
            hergebruik=hergebruik,
        ),
    )


def gestopt(einddatum: date) -> Event:
    """The case `geopend` opens ends: the person found work (nothing for a re-application to reuse)."""
    data = events.UitkeringBeeindigd(
        uitkeringId=GEOPEND_ID, bsn=BSN, gemeentecode="GM0363", einddatum=einddatum, reden="werk"
    )
    return received(f"p-{BSN}", data)


def geopend(
    bsn: str = BSN,
    startdatum: date = VANDAAG,
    time: str = "",
    gemeente: str = "GM0363",
    uitkering_id: str = GEOPEND_ID,
    **extra,
) -> Event:
    data = events.UitkeringGeopend(
        uitkeringId=uitkering_id,
        bsn=bsn,
        gemeentecode=gemeente,
        geboortedatum=date(1980, 1, 1),
        startdatum=startdatum,
        **extra,
    )
    return received(f"p-{bsn}", data, time)


async def with_window(**situatie):
    p, uow = ports(VANDAAG)
    handle = consumers.handlers(lambda conn: p)
    await handle[BEEINDIGD](None, beeindigd(**situatie))
    return p, uow, handle


def simpel(melding: date = VANDAAG, *wijzigingen: str, **extra) -> Aanvraag:
    return Aanvraag(melding, melding, wijzigingen, **extra)


async def test_a_benefit_ended_opens_a_window_once_that_reuses_the_situation_and_a_new_benefit_closes_it():
    p, uow, handle = await with_window(medischUrenbeperkt=True)
    await handle[BEEINDIGD](None, beeindigd(medischUrenbeperkt=True))  # redelivered

    [event] = uow.published
    assert (event.type, event.key, event.data["geldigTot"]) == (
        events.HeraanvraagtermijnGeopend.TYPE,
        f"p-{BSN}",
        (EINDE.replace(year=2030)).isoformat(),
    )
    termijn = await termijnen.open_termijn(p, AMSTERDAM, BSN)
    assert termijn.hergebruik.situatie.medisch_urenbeperkt
    gekomen = beeindigd(medischUrenbeperkt=True).data["hergebruik"]
    assert models.zoekresultaat(termijn)["openTermijn"]["hergebruik"] == {
        **gekomen,
        "situatie": {**gekomen["situatie"], "partner": None, "jongerennorm": None, "jongerennormVanaf": None},
    }, "the API shows the situation as it came (no partner: null)"
    assert await termijnen.open_termijn(p, ROTTERDAM, BSN) is None, "another municipality has no window"

    await handle[GEOPEND](None, geopend())
    assert await termijnen.open_termijn(p, AMSTERDAM, BSN) is None


async def test_a_municipality_sets_its_window_length_for_benefits_ending_from_a_date():
    p, uow = ports(VANDAAG)
    assert await termijnen.beleid(p, AMSTERDAM) == (12, [])
    vanaf = EINDE - timedelta(days=1)
    assert await termijnen.zet_beleid(p, AMSTERDAM, vanaf, 6) == (12, [(vanaf, 6)])
    assert await termijnen.beleid(p, ROTTERDAM) == (12, [])
    await consumers.handlers(lambda conn: p)[BEEINDIGD](None, beeindigd())
    [event] = uow.published
    assert event.data["geldigTot"] == date(2029, 11, 16).isoformat()


async def test_a_simple_re_application_is_approved_at_once_and_decisions_is_asked_to_reopen():
    p, uow, handle = await with_window()
    heraanvraag = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())

    assert (heraanvraag.status, heraanvraag.redenen, heraanvraag.besloten_op) == ("toegekend", (), p.clock.now())
    # what was checked and reused, for the citizen's letter (an automated outcome is explained)
    assert heraanvraag.besluit_reden == (
        "Automatisch toegekend: u meldde zich op 15 juni 2029, binnen de heraanvraagtermijn na uw vorige bijstand "
        "in deze gemeente. U gaf geen wijzigingen op en de polis toont geen inkomen van u in juni 2029. De gegevens "
        "van uw vorige uitkering gelden weer: alleenstaand, met 1 medebewoner van 27 jaar of ouder. De maanden "
        "vrijlating die u al gebruikte tellen door: 2 maanden vrijlating voor wie aan het werk gaat (artikel 31 lid 2 "
        "onder n). De bijstand gaat in op 15 juni 2029."
    )
    gelezen = await heraanvragen.lees(p, AMSTERDAM, heraanvraag.heraanvraag_id)
    assert models.heraanvraag(gelezen, VANDAAG)["besluitReden"] == heraanvraag.besluit_reden
    toegekend = uow.published[-1]
    assert (toegekend.type, toegekend.key) == (events.HeraanvraagToegekend.TYPE, f"p-{BSN}")
    assert toegekend.data == {
        "heraanvraagId": heraanvraag.heraanvraag_id,
        "bsn": BSN,
        "gemeentecode": "GM0363",
        "startdatum": VANDAAG.isoformat(),
        "geboortedatum": "1980-01-01",
        "situatie": {
            "huishouden": "alleenstaand",
            "partnerGeboortedatum": None,
            "jongsteKindGeboortedatum": None,
            "kostendelers": 1,
            "medischUrenbeperkt": False,
            "loonkostensubsidie": False,
            "meerUrenNietMogelijk": False,
            "vrijlatingsregime": "per-datum",
            "betaalmodel": "voorschot",
        },
        "vrijlatingsklok": [{"grond": "n", "maandenGebruikt": 2}],
    }, "the wire form the decisions service reads"
    await handle[GEOPEND](None, geopend(heraanvraagId=heraanvraag.heraanvraag_id))
    assert (await heraanvragen.lees(p, AMSTERDAM, heraanvraag.heraanvraag_id)).uitkering_id is not None


async def test_an_automatic_grant_s_explanation_says_what_the_polis_showed_and_is_kept(tmp_path):
    """Read back from the database, also when it is longer than a caseworker's reason may be; the
    polis's sentence says what it showed: a month without income, or every end reported; the household
    and the grounds of the vrijlating months in words."""
    p, _ = ports(VANDAAG)
    p_db, db = await op_database(p, tmp_path)
    mei = LaatsteInkomen("2029-05", 84000, True)
    try:
        handle = consumers.handlers(lambda conn: p_db)
        hergebruik = events.Hergebruik(
            geboortedatum=date(2005, 1, 1),  # under 27: a search period, over by today
            situatie=situatie(kostendelers=3),
            vrijlatingsklok=[events.Klokstand(grond=g, maandenGebruikt=n) for g, n in (("n", 4), ("r", 11), ("z", 7))],
        )
        oud = events.UitkeringBeeindigd(
            uitkeringId="6a1e3c1c-1111-4c1c-9c1c-000000000001",
            bsn=BSN,
            gemeentecode="GM0363",
            einddatum=EINDE,
            reden="werk",
            hergebruik=hergebruik,
        )
        await handle[BEEINDIGD](None, received(f"p-{BSN}", oud))
        p_db.inkomen.per_gemeente[("GM0363", BSN)] = Polis(True, mei)
        h = await heraanvragen.dien_in(p_db, AMSTERDAM, BSN, simpel(VANDAAG - timedelta(weeks=4)))
        assert h.status == "toegekend" and h.besluit_reden is not None and len(h.besluit_reden) > 500
        assert "volgens de polis eindigde uw werk: elke werkgever die u in mei 2029 betaalde, meldde het einde" in (
            h.besluit_reden
        )
        assert "met 3 medebewoners van 27 jaar of ouder" in h.besluit_reden, "the housemates, not the applicant"
        assert (
            "tellen door: 4 maanden vrijlating voor wie aan het werk gaat (artikel 31 lid 2 onder n); 11 maanden "
            "vrijlating voor een alleenstaande ouder met een kind jonger dan 12 (artikel 31 lid 2 onder r); 7 maanden "
            "vrijlating bij werk met loonkostensubsidie (artikel 31 lid 2 onder z)."
        ) in h.besluit_reden, "each ground in words"
        assert (await heraanvragen.lees(p_db, AMSTERDAM, h.heraanvraag_id)).besluit_reden == h.besluit_reden
    finally:
        await db.dispose()
    geen = automatisch_toegekend(simpel(), Context(True, None, True, False), LaatsteInkomen("2029-05", 0, False))
    assert "de polis toont geen inkomen van u in mei 2029." in geen


async def test_the_vrijlating_clock_is_the_persons_and_continues_into_the_reopened_benefit():
    """Participatiewet art. 31 lid 2 onder n (at most six months), r and z: the months are limited for the
    person's income from work, with no restart for a new benefit; the reopened case counts on from the
    months used in the benefit that ended (domain/hergebruik.py)."""
    p, uow, handle = await with_window()
    await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert uow.published[-1].data["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 2}]
    await handle[BEEINDIGD](None, beeindigd(ANDER, uitkering_id="6a1e3c1c-1111-4c1c-9c1c-000000000004"))
    review = await heraanvragen.dien_in(p, AMSTERDAM, ANDER, simpel(VANDAAG, "adres"))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")
    assert uow.published[-1].data["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 2}], "granted by hand too"


PARTNER = events.Partner(
    bsn="999990019",
    geboortedatum=date(1982, 3, 3),
    medischUrenbeperkt=False,
    loonkostensubsidie=True,
    meerUrenNietMogelijk=False,
)


async def test_a_couples_re_application_carries_the_partner_into_the_reopened_case():
    """Art. 4 and 11: the household's bijstand counts the partner's income too, so the reopened case
    needs who the partner is (and their own grounds), not only their birth date."""
    partner = PARTNER
    p, uow, handle = await with_window(huishouden="gehuwd", partnerGeboortedatum=date(1982, 3, 3), partner=partner)
    termijn = await termijnen.open_termijn(p, AMSTERDAM, BSN)
    assert models.zoekresultaat(termijn)["openTermijn"]["hergebruik"]["situatie"]["partner"]["bsn"] == "999990019"
    await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    toegekend = uow.published[-1]
    assert toegekend.type == events.HeraanvraagToegekend.TYPE
    assert toegekend.data["situatie"]["partner"] == partner.model_dump(mode="json")


async def test_a_re_application_carries_the_caseworker_s_jongerennorm_into_the_reopened_case():
    p, uow, _ = await with_window(
        huishouden="alleenstaande-ouder", jongsteKindGeboortedatum=date(2025, 1, 1), jongerennorm=120_000
    )
    termijn = await termijnen.open_termijn(p, AMSTERDAM, BSN)
    assert models.zoekresultaat(termijn)["openTermijn"]["hergebruik"]["situatie"]["jongerennorm"] == 120_000
    await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert uow.published[-1].data["situatie"]["jongerennorm"] == 120_000, "kept in store and grant alike"


async def test_a_partner_registered_elsewhere_sends_the_re_application_to_a_caseworker_who_grants_the_household_now():
    """The reused household's partner moved away (art. 40: decisions' own case opening refuses a partner
    who is not the municipality's resident): the household changed, so a caseworker establishes it."""
    p, uow, _ = await with_window(huishouden="gehuwd", partnerGeboortedatum=date(1982, 3, 3), partner=PARTNER)
    p.brp.personen[PARTNER.bsn] = "GM0599"
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert [r.code for r in review.redenen] == ["partner-elders"] and len(uow.published) == 1, "nothing reopened"
    with pytest.raises(PartnerElders) as refused:
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "huishouden ongewijzigd")
    assert (refused.value.code, refused.value.field) == ("partner-elders", "situatie")
    assert uow.heraanvragen.rijen[review.heraanvraag_id].status == "beoordelen" and len(uow.published) == 1

    nu = situatie_van_contract(situatie(kostendelers=1))
    besloten = await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "partner vertrokken", situatie=nu)
    toegekend = uow.published[-1].data
    assert (besloten.status, besloten.besloten_op, besloten.hergebruik.situatie) == ("toegekend", p.clock.now(), nu)
    assert (
        toegekend["situatie"]["huishouden"],
        toegekend["situatie"].get("partner"),
        toegekend["vrijlatingsklok"],
    ) == (
        "alleenstaand",
        None,
        [{"grond": "n", "maandenGebruikt": 2}],
    ), "the household as it is now, with the person's own vrijlating clock"


async def test_a_situation_decisions_would_not_reopen_with_is_refused_before_the_grant():
    """A jongerennorm for a single person, a single parent without the child, more hours impossible
    without loonkostensubsidie: refused with decisions' code and the field, and nothing is decided."""
    p, uow, _ = await with_window(huishouden="gehuwd", partnerGeboortedatum=date(1982, 3, 3), partner=PARTNER)
    p.brp.personen[PARTNER.bsn] = "GM0599"
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    for anders, code, veld in (
        ({"jongerennorm": 120_000}, "jongerennorm-niet-van-toepassing", "situatie.jongerennorm"),
        ({"huishouden": "alleenstaande-ouder"}, "kind-ontbreekt", "situatie.jongsteKindGeboortedatum"),
        ({"meerUrenNietMogelijk": True}, "geen-loonkostensubsidie", "situatie.meerUrenNietMogelijk"),
    ):
        nu = situatie_van_contract(situatie(**anders))
        with pytest.raises(HeraanvraagFout) as refused:
            await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "nieuwe situatie", situatie=nu)
        assert (refused.value.code, refused.value.field) == (code, veld)
    assert uow.heraanvragen.rijen[review.heraanvraag_id].status == "beoordelen" and len(uow.published) == 1

    met_kind = situatie_van_contract(
        situatie(huishouden="alleenstaande-ouder", jongsteKindGeboortedatum=date(2025, 1, 1))
    )
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "nieuwe situatie", situatie=met_kind)
    assert uow.heraanvragen.rijen[review.heraanvraag_id].status == "toegekend"


async def test_a_situation_decisions_would_not_reopen_with_for_its_household_or_dates_is_refused_before_the_grant():
    """decisions' other rules on the situation it reopens with (domain.situatie.controleer): a couple
    without the partner's birth date, a partner's birth date for someone without one, a partner born
    on or after the start, the youngest child born after the start or before its parents. Refused
    with decisions' code and the field; nothing is decided and nothing is sent."""
    p, uow, _ = await with_window(huishouden="gehuwd", partnerGeboortedatum=date(1982, 3, 3), partner=PARTNER)
    p.brp.personen[PARTNER.bsn] = "GM0599"
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    kind = {"huishouden": "alleenstaande-ouder"}
    for anders, code, veld in (
        ({"huishouden": "gehuwd"}, "partner-ontbreekt", "situatie.partnerGeboortedatum"),
        ({"partnerGeboortedatum": date(1982, 3, 3)}, "partner-onverwacht", "situatie.partnerGeboortedatum"),
        (
            {"huishouden": "gehuwd", "partnerGeboortedatum": VANDAAG},
            "geboortedatum-na-ingangsdatum",
            "situatie.partnerGeboortedatum",
        ),
        (
            kind | {"jongsteKindGeboortedatum": VANDAAG + timedelta(days=1)},
            "geboortedatum-kind",
            "situatie.jongsteKindGeboortedatum",
        ),
        (
            kind | {"jongsteKindGeboortedatum": date(1979, 1, 1)},
            "geboortedatum-kind",
            "situatie.jongsteKindGeboortedatum",
        ),
    ):
        nu = situatie_van_contract(situatie(**anders))
        with pytest.raises(HeraanvraagFout) as refused:
            await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "nieuwe situatie", situatie=nu)
        assert (refused.value.code, refused.value.field) == (code, veld), anders
    assert uow.heraanvragen.rijen[review.heraanvraag_id].status == "beoordelen" and len(uow.published) == 1

    paar = situatie_van_contract(situatie(huishouden="gehuwd", partnerGeboortedatum=date(1985, 4, 4)))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "nieuwe partner", situatie=paar)
    assert uow.heraanvragen.rijen[review.heraanvraag_id].status == "toegekend"


async def test_a_situation_refused_on_an_application_decided_already_is_its_409():
    """The situation is checked as part of the decision: one decided already is 409 al-besloten, as
    for any situation, not 422 for what the second request carried."""
    p, uow, _ = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "huishouden"))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, False, "geen recht")
    with pytest.raises(AlBesloten):
        nu = situatie_van_contract(situatie(jongerennorm=120_000))
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "toch", situatie=nu)


async def test_a_household_established_when_granting_keeps_the_reused_partner_while_the_couple_is_the_same():
    """The situation a caseworker gives names no partner: the reused one stays while still married to
    the same person (their birth date) and registered here; their income counts from the first month."""
    paar = dict(huishouden="gehuwd", partnerGeboortedatum=date(1982, 3, 3))
    p, uow, _ = await with_window(**paar, partner=PARTNER)
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "medebewoners"))
    nu = situatie_van_contract(situatie(**paar, kostendelers=2))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "medebewoner erbij", situatie=nu)
    assert uow.published[-1].data["situatie"]["partner"] == PARTNER.model_dump(mode="json")

    ander = dict(huishouden="gehuwd", partnerGeboortedatum=date(1990, 7, 7))  # married again
    p, uow, _ = await with_window(**paar, partner=PARTNER)
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "huishouden"))
    nu = situatie_van_contract(situatie(**ander))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "nieuwe partner", situatie=nu)
    assert uow.published[-1].data["situatie"].get("partner") is None, "decisions records the new partner"

    p, uow, _ = await with_window(**paar, partner=PARTNER)
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "medebewoners"))
    p.brp.personen[PARTNER.bsn] = "GM0599"  # the same partner, now registered elsewhere
    nu = situatie_van_contract(situatie(**paar))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "partner woont elders", situatie=nu)
    assert uow.published[-1].data["situatie"].get("partner") is None, "not the municipality's resident"


@pytest.mark.parametrize("laatste", [LaatsteInkomen("2029-04", 0, False), LaatsteInkomen("2029-04", 50000, True), None])
async def test_a_polis_month_from_before_the_benefit_ended_or_none_does_not_show_the_job_ended(laatste):
    """The benefit ended on 16 May 2029 for work: only May (from the 17th) or later can show that job."""
    p, _, _ = await with_window()
    p.inkomen.per_gemeente[("GM0363", BSN)] = Polis(True, laatste)
    h = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert (h.status, [r.code for r in h.redenen], h.besluit_reden) == ("beoordelen", ["polis-voor-einde"], None)
    assert "geen maand na het einde van de vorige uitkering" in h.redenen[0].uitleg


async def test_what_is_not_simple_waits_for_a_caseworker_with_each_reason():
    p, uow, handle = await with_window()
    p.inkomen.per_gemeente[("GM0363", BSN)] = Polis(True, LaatsteInkomen("2029-05", 130000, False))
    heraanvraag = await heraanvragen.dien_in(
        p, AMSTERDAM, BSN, Aanvraag(VANDAAG, VANDAAG - timedelta(days=10), ("medebewoners",))
    )
    assert [r.code for r in heraanvraag.redenen] == ["wijzigingen", "baan-niet-beeindigd", "startdatum-voor-melding"]
    assert heraanvraag.recent_inkomen.maand == "2029-05" and len(uow.published) == 1, "nothing to reopen yet"
    wacht = await heraanvragen.lijst(p, AMSTERDAM, "beoordelen")
    assert [h.heraanvraag_id for h in wacht] == [heraanvraag.heraanvraag_id]
    weergave = models.heraanvraag(wacht[0], p.clock.today())
    assert (weergave["beslistermijn"], weergave["dagenTotBeslistermijn"]) == (VANDAAG + timedelta(weeks=8), 56)


async def test_only_the_municipality_of_residence_applies_and_a_move_in_the_brp_moves_that_right():
    """Participatiewet art. 40: another municipality is answered as for a person unknown to the BRP."""
    p, uow, _ = await with_window()
    p.brp.standaard = None
    for bsn in (BSN, "999990019"):  # lives in Amsterdam; unknown to the BRP
        with pytest.raises(GeenIngezetene) as refused:
            await heraanvragen.dien_in(p, ROTTERDAM, bsn, simpel())
        assert refused.value.code == "geen-ingezetene"
    assert await heraanvragen.lijst(p, ROTTERDAM, None) == [] and len(uow.published) == 1
    p.brp.personen[BSN] = "GM0599"  # moved: now Rotterdam applies, and the window stays Amsterdam's
    elders = await heraanvragen.dien_in(p, ROTTERDAM, BSN, simpel())
    assert [r.code for r in elders.redenen][0] == "geen-open-termijn"
    with pytest.raises(GeenIngezetene):
        await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())


async def test_a_person_who_moved_before_the_decision_is_not_granted_by_the_old_municipality():
    """A grant opens a case: only in the municipality of residence (art. 40), also when the person
    moved after applying or before UWV reported the move; the old municipality can still close its own."""
    p, uow, _ = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    p.brp.personen[BSN] = "GM0599"
    with pytest.raises(GeenIngezetene):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")
    assert uow.heraanvragen.rijen[review.heraanvraag_id].status == "beoordelen" and len(uow.published) == 1
    afgewezen = await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, False, "verhuisd naar Rotterdam")
    assert afgewezen.status == "afgewezen" and len(uow.published) == 1
    with pytest.raises(AlBesloten):  # decided is decided, wherever the person lives now
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "toch")

    grond = {"soort": "toestemming", "referentie": "UWV-1"}
    _, overdracht = await overdrachten.meld(p, ANDER, "GM0363", VANDAAG + timedelta(days=7), grond, None)
    p.brp.personen[ANDER] = "GM0599"  # moved; UWV has not said so yet
    # not found, as on the handover's other routes and as an id that never was, before any check on
    # the melding's date (its answer would tell that the handover is there, and so that they moved)
    for melding in (VANDAAG, VANDAAG + timedelta(days=1)):
        with pytest.raises(Onbekend) as niet:
            await heraanvragen.vanuit_overdracht(p, AMSTERDAM, overdracht.overdracht_id, simpel(melding))
        with pytest.raises(Onbekend) as nooit:
            await heraanvragen.vanuit_overdracht(p, AMSTERDAM, "00000000-0000-4000-8000-000000000000", simpel(melding))
        assert (niet.value.code, str(niet.value)) == (nooit.value.code, str(nooit.value))
    assert await heraanvragen.lijst(p, AMSTERDAM, None) == [afgewezen]


async def test_an_application_from_a_handover_that_uwv_moved_while_it_waited_for_the_person_is_not_made():
    """The handover is read again once the person is held: read before, a move UWV committed while the
    application waited for the person's lock left an application for someone who had moved away."""
    p, uow = ports(VANDAAG)
    ww_einde = VANDAAG + timedelta(days=60)
    _, overdracht = await overdrachten.meld(
        p, BSN, "GM0363", ww_einde, {"soort": "toestemming", "referentie": "U"}, None
    )
    melding = ww_einde - timedelta(days=7)
    gewacht = []

    async def vergrendel(*personen):  # UWV's move commits while the application waits for the person
        if not gewacht:
            gewacht.append(personen)
            verhuisd = replace(uow.overdrachten.rijen[p.pseudonym(BSN)][0], gemeentecode="GM0599")
            await uow.overdrachten.bewaar(p.pseudonym(BSN), BSN, verhuisd)

    uow.vergrendel = vergrendel
    with pytest.raises(Onbekend):
        await heraanvragen.vanuit_overdracht(
            replace(p, clock=FixedClock(melding)),
            AMSTERDAM,
            overdracht.overdracht_id,
            Aanvraag(melding, melding, (), geboortedatum=date(2003, 1, 1)),
        )
    assert gewacht == [(p.pseudonym(BSN),)] and not uow.heraanvragen.rijen


async def test_the_search_period_under_27_and_the_doelgroepregister_exemption():
    p, uow, handle = await with_window(geboren="2005-01-01")
    jong = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert [r.code for r in jong.redenen] == ["zoektermijn"]
    assert jong.vroegste_behandeldatum == VANDAAG + timedelta(weeks=4)
    with pytest.raises(ZoektermijnLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, jong.heraanvraag_id, True, "recht")
    ontheven = await heraanvragen.besluit(p, AMSTERDAM, jong.heraanvraag_id, True, "recht", "dakloos")
    assert (ontheven.status, uow.heraanvragen.rijen[jong.heraanvraag_id].aanvraag.ontheffing) == (
        "toegekend",
        "dakloos",
    )
    await handle[BEEINDIGD](None, beeindigd(ANDER, "2005-01-01", "6a1e3c1c-1111-4c1c-9c1c-000000000005"))
    gewijzigd = deelnamestatus(ANDER, "doelgroepregister", "participatiewet", VANDAAG)
    await handle[events.DeelnamestatusGewijzigd.TYPE](None, received(f"p-{ANDER}", gewijzigd))
    assert (await heraanvragen.dien_in(p, AMSTERDAM, ANDER, simpel())).status == "toegekend"


async def test_a_start_more_than_three_months_back_is_refused_and_leaves_no_trace():
    p, uow, _ = await with_window()
    with pytest.raises(HeraanvraagFout) as refused:
        await heraanvragen.dien_in(p, AMSTERDAM, BSN, Aanvraag(VANDAAG, VANDAAG - timedelta(days=120), ()))
    assert (refused.value.code, refused.value.field) == ("startdatum-te-vroeg", "startdatum")
    assert not uow.heraanvragen.rijen


async def test_a_caseworker_decides_once_and_only_with_something_to_reuse():
    p, uow, _ = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    besloten = await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")
    assert (besloten.status, besloten.besluit_reden) == ("toegekend", "adres gecontroleerd")
    assert uow.published[-1].data["heraanvraagId"] == review.heraanvraag_id
    with pytest.raises(AlBesloten):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, False, "dubbel")

    zonder = await heraanvragen.dien_in(p, AMSTERDAM, ANDER, simpel())
    with pytest.raises(GeenHergebruik) as refused:
        await heraanvragen.besluit(p, AMSTERDAM, zonder.heraanvraag_id, True, "toch maar")
    assert refused.value.field == "situatie" and uow.heraanvragen.rijen[zonder.heraanvraag_id].status == "beoordelen"
    afgewezen = await heraanvragen.besluit(p, AMSTERDAM, zonder.heraanvraag_id, False, "nieuwe aanvraag")
    assert afgewezen.status == "afgewezen"


async def test_a_second_application_waits_until_the_first_is_decided_and_its_case_has_ended():
    """Two applications granted before decisions opens the first case asked it for two running cases
    (the second `heraanvraag.toegekend` went to the dead-letter topic, its applicant told "toegekend")."""
    p, uow, handle = await with_window()
    eerste = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    with pytest.raises(HeraanvraagLoopt) as refused:  # decisions has yet to open it
        await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert (refused.value.code, eerste.heraanvraag_id in refused.value.detail) == ("heraanvraag-loopt", True)
    assert list(uow.heraanvragen.rijen) == [eerste.heraanvraag_id] and len(uow.published) == 2
    await handle[GEOPEND](None, geopend(heraanvraagId=eerste.heraanvraag_id))
    with pytest.raises(UitkeringLoopt) as refused:  # then it runs
        await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG - timedelta(days=1)))
    assert refused.value.code == "uitkering-loopt" and len(uow.heraanvragen.rijen) == 1
    await handle[BEEINDIGD](None, beeindigd(uitkering_id=geopend().data["uitkeringId"]))  # its case ended
    assert (await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())).status == "toegekend"

    wacht = await heraanvragen.dien_in(p, AMSTERDAM, ANDER, simpel(VANDAAG, "adres"))
    with pytest.raises(HeraanvraagLoopt):
        await heraanvragen.dien_in(p, AMSTERDAM, ANDER, simpel())
    p.brp.personen[ANDER] = "GM0599"  # moved: Amsterdam's application does not stop Rotterdam's
    assert (await heraanvragen.dien_in(p, ROTTERDAM, ANDER, simpel())).status == "beoordelen"
    p.brp.personen[ANDER] = "GM0363"
    await heraanvragen.besluit(p, AMSTERDAM, wacht.heraanvraag_id, False, "dubbel ingediend")
    assert (await heraanvragen.dien_in(p, AMSTERDAM, ANDER, simpel(VANDAAG, "adres"))).status == "beoordelen"


async def test_a_case_running_anywhere_holds_applications_and_grants_and_a_grant_decisions_refused_stops_counting():
    """A case opened at decisions directly (or by the municipality the person left) while a grant was
    on its way: decisions did not reopen the grant and said so (`heropening.geweigerd`); until then
    the grant counts, after it never again. While that case runs decisions would refuse any other."""
    p, uow, handle = await with_window()
    await handle[BEEINDIGD](None, beeindigd(ANDER, uitkering_id="6a1e3c1c-1111-4c1c-9c1c-000000000006"))
    toegekend = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    wacht = await heraanvragen.dien_in(p, AMSTERDAM, ANDER, simpel(VANDAAG, "adres"))
    elders = {BSN: "8c3e3c1c-3333-4c1c-9c1c-000000000003", ANDER: "8c3e3c1c-3333-4c1c-9c1c-000000000004"}
    for bsn, uitkering_id in elders.items():
        await handle[GEOPEND](None, geopend(bsn, gemeente="GM0599", uitkering_id=uitkering_id))
    with pytest.raises(UitkeringLoopt):
        await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    with pytest.raises(UitkeringLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, wacht.heraanvraag_id, True, "adres gecontroleerd")
    assert uow.heraanvragen.rijen[wacht.heraanvraag_id].status == "beoordelen" and len(uow.published) == 3
    for bsn, uitkering_id in elders.items():
        await handle[BEEINDIGD](None, beeindigd(bsn, uitkering_id=uitkering_id))
    with pytest.raises(HeraanvraagLoopt):  # decisions has not answered yet: on its way
        await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))

    geweigerd = events.HeropeningGeweigerd(
        heraanvraagId=toegekend.heraanvraag_id,
        bsn=BSN,
        gemeentecode="GM0363",
        reden="uitkering-loopt",
        uitleg="Voor deze persoon loopt al een uitkering; de heraanvraag is niet heropend.",
    )
    await handle[events.HeropeningGeweigerd.TYPE](None, received(f"p-{BSN}", geweigerd))
    weergave = models.heraanvraag(await heraanvragen.lees(p, AMSTERDAM, toegekend.heraanvraag_id), VANDAAG)
    assert (weergave["status"], weergave["uitkeringId"], weergave["nietGeopend"]["code"]) == (
        "toegekend",
        None,
        "uitkering-loopt",
    )
    burger = Caller("burger", Rol.burger, bsn=BSN)
    [mijn] = [h for h in await heraanvragen.mijn(p, burger) if h.heraanvraag_id == toegekend.heraanvraag_id]
    uitleg = models.mijn_heraanvraag(mijn, VANDAAG)["uitleg"]
    assert "kon nog niet worden geopend" in uitleg and "gelden weer" not in uitleg, "no promise of what did not happen"
    # on its way the day it was granted: the grant's own text; still on its way a day later: stuck
    onderweg = replace(mijn, niet_geopend=None)
    assert "gelden weer" in models.mijn_heraanvraag(onderweg, VANDAAG)["uitleg"]
    morgen = models.mijn_heraanvraag(onderweg, VANDAAG + timedelta(days=1))["uitleg"]
    assert "wordt nog geopend" in morgen and "gelden weer" not in morgen
    assert (await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))).status == "beoordelen"
    assert (await heraanvragen.besluit(p, AMSTERDAM, wacht.heraanvraag_id, True, "adres")).status == "toegekend"


async def test_of_two_applications_waiting_from_before_only_one_is_granted():
    """Stored before a second application had to wait for the first: a caseworker grants one."""
    p, uow, _ = await with_window()
    eerste = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    tweede = replace(eerste, heraanvraag_id="0b5e3c1c-3333-4c1c-9c1c-000000000003")
    uow.heraanvragen.rijen[tweede.heraanvraag_id] = tweede
    await heraanvragen.besluit(p, AMSTERDAM, eerste.heraanvraag_id, True, "adres gecontroleerd")
    with pytest.raises(HeraanvraagLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, tweede.heraanvraag_id, True, "adres gecontroleerd")
    assert uow.heraanvragen.rijen[tweede.heraanvraag_id].status == "beoordelen" and len(uow.published) == 2
    assert (await heraanvragen.besluit(p, AMSTERDAM, tweede.heraanvraag_id, False, "dubbel")).status == "afgewezen"


async def test_another_municipality_is_answered_as_a_stranger():
    p, uow, _ = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    with pytest.raises(Onbekend):
        await heraanvragen.lees(p, ROTTERDAM, review.heraanvraag_id)
    with pytest.raises(Onbekend):
        await heraanvragen.besluit(p, ROTTERDAM, review.heraanvraag_id, False, "niet van ons")
    assert await heraanvragen.lijst(p, ROTTERDAM, None) == []


async def test_a_citizen_reads_their_own_re_applications_in_any_municipality_with_the_explanation():
    """The automatic grant's explanation reaches the person it is about (GET /mijn/heraanvragen)."""
    p, _, _ = await with_window()
    toegekend = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    await heraanvragen.dien_in(p, AMSTERDAM, ANDER, simpel(VANDAAG, "adres"))  # someone else's
    p.brp.personen[BSN] = "GM0599"  # moved: a first application there
    eerder = await heraanvragen.dien_in(p, ROTTERDAM, BSN, simpel(VANDAAG - timedelta(days=1)))

    mijn = await heraanvragen.mijn(p, Caller("burger", Rol.burger, bsn=BSN))
    assert [h.heraanvraag_id for h in mijn] == [eerder.heraanvraag_id, toegekend.heraanvraag_id], "earliest first"
    gelezen = [models.mijn_heraanvraag(h, VANDAAG) for h in mijn]
    assert [(h["gemeentecode"], h["status"]) for h in gelezen] == [("GM0599", "beoordelen"), ("GM0363", "toegekend")]
    assert gelezen[0]["uitleg"].startswith("Een medewerker van de gemeente beoordeelt uw aanvraag. U hoort het besluit")
    assert gelezen[1]["uitleg"].startswith("Automatisch toegekend: u meldde zich op 15 juni 2029")
    assert await heraanvragen.mijn(p, Caller("burger", Rol.burger, bsn="999990020")) == []

    # a caseworker's decision: what was decided; the reason is in the municipality's letter, its words the municipality's
    await heraanvragen.besluit(p, ROTTERDAM, eerder.heraanvraag_id, False, "partner woont elders, zie dossier")
    [afgewezen, _] = [models.mijn_heraanvraag(h, VANDAAG) for h in await heraanvragen.mijn(p, BURGER)]
    assert afgewezen["uitleg"].startswith("De gemeente wijst de aanvraag af. Dat besloot zij op 15 juni 2029.")
    assert "partner" not in afgewezen["uitleg"]


async def test_a_citizen_reads_neither_a_partner_s_bsn_nor_their_health_nor_the_caseworker_s_reasons():
    """The reused household may be one the partner has since left: their BSN and health are theirs."""
    p, _, _ = await with_window(huishouden="gehuwd", partnerGeboortedatum=date(1982, 3, 3), partner=PARTNER)
    p.brp.personen[PARTNER.bsn] = "GM0599"  # the partner lives elsewhere now: a caseworker looks
    await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    gelezen = str([models.mijn_heraanvraag(h, VANDAAG) for h in await heraanvragen.mijn(p, BURGER)])
    termijn = str(models.mijn_zoekresultaat(await termijnen.open_termijn(p, BURGER, BSN)))
    for tekst in (gelezen, termijn):
        assert PARTNER.bsn not in tekst and "'loonkostensubsidie': True" not in tekst and "1982-03-03" not in tekst
    assert "BRP" not in gelezen and "partner" not in gelezen
    assert "gehuwd" in termijn, "the household reused, without the partner's own data"


async def test_a_citizen_reads_in_words_where_their_handover_stands():
    p, _ = ports(VANDAAG)
    burger = Caller("burger", Rol.burger, bsn=BSN)
    grond = {"soort": "toestemming", "referentie": "U"}
    _, o = await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=100), grond, None)

    async def uitleg(op: date = VANDAAG) -> str:
        return models.mijn_overdracht(await overdrachten.mijn(p, burger), BSN, op)["uitleg"]

    assert await uitleg() == (
        "Uw WW eindigt op 23 september 2029. UWV gaf dat door aan uw gemeente. Uw gemeente neemt contact met u op. "
        "Het doel: vóór het einde van uw WW weet u of u bijstand krijgt."
    )
    await overdrachten.stap(p, AMSTERDAM, o.overdracht_id, "contact-gelegd", VANDAAG)
    assert "Wat uw gemeente al deed: contact met u opgenomen op 15 juni 2029." in await uitleg()
    assert (await uitleg(VANDAAG + timedelta(days=101))).endswith(
        "Er is nog geen besluit over bijstand. Heeft u geen ander inkomen? Vraag dan bijstand aan bij uw gemeente."
    ), "the WW ended without a decision"
    await overdrachten.uitkomst(p, AMSTERDAM, o.overdracht_id, "werk-gevonden", VANDAAG)
    assert await uitleg() == (
        "Uw gemeente schreef op 15 juni 2029 op dat u werk heeft gevonden. U krijgt daarom geen bijstand."
    )

    _, o = await overdrachten.meld(p, ANDER, "GM0363", VANDAAG + timedelta(days=100), grond, None)
    await consumers.handlers(lambda conn: p)[GEOPEND](None, geopend(ANDER, VANDAAG + timedelta(days=101)))
    besloten = await overdrachten.mijn(p, Caller("burger", Rol.burger, bsn=ANDER))
    assert models.mijn_overdracht(besloten, ANDER, VANDAAG)["uitleg"] == (
        "Uw WW eindigt op 23 september 2029. Uw gemeente besloot op 15 juni 2029 dat u bijstand krijgt vanaf 24 "
        "september 2029."
    )


async def test_a_recorded_outcome_is_corrected_and_uwv_hears_it_again():
    """Work found, typed with the wrong date and then found to be no work at all: each correction tells UWV
    the outcome again (bijstand.besloten for the same handover, the latest replacing the one before); the
    same outcome again tells nothing; a handover without an outcome has none to correct."""
    p, uow = ports(VANDAAG)
    grond = {"soort": "toestemming", "referentie": "U"}
    _, o = await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=100), grond, None)
    with pytest.raises(UitkomstNietVastgelegd):
        await overdrachten.corrigeer_uitkomst(p, AMSTERDAM, o.overdracht_id, "werk-gevonden", VANDAAG)
    await overdrachten.uitkomst(p, AMSTERDAM, o.overdracht_id, "werk-gevonden", VANDAAG - timedelta(days=30))
    voor = len(uow.published)

    gecorrigeerd, _ = await overdrachten.corrigeer_uitkomst(p, AMSTERDAM, o.overdracht_id, "werk-gevonden", VANDAAG)
    assert gecorrigeerd.uitkomst == ("werk-gevonden", VANDAAG)
    await overdrachten.corrigeer_uitkomst(p, AMSTERDAM, o.overdracht_id, "werk-gevonden", VANDAAG)
    await overdrachten.corrigeer_uitkomst(p, AMSTERDAM, o.overdracht_id, "geen-bijstand-nodig", VANDAAG)
    gemeld = [e.data for e in uow.published[voor:]]
    assert [(d["overdrachtId"], d["uitkomst"], d["datum"]) for d in gemeld] == [
        (o.overdracht_id, "werk-gevonden", VANDAAG.isoformat()),
        (o.overdracht_id, "geen-bijstand-nodig", VANDAAG.isoformat()),
    ]
    with pytest.raises(Onbekend):
        await overdrachten.corrigeer_uitkomst(p, ROTTERDAM, o.overdracht_id, "werk-gevonden", VANDAAG)
    assert len(uow.published) == voor + 2


async def test_a_handover_is_about_a_ww_ending_within_its_longest_duration_and_steps_that_happened():
    p, uow = ports(VANDAAG)
    grond = {"soort": "toestemming", "referentie": "UWV-1"}
    for einde, code in (
        (plus_maanden(VANDAAG, 24) + timedelta(days=1), "ww-einddatum-te-ver-vooruit"),
        (date(2060, 1, 1), "ww-einddatum-te-ver-vooruit"),
        (plus_maanden(VANDAAG, -12) - timedelta(days=1), "ww-einddatum-verstreken"),
    ):
        with pytest.raises(WwEinddatumBuitenBereik) as refused:
            await overdrachten.meld(p, BSN, "GM0363", einde, grond, None)
        assert (refused.value.code, refused.value.field) == (code, "wwEinddatum")
    assert not uow.overdrachten.rijen
    # one stored before these bounds: UWV may send it again, or after a move, and correct it
    oud = Overdracht("o-oud", "GM0363", date(2100, 12, 31), grond)
    uow.overdrachten.rijen[p.pseudonym(ANDER)] = (oud, ANDER)
    assert (await overdrachten.meld(p, ANDER, "GM0363", date(2100, 12, 31), grond, None))[0] == "ongewijzigd"
    with pytest.raises(WwEinddatumBuitenBereik):
        await overdrachten.meld(p, ANDER, "GM0363", date(2099, 12, 31), grond, None)
    p.brp.personen[ANDER] = "GM0599"
    assert (await overdrachten.meld(p, ANDER, "GM0599", date(2100, 12, 31), grond, None))[0] == "verhuisd"
    p.brp.personen[ANDER] = "GM0363"
    grenzen = (plus_maanden(VANDAAG, 24), plus_maanden(VANDAAG, -12))  # the bounds themselves
    uitkomsten = [(await overdrachten.meld(p, ANDER, "GM0363", einde, grond, None))[0] for einde in grenzen]
    assert uitkomsten == ["verhuisd", "bijgewerkt"]

    _, o = await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=90), grond, None)
    morgen = VANDAAG + timedelta(days=1)
    for handeling in (
        overdrachten.stap(p, AMSTERDAM, o.overdracht_id, "contact-gelegd", morgen),
        overdrachten.uitkomst(p, AMSTERDAM, o.overdracht_id, "werk-gevonden", morgen),
    ):
        with pytest.raises(DatumBuitenOverdracht) as refused:
            await handeling
        assert "na vandaag" in refused.value.detail
    await overdrachten.stap(p, AMSTERDAM, o.overdracht_id, "contact-gelegd", VANDAAG - timedelta(days=3))
    with pytest.raises(StapAlVastgelegd) as twice:
        await overdrachten.stap(p, AMSTERDAM, o.overdracht_id, "contact-gelegd", VANDAAG)
    assert twice.value.code == "stap-al-vastgelegd"
    assert uow.overdrachten.rijen[p.pseudonym(BSN)][0].stappen == (
        ("contact-gelegd", (VANDAAG - timedelta(days=3)).isoformat()),
    )


async def test_a_steps_date_is_corrected_and_uwv_hears_the_day_of_the_earliest_step():
    p, uow = ports(VANDAAG)
    _, o = await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=90), {"soort": "toestemming"}, None)
    getikt, juist = VANDAAG - timedelta(days=30), VANDAAG - timedelta(days=3)
    await overdrachten.stap(p, AMSTERDAM, o.overdracht_id, "contact-gelegd", getikt)
    await overdrachten.stap(p, AMSTERDAM, o.overdracht_id, "aanvraag-voorbereid", VANDAAG)

    def opgepakt() -> list[str]:
        return [e.data["opgepaktOp"] for e in uow.published if e.type == events.OverdrachtOpgepakt.TYPE]

    assert opgepakt() == [getikt.isoformat()]

    gecorrigeerd, _ = await overdrachten.corrigeer_stap(p, AMSTERDAM, o.overdracht_id, "contact-gelegd", juist)
    assert gecorrigeerd.stappen == (("contact-gelegd", juist.isoformat()), ("aanvraag-voorbereid", VANDAAG.isoformat()))
    assert opgepakt() == [getikt.isoformat(), juist.isoformat()], "UWV hears the corrected first step"
    await overdrachten.corrigeer_stap(p, AMSTERDAM, o.overdracht_id, "contact-gelegd", juist)
    await overdrachten.corrigeer_stap(p, AMSTERDAM, o.overdracht_id, "aanvraag-voorbereid", juist)
    assert len(opgepakt()) == 2, "the same date again, or a step on the same day as the earliest: nothing for UWV"
    assert uow.overdrachten.rijen[p.pseudonym(BSN)][0].stappen[1] == ("aanvraag-voorbereid", juist.isoformat())
    with pytest.raises(StapNietVastgelegd) as niet:
        await overdrachten.corrigeer_stap(p, AMSTERDAM, o.overdracht_id, "re-integratie-gestart", juist)
    assert niet.value.code == "stap-niet-vastgelegd"
    # the day it was taken up is the earliest step's, whichever step was recorded first
    eerder = juist - timedelta(days=1)
    await overdrachten.corrigeer_stap(p, AMSTERDAM, o.overdracht_id, "aanvraag-voorbereid", eerder)
    await overdrachten.stap(p, AMSTERDAM, o.overdracht_id, "re-integratie-gestart", eerder - timedelta(days=1))
    naar_uwv = [
        (e.data["stap"], e.data["opgepaktOp"]) for e in uow.published if e.type == events.OverdrachtOpgepakt.TYPE
    ]
    assert naar_uwv[2:] == [
        ("aanvraag-voorbereid", eerder.isoformat()),
        ("re-integratie-gestart", (eerder - timedelta(days=1)).isoformat()),
    ]
    await overdrachten.corrigeer_stap(p, AMSTERDAM, o.overdracht_id, "re-integratie-gestart", VANDAAG)
    assert opgepakt()[-1] == eerder.isoformat(), "corrected to later: the next earliest step's day again"

    with pytest.raises(DatumBuitenOverdracht):
        await overdrachten.corrigeer_stap(p, AMSTERDAM, o.overdracht_id, "contact-gelegd", VANDAAG + timedelta(days=1))
    with pytest.raises(Onbekend):
        await overdrachten.corrigeer_stap(p, ROTTERDAM, o.overdracht_id, "contact-gelegd", getikt)
    assert uow.overdrachten.rijen[p.pseudonym(BSN)][0].stappen[0] == ("contact-gelegd", juist.isoformat())
    assert len(opgepakt()) == 5


async def test_a_max_ww_handover_is_created_updated_moved_and_followed_up():
    p, uow = ports(VANDAAG)
    ww_einde = VANDAAG + timedelta(days=60)
    grond = {"soort": "toestemming", "referentie": "UWV-1"}
    uitkomst, nieuw = await overdrachten.meld(p, BSN, "GM0363", ww_einde, grond, None)
    assert uitkomst == "nieuw"
    assert (await overdrachten.meld(p, BSN, "GM0363", ww_einde, grond, None))[0] == "ongewijzigd"
    await overdrachten.meld(p, ANDER, "GM0363", VANDAAG - timedelta(days=1), grond, None)
    assert [bsn for _, bsn in await overdrachten.lijst(p, AMSTERDAM, None, VANDAAG)] == [ANDER]
    # a step or an outcome lies within a year of the WW's end: one dated long before would count as in
    # time (and UWV would hear so)
    for dag in (date(1900, 1, 1), ww_einde - timedelta(days=367), ww_einde + timedelta(days=367), date(2100, 12, 31)):
        for handeling in (
            overdrachten.stap(p, AMSTERDAM, nieuw.overdracht_id, "contact-gelegd", dag),
            overdrachten.uitkomst(p, AMSTERDAM, nieuw.overdracht_id, "werk-gevonden", dag),
        ):
            with pytest.raises(DatumBuitenOverdracht) as refused:
                await handeling
            assert (refused.value.code, refused.value.field) == ("datum-buiten-overdracht", "datum")
    gezet, _ = await overdrachten.stap(p, AMSTERDAM, nieuw.overdracht_id, "contact-gelegd", VANDAAG)
    assert gezet.stappen == (("contact-gelegd", VANDAAG.isoformat()),)
    telling = await overdrachten.rapportage(p, AMSTERDAM)  # today by the clock: one WW has ended
    assert (telling.overdrachten, telling.lopend, telling.ww_beeindigd, telling.zonder_besluit_op_tijd) == (2, 1, 1, 1)

    with pytest.raises(NietWoongemeente) as refused:  # UWV names a municipality the person does not live in
        await overdrachten.meld(p, BSN, "GM0599", ww_einde, grond, None)
    assert (refused.value.code, refused.value.field) == ("niet-woongemeente", "gemeentecode")
    p.brp.personen[BSN] = "GM0599"
    assert (await overdrachten.meld(p, BSN, "GM0599", ww_einde, grond, None))[0] == "verhuisd"
    with pytest.raises(Onbekend):
        await overdrachten.stap(p, AMSTERDAM, nieuw.overdracht_id, "contact-gelegd", VANDAAG)
    gezet, _ = await overdrachten.stap(p, ROTTERDAM, nieuw.overdracht_id, "contact-gelegd", VANDAAG)
    # the old municipality's notification again (a new Idempotency-Key): refused, Rotterdam's step stays
    with pytest.raises(NietWoongemeente):
        await overdrachten.meld(p, BSN, "GM0363", ww_einde, grond, None)
    assert [(o, bsn) for o, bsn in await overdrachten.lijst(p, ROTTERDAM, None, None)] == [(gezet, BSN)]


async def test_a_later_ww_reaching_its_maximum_is_a_handover_of_its_own_and_the_first_stays_as_it_ended(tmp_path):
    """A person who found work after bijstand may build a new WW right (26 weeks of work) and reach its
    maximum again: that handover starts afresh (its own decision, steps and lead time), UWV hears of
    its decision, and the first one stays in the list and the report as it ended. A WW's end corrected
    less than 26 weeks later is the same handover."""
    p, uow = ports(VANDAAG)
    p_db, db = await op_database(p, tmp_path)
    grond, eerste_einde = {"soort": "toestemming", "referentie": "UWV-1"}, VANDAAG + timedelta(days=40)
    tweede_einde = eerste_einde + timedelta(days=600)
    try:
        for q in (p, p_db):
            handle = consumers.handlers(lambda conn, q=q: q)
            _, eerste = await overdrachten.meld(q, BSN, "GM0363", eerste_einde, grond, None)
            await handle[GEOPEND](None, geopend(BSN, eerste_einde + timedelta(days=1), besluitdatum=VANDAAG))
            await handle[BEEINDIGD](None, gestopt(eerste_einde + timedelta(days=200)))  # found work: the case ended
            later = replace(q, clock=FixedClock(tweede_einde - timedelta(days=90)))
            uitkomst, tweede = await overdrachten.meld(later, BSN, "GM0363", tweede_einde, grond, None)
            assert uitkomst == "nieuw" and tweede.overdracht_id != eerste.overdracht_id
            assert (tweede.besluit_op, tweede.stappen, tweede.gemeld_op) == (None, (), later.clock.today())
            correctie = tweede_einde + timedelta(days=14)
            assert (await overdrachten.meld(later, BSN, "GM0363", correctie, grond, None))[0] == "bijgewerkt"
            # UWV sends the first WW's notification again, with another reference: that handover changes
            opnieuw = {"soort": "toestemming", "referentie": "UWV-2"}
            uitkomst, weer = await overdrachten.meld(later, BSN, "GM0363", eerste_einde, opnieuw, None)
            assert (uitkomst, weer.overdracht_id, weer.grondslag) == ("bijgewerkt", eerste.overdracht_id, opnieuw)
            gelijst = {o.overdracht_id: o for o, _ in await overdrachten.lijst(later, AMSTERDAM, None, None)}
            assert gelijst.keys() == {eerste.overdracht_id, tweede.overdracht_id}
            assert gelijst[eerste.overdracht_id].op_tijd, "the first stays decided in time"
            assert gelijst[tweede.overdracht_id].ww_einddatum == correctie, "the later WW's end stays"
            nieuwe_zaak = geopend(BSN, correctie + timedelta(days=1), uitkering_id=str(uuid.uuid4()))
            await consumers.handlers(lambda conn, later=later: later)[GEOPEND](None, nieuwe_zaak)
            async with q.uow() as w:
                assert (await w.overdrachten.van(q.pseudonym(BSN))).besluit_op == later.clock.today()
            if q is p:
                ids = [eerste.overdracht_id, tweede.overdracht_id]
        naar_uwv = [e.data["overdrachtId"] for e in uow.published if e.type == events.BijstandBesloten.TYPE]
        assert naar_uwv == ids, "each WW's decision, once"
    finally:
        await db.dispose()


async def test_a_replayed_opening_of_an_ended_case_is_no_decision_for_a_later_handover():
    """The case's end stays as stored, and UWV hears nothing."""
    p, uow, handle = await with_window()  # case ...0001 ended on EINDE
    grond = {"soort": "toestemming", "referentie": "U"}
    await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=90), grond, None)
    n = len(uow.published)
    oud = "6a1e3c1c-1111-4c1c-9c1c-000000000001"
    herhaald = geopend(
        startdatum=EINDE - timedelta(days=300), uitkering_id=oud, besluitdatum=EINDE - timedelta(days=301)
    )
    await handle[GEOPEND](None, herhaald)
    assert (await uow.overdrachten.van(f"p-{BSN}")).besluit_op is None
    assert uow.published[n:] == []
    assert [u.einddatum for u in await uow.uitkeringen.van(f"p-{BSN}")] == [EINDE]


@pytest.mark.parametrize(("dagen_voor_melding", "besluit"), [(LAAT_GEOPEND.days, True), (LAAT_GEOPEND.days + 1, False)])
async def test_an_opening_arriving_after_the_notification_counts_only_if_decided_shortly_before_it(
    dagen_voor_melding, besluit
):
    """A running case decided before UWV notified whose opening came only after (the consumer stood
    still) is the decision; one decided before any first delivery could still come is a replay, e.g. of
    a case retention forgot together with its end."""
    p, uow = ports(VANDAAG)
    grond = {"soort": "toestemming", "referentie": "U"}
    await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=90), grond, None)
    besloten = VANDAAG - timedelta(days=dagen_voor_melding)
    await consumers.handlers(lambda conn: p)[GEOPEND](None, geopend(startdatum=besloten, besluitdatum=besloten))
    assert (await uow.overdrachten.van(f"p-{BSN}")).besluit_op == (besloten if besluit else None)
    assert [e.type for e in uow.published] == ([events.BijstandBesloten.TYPE] if besluit else [])


async def test_a_notification_uwv_made_before_the_one_applied_changes_nothing(tmp_path):
    """UWV's first notification (WW end +120 days) arriving after its own correction (+90) leaves the
    correction, when UWV says when it made each (`meldingstijdstip`); without, the latest to arrive
    counts, as before."""
    gemeld = models.Overdrachtmelding.model_validate(vb.UWV_MELDING).meldingstijdstip
    assert (gemeld, gemeld.tzinfo) == (datetime(2026, 9, 15, 8, 12, tzinfo=UTC), UTC), "kept in UTC"
    p, _ = ports(VANDAAG)
    p_db, db = await op_database(p, tmp_path)
    grond, correctie, eerste = {"soort": "toestemming", "referentie": "U"}, timedelta(days=90), timedelta(days=120)
    eerst, daarna = datetime(2029, 6, 1, 9, tzinfo=UTC), datetime(2029, 6, 2, 9, tzinfo=UTC)
    try:
        for q in (p, p_db):
            _, o = await overdrachten.meld(q, BSN, "GM0363", VANDAAG + correctie, grond, None, daarna)
            uitkomst, oud = await overdrachten.meld(q, BSN, "GM0363", VANDAAG + eerste, grond, None, eerst)
            assert models.Meldingsresultaat.model_validate(models.meldingsresultaat(uitkomst, oud)).verouderd
            assert models.meldingsresultaat(uitkomst, oud) == {
                "uitkomst": "ongewijzigd",
                "overdrachtId": o.overdracht_id,
                "verouderd": True,
            }
            async with q.uow() as w:
                bewaard = await w.overdrachten.van(q.pseudonym(BSN))
            assert (bewaard.ww_einddatum, bewaard.melding_op) == (VANDAAG + correctie, daarna)
            # the correction made again later is unchanged, and an older one than that is not applied
            later = daarna + timedelta(hours=1)
            assert (await overdrachten.meld(q, BSN, "GM0363", VANDAAG + correctie, grond, None, later))[0] == (
                "ongewijzigd"
            )
            tussendoor = daarna + timedelta(minutes=30)
            assert (await overdrachten.meld(q, BSN, "GM0363", VANDAAG + eerste, grond, None, tussendoor))[0] == (
                "verouderd"
            )
            uitkomst, zonder = await overdrachten.meld(q, BSN, "GM0363", VANDAAG + eerste, grond, None)
            assert (uitkomst, zonder.ww_einddatum) == ("bijgewerkt", VANDAAG + eerste), "no moment: as it arrives"
    finally:
        await db.dispose()


async def test_after_a_move_in_the_brp_the_old_municipality_no_longer_sees_or_acts_on_the_handover():
    """Also before UWV notifies the new municipality: answered as for a stranger, and UWV hears nothing."""
    p, uow = ports(VANDAAG)
    grond = {"soort": "toestemming", "referentie": "UWV-1"}
    _, overdracht = await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=60), grond, None)
    await overdrachten.meld(p, ANDER, "GM0363", VANDAAG + timedelta(days=70), grond, None)
    p.brp.personen[BSN] = "GM0599"
    gepubliceerd = len(uow.published)
    with pytest.raises(Onbekend):
        await overdrachten.stap(p, AMSTERDAM, overdracht.overdracht_id, "contact-gelegd", VANDAAG)
    with pytest.raises(Onbekend):
        await overdrachten.uitkomst(p, AMSTERDAM, overdracht.overdracht_id, "werk-gevonden", VANDAAG)
    gelezen = await overdrachten.lijst(p, AMSTERDAM, None, None)
    assert [bsn for _, bsn in await overdrachten.ingezetenen(p, AMSTERDAM, gelezen)] == [ANDER]
    assert (await overdrachten.rapportage(p, AMSTERDAM)).overdrachten == 1
    assert len(uow.published) == gepubliceerd and not (await uow.overdrachten.van(p.pseudonym(BSN))).stappen


async def test_a_case_opened_before_uwv_reports_the_move_is_the_decision_once_uwv_hands_the_handover_there(tmp_path):
    """It was never credited: the handover moved afresh, and UWV never heard of the decision."""
    p, uow = ports(VANDAAG)
    p_db, db = await op_database(p, tmp_path)  # the same flow on a database: what is kept survives storage
    grond, ww_einde = {"soort": "toestemming", "referentie": "UWV-1"}, VANDAAG + timedelta(days=40)
    try:
        for q in (p, p_db):
            q.brp.personen.clear()  # the two share the BRP: both start in Amsterdam
            handle = consumers.handlers(lambda conn, q=q: q)
            for bsn in (BSN, ANDER):
                await overdrachten.meld(q, bsn, "GM0363", ww_einde, grond, None)
                q.brp.personen[bsn] = "GM0599"
                await handle[GEOPEND](None, geopend(bsn, ww_einde + timedelta(days=1), gemeente="GM0599"))
            async with q.uow() as w:
                kept = await w.overdrachten.van(q.pseudonym(BSN))
            assert (kept.gemeentecode, kept.besluit_op, kept.besluit_elders) == (
                "GM0363",
                None,
                ("GM0599", VANDAAG, ww_einde + timedelta(days=1)),
            ), "Amsterdam's handover is not decided by Rotterdam's case"
            q.brp.personen[ANDER] = "GM0344"  # moved on before UWV said so
            await overdrachten.meld(q, ANDER, "GM0344", ww_einde, grond, None)
            uitkomst, verhuisd = await overdrachten.meld(q, BSN, "GM0599", ww_einde, grond, None)
            assert (uitkomst, verhuisd.besluit_op, verhuisd.op_tijd, verhuisd.besluit_elders) == (
                "verhuisd",
                VANDAAG,
                True,
                None,
            )
            [(gelezen, _)] = await overdrachten.lijst(q, ROTTERDAM, None, None)
            assert gelezen == verhuisd
            assert (await overdrachten.meld(q, BSN, "GM0599", ww_einde, grond, None))[0] == "ongewijzigd"
        [naar_uwv] = [e for e in uow.published if e.type == events.BijstandBesloten.TYPE]
        assert (
            naar_uwv.key,
            naar_uwv.data["gemeentecode"],
            naar_uwv.data["uitkomst"],
            naar_uwv.data["voorEindeWw"],
        ) == (
            f"p-{BSN}",
            "GM0599",
            "bijstand-toegekend",
            True,
        ), "once, to Rotterdam; Utrecht did not open ANDER's case"
    finally:
        await db.dispose()


async def test_a_case_opened_before_uwv_notifies_is_the_decision_of_the_handover_it_then_makes(tmp_path):
    """The person applied themselves, or UWV notified late: in either order of the case and the
    notification the decision is in place, and UWV hears it once. A case that ended before UWV
    notified does not decide it (its end also arrived before its opening here)."""
    p, uow = ports(VANDAAG)
    p_db, db = await op_database(p, tmp_path)  # the cases' openings kept on a database too
    grond, ww_einde = {"soort": "toestemming", "referentie": "UWV-1"}, VANDAAG + timedelta(days=40)
    eind = "8c3e3c1c-3333-4c1c-9c1c-000000000003"
    try:
        for q in (p, p_db):
            handle = consumers.handlers(lambda conn, q=q: q)
            await handle[GEOPEND](None, geopend(BSN, VANDAAG - timedelta(days=3), besluitdatum=VANDAAG))
            uitkomst, overdracht = await overdrachten.meld(q, BSN, "GM0363", ww_einde, grond, None)
            assert (uitkomst, overdracht.besluit_op, overdracht.besluit_startdatum, overdracht.op_tijd) == (
                "nieuw",
                VANDAAG,
                VANDAAG - timedelta(days=3),
                True,
            ), "bijstand beside the WW runs on after it"
            assert (await overdrachten.meld(q, BSN, "GM0363", ww_einde, grond, None))[0] == "ongewijzigd"

            # ANDER's case: its end (before the WW's) arrived before its opening
            await handle[BEEINDIGD](None, beeindigd(ANDER, uitkering_id=eind))
            await handle[GEOPEND](None, geopend(ANDER, EINDE - timedelta(days=60), uitkering_id=eind))
            _, zonder = await overdrachten.meld(q, ANDER, "GM0363", ww_einde, grond, None)
            assert zonder.besluit_op is None, "a case that ended before UWV notified decides nothing"
            async with q.uow() as w:
                [bekend] = await w.uitkeringen.van(q.pseudonym(ANDER))
            assert (bekend.einddatum, bekend.geopend) == (EINDE, ("GM0363", VANDAAG, EINDE - timedelta(days=60)))
        naar_uwv = [e for e in uow.published if e.type == events.BijstandBesloten.TYPE]
        assert [(e.key, e.data["uitkomst"], e.data["voorEindeWw"]) for e in naar_uwv] == [
            (f"p-{BSN}", "bijstand-toegekend", True)
        ], "once"
    finally:
        await db.dispose()


async def test_a_case_running_on_the_day_uwv_notifies_decides_the_handover_in_either_order():
    """The same facts, the case's events before or after UWV's notification: a case that runs on the
    day UWV notifies is the decision either way (also one that ends before the WW does), and UWV
    hears it once."""
    grond, ww_einde = {"soort": "toestemming", "referentie": "UWV-1"}, VANDAAG + timedelta(days=40)
    uitkomsten = []
    for zaak_eerst in (True, False):
        p, uow = ports(VANDAAG)
        handle = consumers.handlers(lambda conn, p=p: p)
        zaak = [geopend(BSN, VANDAAG, besluitdatum=VANDAAG), gestopt(VANDAAG + timedelta(days=10))]
        if not zaak_eerst:
            await overdrachten.meld(p, BSN, "GM0363", ww_einde, grond, None)
        await handle[GEOPEND](None, zaak[0])
        await handle[BEEINDIGD](None, zaak[1])
        if zaak_eerst:
            await overdrachten.meld(p, BSN, "GM0363", ww_einde, grond, None)
        async with p.uow() as w:
            o = await w.overdrachten.van(p.pseudonym(BSN))
        naar_uwv = [e.data["uitkomst"] for e in uow.published if e.type == events.BijstandBesloten.TYPE]
        uitkomsten.append((o.besluit_op, o.op_tijd, naar_uwv))
    assert uitkomsten[0] == uitkomsten[1] == (VANDAAG, True, ["bijstand-toegekend"])


async def test_an_application_from_a_handover_starts_the_day_after_the_ww_and_its_case_is_the_decision():
    p, uow = ports(VANDAAG)
    ww_einde = VANDAAG + timedelta(days=40)
    _, overdracht = await overdrachten.meld(
        p, BSN, "GM0363", ww_einde, {"soort": "toestemming", "referentie": "U"}, None
    )
    with pytest.raises(MeldingTeVroeg) as refused:
        await heraanvragen.vanuit_overdracht(p, AMSTERDAM, overdracht.overdracht_id, Aanvraag(VANDAAG, VANDAAG, ()))
    assert refused.value.field == "meldingsdatum" and not uow.heraanvragen.rijen
    with pytest.raises(Onbekend):
        await heraanvragen.vanuit_overdracht(p, ROTTERDAM, overdracht.overdracht_id, Aanvraag(ww_einde, ww_einde, ()))
    melding = ww_einde - timedelta(days=7)
    op_de_melding = replace(p, clock=FixedClock(melding))
    aanvraag = await heraanvragen.vanuit_overdracht(
        op_de_melding,
        AMSTERDAM,
        overdracht.overdracht_id,
        Aanvraag(melding, melding, (), geboortedatum=date(2003, 1, 1)),
    )
    assert (aanvraag.aanvraag.startdatum, aanvraag.status) == (ww_einde + timedelta(days=1), "beoordelen")
    # no earlier window: the caseworker grants with the situation established; the dates come from the handover
    toegekend = await heraanvragen.besluit(
        p,
        AMSTERDAM,
        aanvraag.heraanvraag_id,
        True,
        "recht",
        "direct inkomen nodig",
        models.Besluit.model_validate(
            {"besluit": "toekennen", "reden": "recht", "situatie": SITUATIE_CONTRACT}
        ).situatie_domein(),
    )
    assert toegekend.status == "toegekend"
    [gevraagd] = [e for e in uow.published if e.type == events.HeraanvraagToegekend.TYPE]
    assert (gevraagd.data["startdatum"], gevraagd.data["geboortedatum"], gevraagd.data["vrijlatingsklok"]) == (
        (ww_einde + timedelta(days=1)).isoformat(),
        "2003-01-01",
        [],
    )

    # a case event without a time: the decision counts from today, by the service's clock
    handle = consumers.handlers(lambda conn: p)
    await handle[GEOPEND](None, geopend(gemeente="GM0599", startdatum=ww_einde))
    assert uow.overdrachten.rijen[f"p-{BSN}"][0].besluit_op is None, "another municipality's case"
    await handle[GEOPEND](None, geopend(startdatum=ww_einde + timedelta(days=1)))
    [(besloten, _)] = await overdrachten.lijst(p, AMSTERDAM, None, None)
    assert (besloten.besluit_op, besloten.op_tijd) == (VANDAAG, True)
    [naar_uwv] = [e for e in uow.published if e.type == events.BijstandBesloten.TYPE]
    assert (naar_uwv.data["uitkomst"], naar_uwv.data["ingangsdatum"], naar_uwv.data["voorEindeWw"]) == (
        "bijstand-toegekend",
        (ww_einde + timedelta(days=1)).isoformat(),
        True,
    )


async def test_a_handover_carries_what_the_consent_covers_its_lead_time_and_outcomes_without_bijstand():
    """The Max-WW approach (DOMAIN.md §4): notified at least three months ahead; work found or no bijstand
    needed before the WW ends is a success; UWV hears the first step and the outcome."""
    p, uow = ports(VANDAAG)
    grond = {"soort": "toestemming", "referentie": "U", "reikwijdte": ["ww-einddatum"]}
    with pytest.raises(BuitenGrondslag) as buiten:
        await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=100), grond, ("dagloon", 9650))
    assert buiten.value.field == "wwBedrag" and not uow.overdrachten.rijen
    ruim = grond | {"reikwijdte": ["ww-einddatum", "ww-bedrag"]}
    _, op_tijd = await overdrachten.meld(p, BSN, "GM0363", VANDAAG + timedelta(days=100), ruim, ("dagloon", 9650))
    _, laat = await overdrachten.meld(p, ANDER, "GM0363", VANDAAG + timedelta(days=20), grond, None)
    assert (op_tijd.ww_bedrag, op_tijd.te_laat_gemeld, laat.te_laat_gemeld) == (("dagloon", 9650), False, True)

    await overdrachten.stap(p, AMSTERDAM, op_tijd.overdracht_id, "contact-gelegd", VANDAAG)
    await overdrachten.stap(p, AMSTERDAM, op_tijd.overdracht_id, "re-integratie-gestart", VANDAAG)
    [opgepakt] = [e for e in uow.published if e.type == events.OverdrachtOpgepakt.TYPE]
    assert opgepakt.data["stap"] == "contact-gelegd", "only the first step"
    werk, _ = await overdrachten.uitkomst(p, AMSTERDAM, op_tijd.overdracht_id, "werk-gevonden", VANDAAG)
    assert werk.geslaagd
    with pytest.raises(AlAfgerond):
        await overdrachten.uitkomst(p, AMSTERDAM, op_tijd.overdracht_id, "geen-bijstand-nodig", VANDAAG)
    [besloten] = [e for e in uow.published if e.type == events.BijstandBesloten.TYPE]
    assert (besloten.data["uitkomst"], besloten.data["voorEindeWw"]) == ("werk-gevonden", True)

    # both WWs have ended
    telling = await overdrachten.rapportage(replace(p, clock=FixedClock(VANDAAG + timedelta(days=200))), AMSTERDAM)
    assert (telling.werk_gevonden, telling.zonder_besluit_op_tijd, telling.te_laat_gemeld) == (1, 1, 1)


async def test_the_decision_day_is_the_one_decisions_names_or_else_the_dutch_day_of_its_event():
    ww_einde = VANDAAG + timedelta(days=40)
    start = ww_einde + timedelta(days=1)
    last_day = ww_einde.isoformat()
    for event, besluit_op in (
        (geopend(startdatum=start, besluitdatum=ww_einde + timedelta(days=3)), ww_einde + timedelta(days=3)),
        # 23:30 UTC on the WW's last day is already the next day in the Netherlands: too late
        (geopend(startdatum=start, time=f"{last_day}T23:30:00+00:00"), ww_einde + timedelta(days=1)),
        (geopend(startdatum=start, time=f"{last_day}T21:30:00+00:00"), ww_einde),
    ):
        p, uow = ports(VANDAAG)
        await overdrachten.meld(p, BSN, "GM0363", ww_einde, {"soort": "toestemming", "referentie": "U"}, None)
        await consumers.handlers(lambda conn, p=p: p)[GEOPEND](None, event)
        [(overdracht, _)] = await overdrachten.lijst(p, AMSTERDAM, None, None)
        assert (overdracht.besluit_op, overdracht.op_tijd) == (besluit_op, besluit_op == ww_einde)


async def test_a_person_income_does_not_see_for_the_municipality_goes_to_a_caseworker():
    """income answers 404 when its window has not reached it yet (or the address is wrong): that is
    not "no income", so it is never approved on it."""
    p, uow, _ = await with_window()
    p.inkomen.per_gemeente[("GM0363", BSN)] = ONBEKEND
    heraanvraag = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert (heraanvraag.status, [r.code for r in heraanvraag.redenen]) == ("beoordelen", ["polis-onbekend"])
    assert heraanvraag.recent_inkomen is None


async def test_a_re_application_waits_for_income_rather_than_being_judged_without_the_polis():
    """income away: the request fails as a whole (503 at the API, the client asks again with its
    Idempotency-Key); nothing is kept or published, and no one is approved on an unknown polis."""
    p, uow, _ = await with_window()
    p.inkomen.bereikbaar = False
    gepubliceerd = len(uow.published)
    with pytest.raises(Unavailable):
        await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert not uow.heraanvragen.rijen and len(uow.published) == gepubliceerd


async def test_a_late_or_replayed_status_event_leaves_the_newer_state_be_and_is_counted():
    """Per person order: a record published again or replayed from the dead-letter topic cannot
    overwrite what a later event of the same person set (the CloudEvents sequence says which)."""
    p, uow, handle = await with_window()
    status = events.DeelnamestatusGewijzigd.TYPE
    metric = "schakel_events_superseded_total"
    voor = REGISTRY.get_sample_value(metric, {"cloudevents_event_type": status, "reason": "newer"}) or 0
    for grond, volgnummer in (("participatiewet", 4), (None, 3)):
        gewijzigd = deelnamestatus(BSN, "doelgroepregister" if grond else "geen", grond, VANDAAG)
        await handle[status](None, replace(received(f"p-{BSN}", gewijzigd), sequence=volgnummer))
    assert uow.doelgroepen.gronden[f"p-{BSN}"] == "participatiewet"
    assert REGISTRY.get_sample_value(metric, {"cloudevents_event_type": status, "reason": "newer"}) == voor + 1


async def test_income_is_asked_with_no_unit_of_work_open():
    """A connection held while income answers waits on another service (a slow income would empty the
    pool): a re-application and one from a handover both ask it between their reads and their change."""
    p, uow = ports(VANDAAG)
    open_toen: list[bool] = []
    gevraagd = p.inkomen.laatste

    async def laatste(caller, bsn):
        open_toen.append(uow.open)
        return await gevraagd(caller, bsn)

    p.inkomen.laatste = laatste
    ww_einde = VANDAAG + timedelta(days=5)
    _, overdracht = await overdrachten.meld(
        p, ANDER, "GM0363", ww_einde, {"soort": "toestemming", "referentie": "U"}, None
    )
    melding = ww_einde - timedelta(days=2)
    aanvraag = await heraanvragen.vanuit_overdracht(
        replace(p, clock=FixedClock(melding)),
        AMSTERDAM,
        overdracht.overdracht_id,
        Aanvraag(melding, melding, (), geboortedatum=date(2003, 1, 1)),
    )
    assert aanvraag.aanvraag.startdatum == ww_einde + timedelta(days=1)
    await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert open_toen == [False, False]


async def test_a_case_s_end_replayed_after_the_next_case_opened_opens_no_window():
    """The end of a case went to the dead-letter topic; the person's next case opened; then the end is
    replayed. The window it would open closed when the next case began: no window, nothing for
    income to keep polis data for, and the skip is counted."""
    p, uow = ports(VANDAAG)
    handle = consumers.handlers(lambda conn: p)
    overgeslagen = (
        REGISTRY.get_sample_value(
            "schakel_events_superseded_total", {"cloudevents_event_type": BEEINDIGD, "reason": "newer"}
        )
        or 0
    )
    await handle[GEOPEND](None, replace(geopend(startdatum=EINDE + timedelta(days=10)), sequence=2))  # the next case
    await handle[BEEINDIGD](None, replace(beeindigd(), sequence=1))  # the case before's end, late
    assert await termijnen.open_termijn(p, AMSTERDAM, BSN) is None
    gecorrigeerd = beeindigd()
    eerder = (EINDE - timedelta(days=5)).isoformat()
    gecorrigeerd = replace(gecorrigeerd, sequence=3, data={**gecorrigeerd.data, "einddatum": eerder})
    await handle[BEEINDIGD](None, gecorrigeerd)  # and its end corrected since: still no window
    assert await termijnen.open_termijn(p, AMSTERDAM, BSN) is None
    assert events.HeraanvraagtermijnGeopend.TYPE not in [e.type for e in uow.published]
    assert (
        REGISTRY.get_sample_value(
            "schakel_events_superseded_total", {"cloudevents_event_type": BEEINDIGD, "reason": "newer"}
        )
        == overgeslagen + 2
    )


async def test_a_corrected_end_moves_the_window_and_an_older_end_replayed_after_it_changes_nothing():
    p, uow = ports(VANDAAG)
    handle = consumers.handlers(lambda conn: p)
    await handle[BEEINDIGD](None, replace(beeindigd(), sequence=3))
    later = EINDE + timedelta(days=10)
    gecorrigeerd = beeindigd()
    gecorrigeerd = replace(
        gecorrigeerd,
        sequence=4,
        data={**gecorrigeerd.data, "einddatum": later.isoformat(), "vorigeEinddatum": EINDE.isoformat()},
    )
    await handle[BEEINDIGD](None, gecorrigeerd)
    assert [e.data["geldigTot"] for e in uow.published] == [
        EINDE.replace(year=2030).isoformat(),
        later.replace(year=2030).isoformat(),
    ], "income hears the window's new end"
    termijn = await termijnen.open_termijn(p, AMSTERDAM, BSN)
    assert (termijn.einddatum, termijn.geldig_tot) == (later, later.replace(year=2030))
    assert termijn.hergebruik is not None, "what a re-application may reuse stays"

    await handle[BEEINDIGD](None, replace(beeindigd(), sequence=3))  # the first end, replayed
    assert (await termijnen.open_termijn(p, AMSTERDAM, BSN)).einddatum == later
    assert len(uow.published) == 2


async def test_the_same_end_announced_again_with_a_clock_that_moved_is_what_the_window_reuses():
    """Decisions announces an end again, with the same date, when months settled after it moved the
    vrijlating clock (the polis comes weeks later): the window reuses the clock as it is now, and opens
    once."""
    p, uow, handle = await with_window()
    nieuw = beeindigd()
    hergebruik = {**nieuw.data["hergebruik"], "vrijlatingsklok": [{"grond": "n", "maandenGebruikt": 3}]}
    await handle[BEEINDIGD](None, replace(nieuw, data={**nieuw.data, "hergebruik": hergebruik}))
    termijn = await termijnen.open_termijn(p, AMSTERDAM, BSN)
    assert [(k.grond, k.maanden_gebruikt) for k in termijn.hergebruik.vrijlatingsklok] == [("n", 3)]
    assert [e.type for e in uow.published] == [events.HeraanvraagtermijnGeopend.TYPE]


async def test_a_grant_after_review_hands_on_the_clock_as_the_window_has_it_when_decided():
    p, uow, handle = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    nieuw = beeindigd()
    hergebruik = {**nieuw.data["hergebruik"], "vrijlatingsklok": [{"grond": "n", "maandenGebruikt": 4}]}
    await handle[BEEINDIGD](None, replace(nieuw, data={**nieuw.data, "hergebruik": hergebruik}))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")
    assert uow.published[-1].data["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 4}]


async def test_a_move_within_the_window_keeps_the_persons_vrijlating_clock_in_the_new_municipality():
    """Art. 31 lid 2 names no benefit after which the months restart, nor a municipality: a first
    application where the person moved to carries the clock of their open window elsewhere, and only
    that (the old municipality's household and grounds are its own: doelbinding)."""
    p, uow, _ = await with_window()
    p.brp.personen[BSN] = "GM0599"
    eerste = await heraanvragen.dien_in(p, ROTTERDAM, BSN, simpel(geboortedatum=date(1980, 1, 1)))
    assert [r.code for r in eerste.redenen][0] == "geen-open-termijn" and eerste.hergebruik is None
    nu = situatie_van_contract(situatie(kostendelers=0))
    besloten = await heraanvragen.besluit(
        p, ROTTERDAM, eerste.heraanvraag_id, True, "situatie vastgesteld", situatie=nu
    )
    toegekend = uow.published[-1]
    assert toegekend.type == events.HeraanvraagToegekend.TYPE
    assert toegekend.data["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 2}]
    assert toegekend.data["situatie"] == situatie_contract(nu).model_dump(mode="json"), "Rotterdam's, not Amsterdam's"
    assert besloten.hergebruik.geboortedatum == date(1980, 1, 1) and besloten.hergebruik.situatie == nu

    # without a window anywhere (another person) the clock starts at zero, as before
    p.brp.personen[ANDER] = "GM0599"
    ander = await heraanvragen.dien_in(p, ROTTERDAM, ANDER, simpel(geboortedatum=date(1980, 1, 1)))
    await heraanvragen.besluit(p, ROTTERDAM, ander.heraanvraag_id, True, "situatie vastgesteld", situatie=nu)
    assert uow.published[-1].data["vrijlatingsklok"] == []


async def test_a_handover_settled_in_time_stays_with_its_municipality_when_uwv_notifies_a_move_after_the_ww():
    """Success is settled before the WW ends (DOMAIN.md §4): a move after that does not hand it to the
    new municipality (which would start afresh and be charged with a WW that ended before the person
    lived there); the notification changes nothing. A move before the end still hands it over, decided
    or not: the person may need bijstand there once the WW ends."""
    ww_einde = date(2029, 5, 31)
    grond = {"soort": "toestemming", "referentie": "UWV-1"}
    p, uow = ports(date(2029, 3, 1))
    _, overdracht = await overdrachten.meld(p, BSN, "GM0363", ww_einde, grond, None)
    p = replace(p, clock=FixedClock(date(2029, 5, 20)))
    afgerond, _ = await overdrachten.uitkomst(
        p, AMSTERDAM, overdracht.overdracht_id, "werk-gevonden", date(2029, 5, 20)
    )
    assert afgerond.geslaagd
    p = replace(p, clock=FixedClock(date(2029, 7, 10)))
    kwartaal = Periode(date(2029, 4, 1), date(2029, 6, 30))
    voor = await programmacijfers.lees(p, kwartaal, None)
    p.brp.personen[BSN] = "GM0599"
    gepubliceerd = len(uow.published)
    uitkomst, gemeld = await overdrachten.meld(p, BSN, "GM0599", ww_einde, grond, None)
    assert (uitkomst, gemeld) == ("ongewijzigd", afgerond)
    async with p.uow() as w:
        kept = await w.overdrachten.van(p.pseudonym(BSN))
    assert (kept.gemeentecode, kept.geslaagd, kept.uitkomst) == ("GM0363", True, ("werk-gevonden", date(2029, 5, 20)))
    assert await overdrachten.lijst(p, ROTTERDAM, None, None) == []
    assert len(uow.published) == gepubliceerd, "UWV hears nothing new"
    assert await programmacijfers.lees(p, kwartaal, None) == voor

    p2, _ = ports(date(2029, 3, 1))
    handle = consumers.handlers(lambda conn: p2)
    await overdrachten.meld(p2, ANDER, "GM0363", ww_einde, grond, None)
    await handle[GEOPEND](None, geopend(ANDER, ww_einde + timedelta(days=1), besluitdatum=date(2029, 3, 1)))
    p2.brp.personen[ANDER] = "GM0599"
    uitkomst, gemeld = await overdrachten.meld(p2, ANDER, "GM0599", ww_einde, grond, None)
    assert (uitkomst, gemeld.gemeentecode) == ("verhuisd", "GM0599"), "before the end: the new one takes over"


async def test_a_move_after_the_ww_ended_still_hands_over_when_the_new_municipality_decided_before_its_end():
    """The person lived in the new municipality before the WW ended (its case opened there then, art.
    40): UWV's late notification of the move hands the handover there with that decision, as before;
    without such a case the ended WW stays with the municipality it ended in."""
    ww_einde = date(2029, 5, 31)
    grond = {"soort": "toestemming", "referentie": "UWV-1"}
    p, _ = ports(date(2029, 3, 1))
    handle = consumers.handlers(lambda conn: p)
    await overdrachten.meld(p, BSN, "GM0363", ww_einde, grond, None)
    await overdrachten.meld(p, ANDER, "GM0363", ww_einde, grond, None)
    p.brp.personen[BSN] = "GM0599"
    await handle[GEOPEND](
        None, geopend(BSN, ww_einde + timedelta(days=1), gemeente="GM0599", besluitdatum=date(2029, 5, 1))
    )
    later = replace(p, clock=FixedClock(date(2029, 7, 10)))
    uitkomst, verhuisd = await overdrachten.meld(later, BSN, "GM0599", ww_einde, grond, None)
    assert (uitkomst, verhuisd.gemeentecode, verhuisd.op_tijd) == ("verhuisd", "GM0599", True)
    p.brp.personen[ANDER] = "GM0599"
    uitkomst, gebleven = await overdrachten.meld(later, ANDER, "GM0599", ww_einde, grond, None)
    assert (uitkomst, gebleven.gemeentecode) == ("ongewijzigd", "GM0363")


async def test_a_grant_after_review_hands_on_the_birth_date_as_the_window_has_it_when_decided():
    """decisions corrects a birth date typed wrong and announces the end again with it, while an
    application waits for a caseworker: the grant reopens the case with the corrected date."""
    p, uow, handle = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    nieuw = beeindigd()
    hergebruik = {**nieuw.data["hergebruik"], "geboortedatum": "1981-02-03"}
    await handle[BEEINDIGD](None, replace(nieuw, data={**nieuw.data, "hergebruik": hergebruik}))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")
    assert uow.published[-1].data["geboortedatum"] == "1981-02-03"


async def test_a_grant_after_review_reopens_with_the_household_as_the_window_has_it_when_decided():
    """decisions corrects the ended case's household (a partner lived there after all) and announces the
    end again with it while an application waits for a caseworker: the grant reopens the case with that
    household, not the one the application copied, which would leave the partner's income out. A partner
    so corrected whom the BRP registers elsewhere needs the situation as it is now."""
    gehuwd = {"huishouden": "gehuwd", "partnerGeboortedatum": date(1982, 3, 3), "partner": PARTNER}
    p, uow, handle = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    await handle[BEEINDIGD](None, beeindigd(**gehuwd))
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")
    toegekend = uow.published[-1].data["situatie"]
    assert (toegekend["huishouden"], toegekend["partner"]) == ("gehuwd", PARTNER.model_dump(mode="json"))

    p, uow, handle = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    p.brp.personen[PARTNER.bsn] = "GM0599"
    await handle[BEEINDIGD](None, beeindigd(**gehuwd))
    with pytest.raises(PartnerElders):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")


async def test_an_exemption_corrected_away_before_a_grant_after_review_brings_the_search_period():
    """The window's exemption of the search period is refreshed at the grant too: an under-27 whose medically
    limited hours decisions corrected away while the application waited is granted within the four weeks
    only with a waiver, as the grant carries the situation without the exemption (art. 41 lid 4)."""
    p, uow, handle = await with_window(geboren="2005-01-01", medischUrenbeperkt=True)
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    assert review.vroegste_behandeldatum == VANDAAG, "exempt when applied"
    await handle[BEEINDIGD](None, beeindigd(geboren="2005-01-01", medischUrenbeperkt=False))
    with pytest.raises(ZoektermijnLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")
    besloten = await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "recht", "werk gezocht")
    assert (besloten.status, uow.published[-1].data["situatie"]["medischUrenbeperkt"]) == ("toegekend", False)


async def test_the_search_period_of_a_grant_after_review_goes_by_the_situation_the_caseworker_established():
    """The window's household was corrected to a couple with a partner over 27 (no search period), but the
    caseworker establishes that the under-27 applicant lives alone now: the grant carries a single person
    under 27, so the search period applies and a grant within it needs a waiver."""
    gehuwd = {"huishouden": "gehuwd", "partnerGeboortedatum": date(1982, 3, 3), "partner": PARTNER}
    p, uow, handle = await with_window(geboren="2005-01-01")
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "huishouden"))
    await handle[BEEINDIGD](None, beeindigd(geboren="2005-01-01", **gehuwd))
    alleen = situatie_van_contract(situatie(kostendelers=0))
    with pytest.raises(ZoektermijnLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "alleen", situatie=alleen)
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "alleen", "dringend", alleen)
    assert uow.published[-1].data["situatie"]["huishouden"] == "alleenstaand"


async def test_the_search_period_of_a_grant_goes_by_the_household_it_carries_not_the_ages_the_request_gave():
    """A request may give the ages itself (a handover's does; a re-application's may repeat them): the
    grant carries the household the window reuses, as corrected, or the one the caseworker established,
    and the search period goes by its ages (art. 41 lid 4), not by the request's."""
    alleen = situatie_van_contract(situatie(kostendelers=0))
    gehuwd = {"huishouden": "gehuwd", "partnerGeboortedatum": date(1982, 3, 3), "partner": PARTNER}
    # a Max-WW handover of an under-27 whose partner (over 27) the BRP registers elsewhere: the caseworker
    # establishes that they live alone, so the search period applies to the grant
    p, uow, handle = await with_window(geboren="2005-01-01", **gehuwd)
    p.brp.personen[PARTNER.bsn] = "GM0599"
    _, overdracht = await overdrachten.meld(
        p, BSN, "GM0363", VANDAAG + timedelta(days=7), {"soort": "toestemming", "referentie": "U"}, None
    )
    gevraagd = Aanvraag(VANDAAG, VANDAAG, (), geboortedatum=date(2005, 1, 1), partner_geboortedatum=date(1982, 3, 3))
    review = await heraanvragen.vanuit_overdracht(p, AMSTERDAM, overdracht.overdracht_id, gevraagd)
    assert ([r.code for r in review.redenen], review.vroegste_behandeldatum) == (["partner-elders"], VANDAAG)
    with pytest.raises(ZoektermijnLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "alleen", situatie=alleen)
    await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "alleen", "dringend", alleen)
    assert uow.published[-1].data["situatie"]["huishouden"] == "alleenstaand"

    # a re-application whose request repeated the birth date that decisions corrected since (to under 27)
    p, uow, handle = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres", geboortedatum=date(1980, 1, 1)))
    await handle[BEEINDIGD](None, beeindigd(geboren="2005-01-01"))
    with pytest.raises(ZoektermijnLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")

    # a first application of a couple (partner over 27): the caseworker establishes a single person under 27
    p, uow = ports(VANDAAG)
    eerste = simpel(VANDAAG, geboortedatum=date(2005, 1, 1), partner_geboortedatum=date(1982, 3, 3))
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, eerste)
    assert review.vroegste_behandeldatum == VANDAAG
    with pytest.raises(ZoektermijnLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "alleen", situatie=alleen)
    besloten = await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "alleen", "dringend", alleen)
    assert besloten.status == "toegekend"


async def test_a_household_corrected_while_the_brp_is_asked_for_a_grant_is_checked_with_its_own_partner():
    """The BRP is asked outside the transaction, about the partner of the window as read then (none): decisions
    corrects the household to a couple meanwhile, with a partner the BRP registers elsewhere. The grant, which
    carries the window as the transaction reads it, asks the BRP again about that partner: it needs the
    situation as it is now, as when the correction came first."""
    gehuwd = {"huishouden": "gehuwd", "partnerGeboortedatum": date(1982, 3, 3), "partner": PARTNER}
    p, uow, handle = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    p.brp.personen[PARTNER.bsn] = "GM0599"
    brp, gevraagd = p.brp.woongemeente, []

    async def woongemeente(bsn: str) -> str | None:
        gevraagd.append(bsn)
        if len(gevraagd) == 1:  # while the BRP answers about the applicant, decisions corrects the household
            await handle[BEEINDIGD](None, beeindigd(**gehuwd))
        return await brp(bsn)

    p.brp.woongemeente = woongemeente
    with pytest.raises(PartnerElders):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")
    assert gevraagd == [BSN, BSN, PARTNER.bsn]
    assert uow.published[-1].type != events.HeraanvraagToegekend.TYPE


async def test_a_birth_date_corrected_to_under_27_before_a_grant_after_review_brings_the_search_period():
    """The window's birth date, refreshed at the grant, is the one the search period goes by: corrected
    from 1980 to 2005 while the application waited, the person was under 27 at the melding, so a grant
    within the four weeks needs a waiver (art. 41 lid 4); corrected to over 27, it needs none."""
    p, uow, handle = await with_window()
    review = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel(VANDAAG, "adres"))
    assert review.vroegste_behandeldatum == VANDAAG
    await handle[BEEINDIGD](None, beeindigd(geboren="2005-01-01"))
    with pytest.raises(ZoektermijnLoopt):
        await heraanvragen.besluit(p, AMSTERDAM, review.heraanvraag_id, True, "adres gecontroleerd")

    p, uow, handle = await with_window(geboren="2005-01-01")
    jong = await heraanvragen.dien_in(p, AMSTERDAM, BSN, simpel())
    assert [r.code for r in jong.redenen] == ["zoektermijn"]
    await handle[BEEINDIGD](None, beeindigd(geboren="1980-01-01"))
    besloten = await heraanvragen.besluit(p, AMSTERDAM, jong.heraanvraag_id, True, "recht")
    assert (besloten.status, uow.published[-1].data["geboortedatum"]) == ("toegekend", "1980-01-01")

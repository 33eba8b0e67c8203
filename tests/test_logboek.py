"""The processing log on the real platform: one person followed through the four services, as the
data protection officer and the person's municipality read it back (Logboek Dataverwerkingen)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from deploy.token import mint
from schakel import logboek
from schakel.api import Rol
from tests.support import builders
from tests.support.polis import aangifte, deliver, months, open_case
from tests.support.stack import OINS, eventually, pseudonym, token

pytestmark = pytest.mark.integration
SERVICES = ("income", "decisions", "reapplication", "registration")


def records(stack, name: str, bsn: str, role: Rol = Rol.privacy_officer, gemeente: str | None = None):
    with stack.client(name, role, gemeente) as client:
        response = client.post("/verwerkingen/_zoek", json={"bsn": bsn})
    assert response.status_code == 200, response.text
    return response.json()["verwerkingen"]


def named(stack, name: str, bsn: str, naam: str) -> list[dict]:
    return [r for r in records(stack, name, bsn) if r["naam"] == naam]


def test_one_person_s_processings_are_on_record_in_every_service(stack):
    bsn = builders.bsn("GM0363")
    opened_id = open_case(stack, bsn)
    assert deliver(stack, [aangifte(bsn, "2026-10-01", "2026-10-31")]).status_code == 201
    eventually(lambda: "2026-10" in months(stack, bsn))
    with stack.client("registration", Rol.municipality) as registration:
        feit = {"bsn": bsn, "soort": "dagbesteding-gestart", "datum": "2026-10-01", "indicatie": "wmo"}
        assert registration.post("/mutaties", json=feit).status_code == 201

    opened = eventually(lambda: named(stack, "decisions", bsn, "openUitkering"))
    settled = eventually(lambda: named(stack, "decisions", bsn, "nl.participatiewet.maandinkomen.vastgesteld"))
    delivered = eventually(lambda: named(stack, "income", bsn, "leverAangiften"))
    learnt = eventually(lambda: named(stack, "income", bsn, "nl.participatiewet.uitkering.geopend"))
    # open_case asks income until it knows the person: the early asks are on record as refused
    read = [r for r in named(stack, "income", bsn, "zoekMaandinkomens") if r["status"] == "OK"]
    with stack.client("decisions", Rol.municipality) as decisions:  # by the case's id: no BSN asked
        assert decisions.get(f"/uitkeringen/{opened_id}/verrekeningen").status_code == 200
    by_id = eventually(lambda: named(stack, "decisions", bsn, "leesVerrekeningen"))
    window = eventually(lambda: named(stack, "reapplication", bsn, "nl.participatiewet.uitkering.geopend"))
    reported = eventually(lambda: named(stack, "registration", bsn, "meldMutatie"))

    register = logboek.register()
    for record in [*opened, *settled, *delivered, *learnt, *read, *by_id, *window, *reported]:
        assert record["betrokkene"] == pseudonym(bsn) and record["status"] == "OK"
        assert re.fullmatch(r"[0-9a-f]{32}", record["traceId"]) and re.fullmatch(r"[0-9a-f]{16}", record["spanId"])
        assert record["verwerkingsactiviteit"] in register.activiteiten
        assert record["begin"] <= record["eind"]
    # who acted: the municipality's employee, the provider, or Schakel itself on an event
    assert opened[0]["organisatie"] == OINS[Rol.municipality] and opened[0]["gebruiker"]
    assert delivered[0]["organisatie"] == OINS[Rol.data_provider]
    assert settled[0]["gebruiker"] is None and settled[0]["dienst"] == "decisions"
    # one processing, followed across services by its trace: the case opened in decisions is what
    # income and reapplication processed when its event reached them
    assert learnt[0]["traceId"] == opened[0]["traceId"] == window[0]["traceId"]
    assert learnt[0]["parentSpanId"] and learnt[0]["spanId"] != opened[0]["spanId"]


def test_a_partner_is_on_record_as_a_member_of_the_household_the_applicant_as_the_one_it_is_about(stack):
    """What an access request may have to shorten (AVG art. 15(4)) is told apart: the partner a case
    names, in a read of it and in what income and reapplication did with its event. The opening records
    the partner's own data (their birth date, health, subsidy): that is about them too."""
    aanvrager, partner = builders.bsn(), builders.bsn()
    uitkering_id = open_case(
        stack, aanvrager, huishouden="gehuwd", partner={"bsn": partner, "geboortedatum": "1987-02-01"}
    )
    with stack.client("decisions", Rol.municipality) as gemeente:
        assert gemeente.get(f"/uitkeringen/{uitkering_id}").status_code == 200
    for name, naam, als in (
        ("decisions", "openUitkering", "betrokkene"),
        ("decisions", "leesUitkering", "gezinslid"),
        ("income", "nl.participatiewet.uitkering.geopend", "gezinslid"),
        ("reapplication", "nl.participatiewet.uitkering.geopend", "gezinslid"),
    ):
        [applicants] = eventually(lambda name=name, naam=naam: named(stack, name, aanvrager, naam))
        [partners] = eventually(lambda name=name, naam=naam: named(stack, name, partner, naam))
        assert (applicants["hoedanigheid"], partners["hoedanigheid"]) == ("betrokkene", als), (name, naam)
        assert applicants["traceId"] == partners["traceId"], name  # one processing, each in their own capacity


def test_a_look_at_another_municipality_s_resident_is_on_record_as_refused(stack):
    bsn = builders.bsn("GM0363")
    open_case(stack, bsn)
    with stack.client("income", Rol.municipality, "GM0599") as rotterdam:
        vraag = {"bsn": bsn, "vanMaand": "2026-01", "totMaand": "2026-10"}
        assert rotterdam.post("/maandinkomens/_zoek", json=vraag).status_code == 404
    refused = eventually(
        lambda: [r for r in named(stack, "income", bsn, "zoekMaandinkomens") if r["status"] == "ERROR"]
    )
    assert refused[0]["betrokkene"] == pseudonym(bsn)


def test_the_municipality_reads_its_own_residents_records_and_is_answered_as_a_stranger_about_others(stack):
    resident, elsewhere = builders.bsn("GM0363"), builders.bsn("GM0599")
    for bsn, gemeente in ((resident, "GM0363"), (elsewhere, "GM0599")):
        open_case(stack, bsn, gemeente=gemeente)
    own = records(stack, "decisions", resident, Rol.municipality, "GM0363")
    assert [r["naam"] for r in own if r["naam"] == "openUitkering"]
    with stack.client("decisions", Rol.municipality, "GM0363") as amsterdam:
        other = amsterdam.post("/verwerkingen/_zoek", json={"bsn": elsewhere})
        stranger = amsterdam.post("/verwerkingen/_zoek", json={"bsn": builders.bsn(woont_in=None)})
    assert other.status_code == stranger.status_code == 404
    assert other.json() == stranger.json()
    with stack.client("decisions", Rol.municipality, "GM0363") as amsterdam:
        achterstevoren = amsterdam.post(
            "/verwerkingen/_zoek", json={"bsn": resident, "vanaf": "2026-12-01", "tot": "2026-01-01"}
        )
    assert (achterstevoren.status_code, achterstevoren.json()["code"]) == (422, "ongeldige-periode")
    assert [(p["name"], p["code"]) for p in achterstevoren.json()["invalidParams"]] == [("vanaf", "volgorde")]
    for role in (Rol.uwv, Rol.data_provider, Rol.operator):
        with stack.client("decisions") as anyone:
            headers = {"Authorization": f"Bearer {token(role)}"}
            assert anyone.post("/verwerkingen/_zoek", json={"bsn": resident}, headers=headers).status_code == 403


@pytest.mark.parametrize("rotterdam_oin", [OINS[Rol.municipality], "00000001002220647999"], ids=["shared", "own"])
def test_after_a_move_the_new_municipality_reads_what_it_and_schakel_did_not_what_the_old_one_did(stack, rotterdam_oin):
    """An access request (AVG art. 15) at the new municipality: not the former municipality's case or its
    staff's names, also where one organisation (a shared service centre) acts for both under one OIN."""
    bsn = builders.bsn("GM0363")
    open_case(stack, bsn)
    assert deliver(stack, [aangifte(bsn, "2026-10-01", "2026-10-31")]).status_code == 201
    settled = eventually(lambda: named(stack, "decisions", bsn, "nl.participatiewet.maandinkomen.vastgesteld"))
    assert named(stack, "decisions", bsn, "openUitkering"), "the officer sees everything"
    stack.brp.vestig(bsn, "GM0599")
    with stack.client("decisions") as decisions:
        headers = {"Authorization": f"Bearer {token(Rol.municipality, 'GM0599', oin=rotterdam_oin)}"}
        seen = decisions.post("/verwerkingen/_zoek", json={"bsn": bsn}, headers=headers).json()["verwerkingen"]
    assert {r["organisatie"] for r in seen} == {settled[0]["organisatie"]}, "Schakel's own, on the income event"
    assert OINS[Rol.municipality] != settled[0]["organisatie"]
    # the BRP says since when the person lives there: what Schakel did before was for the former one (two
    # days on in UTC is after today in Dutch time, also in the hour when the Dutch date is a day ahead)
    stack.brp.vestig(bsn, "GM0599", (datetime.now(UTC) + timedelta(days=2)).date().isoformat())
    with stack.client("decisions") as decisions:
        seen = decisions.post("/verwerkingen/_zoek", json={"bsn": bsn}, headers=headers).json()["verwerkingen"]
    assert [r["naam"] for r in seen] == ["zoekVerwerkingen"], "only its own look at the log"


def test_a_former_municipality_reads_what_it_carried_out_itself_and_a_look_alone_is_a_stranger_s_answer(stack):
    """A former resident's access request (AVG art. 15) at the municipality they left: what it did itself
    while they lived there, not what Schakel did or a look that was refused. A municipality whose only
    records are refused looks (at a stranger, or at another's resident) is answered as about a stranger."""
    bsn, vreemde = builders.bsn("GM0363"), builders.bsn(woont_in=None)
    open_case(stack, bsn)
    assert deliver(stack, [aangifte(bsn, "2026-10-01", "2026-10-31")]).status_code == 201
    eventually(lambda: named(stack, "decisions", bsn, "nl.participatiewet.maandinkomen.vastgesteld"))
    with stack.client("decisions", Rol.municipality, "GM0344") as utrecht:  # tries, and is refused
        for wie in (bsn, vreemde):
            assert utrecht.post("/uitkeringen", json=builders.uitkering(wie)).status_code == 404
    eventually(lambda: [r for r in named(stack, "decisions", vreemde, "openUitkering") if r["status"] == "ERROR"])
    stack.brp.vestig(bsn, "GM0599")
    eigen = records(stack, "decisions", bsn, Rol.municipality, "GM0363")
    assert "openUitkering" in {r["naam"] for r in eigen}
    assert {(r["organisatie"], r["status"]) for r in eigen} == {(OINS[Rol.municipality], "OK")}
    assert all(r["gebruiker"] for r in eigen), "not what Schakel did by itself"
    with stack.client("decisions", Rol.municipality, "GM0344") as utrecht:
        antwoorden = [utrecht.post("/verwerkingen/_zoek", json={"bsn": wie}) for wie in (bsn, vreemde)]
    assert [a.status_code for a in antwoorden] == [404, 404] and antwoorden[0].json() == antwoorden[1].json()


def test_a_citizen_s_own_look_is_on_record_with_them_as_the_user(stack):
    bsn = builders.bsn("GM0363")
    with stack.client("registration", Rol.municipality) as gemeente:
        feit = {"bsn": bsn, "soort": "dagbesteding-gestart", "datum": "2026-10-01", "indicatie": "wmo"}
        assert gemeente.post("/mutaties", json=feit).status_code == 201
    with stack.client("registration", Rol.burger, bsn=bsn) as mij:
        assert mij.get("/mijn/deelnamestatus").status_code == 200
    eigen = eventually(lambda: named(stack, "registration", bsn, "leesMijnDeelnamestatus"))
    assert eigen[0]["gebruiker"] == "betrokkene" and eigen[0]["betrokkene"] == pseudonym(bsn)


def mijn(stack, name: str, bsn: str, **params) -> list[dict]:
    with stack.client(name, Rol.burger, bsn=bsn) as client:
        response = client.get("/mijn/verwerkingen", params=params)
    assert response.status_code == 200, response.text
    return response.json()["verwerkingen"]


def test_a_citizen_reads_who_processed_their_data_and_for_what_not_who_of_an_organisation_acted(stack):
    """AVG art. 15 with DigiD: every organisation's records about the citizen, a refused one too, newest
    first, each with its activity's name from the register; not the employee, not the pseudonym."""
    bsn, ander = builders.bsn("GM0363"), builders.bsn("GM0363")
    open_case(stack, bsn)
    with stack.client("decisions", Rol.municipality, "GM0599") as rotterdam:  # another's resident: refused
        assert rotterdam.post("/uitkeringen", json=builders.uitkering(bsn)).status_code == 404
    eventually(lambda: [r for r in named(stack, "decisions", bsn, "openUitkering") if r["status"] == "ERROR"])
    mijn(stack, "decisions", bsn)
    eigen = mijn(stack, "decisions", bsn)
    with stack.client("decisions", Rol.burger, bsn=bsn) as mij:
        verkeerd = mij.get("/mijn/verwerkingen", params={"vanaf": "2026-12-02", "tot": "2026-12-01"})
    assert verkeerd.status_code == 422 and verkeerd.json()["invalidParams"][0]["name"] == "vanaf"
    assert {(r["naam"], r["status"], r["door"], r["organisatie"], r["gemeente"]) for r in eigen} >= {
        ("openUitkering", "OK", "organisatie", OINS[Rol.municipality], "GM0363"),
        ("openUitkering", "ERROR", "organisatie", OINS[Rol.municipality], "GM0599"),
        ("leesMijnVerwerkingen", "OK", "u", None, None),  # the first look
    }
    register = logboek.register()
    assert all(r["waarvoor"] == register.activiteiten[r["verwerkingsactiviteit"]]["naam"] for r in eigen)
    assert all(not {"gebruiker", "betrokkene"} & set(r) for r in eigen)
    assert [r["begin"] for r in eigen] == sorted((r["begin"] for r in eigen), reverse=True)
    assert {r["naam"] for r in mijn(stack, "decisions", ander)} <= {"leesMijnVerwerkingen"}, "only their own look"
    with stack.client("decisions", Rol.municipality) as gemeente:
        assert gemeente.get("/mijn/verwerkingen").status_code == 403


def test_a_former_partner_does_not_read_the_other_s_case_life_in_their_own_log(stack):
    """The case is the household's, so its partners are on the record of every read and change of it,
    for the data protection officer. But the partner's own view shows only what was about them (the
    opening that recorded their own data, their own looks): not the change that ended their partnership,
    nor the applicant's looks at the case, nor the municipality's (the review of the first try). Nor does
    the applicant's view show the partner's looks."""
    aanvrager, partner = builders.bsn("GM0363"), builders.bsn("GM0363")
    gehuwd = {"huishouden": "gehuwd", "partner": {"bsn": partner, "geboortedatum": "1987-02-01"}}
    uitkering_id = open_case(stack, aanvrager, **gehuwd)
    for wie in (aanvrager, partner, partner):
        with stack.client("decisions", Rol.burger, bsn=wie) as burger:
            assert burger.get(f"/uitkeringen/{uitkering_id}").status_code == 200
    with stack.client("decisions", Rol.municipality) as gemeente:  # they split up
        wijziging = {"ingangsdatum": "2026-03-01", "huishouden": "alleenstaand"}
        assert gemeente.post(f"/uitkeringen/{uitkering_id}/_wijzig", json=wijziging).status_code == 200
        assert gemeente.get(f"/uitkeringen/{uitkering_id}").status_code == 200
    with stack.client("decisions", Rol.burger, bsn=aanvrager) as burger:
        assert burger.get(f"/uitkeringen/{uitkering_id}").status_code == 200
    # every one of them is on the partner's record; the change and the others' looks as a member of the household
    gezin = eventually(lambda: len(r := [r for r in records(stack, "decisions", partner)]) >= 5 and r)
    assert {(r["naam"], r["hoedanigheid"]) for r in gezin} >= {
        ("openUitkering", "betrokkene"),  # their own data recorded
        ("wijzigUitkering", "gezinslid"),
        ("leesUitkering", "gezinslid"),
        ("leesUitkering", "betrokkene"),  # their own looks
    }

    partners = [(r["naam"], r["door"]) for r in mijn(stack, "decisions", partner)]
    toezicht = ("zoekVerwerkingen", "organisatie")  # the data protection officer's looks just now
    assert toezicht in partners and [r for r in partners if r != toezicht] == [
        ("leesUitkering", "u"),
        ("leesUitkering", "u"),
        ("openUitkering", "organisatie"),
    ]
    aanvragers = [(r["naam"], r["door"]) for r in mijn(stack, "decisions", aanvrager)]
    assert aanvragers.count(("leesUitkering", "u")) == 2, "not the partner's looks"
    assert {("openUitkering", "organisatie"), ("wijzigUitkering", "organisatie")} <= set(aanvragers)


def test_a_refused_look_is_on_the_person_s_record_as_an_error(stack):
    """Another municipality asking for a case by its id, and a citizen with nothing on file: both are
    answered 404, and the record says ERROR (not the OK the read's own transaction wrote)."""
    bsn, niemand = builders.bsn("GM0363"), builders.bsn("GM0363")
    uitkering_id = open_case(stack, bsn)
    with stack.client("decisions", Rol.municipality, "GM0599") as rotterdam:
        assert rotterdam.get(f"/uitkeringen/{uitkering_id}").status_code == 404
    with stack.client("registration", Rol.burger, bsn=niemand) as mij:
        assert mij.get("/mijn/deelnamestatus").status_code == 404
    probed = eventually(lambda: named(stack, "decisions", bsn, "leesUitkering"))
    assert [(r["status"], r["organisatie"]) for r in probed] == [("ERROR", OINS[Rol.municipality])]
    assert [r["status"] for r in named(stack, "registration", niemand, "leesMijnDeelnamestatus")] == ["ERROR"]


def test_an_answer_given_again_for_an_idempotency_key_is_on_record_for_who_asked_again(stack):
    """The repeat changes nothing, but shows the case it opened, with the BSN: another employee of the
    municipality asking again is on record as the first one is, the partner too (their own data recorded)."""
    bsn, partner = builders.bsn("GM0363"), builders.bsn("GM0363")
    gehuwd = {"huishouden": "gehuwd", "partner": {"bsn": partner, "geboortedatum": "1987-02-01"}}
    with stack.client("decisions") as decisions:
        answers = [
            decisions.post(
                "/uitkeringen",
                json=builders.uitkering(bsn, **gehuwd),
                headers={
                    "Idempotency-Key": f"log-{bsn}",
                    "Authorization": f"Bearer {mint(Rol.municipality, gemeente='GM0363', sub=sub)}",
                },
            )
            for sub in ("medewerker-1", "medewerker-2")
        ]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json() == answers[1].json()
    opened = eventually(lambda: len(r := named(stack, "decisions", bsn, "openUitkering")) == 2 and r)
    assert sorted((r["gebruiker"], r["status"], r["betrokkene"], r["hoedanigheid"]) for r in opened) == [
        ("medewerker-1", "OK", pseudonym(bsn), "betrokkene"),
        ("medewerker-2", "OK", pseudonym(bsn), "betrokkene"),
    ]
    partners = eventually(lambda: len(r := named(stack, "decisions", partner, "openUitkering")) == 2 and r)
    assert sorted((r["gebruiker"], r["hoedanigheid"]) for r in partners) == [
        ("medewerker-1", "betrokkene"),
        ("medewerker-2", "betrokkene"),
    ]


def test_the_log_never_holds_a_bsn(stack):
    bsn = builders.bsn("GM0363")
    open_case(stack, bsn)
    eventually(lambda: named(stack, "income", bsn, "nl.participatiewet.uitkering.geopend"))
    for name in SERVICES:
        with stack.client(name, Rol.privacy_officer) as client:
            body = client.post("/verwerkingen/_zoek", json={"bsn": bsn}).json()
        assert bsn not in str(body["verwerkingen"])

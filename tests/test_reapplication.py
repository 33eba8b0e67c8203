"""The re-application window: what it reuses when a benefit ends, and each municipality's
dated window length (art. 43a Participatiewet)."""

from datetime import date

from schakel.api import Rol
from tests.support import builders
from tests.support.polis import aangifte, deliver, open_case
from tests.support.stack import eventually


def window(stack, bsn: str, gemeente: str = "GM0363"):
    with stack.client("reapplication", Rol.municipality, gemeente) as client:
        return client.post("/heraanvraagtermijnen/_zoek", json={"bsn": bsn}).json()["openTermijn"]


def test_the_window_keeps_the_situation_and_the_vrijlating_clock_for_reuse(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn, huishouden="gehuwd", partnerGeboortedatum="1989-02-02", kostendelers=1,
                             medischUrenbeperkt=True)
    deliver(stack, [aangifte(bsn, begin=f"2026-0{m}-01", einde=f"2026-0{m}-{d}") for m, d in ((2, 28), (3, 31))])
    with stack.client("decisions", Rol.municipality) as client:
        eventually(lambda: len(client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()) == 2)
        assert client.post(f"/uitkeringen/{uitkering_id}/_beeindig",
                           json={"einddatum": "2026-04-30", "reden": "werk"}).status_code == 200
    termijn = eventually(lambda: window(stack, bsn))
    assert termijn["geldigTot"] == "2027-04-30"
    hergebruik = termijn["hergebruik"]
    assert (hergebruik["situatie"]["huishouden"], hergebruik["situatie"]["kostendelers"],
            hergebruik["situatie"]["medischUrenbeperkt"]) == ("gehuwd", 1, True)
    assert hergebruik["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 2}]
    assert window(stack, bsn, gemeente="GM0599") is None, "another municipality has no window for this person"


def test_a_municipality_sets_its_window_length_from_a_date(stack):
    groningen = "GM0014"
    with stack.client("reapplication", Rol.municipality, groningen) as client:
        policy = client.put("/termijnbeleid", json={"geldigVanaf": "2026-01-01", "maanden": 6}).json()
    assert policy == {"standaardMaanden": 12, "regels": [{"geldigVanaf": "2026-01-01", "maanden": 6}]}
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn, gemeente=groningen)
    with stack.client("decisions", Rol.municipality, groningen) as client:
        client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-05-31", "reden": "werk"})
    assert eventually(lambda: window(stack, bsn, groningen))["geldigTot"] == "2026-11-30"


def test_max_ww_handover_from_uwv_to_the_municipality(stack):
    leiden, haarlem = "GM0546", "GM0392"
    bsn, later = builders.bsn(), builders.bsn()
    melding = {"bsn": bsn, "wwEinddatum": "2026-12-31", "gemeentecode": leiden,
               "grondslag": {"soort": "toestemming", "referentie": "UWV-TOE-1"}}
    with stack.client("reapplication", Rol.uwv) as uwv:
        assert uwv.post("/overdrachten", json={k: v for k, v in melding.items() if k != "grondslag"}).status_code == 400
        first = uwv.post("/overdrachten", json=melding).json()
        assert first["uitkomst"] == "nieuw"
        assert uwv.post("/overdrachten", json=melding).json() == {"uitkomst": "ongewijzigd",
                                                                  "overdrachtId": first["overdrachtId"]}
        assert uwv.post("/overdrachten", json=melding | {"wwEinddatum": "2027-01-31"}).json()["uitkomst"] == "bijgewerkt"
        uwv.post("/overdrachten", json=melding | {"bsn": later, "wwEinddatum": "2027-03-31"})
        uwv.post("/overdrachten", json=melding | {"bsn": builders.bsn(), "wwEinddatum": "2026-06-30"})  # no decision
    with stack.client("reapplication", Rol.municipality, leiden) as client:
        soon = client.get("/overdrachten", params={"wwEindeTot": "2027-02-28"}).json()
        assert [o["wwEinddatum"] for o in soon] == ["2026-06-30", "2027-01-31"]
        stap = client.post(f"/overdrachten/{first['overdrachtId']}/stappen",
                           json={"stap": "contact-gelegd", "datum": "2026-07-01"}).json()
        assert stap["stappen"] == [{"stap": "contact-gelegd", "datum": "2026-07-01"}]
    # the decision is in place before the WW ends: bijstand from the day after
    open_case(stack, bsn, startdatum="2027-02-01", gemeente=leiden)
    with stack.client("reapplication", Rol.municipality, leiden) as client:
        [handover] = eventually(lambda: [o for o in client.get("/overdrachten").json()
                                         if o["bsn"] == bsn and o["besluitOp"]])
        assert handover["besluitOpTijd"] is True
        assert client.get("/overdrachtrapportage").json() == {
            "gemeentecode": leiden, "overdrachten": 3, "lopend": 2, "wwBeeindigd": 1, "besluitOpTijd": 0,
            "zonderBesluitOpTijd": 1}
    # a move: the new municipality takes over, the old one loses access
    with stack.client("reapplication", Rol.uwv) as uwv:
        assert uwv.post("/overdrachten", json=melding | {"bsn": later, "wwEinddatum": "2027-03-31",
                                                         "gemeentecode": haarlem}).json()["uitkomst"] == "verhuisd"
    with stack.client("reapplication", Rol.municipality, haarlem) as client:
        [moved] = client.get("/overdrachten").json()
        assert moved["bsn"] == later
    with stack.client("reapplication", Rol.municipality, leiden) as client:
        assert later not in [o["bsn"] for o in client.get("/overdrachten").json()]
        assert client.post(f"/overdrachten/{moved['overdrachtId']}/stappen",
                           json={"stap": "contact-gelegd", "datum": "2026-07-02"}).status_code == 404


def _ended_case(stack, bsn: str, **situatie) -> str:
    uitkering_id = open_case(stack, bsn, **situatie)
    with stack.client("decisions", Rol.municipality) as client:
        client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-08-31", "reden": "werk"})
    eventually(lambda: window(stack, bsn) and window(stack, bsn)["hergebruik"])
    return uitkering_id


def test_a_simple_re_application_is_approved_at_once_and_the_benefit_reopens(stack):
    bsn = builders.bsn()
    _ended_case(stack, bsn, huishouden="alleenstaand", kostendelers=1)
    today = date.today().isoformat()
    with stack.client("reapplication", Rol.municipality) as client:
        response = client.post("/heraanvragen", json={"bsn": bsn, "meldingsdatum": today, "startdatum": today,
                                                      "wijzigingen": []})
        assert response.status_code == 201
        heraanvraag = response.json()
        assert (heraanvraag["status"], heraanvraag["redenen"]) == ("toegekend", [])
        assert heraanvraag["beslisduurSeconden"] < 5
        confirmed = eventually(lambda: client.get(f"/heraanvragen/{heraanvraag['heraanvraagId']}").json()["uitkeringId"])
    with stack.client("decisions", Rol.municipality) as decisions:
        case = decisions.get(f"/uitkeringen/{confirmed}").json()
    assert (case["status"], case["startdatum"], case["situaties"][0]["kostendelers"]) == ("lopend", today, 1)
    assert window(stack, bsn) is None, "the new benefit closed the window"


def test_what_is_not_simple_waits_for_a_caseworker_with_the_reasons(stack):
    changed, working = builders.bsn(), builders.bsn()
    for bsn in (changed, working):
        _ended_case(stack, bsn)
    # the polis still shows income from work in the latest month
    deliver(stack, [aangifte(working, begin="2026-10-01", einde="2026-10-31")])
    today = date.today().isoformat()
    with stack.client("reapplication", Rol.municipality) as client:
        # (a declared change keeps every attempt in review while the income event is on its way)
        eventually(lambda: "baan-niet-beeindigd" in [r["code"] for r in client.post("/heraanvragen", json={
            "bsn": working, "meldingsdatum": today, "startdatum": today, "wijzigingen": ["inkomen"]}).json()["redenen"]])
        review = client.post("/heraanvragen", json={"bsn": changed, "meldingsdatum": today, "startdatum": "2026-10-01",
                                                    "wijzigingen": ["medebewoners"]}).json()
        assert review["status"] == "beoordelen"
        assert [r["code"] for r in review["redenen"]] == ["wijzigingen", "startdatum-voor-melding"]
        assert review["hergebruik"]["situatie"]["huishouden"] == "alleenstaand", "the file is prepared"
        waiting = client.get("/heraanvragen", params={"status": "beoordelen"}).json()
        assert {w["bsn"] for w in waiting} >= {changed, working}
        assert all(w["beslistermijn"] > today and not w["termijnVerstreken"] for w in waiting if w["bsn"] == changed)
        too_early = client.post("/heraanvragen", json={"bsn": changed, "meldingsdatum": today, "startdatum": "2026-01-01",
                                                       "wijzigingen": []})
        assert too_early.status_code == 422 and too_early.json()["invalidParams"][0]["name"] == "startdatum"
        decided = client.post(f"/heraanvragen/{review['heraanvraagId']}/_besluit",
                              json={"besluit": "toekennen", "reden": "medebewoner verhuisd; terugwerkend wegens ziekte"})
        assert decided.json()["status"] == "toegekend"
        assert client.post(f"/heraanvragen/{review['heraanvraagId']}/_besluit",
                           json={"besluit": "afwijzen", "reden": "dubbel"}).status_code == 409
        assert eventually(lambda: client.get(f"/heraanvragen/{review['heraanvraagId']}").json()["uitkeringId"])
    with stack.client("reapplication", Rol.municipality, "GM0599") as other:
        assert other.get(f"/heraanvragen/{review['heraanvraagId']}").status_code == 404

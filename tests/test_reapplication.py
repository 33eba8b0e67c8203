"""Reapplication end to end: the window and what it reuses (art. 43a), each municipality's window
length, re-applications decided at once or prepared for review (every reason, the search period
and its exemptions, the 12-month boundary, another municipality), the Max-WW handover, and
income events out of order."""

import json
import time
import uuid
from dataclasses import replace
from datetime import date, timedelta
from urllib.parse import parse_qsl

import httpx
import pytest

from deploy.kafka_broker import free_port
from deploy.services import ServiceProcess
from schakel.api import Rol
from schakel.events import Event, decode
from schakel.events import models as events
from tests.support import builders, kafka
from tests.support.events import SOURCE
from tests.support.polis import aangifte, deliver, open_case
from tests.support.stack import DOELGROEPREGISTER, OINS, TODAY, eventually, pseudonym, token

pytestmark = pytest.mark.integration


def window(stack, bsn: str, gemeente: str = "GM0363"):
    with stack.client("reapplication", Rol.municipality, gemeente) as client:
        return client.post("/heraanvraagtermijnen/_zoek", json={"bsn": bsn}).json()["openTermijn"]


def test_the_window_keeps_the_situation_and_the_vrijlating_clock_for_reuse(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(
        stack,
        bsn,
        huishouden="gehuwd",
        partner={"bsn": builders.bsn(), "geboortedatum": "1989-02-02"},
        kostendelers=1,
        medischUrenbeperkt=True,
    )
    deliver(stack, [aangifte(bsn, begin=f"2026-0{m}-01", einde=f"2026-0{m}-{d}") for m, d in ((2, 28), (3, 31))])
    with stack.client("decisions", Rol.municipality) as client:
        eventually(lambda: len(client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()) == 2)
        assert (
            client.post(
                f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-04-30", "reden": "werk"}
            ).status_code
            == 200
        )
    termijn = eventually(lambda: window(stack, bsn))
    assert termijn["geldigTot"] == "2027-04-30"
    hergebruik = termijn["hergebruik"]
    assert (
        hergebruik["situatie"]["huishouden"],
        hergebruik["situatie"]["kostendelers"],
        hergebruik["situatie"]["medischUrenbeperkt"],
    ) == ("gehuwd", 1, True)
    assert hergebruik["vrijlatingsklok"] == [{"grond": "n", "maandenGebruikt": 2}]
    assert window(stack, bsn, gemeente="GM0599") is None, "another municipality has no window for this person"


def test_months_settled_after_the_end_reach_the_windows_clock(stack):
    """The polis of the last months comes after the end: settled then, they move the clock the window
    hands on (decisions announces the end again with it)."""
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    with stack.client("decisions", Rol.municipality) as client:
        client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-04-30", "reden": "werk"})
    assert eventually(lambda: window(stack, bsn))["hergebruik"]["vrijlatingsklok"] == []
    deliver(stack, [aangifte(bsn, begin=f"2026-0{m}-01", einde=f"2026-0{m}-{d}") for m, d in ((2, 28), (3, 31))])
    # February and March may settle in one batch or two: the clock the window ends with counts both
    twee = [{"grond": "n", "maandenGebruikt": 2}]
    assert eventually(lambda: window(stack, bsn)["hergebruik"]["vrijlatingsklok"] == twee)


def test_a_case_reopened_before_the_last_month_before_it_settled_counts_on_from_it(stack):
    """Granted before March's polis came, the reopened case started on the clock as it was then; March
    settled later moves it, and the reopened case counts on from there."""
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    deliver(stack, [aangifte(bsn, begin="2026-02-01", einde="2026-02-28")])
    with stack.client("decisions", Rol.municipality) as client:
        eventually(
            lambda: "2026-02" in [v["maand"] for v in client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()]
        )
        client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-03-31", "reden": "werk"})
    assert eventually(lambda: window(stack, bsn))["hergebruik"]["vrijlatingsklok"] == [
        {"grond": "n", "maandenGebruikt": 1}
    ]
    today = TODAY.isoformat()
    with stack.client("reapplication", Rol.municipality) as client:
        aanvraag = {"bsn": bsn, "meldingsdatum": today, "startdatum": today, "wijzigingen": []}
        h = client.post("/heraanvragen", json=aanvraag).json()
        assert [r["code"] for r in h["redenen"]] == ["baan-niet-beeindigd"], "February's job shows on the polis"
        besluit = {"besluit": "toekennen", "reden": "de werkgever meldt het einde van de baan"}
        assert client.post(f"/heraanvragen/{h['heraanvraagId']}/_besluit", json=besluit).status_code == 200
        heropend = eventually(lambda: client.get(f"/heraanvragen/{h['heraanvraagId']}").json()["uitkeringId"])

    def klok() -> list[dict]:
        with stack.client("decisions", Rol.municipality) as client:
            return client.get(f"/uitkeringen/{heropend}/geschiedenis").json()["vrijlatingsklok"]

    assert klok() == [{"grond": "n", "maandenGebruikt": 1}]
    deliver(stack, [aangifte(bsn, begin="2026-03-01", einde="2026-03-31")])  # March's polis, late
    assert eventually(lambda: klok() == [{"grond": "n", "maandenGebruikt": 2}])


def test_a_corrected_end_date_moves_the_window(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    with stack.client("decisions", Rol.municipality) as client:
        client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-04-30", "reden": "werk"})
        assert eventually(lambda: window(stack, bsn))["geldigTot"] == "2027-04-30"
        fout = client.put(f"/uitkeringen/{uitkering_id}/einddatum", json={"einddatum": "30-03-2026"})
        assert (fout.status_code, fout.json()["invalidParams"][0]["name"]) == (400, "einddatum")
        gecorrigeerd = client.put(f"/uitkeringen/{uitkering_id}/einddatum", json={"einddatum": "2026-03-31"})
        assert (gecorrigeerd.status_code, gecorrigeerd.json()["einddatum"]) == (200, "2026-03-31")
    assert eventually(lambda: window(stack, bsn)["geldigTot"] == "2027-03-31")
    assert window(stack, bsn)["einddatum"] == "2026-03-31"


def test_a_municipality_sets_its_window_length_from_a_date(stack):
    groningen = "GM0014"
    with stack.client("reapplication", Rol.municipality, groningen) as client:
        policy = client.put("/termijnbeleid", json={"geldigVanaf": "2026-01-01", "maanden": 6}).json()
    assert policy == {"standaardMaanden": 12, "regels": [{"geldigVanaf": "2026-01-01", "maanden": 6}]}
    bsn = builders.bsn(groningen)
    uitkering_id = open_case(stack, bsn, gemeente=groningen)
    with stack.client("decisions", Rol.municipality, groningen) as client:
        client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-05-31", "reden": "werk"})
    assert eventually(lambda: window(stack, bsn, groningen))["geldigTot"] == "2026-11-30"


def test_max_ww_handover_from_uwv_to_the_municipality(stack):
    leiden, haarlem = "GM0546", "GM0392"
    bsn, later = builders.bsn(leiden), builders.bsn(leiden)
    melding = {
        "bsn": bsn,
        "wwEinddatum": "2026-12-31",
        "gemeentecode": leiden,
        "grondslag": {"soort": "toestemming", "referentie": "UWV-TOE-1", "reikwijdte": ["ww-einddatum", "ww-bedrag"]},
        "wwBedrag": {"soort": "dagloon", "bedrag": 9650},
    }
    with stack.client("reapplication", Rol.uwv) as uwv:
        assert uwv.post("/overdrachten", json={k: v for k, v in melding.items() if k != "grondslag"}).status_code == 400
        smal = melding | {"grondslag": melding["grondslag"] | {"reikwijdte": ["ww-einddatum"]}}
        buiten = uwv.post("/overdrachten", json=smal)
        assert (buiten.status_code, buiten.json()["code"]) == (422, "buiten-grondslag"), "only what the consent covers"
        first = uwv.post("/overdrachten", json=melding).json()
        assert first["uitkomst"] == "nieuw"
        assert uwv.post("/overdrachten", json=melding).json() == {
            "uitkomst": "ongewijzigd",
            "overdrachtId": first["overdrachtId"],
            "verouderd": False,
        }
        omgekeerd = melding["grondslag"] | {"reikwijdte": ["ww-bedrag", "ww-einddatum"]}
        assert uwv.post("/overdrachten", json=melding | {"grondslag": omgekeerd}).json()["uitkomst"] == "ongewijzigd"
        for reikwijdte, status in ((["ww-bedrag"], 422), ([], 422), (["ww-einddatum", "ww-einddatum"], 400)):
            fout = uwv.post(
                "/overdrachten", json=melding | {"grondslag": melding["grondslag"] | {"reikwijdte": reikwijdte}}
            )
            assert (fout.status_code, fout.json()["invalidParams"][0]["name"]) == (status, "grondslag.reikwijdte"), (
                fout.text
            )
        assert (
            uwv.post("/overdrachten", json=melding | {"wwEinddatum": "2027-01-31"}).json()["uitkomst"] == "bijgewerkt"
        )
        uwv.post("/overdrachten", json=melding | {"bsn": later, "wwEinddatum": "2027-03-31"})
        uwv.post(
            "/overdrachten", json=melding | {"bsn": builders.bsn(leiden), "wwEinddatum": "2026-06-30"}
        )  # no decision
    with stack.client("reapplication", Rol.municipality, leiden) as client:
        soon = client.get("/overdrachten", params={"wwEindeTot": "2027-02-28"}).json()
        assert [o["wwEinddatum"] for o in soon] == ["2026-06-30", "2027-01-31"]
        stap = client.post(
            f"/overdrachten/{first['overdrachtId']}/stappen", json={"stap": "contact-gelegd", "datum": "2026-07-01"}
        ).json()
        assert stap["stappen"] == [{"stap": "contact-gelegd", "datum": "2026-07-01"}]
        # a typing error: the contact was on the 3rd; UWV hears the corrected day it was taken up
        hersteld = client.put(
            f"/overdrachten/{first['overdrachtId']}/stappen/contact-gelegd", json={"datum": "2026-07-03"}
        )
        assert hersteld.json()["stappen"] == [{"stap": "contact-gelegd", "datum": "2026-07-03"}], hersteld.text
        niet = client.put(
            f"/overdrachten/{first['overdrachtId']}/stappen/aanvraag-voorbereid", json={"datum": "2026-07-03"}
        )
        assert (niet.status_code, niet.json()["code"]) == (404, "stap-niet-vastgelegd")
        assert (stap["wwBedrag"], stap["gemeldOp"], stap["teLaatGemeld"]) == (
            {"soort": "dagloon", "bedrag": 9650},
            TODAY.isoformat(),
            True,  # two months before the WW ends: later than the three months of the Max-WW approach
        )
    with stack.client("reapplication", Rol.uwv) as uwv:  # the WW ends sooner: the person reports now
        assert (
            uwv.post("/overdrachten", json=melding | {"wwEinddatum": "2026-12-20"}).json()["uitkomst"] == "bijgewerkt"
        )
    with stack.client("reapplication", Rol.municipality, leiden) as client:
        for te_vroeg, waarom in (("2026-11-21", "more than 4 weeks before the WW ends"), ("2026-12-01", "not yet")):
            refused = client.post(
                f"/overdrachten/{first['overdrachtId']}/_heraanvraag", json={"meldingsdatum": te_vroeg}
            )
            assert refused.status_code == 422 and refused.json()["invalidParams"][0]["name"] == "meldingsdatum", waarom
        aanvraag = client.post(
            f"/overdrachten/{first['overdrachtId']}/_heraanvraag",
            json={"meldingsdatum": "2026-11-22", "geboortedatum": "1980-04-04"},
        ).json()
        assert (aanvraag["startdatum"], aanvraag["status"]) == ("2026-12-21", "beoordelen"), (
            "no earlier bijstand to reuse"
        )
        # the caseworker grants it with the situation established; decisions opens the case from it
        situatie = {
            "huishouden": "alleenstaand",
            "partnerGeboortedatum": None,
            "jongsteKindGeboortedatum": None,
            "kostendelers": 0,
            "medischUrenbeperkt": False,
            "loonkostensubsidie": False,
            "meerUrenNietMogelijk": False,
            "vrijlatingsregime": "per-datum",
            "betaalmodel": "voorschot",
        }
        besluit = f"/heraanvragen/{aanvraag['heraanvraagId']}/_besluit"
        zonder = client.post(besluit, json={"besluit": "toekennen", "reden": "recht vastgesteld"})
        assert (zonder.status_code, zonder.json()["code"]) == (422, "geen-hergebruik")
        toegekend = client.post(
            besluit, json={"besluit": "toekennen", "reden": "recht vastgesteld", "situatie": situatie}
        )
        assert toegekend.json()["status"] == "toegekend"
    # the decision is in place before the WW ends: bijstand from the day after
    with stack.client("reapplication", Rol.municipality, leiden) as client:
        [handover] = eventually(
            lambda: [o for o in client.get("/overdrachten").json() if o["bsn"] == bsn and o["besluitOp"]]
        )
        assert handover["besluitOpTijd"] is True
        assert client.get("/overdrachtrapportage").json() == {
            "gemeentecode": leiden,
            "overdrachten": 3,
            "lopend": 2,
            "wwBeeindigd": 1,
            "besluitOpTijd": 0,
            "werkGevonden": 0,
            "geenBijstandNodig": 0,
            "zonderBesluitOpTijd": 1,
            "teLaatGemeld": 2,
        }

    def naar_uwv():  # what UWV reads of this person's handover, after the relay published it
        found = [
            (dict(r.headers)["ce_type"].decode(), json.loads(r.value))
            for r in kafka.read(stack.kafka, "overdrachtuitkomsten", key=pseudonym(bsn))
        ]
        return len(found) == 3 and found

    opgepakt, gecorrigeerd, besloten = eventually(naar_uwv)
    assert (opgepakt[0], opgepakt[1]["stap"]) == ("nl.participatiewet.overdracht.opgepakt", "contact-gelegd")
    assert [o[1]["opgepaktOp"] for o in (opgepakt, gecorrigeerd)] == ["2026-07-01", "2026-07-03"]
    assert (besloten[0], besloten[1]["uitkomst"], besloten[1]["ingangsdatum"]) == (
        "nl.participatiewet.bijstand.besloten",
        "bijstand-toegekend",
        "2026-12-21",
    )
    # a move: the new municipality takes over afresh, the old one loses access, and what the old one
    # recorded (a step, an outcome) is not the new one's to see or to be held to
    with stack.client("reapplication", Rol.municipality, leiden) as client:
        [eigen] = [o["overdrachtId"] for o in client.get("/overdrachten").json() if o["bsn"] == later]
        client.post(f"/overdrachten/{eigen}/stappen", json={"stap": "contact-gelegd", "datum": "2026-07-01"})
        geen = {"uitkomst": "geen-bijstand-nodig", "datum": "2026-07-01"}
        assert client.post(f"/overdrachten/{eigen}/uitkomst", json=geen).json()["uitkomst"] == geen
    naar_haarlem = melding | {"bsn": later, "wwEinddatum": "2027-03-31", "gemeentecode": haarlem}
    with stack.client("reapplication", Rol.uwv) as uwv:
        voor = uwv.post("/overdrachten", json=naar_haarlem)  # UWV knows of the move before the BRP has it
        assert (voor.status_code, voor.json()["code"], voor.json()["invalidParams"][0]["name"]) == (
            422,
            "niet-woongemeente",
            "gemeentecode",
        )
        stack.brp.vestig(later, haarlem)
    with stack.client("reapplication", Rol.municipality, leiden) as client:  # before UWV tells Haarlem
        assert later not in [o["bsn"] for o in client.get("/overdrachten").json()]
    with stack.client("reapplication", Rol.uwv) as uwv:
        assert uwv.post("/overdrachten", json=naar_haarlem).json()["uitkomst"] == "verhuisd"
    with stack.client("reapplication", Rol.municipality, haarlem) as client:
        [moved] = client.get("/overdrachten").json()
        assert (moved["bsn"], moved["stappen"], moved["uitkomst"], moved["geslaagd"]) == (later, [], None, False)
        werk = client.post(
            f"/overdrachten/{moved['overdrachtId']}/uitkomst", json={"uitkomst": "werk-gevonden", "datum": "2026-11-30"}
        ).json()
        assert (werk["uitkomst"], werk["geslaagd"]) == ({"uitkomst": "werk-gevonden", "datum": "2026-11-30"}, True)
    with stack.client("reapplication", Rol.municipality, leiden) as client:
        assert later not in [o["bsn"] for o in client.get("/overdrachten").json()]
        assert (
            client.post(
                f"/overdrachten/{moved['overdrachtId']}/stappen", json={"stap": "contact-gelegd", "datum": "2026-07-02"}
            ).status_code
            == 404
        )


def test_a_municipality_pages_through_its_lists_by_the_link_and_the_cursor_is_its_own(stack):
    delft, zwolle = "GM0503", "GM0193"
    melding = {"wwEinddatum": "2027-01-31", "grondslag": {"soort": "wettelijke-grondslag", "referentie": "WW art. 1"}}
    with stack.client("reapplication", Rol.uwv) as uwv:
        for dag in (31, 31, 28, 15, 31):  # WW ends shared, so the order needs more than the date
            uwv.post(
                "/overdrachten",
                json=melding | {"bsn": builders.bsn(delft), "gemeentecode": delft, "wwEinddatum": f"2027-01-{dag}"},
            )
    with stack.client("reapplication", Rol.municipality, delft) as client:
        alle = client.get("/overdrachten").json()
        assert len(alle) == 5 and "link" not in client.get("/overdrachten").headers
        gelezen, pagina = [], client.get("/overdrachten", params={"paginaGrootte": 2})
        while "next" in pagina.links:
            gelezen += pagina.json()
            pagina = client.get("/overdrachten" + pagina.links["next"]["url"])  # relative to this request's URL
        assert [o["overdrachtId"] for o in gelezen + pagina.json()] == [o["overdrachtId"] for o in alle]

        eerste = client.get("/overdrachten", params={"paginaGrootte": 1, "wwEindeVan": "2027-01-20"})
        vanaf = dict(parse_qsl(eerste.links["next"]["url"].removeprefix("?")))["vanaf"]
        rest = client.get("/overdrachten", params={"vanaf": vanaf, "paginaGrootte": 10}).json()
        assert [o["wwEinddatum"] for o in eerste.json() + rest] == [
            "2027-01-28",
            "2027-01-31",
            "2027-01-31",
            "2027-01-31",
        ]
        naast = client.get("/overdrachten", params={"vanaf": vanaf, "wwEindeTot": "2027-12-31"})
        assert (naast.status_code, naast.json()["code"]) == (422, "niet-met-vanaf")
        assert [p["name"] for p in naast.json()["invalidParams"]] == ["wwEindeTot"]
        achterstevoren = client.get("/overdrachten", params={"wwEindeVan": "2027-02-01", "wwEindeTot": "2027-01-01"})
        assert (achterstevoren.status_code, achterstevoren.json()["code"]) == (422, "ongeldige-periode")
        lijst = client.get("/heraanvragen", params={"vanaf": vanaf})  # another list's cursor
        assert (lijst.status_code, lijst.json()["code"]) == (422, "ongeldige-cursor")
    with stack.client("reapplication", Rol.municipality, zwolle) as other:
        vreemd = other.get("/overdrachten", params={"vanaf": vanaf})
    assert (vreemd.status_code, vreemd.json()["code"]) == (422, "ongeldige-cursor"), "another municipality's cursor"
    assert [p["name"] for p in vreemd.json()["invalidParams"]] == ["vanaf"]


def _ended_case(stack, bsn: str, **situatie) -> str:
    """A case ended for work: its window open in reapplication, and in income (which the re-application
    asks whether the job ended; before its window event arrives, income does not see the person)."""
    uitkering_id = open_case(stack, bsn, **situatie)
    with stack.client("decisions", Rol.municipality) as client:
        client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-08-31", "reden": "werk"})
    eventually(lambda: window(stack, bsn) and window(stack, bsn)["hergebruik"])
    with stack.client("income", Rol.municipality) as income:
        eventually(lambda: income.post("/maandinkomens/_laatste", json={"bsn": bsn}).status_code == 200)
        # the job that ended the benefit, on the polis: September, and its end in it
        baan = {"aanvangInkomstenverhouding": "2026-09-01", "eindeInkomstenverhouding": "2026-09-30"}
        assert deliver(stack, [aangifte(bsn, "2026-09-01", "2026-09-30", **baan)]).status_code == 201
        eventually(lambda: (_laatste(income, bsn) or {}).get("maand") == "2026-09")
    return uitkering_id


def _laatste(income, bsn: str) -> dict | None:
    return income.post("/maandinkomens/_laatste", json={"bsn": bsn}).json()["laatsteMaand"]


def probe(client, body: dict, keep: str | None = None) -> list[str]:
    """The reasons an application gets (or the problem's code, e.g. uitkering-loopt while the case's
    end has not reached reapplication); refused afterwards (unless it has the reason `keep`), as a
    person has one application at a time."""
    h = client.post("/heraanvragen", json=body).json()
    if "code" in h:
        return [h["code"]]
    redenen = [r["code"] for r in h["redenen"]]
    if h["status"] == "beoordelen" and keep not in redenen:
        afgewezen = {"besluit": "afwijzen", "reden": "proef"}
        assert client.post(f"/heraanvragen/{h['heraanvraagId']}/_besluit", json=afgewezen).status_code == 200
    return redenen


def test_a_simple_re_application_is_approved_at_once_and_the_benefit_reopens(stack):
    bsn = builders.bsn()
    _ended_case(stack, bsn, huishouden="alleenstaand", kostendelers=1)
    today = TODAY.isoformat()
    with stack.client("reapplication", Rol.municipality) as client:
        response = client.post(
            "/heraanvragen", json={"bsn": bsn, "meldingsdatum": today, "startdatum": today, "wijzigingen": []}
        )
        assert response.status_code == 201
        heraanvraag = response.json()
        assert (heraanvraag["status"], heraanvraag["redenen"]) == ("toegekend", [])
        assert heraanvraag["beslisduurSeconden"] < 5
        started = time.perf_counter()
        confirmed = eventually(
            lambda: client.get(f"/heraanvragen/{heraanvraag['heraanvraagId']}").json()["uitkeringId"]
        )
        print(
            f"\nre-application decided in {heraanvraag['beslisduurSeconden'] * 1000:.0f} ms; benefit reopened in "
            f"decisions {time.perf_counter() - started:.2f} s later"
        )
    with stack.client("decisions", Rol.municipality) as decisions:
        case = decisions.get(f"/uitkeringen/{confirmed}").json()
    assert (case["status"], case["startdatum"], case["situaties"][0]["kostendelers"]) == ("lopend", today, 1)
    assert window(stack, bsn) is None, "the new benefit closed the window"


def test_a_grant_decisions_cannot_reopen_is_answered_on_uitkeringen_not_dead_lettered(stack):
    """A second `heraanvraag.toegekend` for a person whose case runs (two grants before this version,
    or one that met a case opened with POST /uitkeringen): decisions says so with
    `heropening.geweigerd`, which reapplication reads; nothing goes to `heraanvragen.dlq`."""
    bsn = builders.bsn()
    _ended_case(stack, bsn)
    today = TODAY.isoformat()
    with stack.client("reapplication", Rol.municipality) as client:
        eerste = client.post(
            "/heraanvragen", json={"bsn": bsn, "meldingsdatum": today, "startdatum": today, "wijzigingen": []}
        ).json()
        eventually(lambda: client.get(f"/heraanvragen/{eerste['heraanvraagId']}").json()["uitkeringId"])
    [gevraagd] = [decode(r.key, r.value, r.headers) for r in kafka.read(stack.kafka, "heraanvragen", pseudonym(bsn))]
    tweede = str(uuid.uuid4())
    kafka.produce_events(
        stack.kafka,
        "heraanvragen",
        [replace(gevraagd, id=str(uuid.uuid4()), data=gevraagd.data | {"heraanvraagId": tweede})],
    )

    def geweigerd():
        gelezen = [decode(r.key, r.value, r.headers) for r in kafka.read(stack.kafka, "uitkeringen", pseudonym(bsn))]
        return [e.data for e in gelezen if e.type == "nl.participatiewet.heropening.geweigerd"]

    [antwoord] = eventually(geweigerd)
    assert (antwoord["heraanvraagId"], antwoord["reden"], antwoord["gemeentecode"]) == (
        tweede,
        "uitkering-loopt",
        "GM0363",
    )
    assert not kafka.read(stack.kafka, "heraanvragen.dlq", pseudonym(bsn))


def test_what_is_not_simple_waits_for_a_caseworker_with_the_reasons(stack):
    changed, working = builders.bsn(), builders.bsn()
    for bsn in (changed, working):
        _ended_case(stack, bsn)
    # the polis still shows income from work in the latest month
    # income admits the person again only once the window event has reached it
    eventually(
        lambda: (
            deliver(stack, [aangifte(working, begin="2026-10-01", einde="2026-10-31")]).json()["aantallen"][
                "geaccepteerd"
            ]
            == 1
        )
    )
    today = TODAY.isoformat()
    with stack.client("reapplication", Rol.municipality) as client:
        # (a declared change keeps every attempt in review while income settles the delivered month)
        body = {"bsn": working, "meldingsdatum": today, "startdatum": today, "wijzigingen": ["inkomen"]}
        eventually(lambda: "baan-niet-beeindigd" in probe(client, body, keep="baan-niet-beeindigd"))
        review = client.post(
            "/heraanvragen",
            json={"bsn": changed, "meldingsdatum": today, "startdatum": "2026-10-01", "wijzigingen": ["medebewoners"]},
        ).json()
        assert review["status"] == "beoordelen"
        assert [r["code"] for r in review["redenen"]] == ["wijzigingen", "startdatum-voor-melding"]
        assert review["hergebruik"]["situatie"]["huishouden"] == "alleenstaand", "the file is prepared"
        working_file = client.get("/heraanvragen", params={"status": "beoordelen"}).json()
        # income is asked at each attempt: the last one has the month
        assert {"maand": "2026-10", "nettoInkomen": 130000, "inkomstenverhoudingenBeeindigd": False} == [
            w["recentInkomen"] for w in working_file if w["bsn"] == working
        ][-1]
        waiting = client.get("/heraanvragen", params={"status": "beoordelen"}).json()
        assert {w["bsn"] for w in waiting} >= {changed, working}
        assert all(w["beslistermijn"] > today and not w["termijnVerstreken"] for w in waiting if w["bsn"] == changed)
        too_early = client.post(
            "/heraanvragen",
            json={"bsn": changed, "meldingsdatum": today, "startdatum": "2026-01-01", "wijzigingen": []},
        )
        assert too_early.status_code == 422 and too_early.json()["invalidParams"][0]["name"] == "startdatum"
        decided = client.post(
            f"/heraanvragen/{review['heraanvraagId']}/_besluit",
            json={"besluit": "toekennen", "reden": "medebewoner verhuisd; terugwerkend wegens ziekte"},
        )
        assert decided.json()["status"] == "toegekend"
        assert (
            client.post(
                f"/heraanvragen/{review['heraanvraagId']}/_besluit", json={"besluit": "afwijzen", "reden": "dubbel"}
            ).status_code
            == 409
        )
        assert eventually(lambda: client.get(f"/heraanvragen/{review['heraanvraagId']}").json()["uitkeringId"])
    with stack.client("reapplication", Rol.municipality, "GM0599") as other:
        assert other.get(f"/heraanvragen/{review['heraanvraagId']}").status_code == 404


def test_the_12_month_boundary_another_municipality_and_the_search_period(stack):
    old = builders.bsn()
    uitkering_id = open_case(stack, old, startdatum="2025-01-01")
    with stack.client("decisions", Rol.municipality) as client:
        client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2025-09-30", "reden": "werk"})
    with stack.client("reapplication", Rol.municipality) as client:

        def reasons(bsn, melding):
            return probe(
                client, {"bsn": bsn, "meldingsdatum": melding, "startdatum": melding, "wijzigingen": ["vermogen"]}
            )

        # the window's last day, once the case's end reached reapplication
        eventually(lambda: not {"geen-open-termijn", "uitkering-loopt"} & set(reasons(old, "2026-09-30")))
        assert "geen-open-termijn" in reasons(old, "2026-10-01"), "12 months after the end the window closed"
    with stack.client("reapplication", Rol.municipality, "GM0599") as elsewhere:
        body = {"bsn": old, "meldingsdatum": "2026-09-01", "startdatum": "2026-09-01", "wijzigingen": []}
        other = elsewhere.post("/heraanvragen", json=body)
        assert (other.status_code, other.json()["code"]) == (404, "geen-ingezetene"), "not Rotterdam's resident"
        assert old not in {h["bsn"] for h in elsewhere.get("/heraanvragen").json()}, "nothing stored"
        stack.brp.vestig(old, "GM0599")  # moved: now Rotterdam applies, and the window stays Amsterdam's
        assert probe(elsewhere, body) == ["geen-open-termijn", "leeftijd-onbekend"]
        # a first application brings the age: under 27 the search period applies (art. 41 lid 4)
        vandaag = {"meldingsdatum": TODAY.isoformat(), "startdatum": TODAY.isoformat(), "geboortedatum": "2001-02-03"}
        eerste = elsewhere.post("/heraanvragen", json=body | vandaag).json()
        assert [r["code"] for r in eerste["redenen"]] == ["geen-open-termijn", "zoektermijn"]
        again = elsewhere.post("/heraanvragen", json=body | vandaag)
        assert (again.status_code, again.json()["code"]) == (409, "heraanvraag-loopt"), "one at a time"
        assert eerste["heraanvraagId"] in again.json()["detail"]
        contract = body | vandaag | {"contractEinddatum": "2027-01-15"}
        te_vroeg = elsewhere.post("/heraanvragen", json=contract)
        assert (te_vroeg.status_code, te_vroeg.json()["code"]) == (422, "melding-te-vroeg"), "at most 4 weeks early"

    # praktijk: another young person, as granting `young` reopens their case and so closes their window
    young, praktijkschool, exempt = builders.bsn(), builders.bsn(), builders.bsn()
    for bsn in (young, praktijkschool, exempt):
        _ended_case(stack, bsn, geboortedatum="2003-03-03")
    kafka.produce_events(
        stack.kafka,
        DOELGROEPREGISTER,
        [
            builders.registratie(
                exempt, "gestart", gemeentecode="GM0363", grond="participatiewet", startdatum="2026-09-01"
            )
        ],
    )
    today = TODAY.isoformat()
    with stack.client("reapplication", Rol.municipality) as client:
        applied = client.post(
            "/heraanvragen", json={"bsn": young, "meldingsdatum": today, "startdatum": today, "wijzigingen": []}
        ).json()
        assert [r["code"] for r in applied["redenen"]] == ["zoektermijn"]
        assert applied["vroegsteBehandeldatum"] == (TODAY + timedelta(weeks=4)).isoformat()
        besluit = f"/heraanvragen/{applied['heraanvraagId']}/_besluit"
        loopt = client.post(besluit, json={"besluit": "toekennen", "reden": "recht vastgesteld"})
        assert (loopt.status_code, loopt.json()["code"]) == (422, "zoektermijn-loopt")
        ontheven = client.post(
            besluit,
            json={
                "besluit": "toekennen",
                "reden": "recht vastgesteld",
                "zoektermijnOntheffing": "dreigende huisuitzetting",
            },
        ).json()
        assert (ontheven["status"], ontheven["zoektermijnOntheffing"]) == ("toegekend", "dreigende huisuitzetting")
        praktijk = client.post(
            "/heraanvragen",
            json={
                "bsn": praktijkschool,
                "meldingsdatum": today,
                "startdatum": today,
                "wijzigingen": ["adres"],
                "praktijkonderwijsOfVso": True,
            },
        ).json()
        assert [r["code"] for r in praktijk["redenen"]] == ["wijzigingen"], "PrO/VSO in the past year: no search period"
        # in the doelgroepregister via the Participatiewet (from registration's events): exempt
        eventually(
            lambda: (
                "zoektermijn"
                not in [
                    r["code"]
                    for r in client.post(
                        "/heraanvragen",
                        json={"bsn": exempt, "meldingsdatum": today, "startdatum": today, "wijzigingen": ["adres"]},
                    ).json()["redenen"]
                ]
            )
        )


def test_the_polis_is_asked_of_income_with_the_municipality_s_own_rights_and_never_guessed(stack):
    """Whether the job ended comes from income at the moment of the re-application, asked with the
    municipality's token: income's processing log shows the municipality asking. An instance that
    cannot reach income refuses with 503 and keeps nothing; asked again, the request goes through."""
    bsn = builders.bsn()
    _ended_case(stack, bsn)
    eventually(
        lambda: (
            deliver(stack, [aangifte(bsn, begin="2026-10-01", einde="2026-10-31")]).json()["aantallen"]["geaccepteerd"]
            == 1
        )
    )
    today, key = TODAY.isoformat(), {"Idempotency-Key": f"heraanvraag-{bsn}"}
    aanvraag = {"bsn": bsn, "meldingsdatum": today, "startdatum": today, "wijzigingen": ["adres"]}
    cut_off = stack.services["reapplication"]
    nowhere = f"http://127.0.0.1:{free_port()}/api/v1"
    alone = ServiceProcess(
        "reapplication",
        free_port(),
        cut_off.env | {"REAPPLICATION_INCOME_URL": nowhere},
        stack.tmp / "reapplication-alone.log",
    )
    alone.start().wait_ready()
    try:
        with httpx.Client(base_url=alone.url, headers={"Authorization": f"Bearer {token(Rol.municipality)}"}) as client:
            refused = client.post("/heraanvragen", json=aanvraag, headers=key)
    finally:
        alone.stop()
    assert refused.status_code == 503 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "bron-niet-beschikbaar" and bsn not in refused.text
    with stack.client("reapplication", Rol.municipality) as client:
        assert bsn not in [h["bsn"] for h in client.get("/heraanvragen").json()], "nothing was kept"
        applied = client.post("/heraanvragen", json=aanvraag, headers=key)
    assert applied.status_code == 201, applied.text
    assert applied.json()["recentInkomen"] == {
        "maand": "2026-10",
        "nettoInkomen": 130000,
        "inkomstenverhoudingenBeeindigd": False,
    }
    assert "baan-niet-beeindigd" in [r["code"] for r in applied.json()["redenen"]]
    with stack.client("income", Rol.privacy_officer) as privacy_officer:
        asked = eventually(
            lambda: [
                r
                for r in privacy_officer.post("/verwerkingen/_zoek", json={"bsn": bsn}).json()["verwerkingen"]
                if r["naam"] == "zoekLaatsteMaandinkomen"
            ]
        )
    assert asked[0]["organisatie"] == OINS[Rol.municipality], "income saw the municipality asking"
    assert asked[0]["verwerkingsactiviteit"] == "urn:schakel:verwerkingsactiviteit:heraanvraag-behandelen:1"


def test_dates_past_2100_are_refused_naming_the_field_and_far_ahead_by_the_rules(stack):
    # issue 11: wwEinddatum 9999-12-31 made this municipality's handover list answer 500 for ever, and
    # a case ended on 9999-12-31 broke reapplication's window arithmetic
    apeldoorn = "GM0200"
    bsn, beeindigd = builders.bsn(apeldoorn), builders.bsn(apeldoorn)
    melding = {
        "bsn": bsn,
        "wwEinddatum": "9999-12-31",
        "gemeentecode": apeldoorn,
        "grondslag": {"soort": "toestemming", "referentie": "UWV-TOE-9"},
    }
    with stack.client("reapplication", Rol.uwv) as uwv:
        refused = uwv.post("/overdrachten", json=melding)
        assert refused.status_code == 400
        assert [p["name"] for p in refused.json()["invalidParams"]] == ["wwEinddatum"]
        ver = uwv.post("/overdrachten", json=melding | {"wwEinddatum": "2100-12-31"})
        assert (ver.status_code, ver.json()["code"]) == (422, "ww-einddatum-te-ver-vooruit"), "the WW lasts 24 months"
        assert [p["name"] for p in ver.json()["invalidParams"]] == ["wwEinddatum"]
        assert uwv.post("/overdrachten", json=melding | {"wwEinddatum": "2028-11-30"}).json()["uitkomst"] == "nieuw"
    with stack.client("reapplication", Rol.municipality, apeldoorn) as client:
        lijst = client.get("/overdrachten")
        assert lijst.status_code == 200 and [o["wwEinddatum"] for o in lijst.json()] == ["2028-11-30"]

    uitkering_id = open_case(stack, beeindigd, gemeente=apeldoorn)
    with stack.client("decisions", Rol.municipality, apeldoorn) as client:
        for einddatum in ("9999-12-31", "1899-12-31"):
            refused = client.post(
                f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": einddatum, "reden": "werk"}
            )
            assert refused.status_code == 400
            assert [p["name"] for p in refused.json()["invalidParams"]] == ["einddatum"]
        ver = client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2100-12-31", "reden": "werk"})
        assert (ver.status_code, ver.json()["code"]) == (422, "einddatum-te-ver-vooruit"), "at most 6 months ahead"
    # a window computed from the last day in range may end past it, and its event is valid (a case ended
    # on 2100-12-31 by a version before decisions kept an end within 6 months)
    einde = events.UitkeringBeeindigd(
        uitkeringId=uitkering_id, bsn=beeindigd, gemeentecode=apeldoorn, einddatum=date(2100, 12, 31), reden="werk"
    )
    kafka.produce_events(stack.kafka, "uitkeringen", [Event(einde.TYPE, SOURCE, einde.as_json(), pseudonym(beeindigd))])
    geopend = eventually(lambda: kafka.read(stack.kafka, "heraanvraagtermijnen", key=pseudonym(beeindigd)))
    assert [json.loads(r.value)["geldigTot"] for r in geopend] == ["2101-12-31"]

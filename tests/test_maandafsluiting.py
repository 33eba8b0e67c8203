"""A provider closes a month, end to end on the real broker and database: a person without any
declaration over the month gets it established without income, decisions settles it with the whole
bijstand and says why, and a declaration filed late revises it by the difference."""

from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from schakel.api import Rol
from tests.support import builders
from tests.support.polis import aangifte, deliver, open_case
from tests.support.stack import ROTTERDAMSE_LEVERANCIER, eventually, token
from tests.test_metrics import scrape, value

pytestmark = pytest.mark.integration
AMERSFOORT = "GM0307"  # no other test opens cases here: its closing touches only this test's persons
OKTOBER = {"maand": "2026-10", "gemeentecodes": [AMERSFOORT]}


def gelezen() -> dict:
    """A closing for a population read now: after income learned of every case opened before."""
    return OKTOBER | {"gelezenOp": datetime.now(ZoneInfo("Europe/Amsterdam")).isoformat()}


def settlements(stack, uitkering_id: str) -> list[dict]:
    with stack.client("decisions", Rol.municipality, AMERSFOORT) as client:
        return client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()


def provider(stack, oin: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token(Rol.data_provider, oin=oin)}"}
    return httpx.Client(base_url=stack.services["income"].url, headers=headers, timeout=10)


def sluit_af(stack, body: dict, oin: str | None = None) -> httpx.Response:
    with provider(stack, oin) as client:
        return client.post("/maandafsluitingen", json=body)


def afgerond(stack, location: str) -> dict:
    """The closing once income has worked it off in the background."""
    with provider(stack) as client:
        pad = location.removeprefix("/api/v1")  # the client's base URL holds the prefix
        return eventually(lambda: (a := client.get(pad).json())["status"] == "afgerond" and a)


def test_a_closed_month_without_income_is_settled_with_the_whole_bijstand_and_revised_by_a_late_polis(stack):
    werkt, zonder = builders.bsn(AMERSFOORT), builders.bsn(AMERSFOORT)
    zaken = {bsn: open_case(stack, bsn, gemeente=AMERSFOORT) for bsn in (werkt, zonder)}
    deliver(
        stack,
        [aangifte(werkt, begin="2026-10-01", einde="2026-10-31", fiscaalLoon=115000, ingehoudenLoonheffing=15000)],
    )
    eventually(lambda: settlements(stack, zaken[werkt]))
    assert settlements(stack, zaken[zonder]) == [], "a month without any declaration: nothing to settle"

    body = gelezen()
    gevraagd = sluit_af(stack, body)

    assert gevraagd.status_code == 202, gevraagd.text
    assert gevraagd.headers["location"] == f"/api/v1/maandafsluitingen/{gevraagd.json()['maandafsluitingId']}"
    assert (gevraagd.json()["status"], gevraagd.json()["afgerondOp"]) == ("lopend", None)
    antwoord = afgerond(stack, gevraagd.headers["location"])
    assert datetime.fromisoformat(antwoord["gelezenOp"]) == datetime.fromisoformat(body["gelezenOp"])
    assert gevraagd.json()["gelezenOp"] == antwoord["gelezenOp"], "answered in one form, whatever offset it came with"
    assert {k: antwoord[k] for k in ("maand", "gemeentecodes", "personen", "zonderInkomen")} == {
        "maand": "2026-10",
        "gemeentecodes": [AMERSFOORT],
        "personen": 2,
        "zonderInkomen": 1,
    }
    with provider(stack, ROTTERDAMSE_LEVERANCIER) as ander:
        vreemd = ander.get(gevraagd.headers["location"].removeprefix("/api/v1"))
        assert (vreemd.status_code, vreemd.json()["code"]) == (404, "niet-gevonden"), "another provider's closing"
    [oktober] = eventually(lambda: settlements(stack, zaken[zonder]))
    # single, 21 or older: the whole norm of 1.401,50 is bijstand, 70,08 reserved as holiday allowance
    assert (oktober["maand"], oktober["bijstand"], oktober["teBetalen"]) == ("2026-10", 140150, 133142)
    assert "Over deze maand is geen inkomen van u bekend." in oktober["uitleg"]
    assert value(scrape(stack, "income"), "schakel_months_without_income_total") >= 1
    opnieuw = sluit_af(stack, gelezen()).headers["location"]
    assert afgerond(stack, opnieuw)["zonderInkomen"] == 0, "closed again: nothing new"

    # the employer files October late: the month is revised by the difference, as any correction
    deliver(
        stack,
        [aangifte(zonder, begin="2026-10-01", einde="2026-10-31", fiscaalLoon=115000, ingehoudenLoonheffing=15000)],
    )
    [herzien] = eventually(lambda: [s for s in settlements(stack, zaken[zonder]) if s["versie"] == 2])
    assert (herzien["bijstand"], herzien["teBetalen"]) == (65150, 61892)


def test_a_closing_is_refused_for_a_month_not_over_a_municipality_not_contracted_or_nothing_delivered(stack):
    niet_voorbij = sluit_af(stack, gelezen() | {"maand": "2026-11"})
    assert (niet_voorbij.status_code, niet_voorbij.headers["content-type"]) == (422, "application/problem+json")
    assert niet_voorbij.json()["code"] == "maand-niet-voorbij"
    assert [p["name"] for p in niet_voorbij.json()["invalidParams"]] == ["maand"]
    rotterdams = sluit_af(stack, gelezen(), oin=ROTTERDAMSE_LEVERANCIER)
    assert (rotterdams.status_code, rotterdams.json()["code"]) == (403, "niet-gecontracteerd")
    niets_geleverd = sluit_af(stack, gelezen() | {"gemeentecodes": ["GM0599"]}, oin=ROTTERDAMSE_LEVERANCIER)
    assert (niets_geleverd.status_code, niets_geleverd.json()["code"]) == (409, "niet-geleverd")
    with stack.client("income", Rol.municipality, AMERSFOORT) as gemeente:
        assert gemeente.post("/maandafsluitingen", json=gelezen()).status_code == 403, "only a data provider"

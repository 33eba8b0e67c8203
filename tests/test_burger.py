"""The citizen's own view (`burger`, a DigiD token whose subject is their BSN), tried as a curious
citizen would: their own case, settlements, window, handover and participation status, and never
another person's, whose case is answered exactly as one that does not exist."""

from __future__ import annotations

import uuid

import pytest

from schakel.api import Rol
from tests.support import builders
from tests.support.polis import aangifte, deliver, months, open_case
from tests.support.stack import eventually

pytestmark = pytest.mark.integration


@pytest.fixture
def twee(stack):
    """Two residents of Amsterdam with a case and a settled month each."""
    personen = builders.bsn("GM0363"), builders.bsn("GM0363")
    cases = {bsn: open_case(stack, bsn) for bsn in personen}
    assert deliver(stack, [aangifte(bsn, "2026-10-01", "2026-10-31") for bsn in personen]).status_code == 201
    for bsn in personen:
        eventually(lambda bsn=bsn: "2026-10" in months(stack, bsn))
    return cases


def test_a_citizen_reads_their_own_case_and_its_settlements(stack, twee):
    bsn, uitkering_id = next(iter(twee.items()))
    with stack.client("decisions", Rol.burger, bsn=bsn) as mij:
        eigen = mij.get("/mijn/uitkeringen").json()
        assert [u["uitkeringId"] for u in eigen] == [uitkering_id] and eigen[0]["bsn"] == bsn
        verrekeningen = eventually(lambda: mij.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json())
        assert verrekeningen[0]["uitleg"], "each settlement explains itself"
        kalender = mij.get(f"/uitkeringen/{uitkering_id}/betaalkalender")
        assert kalender.status_code == 200, kalender.text
        oktober = next(m for m in kalender.json() if m["maand"] == "2026-10")
        assert oktober["verrekening"] == next(v for v in verrekeningen if v["maand"] == "2026-10")
        assert mij.get(f"/uitkeringen/{uitkering_id}/geschiedenis").status_code == 200
        # reading is all: changing the case is the municipality's
        ending = mij.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-12-31", "reden": "werk"})
        assert ending.status_code == 403


def test_another_person_s_case_is_answered_as_one_that_does_not_exist(stack, twee):
    (mijn, _), (_, andermans) = twee.items()
    with stack.client("decisions", Rol.burger, bsn=mijn) as mij:
        for path in (
            "",
            "/verrekeningen",
            "/geschiedenis",
            "/tussenrekening",
            "/toeslageninkomen",
            "/vakantietoeslag",
            "/betaalkalender",
        ):
            anders = mij.get(f"/uitkeringen/{andermans}{path}")
            niemand = mij.get(f"/uitkeringen/{uuid.uuid4()}{path}")
            assert anders.status_code == niemand.status_code == 404, path
            assert {**anders.json(), "instance": None} == {**niemand.json(), "instance": None}  # the asked path


def test_a_citizen_without_anything_on_record_sees_nothing(stack):
    nieuw = builders.bsn("GM0363")
    with stack.client("decisions", Rol.burger, bsn=nieuw) as mij:
        assert mij.get("/mijn/uitkeringen").json() == []
    with stack.client("reapplication", Rol.burger, bsn=nieuw) as mij:
        assert mij.get("/mijn/heraanvraagtermijn").json()["openTermijn"] is None
        assert mij.get("/mijn/overdracht").status_code == 404
    with stack.client("registration", Rol.burger, bsn=nieuw) as mij:
        assert mij.get("/mijn/deelnamestatus").status_code == 404


def test_a_citizen_reads_their_window_and_their_whole_participation_status(stack):
    bsn = builders.bsn("GM0363")
    uitkering_id = open_case(stack, bsn)
    with stack.client("decisions", Rol.municipality) as gemeente:
        gemeente.post(f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-08-31", "reden": "werk"})
    with stack.client("registration", Rol.municipality) as gemeente:
        feit = {"bsn": bsn, "soort": "dagbesteding-gestart", "datum": "2026-10-01", "indicatie": "wmo"}
        assert gemeente.post("/mutaties", json=feit).status_code == 201
    with stack.client("reapplication", Rol.burger, bsn=bsn) as mij:
        termijn = eventually(lambda: mij.get("/mijn/heraanvraagtermijn").json()["openTermijn"])
        assert termijn["uitkeringId"] == uitkering_id
    with stack.client("registration", Rol.burger, bsn=bsn) as mij:
        status = mij.get("/mijn/deelnamestatus").json()
        assert "dagbesteding" in str(status)  # their own, UWV's limits do not apply


def test_only_a_citizen_has_a_mine(stack):
    for name, path in (
        ("decisions", "/mijn/uitkeringen"),
        ("reapplication", "/mijn/overdracht"),
        ("registration", "/mijn/deelnamestatus"),
    ):
        with stack.client(name, Rol.municipality) as gemeente:
            assert gemeente.get(path).status_code == 403

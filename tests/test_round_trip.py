"""An HTTP request to decisions writes state and an outbox event; income and reapplication
consume it and change their own state; one trace runs through all of them."""

import os
from datetime import date, timedelta

import pytest

from schakel.api import Rol
from tests.support import builders
from tests.support.stack import TODAY, eventually, population

pytestmark = pytest.mark.integration


def test_opened_case_reaches_income_in_the_same_trace(stack):
    bsn = builders.bsn()
    trace_id = os.urandom(16).hex()
    with stack.client("decisions", Rol.municipality) as client:
        response = client.post(
            "/uitkeringen",
            json=builders.uitkering(bsn),
            headers={"traceparent": f"00-{trace_id}-{os.urandom(8).hex()}-01"},
        )
    assert response.status_code == 201
    uitkering_id = response.json()["uitkeringId"]

    eventually(lambda: bsn in population(stack, "2026-02-01"))

    def in_trace(service: str, name: str) -> list:
        return [s for s in stack.collector.find(service=service, name=name) if s["trace_id"] == trace_id]

    assert eventually(lambda: in_trace("decisions", "POST /api/v1/uitkeringen"))
    assert eventually(lambda: in_trace("income", "nl.participatiewet.uitkering.geopend process")), (
        "income's processing span continues the trace of the HTTP request"
    )
    assert not [s for s in stack.collector.spans if bsn in str(s["attributes"])], "no BSN in any span"

    # ending the case opens a re-application window
    with stack.client("decisions", Rol.municipality) as client:
        einddatum = TODAY - timedelta(days=30)
        ended = client.post(
            f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": einddatum.isoformat(), "reden": "werk"}
        )
    assert ended.status_code == 200 and ended.json()["status"] == "beeindigd"
    with stack.client("reapplication", Rol.municipality) as client:
        termijn = eventually(
            lambda: client.post("/heraanvraagtermijnen/_zoek", json={"bsn": bsn}).json()["openTermijn"]
        )
    assert termijn["uitkeringId"] == uitkering_id and termijn["einddatum"] == einddatum.isoformat()
    assert termijn["geldigTot"] > TODAY.isoformat()
    # the window keeps the person in income's population until it closes, and not a day longer
    na_termijn = (date.fromisoformat(termijn["geldigTot"]) + timedelta(days=1)).isoformat()
    eventually(lambda: bsn in population(stack, termijn["geldigTot"]) and bsn not in population(stack, na_termijn))

    logs = "".join((stack.tmp / f"{name}.log").read_text() for name in stack.services)
    assert "uitkering.geopend" in logs or "POST /api/v1/uitkeringen" in logs, "the services do log"
    assert bsn not in logs, "no BSN in any log line"

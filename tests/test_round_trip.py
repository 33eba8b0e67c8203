"""An HTTP request to decisions writes state and an outbox event; income and reapplication
consume it and change their own state; one trace runs through all of them."""

from datetime import date, timedelta

import pytest

from schakel.api import Rol
from tests.support import builders
from tests.support.stack import TODAY, eventually, population

pytestmark = pytest.mark.integration


def test_opened_case_reaches_income_in_the_same_trace(stack):
    bsn = builders.bsn()
    with stack.client("decisions", Rol.municipality) as client:
        response = client.post("/uitkeringen", json=builders.uitkering(bsn))
    assert response.status_code == 201
    uitkering_id = response.json()["uitkeringId"]

    eventually(lambda: bsn in population(stack, "2026-02-01"))

    http_span = eventually(lambda: stack.collector.find(service="decisions", name="POST /api/v1/uitkeringen"))
    processed = eventually(
        lambda: [
            s
            for s in stack.collector.find(service="income", name="nl.participatiewet.uitkering.geopend process")
            if s["trace_id"] in {h["trace_id"] for h in http_span}
        ]
    )
    assert processed, "income's processing span continues the trace of the HTTP request"
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

"""Traces in a real trace UI: the services send their spans to a Zipkin server (the one `make run`
starts), and one polis delivery is one trace from income over Kafka into the settlement in
decisions, with spans named for what they do and no personal data in any of them."""

import json
import os

import httpx
import pytest

from deploy.kafka_broker import free_port
from deploy.zipkin import Zipkin
from schakel.api import Rol
from tests.support import builders
from tests.support.polis import aangifte, open_case
from tests.support.stack import eventually, start_stack

pytestmark = pytest.mark.integration
PROCESS = ("decisions", "nl.participatiewet.maandinkomen.vastgesteld process")


@pytest.fixture(scope="module")
def traced(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("traces")
    zipkin = Zipkin(free_port(), tmp / "zipkin.log").start()
    stack = start_stack(tmp, [])
    try:
        for name in ("income", "decisions"):
            stack.start(name, OTEL_EXPORTER_ZIPKIN_ENDPOINT=zipkin.spans_endpoint)
        yield stack, zipkin
    finally:
        stack.close()
        stack.collector.close()
        zipkin.stop()


def test_a_polis_delivery_is_one_trace_from_income_to_the_settlement_in_zipkin(traced):
    stack, zipkin = traced
    bsn = builders.bsn()
    open_case(stack, bsn)
    trace_id = os.urandom(16).hex()
    with stack.client("income", Rol.data_provider) as client:
        response = client.post(
            "/leveringen",
            headers={"traceparent": f"00-{trace_id}-{os.urandom(8).hex()}-01"},
            json={"leveringId": f"trace-{trace_id}", "aangiften": [aangifte(bsn)]},
        )
    assert response.status_code == 201

    expected = {
        PROCESS,
        ("income", "post /api/v1/leveringen"),
        ("income", "maandinkomens send"),  # the Kafka hop
        ("decisions", "maandinkomens receive"),
    }

    def spans():  # each service exports its spans in its own batches, in no fixed order
        found = httpx.get(f"{zipkin.url}/api/v2/trace/{trace_id}", timeout=5)
        named = (
            {(s["localEndpoint"]["serviceName"], s["name"]) for s in found.json()} if found.status_code == 200 else ()
        )
        return expected <= set(named) and found.json()

    trace = eventually(spans, timeout=60)
    assert bsn not in json.dumps(trace), "no BSN in any span name, tag or annotation"

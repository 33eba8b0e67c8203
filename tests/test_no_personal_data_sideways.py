"""The BSN audit of failures: requests that fail (400, 404, 409) and records that consumers refuse
(a rule, a schema, a source) leave the person in no log line, no span (name, attribute, URL,
event, status), no dead-letter header and no metric, and the message key (the person's pseudonym)
in no span either. On the real broker with the services as processes."""

import json
import os
import re
import uuid

import httpx
import pytest

from deploy.services import SERVICES
from schakel.api import Rol
from schakel.events import Event, encode
from tests.support import builders, kafka
from tests.support.polis import aangeleverd, aangifte, geopend
from tests.support.stack import POLISAANGIFTEN, eventually, pseudonym
from tests.test_bad_records import beeindigd

pytestmark = pytest.mark.integration


def failing_requests(stack, bsn: str) -> list[int]:
    statuses = []
    with stack.client("decisions", Rol.municipality) as decisions:
        statuses.append(decisions.post("/uitkeringen", json=builders.uitkering(bsn, huishouden="x")).status_code)
        statuses.append(decisions.post("/uitkeringen", json=builders.uitkering(bsn)).status_code)
        statuses.append(decisions.post("/uitkeringen", json=builders.uitkering(bsn)).status_code)
    with stack.client("income", Rol.municipality, "GM0599") as income:
        body = {"bsn": bsn, "vanMaand": "2026-01", "totMaand": "2026-02"}
        statuses.append(income.post("/maandinkomens/_zoek", json=body).status_code)
    with stack.client("registration", Rol.municipality, "GM0599") as registration:
        statuses.append(registration.post("/deelnamestatussen/_zoek", json={"bsn": bsn}).status_code)
    return statuses


def refused_records(stack, bsns: list[str], trace_id: str) -> list[Event]:
    endless = beeindigd(bsns[0], "9999-12-31")  # a rule refuses it
    unschematic = geopend(bsns[1])
    unschematic.data.pop("startdatum")  # the contract refuses it
    foreign = aangeleverd(f"audit-{uuid.uuid4()}", aangifte(bsns[2]))  # its ce_source is refused
    traced = [("traceparent", f"00-{trace_id}-{os.urandom(8).hex()}-01".encode())]  # to find their spans
    k, v, h = encode(foreign)
    kafka.produce(
        stack.kafka, "uitkeringen", [(k_, v_, h_ + traced) for k_, v_, h_ in map(encode, (endless, unschematic))]
    )
    kafka.produce(stack.kafka, POLISAANGIFTEN, [(k, v, [(n, b"x" if n == "ce_source" else x) for n, x in h])])
    return [endless, unschematic, foreign]


def dead_letters(stack, events: list[Event]) -> list:
    ids = {e.id.encode() for e in events}
    records = kafka.read(stack.kafka, "uitkeringen.dlq") + kafka.read(stack.kafka, "polisaangiften.dlq")
    return [r for r in records if dict(r.headers).get("ce_id") in ids]


def test_failing_requests_and_refused_records_leave_no_person_behind(stack):
    person, *refused = (builders.bsn() for _ in range(4))
    assert failing_requests(stack, person) == [400, 201, 409, 404, 404]
    trace_id = os.urandom(16).hex()
    events = refused_records(stack, refused, trace_id)
    dead = eventually(lambda: len(d := dead_letters(stack, events)) >= 3 and d, timeout=60)
    # the spans that would carry them: the refused request, and each consumer's receive of the refused records
    eventually(lambda: [s for s in stack.collector.spans if 409 in s["attributes"].values()])
    eventually(
        lambda: (
            {s["service"] for s in stack.collector.spans if s["trace_id"] == trace_id} >= {"income", "reapplication"}
        )
    )

    people = [person, *refused]
    keys = [pseudonym(bsn) for bsn in people]
    spans = json.dumps(stack.collector.spans)
    assert not [bsn for bsn in people if bsn in spans], "no BSN in any span's name, attributes, URL or events"
    assert not [key for key in keys if key in spans], "no message key (pseudonym) in any span"
    logs = "".join((stack.tmp / f"{name}.log").read_text() for name in stack.services)
    assert not [bsn for bsn in people if bsn in logs], "no BSN in any log line"
    headers = [f"{n}={v.decode(errors='replace')}" for r in dead for n, v in r.headers]
    assert any(h.startswith("dlq-reden=") for h in headers)
    assert not [bsn for bsn in people if any(bsn in h for h in headers)], "no BSN in any dead-letter header"
    for name in SERVICES:
        exposition = httpx.get(stack.services[name].url.removesuffix("/api/v1") + "/metrics", timeout=10).text
        assert not [bsn for bsn in people if bsn in exposition], f"no BSN in {name}'s metrics"
        assert not re.search(r'="[0-9]{9}"', exposition), f"no nine digits as a label value in {name}'s metrics"

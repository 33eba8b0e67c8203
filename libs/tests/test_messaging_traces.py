"""One trace from the request that wrote the events through Kafka into their processing: the relay
sends each record under a send span of its topic and trace (W3C `traceparent` in the headers), the
consumer runner receives them under a receive span, and neither names the record's key."""

import asyncio
import json
import uuid
from datetime import date

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from schakel.events import load_contract
from schakel.messaging import Outbox, OutboxRelay
from schakel.telemetry.redaction import Redacting
from tests.support import kafka
from tests.support.runner import consume_until, platform_database, status

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def exported():
    """The spans as an exporter gets them (a tracer provider is set once per process)."""
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    spans = InMemorySpanExporter()
    provider.add_span_processor(Redacting(SimpleSpanProcessor(spans)))
    yield spans
    spans.shutdown()


async def test_a_request_is_one_trace_through_the_relay_and_kafka_into_the_processing(stack, tmp_path, exported):
    db = await platform_database(tmp_path)
    box = Outbox(load_contract(), "urn:nld:oin:00000001003214345000:systeem:registration", "registration")
    person = uuid.uuid4().hex * 2
    requests, ids = {}, set()
    for name, days in (("a", range(1, 4)), ("b", range(4, 6))):  # two requests write 3 and 2 events
        events = [box.event(person, status("GM0363", date(2026, 1, d))) for d in days]
        ids |= {e.id for e in events}
        with trace.get_tracer("test").start_as_current_span(f"request {name}") as span:
            async with db.transaction() as conn:
                await box.add(conn, *events)
        requests[span.get_span_context().trace_id] = span.get_span_context().span_id
    relay = OutboxRelay(db, stack.kafka)
    assert await relay.publish_pending() == 5
    await relay.close()

    handled = {}

    async def handler(conn, event):
        handled[event.id] = trace.get_current_span().get_span_context().trace_id

    await consume_until(stack, db, handler, lambda: ids <= set(handled))
    spans = [s for s in exported.get_finished_spans() if s.context.trace_id in requests]
    sends = {s.context.span_id: s for s in spans if s.name == "deelnamestatussen send"}
    receives = {s.context.span_id: s for s in spans if s.name == "deelnamestatussen receive"}
    processes = [s for s in spans if s.name.endswith(" process")]

    assert sorted((s.parent.span_id, s.attributes["messaging.batch.message_count"]) for s in sends.values()) == sorted(
        zip(requests.values(), (3, 2), strict=True)
    ), "one send span per topic and request, not per record, under the request's span"
    assert all(s.kind == trace.SpanKind.PRODUCER for s in sends.values())
    records = await asyncio.to_thread(kafka.read, stack.kafka, "deelnamestatussen", person)
    for record in records:
        _, trace_id, span_id, _ = dict(record.headers)["traceparent"].decode().split("-")
        assert sends[int(span_id, 16)].context.trace_id == int(trace_id, 16), "each record carries its send span"
    assert all(receives[p.parent.span_id].parent.span_id in sends for p in processes), "send > receive > process"
    assert len(processes) == 5 and {handled[i] for i in ids} == set(requests)
    assert person not in json.dumps([json.loads(s.to_json()) for s in spans]), "no key in any span"
    await db.dispose()

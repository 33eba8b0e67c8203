"""What operators read: JSON log lines that lead to their trace and never quote an exception's
message, spans without message keys or exception messages, database errors without their
parameters, and HTTP metrics per route template, never per concrete path."""

import importlib
import json
import logging
import sys
from typing import Annotated

import httpx
import pytest
import sqlalchemy as sa
from fastapi import Depends, Path
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY

from schakel.api import Authenticator, Principal, Rol, create_app, requires
from schakel.api.router import Router
from schakel.messaging import tracing
from schakel.persistence import Database
from schakel.telemetry import Provider
from schakel.telemetry.logs import JsonLines, configure
from schakel.telemetry.redaction import Redacting

router = Router()


@router.get("/dingen/{dingId}", operation_id="leesDing")
async def lees(
    ding_id: Annotated[str, Path(alias="dingId")], principal: Annotated[Principal, Depends(requires(Rol.uwv))]
) -> dict:
    return {"ok": ding_id}


def line(record: logging.LogRecord) -> dict:
    return json.loads(JsonLines("decisions").format(record))


def test_a_log_line_is_json_with_the_service_and_inside_a_span_its_trace():
    tracer = TracerProvider().get_tracer("t")
    with tracer.start_as_current_span("werk") as span:
        entry = line(logging.LogRecord("schakel.x", logging.WARNING, __file__, 1, "batch %s failed", ("A",), None))
    assert entry | {"time": "…"} == {
        "time": "…",
        "level": "WARNING",
        "service": "decisions",
        "logger": "schakel.x",
        "message": "batch A failed",
        "trace_id": format(span.get_span_context().trace_id, "032x"),
        "span_id": format(span.get_span_context().span_id, "016x"),
    }
    assert "trace_id" not in line(logging.LogRecord("x", logging.INFO, __file__, 1, "buiten", (), None))


def test_an_exception_is_logged_by_class_and_stack_without_its_message():
    try:
        raise ValueError("bsn 999993653 onbekend")
    except ValueError:
        entry = line(logging.LogRecord("x", logging.ERROR, __file__, 1, "mislukt", (), sys.exc_info()))
    assert entry["exception"] == "ValueError" and "test_telemetry.py" in entry["stack"][-1]
    assert "999993653" not in json.dumps(entry)
    assert trace.get_current_span().get_span_context().is_valid is False


async def test_http_requests_are_counted_per_route_template_and_status():
    app = create_app(title="t", version="1", description="d", routers=[router])
    app.state.authenticator = Authenticator(audience="a", issuer="i", secret="x" * 32)
    token = app.state.authenticator.issue(oin="00000001003214345000", rol=Rol.uwv)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        await client.get("/api/v1/dingen/999993653", headers={"Authorization": f"Bearer {token}"})
        await client.get("/api/v1/dingen/999993653")
        await client.get("/api/v1/nergens/999993653")
        exposition = (await client.get("/metrics")).text
    counts = [line for line in exposition.splitlines() if line.startswith("http_server_request_duration_seconds_count")]
    assert any('http_route="/api/v1/dingen/{dingId}"' in c and 'status_code="200"' in c for c in counts)
    assert any('http_route="/api/v1/dingen/{dingId}"' in c and 'status_code="401"' in c for c in counts)
    assert any('http_route="unmatched"' in c and 'status_code="404"' in c for c in counts)
    assert "999993653" not in exposition, "a path value never becomes a label"


def test_spans_are_recorded_once_something_exports_them_and_carry_their_trace_before():
    provider = Provider(Resource.create({}))
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span("niet geëxporteerd") as span:
        headers = tracing.current()
    assert not span.is_recording() and span.get_span_context().is_valid
    trace_id = format(span.get_span_context().trace_id, "032x")
    _, propagated, parent, flags = headers["traceparent"].split("-")
    assert [propagated, parent] == [trace_id, format(span.get_span_context().span_id, "016x")]
    assert int(flags, 16) & 1 == 0, "not sampled: a service that exports does not record it either"
    exported = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exported))
    with tracer.start_as_current_span("geëxporteerd") as span:
        assert span.is_recording()
    assert [s.name for s in exported.get_finished_spans()] == ["geëxporteerd"]


def test_an_exported_span_has_no_message_key_and_an_exception_only_by_its_class():
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(Redacting(SimpleSpanProcessor(exported)))
    with pytest.raises(ValueError):
        with provider.get_tracer("t").start_as_current_span("verwerk") as span:
            span.set_attribute("messaging.kafka.message.key", "pseudoniem-van-de-persoon")
            span.set_attribute("messaging.destination.name", "uitkeringen")
            raise ValueError("bsn 999993653 onbekend")
    [span] = exported.get_finished_spans()
    assert dict(span.attributes) == {"messaging.destination.name": "uitkeringen"}
    assert [(e.name, dict(e.attributes)) for e in span.events] == [
        ("exception", {"exception.type": "ValueError", "exception.escaped": "False"})
    ]
    assert not span.status.is_ok and span.status.description is None
    assert "999993653" not in span.to_json() and "pseudoniem" not in span.to_json()


def test_a_bsn_a_caller_put_in_a_url_is_masked_in_the_access_log_the_span_and_the_problem():
    """A caller's mistake (GET /uitkeringen/<BSN>, ?bsn=…) must not put the BSN in Schakel's logs or traces."""
    toegang = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4", "GET", "/api/v1/heraanvragen?bsn=999993653&x=00000001002220647000", "1.1", 400),
        None,
    )
    assert (
        line(toegang)["message"]
        == '1.2.3.4 - "GET /api/v1/heraanvragen?bsn=*********&x=00000001002220647000 HTTP/1.1" 400'
    )
    # a WebSocket handshake Schakel refuses (no route takes one) is logged by uvicorn's other logger
    handdruk = logging.LogRecord(
        "uvicorn.error", logging.INFO, __file__, 1, '%s - "WebSocket %s" 403', ("1.2.3.4", "/api/v1/x/999993653"), None
    )
    assert line(handdruk)["message"] == '1.2.3.4 - "WebSocket /api/v1/x/*********" 403'
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(Redacting(SimpleSpanProcessor(exported)))
    with provider.get_tracer("t").start_as_current_span("GET /uitkeringen/{uitkeringId}") as span:
        span.set_attribute("http.target", "/api/v1/uitkeringen/999993653")
        span.set_attribute("url.full", "http://x/api/v1/leveringen/lev-999993653")
        span.set_attribute("http.status_code", 404)
    [span] = exported.get_finished_spans()
    assert dict(span.attributes) == {
        "http.target": "/api/v1/uitkeringen/*********",
        "url.full": "http://x/api/v1/leveringen/lev-*********",
        "http.status_code": 404,
    }


def test_a_bsn_a_party_put_in_its_event_s_id_is_masked_in_the_processing_span():
    """A data provider chooses the ids of its records on the ingest topic (`ce_id`): one may hold a BSN."""
    exported = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(Redacting(SimpleSpanProcessor(exported)))
    with provider.get_tracer("t").start_as_current_span("nl.polis.aangifte.aangeleverd process") as span:
        span.set_attribute("cloudevents.event_id", "999993653L01:7")
        span.set_attribute("cloudevents.event_type", "nl.polis.aangifte.aangeleverd")
    [span] = exported.get_finished_spans()
    assert dict(span.attributes) == {
        "cloudevents.event_id": "*********L01:7",
        "cloudevents.event_type": "nl.polis.aangifte.aangeleverd",
    }


def test_an_id_is_masked_with_a_bsn_written_in_groups():
    from schakel.telemetry.redaction import gemaskeerd_id

    for written in ("aangifte 9999.93.653", "aangifte 999 993 653", "aangifte 999\u00a0993\u202f653"):
        assert gemaskeerd_id(written) == "aangifte *********", written


async def test_a_problem_names_its_path_without_a_bsn_put_there_by_mistake():
    from schakel.api.problems import standard

    assert json.loads(standard(404).response("/api/v1/uitkeringen/999993653").body)["instance"] == (
        "/api/v1/uitkeringen/*********"
    )


async def test_a_database_error_never_quotes_its_parameters(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    personen = sa.Table("personen", sa.MetaData(), sa.Column("bsn", sa.String(9), primary_key=True))
    async with db.transaction() as conn:
        await conn.run_sync(personen.metadata.create_all)
        await conn.execute(personen.insert(), {"bsn": "999993653"})
    with pytest.raises(sa.exc.IntegrityError) as caught:
        async with db.transaction() as conn:
            await conn.execute(personen.insert(), {"bsn": "999993653"})
    await db.dispose()
    assert "999993653" not in str(caught.value) and "hidden" in str(caught.value)


async def test_at_debug_the_lines_are_schakel_s_own_not_the_database_driver_s_with_its_values(tmp_path, capsys):
    """SCHAKEL_LOG_LEVEL=DEBUG: the SQLite driver logs every statement with its values at that level."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure("decisions", "DEBUG")
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
        async with db.transaction() as conn:
            await conn.execute(sa.text("SELECT :bsn"), {"bsn": "999993653"})
        await db.dispose()
        logging.getLogger("decisions.service").debug("eigen regel")
        logging.getLogger("aiosqlite").info("een regel van INFO of hoger komt wel door")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = [json.loads(regel) for regel in capsys.readouterr().err.splitlines()]
    assert [r["message"] for r in lines if r["level"] == "DEBUG"] == ["eigen regel"]
    assert "een regel van INFO of hoger komt wel door" in [r["message"] for r in lines]
    assert all("999993653" not in r["message"] for r in lines)


def test_the_masking_takes_percent_encoded_digits_and_leaves_uuids_and_oins():
    from schakel.telemetry.redaction import gemaskeerd

    assert gemaskeerd("?bsn=%39%39%39%39%39%33%36%35%33&x=1") == "?bsn=*********&x=1"
    for kept in (
        "/uitkeringen/5f0c1c3e-8e3f-4a1b-9c2d-a123456789bc",
        "/uitkeringen/5F0C1C3E-8E3F-4A1B-9C2D-123456789ABC/verrekeningen",
        "urn:nld:oin:00000001002220647000",
        "2026-12-05",
        "/x/a1234567890b",  # ten digits
    ):
        assert gemaskeerd(kept) == kept


def test_the_masking_takes_nine_digits_beside_a_letter_outside_a_uuid():
    """A delivery's id is the provider's to choose: "id999993653" holds a BSN as "id-999993653" does."""
    from schakel.telemetry.redaction import gemaskeerd

    for url, masked in (
        ("/api/v1/leveringen/id999993653", "/api/v1/leveringen/id*********"),
        ("/api/v1/leveringen/999993653abc/afwijzingen", "/api/v1/leveringen/*********abc/afwijzingen"),
        ("/x/%2F999993653", "/x/%2F*********"),
        ("/x/5f0c1c3e-8e3f-4a1b-9c2d-a123456789bc/b999993653", "/x/5f0c1c3e-8e3f-4a1b-9c2d-a123456789bc/b*********"),
    ):
        assert gemaskeerd(url) == masked, url


def test_the_masking_takes_a_bsn_in_groups_beside_a_letter_as_one_in_a_row():
    """ "id999.993.653" holds a BSN as "id999993653" and "ix999.993.653" do: beside the letters a to f too,
    and a UUID's last group is still kept whole."""
    from schakel.telemetry.redaction import gemaskeerd

    for url, masked in (
        ("/api/v1/leveringen/id999.993.653", "/api/v1/leveringen/id*********"),
        ("/api/v1/leveringen/a999%20993%20653", "/api/v1/leveringen/a*********"),
        ("/api/v1/leveringen/999.993.653abc/afwijzingen", "/api/v1/leveringen/*********abc/afwijzingen"),
        (
            "/x/5F0C1C3E-8E3F-4A1B-9C2D-123456789ABC?id=e999 993 653",
            "/x/5F0C1C3E-8E3F-4A1B-9C2D-123456789ABC?id=e*********",
        ),
    ):
        assert gemaskeerd(url) == masked, url


def test_the_masking_takes_a_bsn_written_in_groups_in_a_path_or_query_and_leaves_addresses():
    """A careless integrator writes the BSN as people do: 999.993.653, 999 993 653 (%20, or + in a query)."""
    from schakel.telemetry.redaction import gemaskeerd

    for url, masked in (
        ("/api/v1/uitkeringen/999.993.653", "/api/v1/uitkeringen/*********"),
        ("/api/v1/uitkeringen/999%20993%20653/verrekeningen", "/api/v1/uitkeringen/*********/verrekeningen"),
        ("/api/v1/x?bsn=9999.93.653&y=1", "/api/v1/x?bsn=*********&y=1"),
        ("/api/v1/x?bsn=999+993+653", "/api/v1/x?bsn=*********"),
        ("/api/v1/x/999%2E993%2E653", "/api/v1/x/*********"),
        # a no-break space (as a word processor puts it between groups), raw and encoded; a + escaped
        ("/api/v1/x/999\u00a0993\u00a0653", "/api/v1/x/*********"),
        ("/api/v1/x/999%C2%A0993%c2%a0653/y", "/api/v1/x/*********/y"),
        ("/api/v1/x?bsn=999%2B993%2b653", "/api/v1/x?bsn=*********"),
        ("/api/v1/x/999\u202f993\u2009653", "/api/v1/x/*********"),
        ("/api/v1/x/999%E2%80%AF993%e2%80%89653", "/api/v1/x/*********"),
        (
            "http://10.0.100.200:8082/api/v1/uitkeringen/999.993.653",
            "http://10.0.100.200:8082/api/v1/uitkeringen/*********",
        ),
        (
            '10.0.100.200:5555 - "GET /api/v1/uitkeringen/999 993 653 HTTP/1.1" 400',
            '10.0.100.200:5555 - "GET /api/v1/uitkeringen/********* HTTP/1.1" 400',
        ),
    ):
        assert gemaskeerd(url) == masked, url
    for kept in (
        "/api/v1/gebeurtenissen?vanafTijdstip=2026-11-30T10:00:00.123%2B01:00",
        "/api/v1/x/1.2.3.4.5.6.7.8.9.0",  # ten digits: no BSN
        "/api/v1/x/1%2B999%C2%A0993%2B653",  # ten digits, whatever separates them
        "/api/v1/x/1%E2%80%AF999%E2%80%87993%2B653",
        "/uitkeringen/5f0c1c3e-8e3f-4a1b-9c2d-a123456789bc",
        '10.0.100.200:5555 - "GET /api/v1/health/live HTTP/1.1" 200',
    ):
        assert gemaskeerd(kept) == kept, kept


def test_a_bsn_in_groups_is_masked_after_a_word_and_in_a_query_or_name_that_holds_a_slash_after_it():
    """A word before the groups is no digit of a longer number ("id 999 993 653"), and only an authority
    and an access log line's client are kept: a query (url.query) or a name has no path to start at."""
    from opentelemetry.sdk.trace import ReadableSpan

    from schakel.telemetry.redaction import gemaskeerd, redacted

    for url, masked in (
        ("/api/v1/x?zoek=id+999+993+653", "/api/v1/x?zoek=id+*********"),
        ("/api/v1/x?q=code%20999%20993%20653", "/api/v1/x?q=code%20*********"),
        ("/api/v1/x/de.999.993.653", "/api/v1/x/de.*********"),
        # after an escape that is no digit: uvicorn's access log quotes a path's space as %20
        ("/api/v1/x/bsn%20999993653", "/api/v1/x/bsn%20*********"),
        ("/api/v1/x?q=bsn%3A999993653&pad=%2Fa%2F999993653", "/api/v1/x?q=bsn%3A*********&pad=%2Fa%2F*********"),
        ("bsn=999.993.653&terug=/start", "bsn=*********&terug=/start"),
        ("999 993 653/x", "*********/x"),
        (
            'proxy.gemeente.nl:5555 - "GET /api/v1/x/999.993.653 HTTP/1.1" 404',
            'proxy.gemeente.nl:5555 - "GET /api/v1/x/********* HTTP/1.1" 404',
        ),
        (' - "GET /api/v1/x?bsn=999+993+653 HTTP/1.1" 400', ' - "GET /api/v1/x?bsn=********* HTTP/1.1" 400'),
    ):
        assert gemaskeerd(url) == masked, url
    for kept in (
        "http://10.0.100.200:8082/api/v1/x",
        '10.0.100.200:5555 - "GET /api/v1/health/live HTTP/1.1" 200',
        "/api/v1/x/GM0363 999 993",  # eight digits after a code: no BSN
        "/api/v1/x/1.2.3.4.5.6.7.8.9.0",
        "/api/v1/x/%31999993653",  # ten digits, the first encoded
        "/api/v1/x/%31999.993.653",
    ):
        assert gemaskeerd(kept) == kept, kept
    span = ReadableSpan(name="GET", attributes={"url.query": "bsn=999.993.653&terug=/start"})
    assert redacted(span).attributes["url.query"] == "bsn=*********&terug=/start"


def test_no_metric_has_a_label_prometheus_puts_on_every_target():
    """A scrape sets `job` and `instance` itself and renames a metric's own to `exported_job`: rules
    grouping by it would group by the scrape job instead."""
    for module in ("schakel.telemetry.metrics", "schakel.messaging.consumer", "console.adapters.bronnen"):
        importlib.import_module(module)
    labels = {
        name: set(getattr(collector, "_labelnames", ()))
        for collector, names in REGISTRY._collector_to_names.items()
        for name in names
    }
    assert len(labels) > 20
    assert {name: names & {"job", "instance"} for name, names in labels.items() if names & {"job", "instance"}} == {}

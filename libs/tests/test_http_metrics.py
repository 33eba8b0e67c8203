"""The HTTP request metric's labels are a fixed set: a method a client makes up is `_OTHER`."""

import httpx
from prometheus_client import REGISTRY
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from schakel.telemetry.metrics import HttpMetrics


def count(method: str) -> float:
    labels = {"http_request_method": method, "http_route": "/ding", "http_response_status_code": "200"}
    return REGISTRY.get_sample_value("http_server_request_duration_seconds_count", labels) or 0.0


async def test_a_method_outside_the_standard_set_is_counted_as_other():
    app = HttpMetrics(Starlette(routes=[Route("/ding", lambda _: PlainTextResponse("ok"), methods=["GET", "BSN123"])]))
    before = {m: count(m) for m in ("GET", "_OTHER", "BSN123")}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.request("BSN123", "/ding")).status_code == 200
        assert (await client.get("/ding")).status_code == 200
    assert count("_OTHER") - before["_OTHER"] == 1 and count("GET") - before["GET"] == 1
    assert count("BSN123") == before["BSN123"] == 0, "the method as sent is never a label"

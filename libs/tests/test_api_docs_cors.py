"""The documentation pages need nothing from outside the service, and CORS follows the NL API
Design Rules: the OpenAPI document for any origin, the API only for the configured ones. A preflight
is an answer like any other: it carries the API-Version header, and a refused one is problem+json,
the policy as strict (a refused origin gets no Access-Control-Allow-Origin)."""

import re
from typing import Annotated

import httpx
import pytest
from fastapi import Depends

from schakel.api import Authenticator, Principal, Rol, create_app, requires
from schakel.api.router import Router

router = Router()
ALLOWED = "https://portaal.gemeente.example"


@router.get("/dingen", operation_id="leesDingen")
async def lees(principal: Annotated[Principal, Depends(requires(Rol.uwv))]) -> dict:
    return {"ok": True}


@pytest.fixture
def client():
    app = create_app(title="t", version="1.2.3", description="d", routers=[router], cors_origins=[ALLOWED])
    app.state.authenticator = Authenticator(audience="a", issuer="i", secret="x" * 32)
    token = app.state.authenticator.issue(oin="00000001003214345000", rol=Rol.uwv)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1", headers={"Authorization": f"Bearer {token}"}
    )


@pytest.mark.parametrize("page, script", [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")])
async def test_the_documentation_pages_load_everything_from_the_service_itself(client, page, script):
    html = (await client.get(page)).text
    assert f"/api/v1/docs/assets/{script}" in html
    assert not re.findall(r"(?:src|href)=['\"]https?://", html), "no script, style or icon from elsewhere"
    for asset in re.findall(r"(?:src|href)=['\"](/api/v1/docs/assets/[^'\"]+)", html):
        served = await client.get(asset.removeprefix("/api/v1"))
        assert served.status_code == 200 and len(served.content) > 1000, asset


async def test_the_openapi_document_is_readable_from_any_origin(client):
    response = await client.get("/openapi.json", headers={"Origin": "https://tool.example"})
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"


async def test_the_api_answers_browsers_only_from_the_allowed_origins(client):
    allowed = await client.get("/dingen", headers={"Origin": ALLOWED})
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    exposed = {h.strip() for h in allowed.headers["access-control-expose-headers"].split(",")}
    assert {"API-Version", "Location", "Link", "Retry-After"} <= exposed
    other = await client.get("/dingen", headers={"Origin": "https://elders.example"})
    assert "access-control-allow-origin" not in other.headers
    preflight = await client.options(
        "/dingen",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == ALLOWED
    refused = await client.options(
        "/dingen", headers={"Origin": "https://elders.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in refused.headers


async def test_an_error_answer_carries_cors_too_so_the_browser_can_read_it(client):
    response = await client.get("/dingen", headers={"Origin": ALLOWED, "Authorization": "Bearer kapot"})
    assert response.status_code == 401 and response.headers["access-control-allow-origin"] == ALLOWED


async def test_a_preflight_from_an_origin_not_allowed_is_refused_as_problem_json_with_the_api_version(client):
    refused = await client.options(
        "/dingen", headers={"Origin": "https://elders.example", "Access-Control-Request-Method": "GET"}
    )
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["api-version"] == "1.2.3"
    problem = refused.json()
    assert problem["code"] == "cors-niet-toegestaan" and problem["status"] == 400
    assert problem["instance"] == "/api/v1/dingen"
    assert "origin" in problem["detail"]
    assert "access-control-allow-origin" not in refused.headers, "the policy is as strict as before"
    assert refused.headers["x-content-type-options"] == "nosniff", "the security headers as on every answer"
    assert int(refused.headers["content-length"]) == len(refused.content)


async def test_a_preflight_asking_for_a_method_or_header_not_allowed_is_refused_the_same_way(client):
    refused = await client.options(
        "/dingen",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "x-eigen",
        },
    )
    assert refused.status_code == 400 and refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["api-version"] == "1.2.3"
    assert "methode" in refused.json()["detail"] and "headers" in refused.json()["detail"]
    refused = await client.options(
        "/openapi.json", headers={"Origin": "https://tool.example", "Access-Control-Request-Method": "POST"}
    )
    assert refused.status_code == 400 and refused.headers["api-version"] == "1.2.3"
    assert refused.json()["code"] == "cors-niet-toegestaan"


async def test_an_allowed_preflight_is_answered_as_before_and_carries_the_api_version(client):
    allowed = await client.options(
        "/dingen",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == ALLOWED
    assert allowed.headers["api-version"] == "1.2.3"
    public = await client.options(
        "/openapi.json", headers={"Origin": "https://tool.example", "Access-Control-Request-Method": "GET"}
    )
    assert public.status_code == 200 and public.headers["access-control-allow-origin"] == "*"
    assert public.headers["api-version"] == "1.2.3"

"""The documentation pages need nothing from outside the service, and CORS follows the NL API
Design Rules: the OpenAPI document for any origin, the API only for the configured ones."""

import re
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends

from schakel.api import Authenticator, Principal, Rol, create_app, requires

router = APIRouter()
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

"""Every answer carries the transport module's security headers; a client that asks too often for
one operation gets 429 with Retry-After, without touching its budget for the others."""

from typing import Annotated

import httpx
import pytest
from fastapi import Depends

from schakel.api import Authenticator, Principal, Rol, create_app, requires
from schakel.api.guards import SECURITY_HEADERS, RateLimiter
from schakel.api.problems import Problem
from schakel.api.router import Router

router = Router()
auth = Authenticator(audience="a", issuer="i", secret="x" * 32)
UWV = {"Authorization": f"Bearer {auth.issue(oin='00000001003214345000', rol=Rol.uwv)}"}
OTHER = {"Authorization": f"Bearer {auth.issue(oin='00000001805160327000', rol=Rol.uwv)}"}
PORTAAL = "00000001002220647000"  # a municipality's portal: every citizen's DigiD login carries its OIN


def burger(bsn: str) -> dict[str, str]:
    token = auth.issue(oin=PORTAAL, rol=Rol.burger, sub=bsn)
    return {"Authorization": f"Bearer {token}"}


@router.post("/personen/_zoek", operation_id="zoekPersoon")
async def zoek(_: Annotated[Principal, Depends(requires(Rol.uwv))]) -> dict:
    return {"bsn": "999993653"}


@router.get("/dingen", operation_id="lijstDingen")
async def lijst(_: Annotated[Principal, Depends(requires(Rol.uwv))]) -> list:
    return []


@router.get("/mijn/dingen", operation_id="lijstMijnDingen")
async def mijn(_: Annotated[Principal, Depends(requires(Rol.burger, Rol.municipality))]) -> list:
    return []


@pytest.fixture
def client():
    app = create_app(title="t", version="1.2.3", description="d", routers=[router], rate_limit=2)
    app.state.authenticator = auth
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1")


def secured(response: httpx.Response) -> bool:
    return all(response.headers.get(k) == v for k, v in SECURITY_HEADERS.items())


async def test_every_answer_carries_the_security_headers(client):
    answers = [
        await client.post("/personen/_zoek", headers=UWV),  # personal data
        await client.post("/personen/_zoek"),  # refused at the edge
        await client.get("/bestaat-niet"),
        await client.get("/openapi.json"),
    ]
    assert [a.status_code for a in answers] == [200, 401, 404, 200]
    for answer in answers:
        assert secured(answer), answer.request.url
        assert answer.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    docs = await client.get("/docs")
    assert secured(docs) and docs.headers["Content-Security-Policy"] == "frame-ancestors 'none'", "its scripts run"


async def test_a_client_over_its_budget_for_an_operation_gets_429_with_retry_after(client):
    assert [(await client.post("/personen/_zoek", headers=UWV)).status_code for _ in range(2)] == [200, 200]
    refused = await client.post("/personen/_zoek", headers=UWV)
    assert refused.status_code == 429 and refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "te-veel-verzoeken" and refused.headers["Retry-After"] == "30"
    assert secured(refused)
    assert (await client.get("/dingen", headers=UWV)).status_code == 200, "another operation has its own budget"
    assert (await client.post("/personen/_zoek", headers=OTHER)).status_code == 200, "another client too"


async def test_each_citizen_has_a_budget_of_their_own_not_their_portal_s(client):
    """Citizens log in through their municipality's portal, so their tokens share its OIN."""
    gemeente = {"Authorization": f"Bearer {auth.issue(oin=PORTAAL, rol=Rol.municipality, gemeente='GM0363')}"}
    een, ander = burger("999993653"), burger("999990019")
    assert [(await client.get("/mijn/dingen", headers=een)).status_code for _ in range(3)] == [200, 200, 429]
    assert (await client.get("/mijn/dingen", headers=ander)).status_code == 200
    assert (await client.get("/mijn/dingen", headers=gemeente)).status_code == 200


def test_full_buckets_are_forgotten_so_many_clients_take_no_more_memory_than_the_busy_ones():
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    for i in range(RateLimiter.MOST):
        limiter.admit(f"burger {i}", "op")
    now[0] += 60.0  # all refilled
    limiter.admit("nog een", "op")
    assert len(limiter._buckets) == 1


async def test_the_429_is_in_the_contract_of_every_authenticated_operation(client):
    operation = (await client.get("/openapi.json")).json()["paths"]["/personen/_zoek"]["post"]
    assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_the_budget_refills_over_the_minute():
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])
    for _ in range(60):
        limiter.admit("oin", "op")  # a burst of a minute's budget
    with pytest.raises(Problem) as caught:
        limiter.admit("oin", "op")
    assert caught.value.status == 429 and caught.value.headers == {"Retry-After": "1"}
    now[0] += 1.0
    limiter.admit("oin", "op")
    with pytest.raises(Problem):
        limiter.admit("oin", "op")

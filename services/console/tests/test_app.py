"""The console's app as bootstrap builds it, in-process: the page and its API answer only a token."""

import asyncio
import os
import socket

import httpx
import pytest
from pydantic import ValidationError

from console import bootstrap
from console.adapters import bronnen
from console.entrypoints import api as console_api
from console.settings import Platform, Settings
from deploy.kafka_broker import free_port
from deploy.token import development, mint
from schakel.caller import Rol

CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens


async def test_the_app_serves_the_page_and_refuses_its_api_without_a_token():
    _, app = bootstrap.build(development())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
        page = await client.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        policy = page.headers["Content-Security-Policy"]
        assert policy == console_api.SECURITY["Content-Security-Policy"], "its own strict policy, not the docs' one"
        assert "script-src 'self'" in policy and "connect-src 'self'" in policy
        for elders in ("/openapi.json", "/settings.py", "/..%2fsettings.py"):
            missing = await client.get(elders)
            assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
        assert (await client.get("/api/v1/dode-brieven")).status_code == 401
        forbidden = await client.get(
            "/api/v1/dode-brieven", headers={"Authorization": f"Bearer {mint(Rol.municipality, gemeente='GM0363')}"}
        )
        assert forbidden.status_code == 403, "dead letters are the operator's"


async def test_a_broker_that_does_not_answer_is_a_503_problem_for_the_operator_not_a_500():
    nobody = development().model_copy(update={"kafka_bootstrap": f"127.0.0.1:{free_port()}", "kafka_timeout": 2.0})
    _, app = bootstrap.build(nobody)
    operator = {"Authorization": f"Bearer {mint(Rol.operator)}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
        for path in ("/api/v1/dode-brieven", "/api/v1/overzicht"):
            response = await client.get(path, headers=operator)
            assert response.status_code == 503, response.text
            assert response.json()["code"] == "broker-onbereikbaar"


async def test_decisions_away_is_a_503_that_says_when_to_ask_again():
    nowhere = Settings(diensten={**Settings().diensten, "decisions": f"http://127.0.0.1:{free_port()}"})
    _, app = bootstrap.build(development(), nowhere)
    operator = {"Authorization": f"Bearer {mint(Rol.operator)}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
        response = await client.get("/api/v1/abonnementen", headers=operator)
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"


async def test_a_pause_sent_without_an_answer_may_have_been_made_one_not_sent_was_not(monkeypatch):
    """A POST that reached decisions and got no answer in time may have paused the subscription all the
    same: the operator is told to look, not that decisions is away."""
    monkeypatch.setattr(bronnen, "TIMEOUT", 0.5)

    async def silent(reader, writer):  # takes the request, never answers
        await reader.read()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    stil = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    # a listener that never accepts, its queue full: a connect hangs past the console's deadline, nothing sent
    vol = socket.socket()
    vol.bind(("127.0.0.1", 0))
    vol.listen(0)
    wachtend = [socket.socket() for _ in range(4)]
    for w in wachtend:
        w.setblocking(False)
        w.connect_ex(vol.getsockname())
    hangt = f"http://127.0.0.1:{vol.getsockname()[1]}"
    operator = {"Authorization": f"Bearer {mint(Rol.operator)}"}
    pad = "/api/v1/abonnementen/0b5a0f5e-6f0c-4c57-9f43-2d0c3b1c9a11/_pauzeer"
    gevallen = (
        (stil, "de wijziging kan wel zijn doorgevoerd"),
        (CLOSED, "decisions antwoordt niet"),
        (hangt, "decisions antwoordt niet (TeLaat)"),
    )
    async with server:
        for decisions, zegt in gevallen:
            _, app = bootstrap.build(development(), Settings(diensten={**Settings().diensten, "decisions": decisions}))
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
                response = await client.post(pad, headers=operator)
            assert response.status_code == 503 and zegt in response.json()["detail"], response.text
            onbevestigd = response.json()["code"] == console_api.ONBEVESTIGD
            assert onbevestigd == (decisions == stil), "the page says 'niet bevestigd' by this code"
    for w in [*wachtend, vol]:
        w.close()


def test_the_instances_are_of_services_the_console_reads_over_plain_http():
    """A pod is read at its address, which a certificate would not name."""
    assert Settings().instanties_van()["decisions"] == ["http://127.0.0.1:8082"], "a service's own URL by default"
    pods = {"decisions": ["http://schakel-decisions-pods:8082"]}
    assert Settings(instanties=pods).instanties_van()["decisions"] == pods["decisions"]
    for wrong in (
        {"decisions": ["https://schakel-decisions-pods:8082"]},
        {"decisions": []},
        {"elders": ["http://x:1"]},
    ):
        with pytest.raises(ValidationError):
            Settings(instanties=wrong)


def test_the_development_secrets_are_refused_on_an_address_others_reach():
    """Anyone can mint an operator token with them, and replay dead letters."""
    with pytest.raises(ValueError, match="non-loopback"):
        bootstrap.build(development(), Settings(host="0.0.0.0"))  # noqa: S104 - the address refused
    bootstrap.build(development(), Settings(host="127.0.0.1"))


async def test_each_client_has_a_request_budget_per_operation():
    nowhere = Settings(diensten={**Settings().diensten, "decisions": f"http://127.0.0.1:{free_port()}"})
    _, app = bootstrap.build(development().model_copy(update={"rate_limit_per_minute": 1}), nowhere)
    operator = {"Authorization": f"Bearer {mint(Rol.operator)}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
        first = await client.get("/api/v1/abonnementen", headers=operator)
        second = await client.get("/api/v1/abonnementen", headers=operator)
    assert first.status_code == 503, first.text
    assert second.status_code == 429 and "retry-after" in second.headers


async def test_the_console_stays_ready_while_the_broker_is_away():
    """A broker outage is when the operator needs the console: it stays behind its Service, and
    what asks the broker answers 503 (above) by itself."""
    nobody = development().model_copy(update={"kafka_bootstrap": f"127.0.0.1:{free_port()}", "kafka_timeout": 2.0})
    _, app = bootstrap.build(nobody)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
        ready = await client.get("/api/v1/health/ready")
    assert ready.status_code == 200, ready.text


def test_outside_development_the_console_needs_no_pseudonym_key(monkeypatch):
    """It pseudonymises nothing (the chart gives it no key); the services still refuse to run
    without their own."""
    from schakel.runtime import PlatformSettings

    for name in [n for n in os.environ if n.upper().startswith("SCHAKEL_")]:
        monkeypatch.delenv(name)
    production = {
        "jwt_secret": None,
        "jwks_url": "https://login.example.nl/.well-known/jwks.json",
        "kafka_security_protocol": "SASL_SSL",
        "brp_url": "https://brp.example.nl/haalcentraal/api/brp",
    }
    platform = Platform(**production)
    assert platform.environment == "production" and not platform.development_secrets
    bootstrap.build(platform, Settings(host="0.0.0.0"))  # noqa: S104 - a pod's address
    with pytest.raises(ValidationError, match="placeholder secrets are refused"):
        PlatformSettings(**production)


async def test_the_figures_document_the_422_the_console_answers_for_a_period_that_is_no_quarter():
    """The console judges the period itself (422 periode-ongeldig, periode-lopend): its documentation says so."""
    _, app = bootstrap.build(development(), Settings(diensten={d: CLOSED for d in Settings().diensten}))
    operator = {"Authorization": f"Bearer {mint(Rol.operator)}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
        answer = await client.get("/api/v1/programmacijfers?van=2026-02-01&tot=2026-04-30", headers=operator)
        spec = (await client.get("/api/v1/openapi.json")).json()
    assert answer.status_code == 422 and answer.json()["code"] == "periode-ongeldig"
    assert "422" in spec["paths"]["/programmacijfers"]["get"]["responses"]

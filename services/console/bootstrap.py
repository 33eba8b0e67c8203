"""The operations console: a page and a small API over what the other services already expose
(their /metrics, readiness, decisions' subscriptions) and the broker. It owns no data and imports
no other service, so it can be deployed, restarted or left out on its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from console.adapters.bronnen import Bronnen
from console.entrypoints import api
from console.service.ports import Ports
from console.settings import Platform, Settings
from schakel import telemetry
from schakel.api import create_app
from schakel.clock import SystemClock
from schakel.events import load_contract
from schakel.runtime import PlatformSettings, authenticator
from schakel.runtime.service import REQUESTS_AT_STOP_SECONDS

DESCRIPTION = """De beheerconsole van Schakel: per stroom de achterstand van elke consumer, de outbox,
de dead letters met hun reden (nooit hun inhoud) en het opnieuw aanbieden ervan, de webhookabonnementen
met hun circuit en een link naar de trace van elk event. Voor de beheerder; een gemeente leest alleen
haar eigen cijfers en abonnementen."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None) -> tuple[Settings, FastAPI]:
    platform, settings = platform or Platform(), settings or Settings()
    settings.refuse_development_secrets(platform)  # an operator token minted by anyone would replay dead letters
    kafka = platform.kafka("schakel-console")
    contract = load_contract()
    bronnen = Bronnen(settings.diensten, settings.instanties_van(), kafka, contract)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await bronnen.close()

    app = create_app(
        title="Schakel console",
        version="0.1.0",
        description=DESCRIPTION,
        routers=[api.router],
        # ready whenever it serves: a broker outage is when operators need it most, and what asks
        # the broker answers 503 `broker-onbereikbaar` by itself
        checks={},
        lifespan=lifespan,
        cors_origins=platform.cors_origins,
        rate_limit=platform.rate_limit_per_minute,
    )
    app.state.authenticator = authenticator(platform)
    app.state.ports = Ports(
        bronnen,
        contract,
        SystemClock(platform.today),
        tuple(settings.diensten),
        settings.trace_url,
        settings.stil_seconden,
    )
    app.add_route("/", api.pagina, include_in_schema=False)
    app.add_route("/{bestand}", api.pagina, include_in_schema=False)
    telemetry.instrument_app(app)
    return settings, app


def main() -> None:
    import uvicorn

    telemetry.setup("console")
    settings, app = build()
    uvicorn.run(
        app, host=settings.host, port=settings.port, log_config=None, timeout_graceful_shutdown=REQUESTS_AT_STOP_SECONDS
    )

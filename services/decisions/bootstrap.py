"""The one module that knows every concrete adapter of the decisions service."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from decisions.adapters.parameters import laad
from decisions.adapters.repository import UnitOfWork
from decisions.adapters.webhook_http import Verzender, systeem_resolver
from decisions.entrypoints import api, consumers
from decisions.service.bezorging import Bezorger
from decisions.service.ports import Ports, Webhookbeleid
from decisions.settings import Settings
from schakel.runtime import PlatformSettings, Service

DESCRIPTION = """Bijstandsuitkeringen (Participatiewet) voor gemeenten: openen met de huishoudsituatie,
lezen, beëindigen; betaalde voorschotten vastleggen. Zodra de income-service het netto inkomen van
een maand vaststelt, verrekent deze service die maand: norm, vrijlating, bijstand, vakantietoeslag,
betaald en het verschil, met uitleg in gewone taal."""


def poorten(service: Service) -> Ports:
    s: Settings = service.settings
    return Ports(
        uow=lambda: UnitOfWork(service),
        clock=service.clock,
        pseudonym=service.pseudonym,
        resolver=systeem_resolver,
        verzender=Verzender(s.webhook_timeout_seconden),
        webhooks=Webhookbeleid(
            s.webhook_max_pogingen,
            s.webhook_basis_seconden,
            s.webhook_timeout_seconden,
            s.webhook_gelijktijdig,
            s.webhook_circuit_drempel,
            s.webhook_circuit_basis_seconden,
            s.webhook_lokaal_toestaan,
        ),
        uitstroom_na_maanden=s.uitstroom_na_maanden,
        parameters=laad(),
    )


def bezorger(service: Service, ports: Ports) -> Bezorger:
    # the worker writes no events: its transactions need not wake the outbox relay
    stil = SimpleNamespace(transaction=service.db.transaction, outbox=service.outbox)
    return Bezorger(replace(ports, uow=lambda: UnitOfWork(stil)))


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    platform = platform or PlatformSettings()
    if settings.webhook_lokaal_toestaan and platform.environment != "development":
        raise ValueError("DECISIONS_WEBHOOK_LOKAAL_TOESTAAN is refused outside development")
    service = Service("decisions", platform, settings, Path(__file__).parent / "migrations")
    ports = poorten(service)
    joined = lambda conn: replace(ports, uow=lambda: UnitOfWork(service, conn))  # noqa: E731
    service.consume(
        {
            consumers.DEELNAMESTATUS_GEWIJZIGD: consumers.on_deelnamestatus(joined),
            consumers.MAANDINKOMEN_VASTGESTELD: consumers.on_maandinkomens(joined),
            consumers.HERAANVRAAG_TOEGEKEND: consumers.on_heraanvraag_toegekend(joined),
        }
    )
    service.every(settings.webhook_interval_seconden, bezorger(service, ports).ronde, name="webhook-delivery")
    app = service.app(
        title="Schakel decisions",
        version="0.3.2",
        description=DESCRIPTION,
        routers=[api.router, api.abonnementen, api.proefberekeningen],
    )
    app.state.ports = ports
    return service, app

"""The one module that knows every concrete adapter of the decisions service."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from schakel.runtime import PlatformSettings, Service

from decisions.adapters.webhook_http import systeem_resolver
from decisions.entrypoints import api
from decisions.service import uitkeringen, verrekeningen
from decisions.service.bezorging import Bezorger
from decisions.settings import Settings

DESCRIPTION = """Bijstandsuitkeringen (Participatiewet) voor gemeenten: openen met de huishoudsituatie,
lezen, beëindigen; betaalde voorschotten vastleggen. Zodra de income-service het netto inkomen van
een maand vaststelt, verrekent deze service die maand: norm, vrijlating, bijstand, vakantietoeslag,
betaald en het verschil, met uitleg in gewone taal."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    platform = platform or PlatformSettings()
    if settings.webhook_lokaal_toestaan and platform.environment != "development":
        raise ValueError("DECISIONS_WEBHOOK_LOKAAL_TOESTAAN is refused outside development")
    service = Service("decisions", platform, settings,
                      Path(__file__).parent / "migrations")
    service.consume({uitkeringen.DEELNAMESTATUS_GEWIJZIGD: partial(uitkeringen.on_deelnamestatus, service),
                     verrekeningen.MAANDINKOMEN_VASTGESTELD: verrekeningen.on_maandinkomens(service),
                     uitkeringen.HERAANVRAAG_TOEGEKEND: uitkeringen.on_heraanvraag_toegekend(service)})
    service.every(settings.webhook_interval_seconden, Bezorger(service, systeem_resolver).ronde,
                  name="webhook-delivery")
    app = service.app(title="Schakel decisions", version="0.3.0", description=DESCRIPTION, routers=[api.router, api.abonnementen, api.proefberekeningen])
    app.state.service = service
    app.state.resolver = systeem_resolver
    return service, app

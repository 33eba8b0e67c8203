"""The one module that knows every concrete adapter of the income service."""

from __future__ import annotations

from pathlib import Path

from schakel.runtime import PlatformSettings, Service

from income.entrypoints import api
from income.service import populatie
from income.settings import Settings

DESCRIPTION = """Polisinkomsten per persoon per kalendermaand. Gegevensleveranciers halen hier de
populatie op: de personen met een lopende uitkering, voor wie zij mogen leveren."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    service = Service("income", platform or PlatformSettings(), settings or Settings(),
                      Path(__file__).parent / "migrations")
    service.consume({populatie.UITKERING_GEOPEND: populatie.on_uitkering_geopend,
                     populatie.UITKERING_BEEINDIGD: populatie.on_uitkering_beeindigd})
    app = service.app(title="Schakel income", version="0.1.0", description=DESCRIPTION, routers=[api.router])
    app.state.service = service
    return service, app

"""The one module that knows every concrete adapter of the reapplication service."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from schakel.runtime import PlatformSettings, Service

from reapplication.entrypoints import api
from reapplication.service import heraanvragen, termijnen
from reapplication.settings import Settings

DESCRIPTION = """Snelle heraanvraag na een beëindigde bijstandsuitkering en de warme overdracht
van UWV (Max-WW) aan de gemeente: de heraanvraagtermijn met wat een heraanvraag hergebruikt, de
termijnlengte per gemeente, heraanvragen (automatisch toegekend of klaargezet voor een consulent)
en de overdrachten van UWV met stappen en rapportage."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    service = Service("reapplication", platform or PlatformSettings(), settings,
                      Path(__file__).parent / "migrations")
    service.consume({termijnen.UITKERING_BEEINDIGD: partial(termijnen.on_uitkering_beeindigd, service, settings.termijn_maanden),
                     termijnen.UITKERING_GEOPEND: termijnen.on_uitkering_geopend,
                     heraanvragen.MAANDINKOMEN_VASTGESTELD: heraanvragen.on_maandinkomen,
                     heraanvragen.DEELNAMESTATUS_GEWIJZIGD: heraanvragen.on_deelnamestatus})
    app = service.app(title="Schakel reapplication", version="0.1.0", description=DESCRIPTION,
                      routers=[api.router, api.heraanvraag_router, api.overdracht_router])
    app.state.service = service
    return service, app

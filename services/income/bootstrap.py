"""The one module that knows every concrete adapter of the income service."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path

from schakel.messaging import BatchHandler
from schakel.primitives import plus_maanden
from schakel.runtime import PlatformSettings, Service

from income.entrypoints import aangifte, api
from income.service import aangiften, maandinkomens, populatie
from income.settings import Settings

DESCRIPTION = """Polisinkomsten per persoon per kalendermaand. Gegevensleveranciers leveren hier
polisaangiften aan (of via het Kafka-topic `polisaangiften`) voor de populatie: personen met een
lopende bijstandsuitkering of een open heraanvraagtermijn. Gemeenten lezen het netto inkomen per
maand met de herkomst, en kunnen een maand overschrijven met een reden."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    service = Service("income", platform or PlatformSettings(), settings, Path(__file__).parent / "migrations")
    service.consume({populatie.UITKERING_GEOPEND: populatie.on_uitkering_geopend(service),
                     populatie.UITKERING_BEEINDIGD: populatie.on_uitkering_beeindigd,
                     populatie.TERMIJN_GEOPEND: populatie.on_termijn_geopend,
                     aangiften.AANGIFTE_AANGELEVERD: BatchHandler(aangiften.on_aangiften(service, aangifte.lees))},
                    max_records=2000)  # bulk ingest: fewer, larger transactions

    async def opschonen() -> int:
        return await populatie.opschonen(service, plus_maanden(date.today(), -settings.retentie_maanden))

    service.every(settings.opschonen_interval_seconden, opschonen, name="retention")
    service.every(1.0, partial(maandinkomens.herbereken_gepland, service), name="policy-recompute")
    app = service.app(title="Schakel income", version="0.3.0", description=DESCRIPTION, routers=[api.router])
    app.state.service = service
    return service, app

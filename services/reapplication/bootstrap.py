"""The one module that knows every concrete adapter of the reapplication service."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from reapplication.adapters import inkomen
from reapplication.adapters.inkomen import IncomeApi
from reapplication.adapters.repository import UnitOfWork
from reapplication.entrypoints import api, consumers
from reapplication.service import bewaring
from reapplication.service.ports import Ports
from reapplication.settings import Settings
from schakel.api.cursor import Cursors
from schakel.primitives.bewaring import LOS_INTERVAL
from schakel.runtime import PlatformSettings, Service

DESCRIPTION = """Snelle heraanvraag na een beëindigde bijstandsuitkering en de warme overdracht
van UWV (Max-WW) aan de gemeente: de heraanvraagtermijn met wat een heraanvraag hergebruikt, de
termijnlengte per gemeente, heraanvragen (automatisch toegekend of klaargezet voor een consulent)
en de overdrachten van UWV met stappen en rapportage."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    service = Service("reapplication", platform or PlatformSettings(), settings, Path(__file__).parent / "migrations")
    ports = Ports(
        uow=lambda: UnitOfWork(service),
        lees=lambda: UnitOfWork(service.lezer()),
        clock=service.clock,
        pseudonym=service.pseudonym,
        brp=service.brp,
        inkomen=IncomeApi(service.bron("income", settings.income_url, inkomen.ONBEREIKBAAR)),
        standaard_maanden=settings.termijn_maanden,
    )
    service.consume(consumers.handlers(lambda conn: replace(ports, uow=lambda: UnitOfWork(service, conn))))
    service.every(
        settings.opschonen_interval_seconden,
        partial(bewaring.opschonen, ports, settings.retentie_maanden),
        name="retention",
        one_instance=True,
    )
    service.every(
        LOS_INTERVAL,
        partial(bewaring.vergeet_los, ports, settings.retentie_maanden),
        name="retention-loose",
        one_instance=True,
    )
    app = service.app(
        title="Schakel reapplication",
        version="0.13.2",
        description=DESCRIPTION,
        routers=[
            api.router,
            api.programmacijfers_router,
            api.heraanvraag_router,
            api.overdracht_router,
            api.mijn_router,
        ],
    )
    app.state.ports = ports
    app.state.cursors = Cursors(service.pseudonym_key, "lijsten")
    return service, app

"""The one module that knows every concrete adapter of the income service."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from income.adapters.inkomstensoorten import laad
from income.adapters.repository import UnitOfWork
from income.domain.afsluiting import Afsluiting
from income.entrypoints import api, consumers
from income.entrypoints.aangifte import AangifteAangeleverd
from income.service import aangiften, afsluitingen, maandinkomens, populatie
from income.service.ports import Ports
from income.settings import Settings
from schakel.api.cursor import Cursors
from schakel.events import models as events
from schakel.persistence.locks import MOST
from schakel.primitives.bewaring import LOS_INTERVAL
from schakel.runtime import PlatformSettings, Service
from schakel.telemetry import metrics

DESCRIPTION = """Polisinkomsten per persoon per kalendermaand. Gegevensleveranciers leveren hier
polisaangiften aan (of via het Kafka-topic `polisaangiften`) voor de populatie: personen met een
lopende bijstandsuitkering of een open heraanvraagtermijn. Gemeenten lezen het netto inkomen per
maand met de herkomst, en kunnen een maand overschrijven met een reden."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    service = Service("income", platform or PlatformSettings(), settings, Path(__file__).parent / "migrations")
    ports = Ports(
        uow=lambda: UnitOfWork(service),
        clock=service.clock,
        pseudonym=service.pseudonym,
        contracten={oin: frozenset(gemeenten) for oin, gemeenten in settings.leveranciers.items()},
        inkomstensoorten=laad(),
    )

    def joined(conn):
        return replace(ports, uow=lambda: UnitOfWork(service, conn))

    service.consume(
        {
            events.UitkeringGeopend.TYPE: consumers.on_uitkering_geopend(joined),
            events.UitkeringGewijzigd.TYPE: consumers.on_uitkering_gewijzigd(joined),
            events.UitkeringBeeindigd.TYPE: consumers.on_uitkering_beeindigd(joined),
            events.HeraanvraagtermijnGeopend.TYPE: consumers.on_termijn_geopend(joined),
            AangifteAangeleverd.TYPE: consumers.on_aangiften(joined),
        },
        max_records=MOST,
        undecoded=consumers.on_onleesbaar(joined),
    )  # bulk ingest: fewer, larger transactions, each holding its persons alongside another instance's
    service.every(
        settings.opschonen_interval_seconden,
        partial(populatie.opschonen, ports, settings.retentie_maanden),
        name="retention",
        one_instance=True,
    )
    service.every(
        settings.opschonen_interval_seconden,
        partial(aangiften.vergeet_afwijzingen, ports, settings.afwijzingen_bewaren_dagen),
        name="retention-refusals",
        one_instance=True,
    )
    service.every(
        LOS_INTERVAL,
        partial(populatie.vergeet_los, ports, settings.retentie_maanden),
        name="retention-loose",
        one_instance=True,
    )
    service.every(1.0, partial(maandinkomens.herbereken_gepland, ports), name="policy-recompute")
    service.every(1.0, partial(afsluitingen.werk_af, ports, _gemeld), name="month-closing")
    app = service.app(title="Schakel income", version="0.14.0", description=DESCRIPTION, routers=[api.router])
    app.state.ports = ports
    app.state.cursors = Cursors(service.pseudonym_key, "populatie")
    return service, app


def _gemeld(afsluiting: Afsluiting, zonder_inkomen: int) -> None:
    metrics.MONTHS_WITHOUT_INCOME.labels(afsluiting.leverancier).inc(zonder_inkomen)
    if afsluiting.status != "lopend":
        metrics.MONTH_CLOSINGS.labels(afsluiting.leverancier, afsluiting.status).inc()
    if afsluiting.status == "mislukt":
        metrics.MONTH_CLOSING_GIVEN_UP.labels(afsluiting.leverancier).set_to_current_time()

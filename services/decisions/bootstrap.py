"""The one module that knows every concrete adapter of the decisions service."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from decisions.adapters.geheimen import Kluis, herversleutel, sleutelbos
from decisions.adapters.parameters import laad, regelversie
from decisions.adapters.repository import UnitOfWork
from decisions.adapters.webhook_http import Verzender, systeem_resolver
from decisions.entrypoints import api, consumers
from decisions.entrypoints import gebeurtenissen as gebeurtenissen_api
from decisions.entrypoints import kalender as kalender_api
from decisions.entrypoints import programmacijfers as programmacijfers_api
from decisions.entrypoints import toeslagen as toeslagen_api
from decisions.entrypoints import vorderingen as vorderingen_api
from decisions.entrypoints import werkvoorraad as werkvoorraad_api
from decisions.service import bewaring, gebeurtenissen, kalender, verrekeningen, vorderingen
from decisions.service.bezorging import Bezorger
from decisions.service.ports import Ports, Webhookbeleid
from decisions.settings import Settings
from schakel.api.cursor import Cursors
from schakel.events import models as events
from schakel.primitives.bewaring import LOS_INTERVAL
from schakel.runtime import PlatformSettings, Service

DESCRIPTION = """Bijstandsuitkeringen (Participatiewet) voor gemeenten: openen met de huishoudsituatie,
lezen, beëindigen; betaalde voorschotten vastleggen. Zodra de income-service het netto inkomen van
een maand vaststelt, verrekent deze service die maand: norm, vrijlating, bijstand, vakantietoeslag,
betaald en het verschil, met uitleg in gewone taal."""


def kluis(service: Service) -> Kluis:
    s: Settings = service.settings
    return Kluis(s.webhook_sleutel.get_secret_value())


def poorten(service: Service) -> Ports:
    s: Settings = service.settings
    return Ports(
        uow=lambda: UnitOfWork(service, kluis=kluis(service)),
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
            s.afleveringen_bewaren_dagen,
            s.webhook_poorten,
        ),
        uitstroom_na_maanden=s.uitstroom_na_maanden,
        parameters=laad(),
        brp=service.brp,
        regelversie=regelversie(),
        terugbetalingen=s.terugbetalingen,
        teruggaven=s.teruggaven,
        storneringen=s.storneringen,
    )


def bezorger(service: Service, ports: Ports) -> Bezorger:
    # the worker writes no events: its transactions need not wake the outbox relay; its claims are
    # lengths from its clock's now, kept in the database's time
    stil = SimpleNamespace(transaction=service.db.transaction, outbox=service.outbox)
    return Bezorger(replace(ports, uow=lambda: UnitOfWork(stil, kluis=kluis(service), klok=ports.clock)))


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    platform = platform or PlatformSettings()
    if settings.webhook_lokaal_toestaan and platform.environment != "development":
        raise ValueError("DECISIONS_WEBHOOK_LOKAAL_TOESTAAN is refused outside development")
    service = Service("decisions", platform, settings, Path(__file__).parent / "migrations")
    # its answer to a new subscription holds the webhook secret: remembered answers are kept encrypted
    # under the key that guards those secrets, not only the one every service derives
    service.idempotency.cipher = sleutelbos(settings.webhook_sleutel.get_secret_value())
    ports = poorten(service)
    joined = lambda conn: replace(ports, uow=lambda: UnitOfWork(service, conn, kluis=kluis(service)))  # noqa: E731
    service.consume(
        {
            events.DeelnamestatusGewijzigd.TYPE: consumers.on_deelnamestatus(joined),
            events.MaandinkomenVastgesteld.TYPE: consumers.on_maandinkomens(joined),
            events.HeraanvraagToegekend.TYPE: consumers.on_heraanvraag_toegekend(joined),
        }
    )
    worker = bezorger(service, ports)
    service.every(settings.webhook_interval_seconden, worker.ronde, name="webhook-delivery")
    service.at_stop(worker.stop)
    service.every(
        settings.opschonen_interval_seconden,
        partial(bewaring.opschonen, ports, settings.retentie_maanden, settings.afleveringen_bewaren_dagen),
        name="retention",
        one_instance=True,
    )
    service.every(
        settings.opschonen_interval_seconden,
        partial(gebeurtenissen.vul_gemeentecodes, ports),
        name="feed-backfill",
        one_instance=True,
    )
    service.every(gebeurtenissen.HORIZON_INTERVAL, gebeurtenissen.Horizon(ports).meet, name="feed-horizon")
    # in every instance, with its own keys: each reports what they read (adapters.geheimen)
    service.every(
        settings.opschonen_interval_seconden, partial(herversleutel, service.db, kluis(service)), name="webhook-keys"
    )
    service.every(
        LOS_INTERVAL,
        partial(bewaring.vergeet_los, ports, settings.retentie_maanden),
        name="retention-loose",
        one_instance=True,
    )
    service.every(
        settings.voorschot_interval_seconden,
        partial(kalender.stel_voorschotten_voor, ports),
        name="advance-proposal",
        one_instance=True,
    )
    # the payouts of holiday allowance due this month, at the same start-of-month rhythm
    service.every(
        settings.voorschot_interval_seconden,
        partial(kalender.stel_vakantietoeslagen_vast, ports),
        name="holiday-allowance",
        one_instance=True,
    )
    # and again when what a month of an announced payout finally reserves changed
    service.every(
        settings.voorschot_interval_seconden,
        partial(kalender.herzie_vakantietoeslagen, ports),
        name="holiday-allowance-revision",
        one_instance=True,
    )
    # the month's instalments on claims, at the same start-of-month rhythm as the advances
    service.every(
        settings.voorschot_interval_seconden,
        partial(vorderingen.houd_termijnen_in, ports),
        name="instalments",
        one_instance=True,
    )
    app = service.app(
        title="Schakel decisions",
        version="0.23.2",
        description=DESCRIPTION,
        routers=[
            api.router,
            api.abonnementen,
            api.proefberekeningen,
            kalender_api.router,
            toeslagen_api.router,
            programmacijfers_api.router,
            vorderingen_api.router,
            werkvoorraad_api.router,
            gebeurtenissen_api.router,
        ],
    )
    # the rules recorded with this release (the API's version), which orders them: see the task
    service.every(
        settings.regels_interval_seconden,
        partial(verrekeningen.herbereken_na_nieuwe_regels, ports, app.version),
        name="new-rules",
    )
    app.state.ports = ports
    app.state.cursors = Cursors(service.pseudonym_key, "werkvoorraad")
    return service, app

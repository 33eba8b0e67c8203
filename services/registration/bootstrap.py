"""The one module that knows every concrete adapter of the registration service."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from registration.adapters.repository import UnitOfWork
from registration.entrypoints import api, consumers
from registration.service import bewaring, deelname
from registration.service.ports import Ports
from registration.settings import Settings
from schakel.events.models import DoelgroepregistratieBeeindigd, DoelgroepregistratieGestart
from schakel.events.pseudonym import Pseudonymiser, derived_key
from schakel.runtime import PlatformSettings, Service

DESCRIPTION = """Eén gedateerde deelnamestatus per persoon (beschut werk, doelgroepregister
banenafspraak, banenafspraakbaan, dagbesteding), gedeeld tussen UWV en de woongemeente, met wat
iemand terug kan vallen: een slapend advies beschut werk dat herleeft met een driehoeksverklaring,
een dagbestedingsindicatie. Plus de capaciteit beschut werk per gemeente en jaar."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    settings = settings or Settings()
    service = Service("registration", platform or PlatformSettings(), settings, Path(__file__).parent / "migrations")
    # a withdrawn fact's fingerprint: keyed, so a copy of the table does not give away what the fact said
    kenmerk = Pseudonymiser(derived_key(service.pseudonym_key, "intrekkingen"))
    ports = Ports(
        uow=lambda: UnitOfWork(service),
        clock=service.clock,
        pseudonym=service.pseudonym,
        brp=service.brp,
        kenmerk=kenmerk,
    )

    def joined(conn):
        return replace(ports, uow=lambda: UnitOfWork(service, conn))

    # a handler per type: a run of a batch handler is one processing, named after its type
    service.consume(
        {
            t: consumers.on_register(ports, joined)
            for t in (DoelgroepregistratieGestart.TYPE, DoelgroepregistratieBeeindigd.TYPE, *consumers.INGETROKKEN)
        }
    )
    service.every(
        settings.opschonen_interval_seconden,
        partial(bewaring.opschonen, ports, settings.retentie_maanden),
        name="retention",
        one_instance=True,
    )
    service.every(
        settings.aankondigen_interval_seconden,
        partial(deelname.kondig_aan, ports, settings.retentie_maanden),
        name="announcements",
        one_instance=True,
    )
    app = service.app(
        title="Schakel registration",
        version="0.16.0",
        description=DESCRIPTION,
        routers=[api.router, api.capaciteit_router, api.programmacijfers_router, api.mijn_router],
    )
    app.state.ports = ports
    return service, app

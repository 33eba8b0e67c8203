"""The one module that knows every concrete adapter of the registration service."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from schakel.runtime import PlatformSettings, Service

from registration.entrypoints import api
from registration.service import doelgroepregister
from registration.settings import Settings

DESCRIPTION = """Eén gedateerde deelnamestatus per persoon (beschut werk, doelgroepregister
banenafspraak, dagbesteding), gedeeld tussen UWV en gemeenten. Nu: het doelgroepregister."""


def build(platform: PlatformSettings | None = None, settings: Settings | None = None):
    service = Service("registration", platform or PlatformSettings(), settings or Settings(),
                      Path(__file__).parent / "migrations")
    on_mutatie = partial(doelgroepregister.on_mutatie, service)
    service.consume({doelgroepregister.GESTART: on_mutatie, doelgroepregister.BEEINDIGD: on_mutatie})
    app = service.app(title="Schakel registration", version="0.1.0", description=DESCRIPTION,
                      routers=[api.router])
    app.state.service = service
    return service, app

"""Events the reapplication service follows: decisions' benefits (a window opens when one ends and
closes when a new one starts; a re-application waits while one runs), the grants decisions did not
reopen, and registration's statuses (the doelgroepregister ground). Each
event is parsed here, once, into the use case's terms. Income's months are not followed: whether the
job ended is asked of income when someone re-applies (adapters.inkomen)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from reapplication.service import heraanvragen, termijnen
from reapplication.service.hergebruik import van_contract
from reapplication.service.ports import Ports
from schakel.events import Event
from schakel.events import models as events
from schakel.messaging import Handler
from schakel.primitives.periode import dag_van


def handlers(joined: Callable[[AsyncConnection], Ports]) -> dict[str, Handler]:
    """`joined(conn)`: the ports whose unit of work joins the consumer's batch transaction."""

    async def uitkering_beeindigd(conn: AsyncConnection, event: Event) -> None:
        d = events.UitkeringBeeindigd.from_event(event)
        await termijnen.uitkering_beeindigd(
            joined(conn),
            event.key,
            d.bsn,
            d.uitkeringId,
            d.gemeentecode,
            d.einddatum,
            van_contract(d.hergebruik),
            event.sequence,
        )

    async def uitkering_geopend(conn: AsyncConnection, event: Event) -> None:
        d = events.UitkeringGeopend.from_event(event)
        # events from before the decision date was carried: the Dutch day of the event is the decision's
        besloten = d.besluitdatum or (dag_van(datetime.fromisoformat(event.time)) if event.time else None)
        await termijnen.uitkering_geopend(
            joined(conn),
            event.key,
            d.bsn,
            d.gemeentecode,
            d.startdatum,
            besloten,
            d.heraanvraagId,
            d.uitkeringId,
            event.sequence,
        )

    async def heropening_geweigerd(conn: AsyncConnection, event: Event) -> None:
        d = events.HeropeningGeweigerd.from_event(event)
        await heraanvragen.niet_geopend(joined(conn), event.key, d.heraanvraagId, d.reden, d.uitleg)

    async def deelnamestatus_gewijzigd(conn: AsyncConnection, event: Event) -> None:
        d = events.DeelnamestatusGewijzigd.from_event(event)
        await heraanvragen.deelnamestatus(
            joined(conn), event.key, d.doelgroepregisterGrond, event.sequence, d.ingangsdatum
        )

    return {
        events.UitkeringBeeindigd.TYPE: uitkering_beeindigd,
        events.UitkeringGeopend.TYPE: uitkering_geopend,
        events.HeropeningGeweigerd.TYPE: heropening_geweigerd,
        events.DeelnamestatusGewijzigd.TYPE: deelnamestatus_gewijzigd,
    }

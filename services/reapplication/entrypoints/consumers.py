"""Events the reapplication service follows: decisions' benefits (a window opens when one ends and
closes when a new one starts), income's months (did the job end?) and registration's statuses
(the doelgroepregister ground). Each event is parsed here, once, into the use case's terms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from reapplication.domain.hergebruik import van_json
from reapplication.domain.inkomen import Bijdrage, maandinkomen
from reapplication.service import heraanvragen, termijnen
from reapplication.service.ports import Ports
from schakel.events import Event
from schakel.messaging import Handler

UITKERING_GEOPEND = "nl.participatiewet.uitkering.geopend"
UITKERING_BEEINDIGD = "nl.participatiewet.uitkering.beeindigd"
MAANDINKOMEN_VASTGESTELD = "nl.participatiewet.maandinkomen.vastgesteld"
DEELNAMESTATUS_GEWIJZIGD = "nl.participatiewet.deelnamestatus.gewijzigd"


def handlers(joined: Callable[[AsyncConnection], Ports]) -> dict[str, Handler]:
    """`joined(conn)`: the ports whose unit of work joins the consumer's batch transaction."""

    async def uitkering_beeindigd(conn: AsyncConnection, event: Event) -> None:
        d = event.data
        await termijnen.uitkering_beeindigd(
            joined(conn),
            event.key,
            d["bsn"],
            d["uitkeringId"],
            d["gemeentecode"],
            date.fromisoformat(d["einddatum"]),
            van_json(d.get("hergebruik")),
        )

    async def uitkering_geopend(conn: AsyncConnection, event: Event) -> None:
        d = event.data
        # the case event's day is the day of the decision
        besloten = date.fromisoformat(event.time[:10]) if event.time else None
        await termijnen.uitkering_geopend(
            joined(conn),
            event.key,
            d["bsn"],
            d["gemeentecode"],
            date.fromisoformat(d["startdatum"]),
            besloten,
            d.get("heraanvraagId"),
            d["uitkeringId"],
        )

    async def maandinkomen_vastgesteld(conn: AsyncConnection, event: Event) -> None:
        d = event.data
        bijdragen = [Bijdrage(b["nettoInkomen"], bool(b["eindeInkomstenverhouding"])) for b in d["bijdragen"]]
        await heraanvragen.maandinkomen(
            joined(conn), event.key, maandinkomen(d["maand"], d["huidige"]["nettoInkomen"], bijdragen)
        )

    async def deelnamestatus_gewijzigd(conn: AsyncConnection, event: Event) -> None:
        await heraanvragen.deelnamestatus(joined(conn), event.key, event.data["doelgroepregisterGrond"])

    return {
        UITKERING_BEEINDIGD: uitkering_beeindigd,
        UITKERING_GEOPEND: uitkering_geopend,
        MAANDINKOMEN_VASTGESTELD: maandinkomen_vastgesteld,
        DEELNAMESTATUS_GEWIJZIGD: deelnamestatus_gewijzigd,
    }

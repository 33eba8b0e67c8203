"""Opens a re-application window when a benefit ends and closes it when a new one starts."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal
from schakel.events import Event
from schakel.runtime import Service

from reapplication.adapters import repository
from reapplication.service import heraanvragen, overdrachten
from reapplication.domain.termijn import Heraanvraagtermijn, termijn_maanden

UITKERING_GEOPEND = "nl.participatiewet.uitkering.geopend"
UITKERING_BEEINDIGD = "nl.participatiewet.uitkering.beeindigd"
TERMIJN_GEOPEND = "nl.participatiewet.heraanvraagtermijn.geopend"


async def on_uitkering_beeindigd(service: Service, standaard: int, conn: AsyncConnection, event: Event) -> None:
    d = event.data
    einddatum = date.fromisoformat(d["einddatum"])
    maanden = termijn_maanden(await repository.beleid(conn, d["gemeentecode"]), einddatum, standaard)
    termijn = Heraanvraagtermijn.na(d["uitkeringId"], d["gemeentecode"], einddatum, maanden, d.get("hergebruik"))
    if await repository.add(conn, event.key, termijn):
        # the income service keeps polis data for people with an open window (doelbinding)
        await service.outbox.add(conn, service.outbox.event(TERMIJN_GEOPEND, event.key, {
            "uitkeringId": termijn.uitkering_id, "bsn": d["bsn"], "gemeentecode": termijn.gemeentecode,
            "einddatum": termijn.einddatum.isoformat(), "geldigTot": termijn.geldig_tot.isoformat()}))


async def on_uitkering_geopend(conn: AsyncConnection, event: Event) -> None:
    await repository.sluit(conn, event.key, date.fromisoformat(event.data["startdatum"]))
    await overdrachten.on_uitkering_geopend(conn, event)
    await heraanvragen.on_uitkering_geopend(conn, event)


async def open_termijn(service: Service, principal: Principal, bsn: str, op: date) -> Heraanvraagtermijn | None:
    """The person's open window in the asking municipality, if any."""
    async with service.db.transaction() as conn:
        return await repository.open_termijn(conn, service.pseudonym(bsn), principal.gemeente, op)


async def beleid(service: Service, principal: Principal) -> list[tuple[date, int]]:
    async with service.db.transaction() as conn:
        return await repository.beleid(conn, principal.gemeente)


async def zet_beleid(service: Service, principal: Principal, geldig_vanaf: date, maanden: int) -> None:
    """Applies to benefits that end on or after `geldig_vanaf`; windows already open keep their length."""
    async with service.db.transaction() as conn:
        await repository.zet_beleid(conn, principal.gemeente, geldig_vanaf, maanden)

"""Opens a re-application window when a benefit ends and closes it when a new one starts."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal
from schakel.events import Event
from schakel.runtime import Service

from reapplication.adapters import repository
from reapplication.domain.termijn import Heraanvraagtermijn

UITKERING_GEOPEND = "nl.participatiewet.uitkering.geopend"
UITKERING_BEEINDIGD = "nl.participatiewet.uitkering.beeindigd"
TERMIJN_GEOPEND = "nl.participatiewet.heraanvraagtermijn.geopend"


async def on_uitkering_beeindigd(service: Service, maanden: int, conn: AsyncConnection, event: Event) -> None:
    d = event.data
    termijn = Heraanvraagtermijn.na(d["uitkeringId"], d["gemeentecode"], date.fromisoformat(d["einddatum"]), maanden)
    if await repository.add(conn, event.key, termijn):
        # the income service keeps polis data for people with an open window (doelbinding)
        await service.outbox.add(conn, service.outbox.event(TERMIJN_GEOPEND, event.key, {
            "uitkeringId": termijn.uitkering_id, "bsn": d["bsn"], "gemeentecode": termijn.gemeentecode,
            "einddatum": termijn.einddatum.isoformat(), "geldigTot": termijn.geldig_tot.isoformat()}))


async def on_uitkering_geopend(conn: AsyncConnection, event: Event) -> None:
    await repository.sluit(conn, event.key, date.fromisoformat(event.data["startdatum"]))


async def open_termijn(service: Service, principal: Principal, bsn: str, op: date) -> Heraanvraagtermijn | None:
    """The person's open window in the asking municipality, if any."""
    async with service.db.transaction() as conn:
        termijnen = await repository.van(conn, service.pseudonym(bsn))
    return next((t for t in termijnen if t.gemeentecode == principal.gemeente and t.open_op(op)), None)

"""Keeps the population from the decisions service's case events, and serves it to providers."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.events import Event
from schakel.messaging import PermanentError
from schakel.runtime import Service

from income.adapters import repository

UITKERING_GEOPEND = "nl.participatiewet.uitkering.geopend"
UITKERING_BEEINDIGD = "nl.participatiewet.uitkering.beeindigd"


async def on_uitkering_geopend(conn: AsyncConnection, event: Event) -> None:
    d = event.data
    await repository.neem_op(conn, d["uitkeringId"], event.key, d["bsn"], d["gemeentecode"],
                             date.fromisoformat(d["startdatum"]))


async def on_uitkering_beeindigd(conn: AsyncConnection, event: Event) -> None:
    # both events of a case share its person key, so "opened" always arrives first
    if not await repository.zet_einde(conn, event.data["uitkeringId"], date.fromisoformat(event.data["einddatum"])):
        raise PermanentError("beëindiging van een uitkering die nooit geopend is")


async def leden(service: Service, peildatum: date, pagina: int, pagina_grootte: int) -> tuple[int, list]:
    async with service.db.transaction() as conn:
        return await repository.leden(conn, peildatum, (pagina - 1) * pagina_grootte, pagina_grootte)

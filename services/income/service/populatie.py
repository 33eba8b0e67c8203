"""The population (doelbinding): persons with a benefit case or an open re-application window,
from the decisions and reapplication services' events. Only for them is polis data kept, and only
for a retention period after they left."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.events import Event
from schakel.messaging import BatchHandler, PermanentError
from schakel.runtime import Service

from income.adapters import repository
from income.service.maandinkomens import herbereken_alles

log = logging.getLogger(__name__)
UITKERING_GEOPEND = "nl.participatiewet.uitkering.geopend"
UITKERING_BEEINDIGD = "nl.participatiewet.uitkering.beeindigd"
TERMIJN_GEOPEND = "nl.participatiewet.heraanvraagtermijn.geopend"


def on_uitkering_geopend(service: Service):
    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        await repository.neem_op(conn, [{
            "uitkering_id": e.data["uitkeringId"], "persoon": e.key, "bsn": e.data["bsn"],
            "gemeentecode": e.data["gemeentecode"], "sinds": date.fromisoformat(e.data["startdatum"])} for e in events])
        # a known person may now start earlier or fall under another municipality's policy
        await herbereken_alles(service, conn, [e.key for e in events], date.today())
        return {}
    return BatchHandler(handle)


async def on_uitkering_beeindigd(conn: AsyncConnection, event: Event) -> None:
    # both events of a case share its person key, so "opened" always arrives first
    if not await repository.zet_einde(conn, event.data["uitkeringId"], date.fromisoformat(event.data["einddatum"])):
        raise PermanentError("beëindiging van een uitkering die nooit geopend is")


async def on_termijn_geopend(conn: AsyncConnection, event: Event) -> None:
    d = event.data
    await repository.open_termijn(conn, d["uitkeringId"], event.key, d["bsn"], d["gemeentecode"],
                                  date.fromisoformat(d["geldigTot"]))


async def leden(service: Service, peildatum: date, pagina: int, pagina_grootte: int) -> tuple[int, list]:
    async with service.db.transaction() as conn:
        return await repository.populatie_op(conn, peildatum, (pagina - 1) * pagina_grootte, pagina_grootte)


async def opschonen(service: Service, bewaren_tot: date) -> int:
    """Forgets everyone whose last case or window ended before `bewaren_tot`."""
    async with service.db.transaction() as conn:
        personen = await repository.uitgestroomd(conn, bewaren_tot)
        await repository.vergeet(conn, personen)
    if personen:
        log.info("retention: forgot the polis data of %d person(s)", len(personen))
    return len(personen)

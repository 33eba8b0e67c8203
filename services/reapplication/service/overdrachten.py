"""Max-WW handovers: UWV notifies, the municipality of residence follows up, and a bijstand case
opened for the person (decisions' event) records whether the decision was in place in time."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal
from schakel.api.problems import standard
from schakel.events import Event
from schakel.runtime import Service

from reapplication.adapters import repository
from reapplication.domain.overdracht import Overdracht, melding


async def meld(service: Service, bsn: str, gemeentecode: str, ww_einddatum: date, grondslag: dict) -> tuple[str, Overdracht]:
    persoon = service.pseudonym(bsn)
    async with service.transaction() as conn:
        bestaand = await repository.overdracht_van(conn, persoon)
        overdracht, uitkomst = melding(bestaand, str(uuid.uuid4()), gemeentecode, ww_einddatum, grondslag)
        if uitkomst != "ongewijzigd":
            await repository.bewaar_overdracht(conn, persoon, bsn, overdracht)
    return uitkomst, overdracht


async def lijst(service: Service, principal: Principal, van: date | None, tot: date | None) -> list:
    async with service.db.transaction() as conn:
        return await repository.overdrachten_van(conn, principal.gemeente, van, tot)


async def eigen(conn: AsyncConnection, principal: Principal, overdracht_id: str) -> tuple[Overdracht, str]:
    """(handover, BSN) if the asking municipality holds it; another's (also after a move) is not found."""
    gevonden = await repository.overdracht(conn, overdracht_id)
    if gevonden is None or gevonden[0].gemeentecode != principal.gemeente:
        raise standard(404, "Deze overdracht bestaat niet of hoort niet bij uw gemeente.")
    return gevonden


async def stap(service: Service, principal: Principal, overdracht_id: str, naam: str, datum: date) -> tuple:
    async with service.transaction() as conn:
        overdracht, bsn = await eigen(conn, principal, overdracht_id)
        overdracht = replace(overdracht, stappen=overdracht.stappen + ((naam, datum.isoformat()),))
        await repository.bewaar_overdracht(conn, service.pseudonym(bsn), bsn, overdracht)
        return overdracht, bsn


async def rapportage(service: Service, principal: Principal, vandaag: date) -> dict:
    overdrachten = [o for o, _ in await lijst(service, principal, None, None)]
    afgelopen = [o for o in overdrachten if o.ww_einddatum < vandaag]
    return {"gemeentecode": principal.gemeente, "overdrachten": len(overdrachten),
            "wwBeeindigd": len(afgelopen), "besluitOpTijd": sum(o.op_tijd for o in afgelopen),
            "zonderBesluitOpTijd": sum(not o.op_tijd for o in afgelopen),
            "lopend": len(overdrachten) - len(afgelopen)}


async def on_uitkering_geopend(conn: AsyncConnection, event: Event) -> None:
    """A bijstand case for someone with a handover in the same municipality: the decision is in place."""
    overdracht = await repository.overdracht_van(conn, event.key)
    if overdracht is None or overdracht.gemeentecode != event.data["gemeentecode"] or overdracht.besluit_op:
        return
    besloten = date.fromisoformat(event.time[:10]) if event.time else date.today()
    await repository.bewaar_overdracht(conn, event.key, event.data["bsn"], replace(
        overdracht, besluit_op=besloten, besluit_startdatum=date.fromisoformat(event.data["startdatum"])))

"""Re-applications: decided in the request when simple (the decisions service reopens the benefit
on `heraanvraag.toegekend` and confirms with its case event), otherwise prepared for a caseworker."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal, Problem
from schakel.api.problems import OngeldigeParameter, standard
from schakel.events import Event
from schakel.runtime import Service

from reapplication.adapters import repository
from reapplication.service import overdrachten
from reapplication.domain.heraanvraag import (BESLISTERMIJN, ZOEKTERMIJN, Aanvraag, Context, HeraanvraagFout, controleer,
                                              redenen, zoektermijn_tot)

TOEGEKEND = "nl.participatiewet.heraanvraag.toegekend"
MAANDINKOMEN_VASTGESTELD = "nl.participatiewet.maandinkomen.vastgesteld"
DEELNAMESTATUS_GEWIJZIGD = "nl.participatiewet.deelnamestatus.gewijzigd"


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def on_maandinkomen(conn: AsyncConnection, event: Event) -> None:
    d = event.data
    relaties = [b for b in d["bijdragen"] if b["nettoInkomen"]]
    beeindigd = bool(relaties) and all(b["eindeInkomstenverhouding"] for b in relaties)
    await repository.zet_laatste_inkomen(conn, event.key, d["maand"], d["huidige"]["nettoInkomen"], beeindigd)


async def on_deelnamestatus(conn: AsyncConnection, event: Event) -> None:
    await repository.zet_doelgroep(conn, event.key, event.data["doelgroepregisterGrond"])


async def _context(conn: AsyncConnection, principal: Principal, persoon: str, melding: date) -> tuple[Context, dict | None]:
    """What the rules need, and the latest polis month for the prepared file."""
    termijn = await repository.open_termijn(conn, persoon, principal.gemeente, melding)
    inkomen = await repository.laatste_inkomen(conn, persoon)
    # no polis income known, or none in the latest month, or every relationship ended: the job ended
    baan_beeindigd = inkomen is None or inkomen.netto == 0 or inkomen.relaties_beeindigd
    context = Context(termijn is not None, termijn.hergebruik if termijn else None, baan_beeindigd,
                      await repository.doelgroep(conn, persoon) == "participatiewet")
    recent = None if inkomen is None else {"maand": inkomen.maand, "nettoInkomen": inkomen.netto,
                                           "inkomstenverhoudingenBeeindigd": inkomen.relaties_beeindigd}
    return context, recent


async def dien_in(service: Service, principal: Principal, bsn: str, aanvraag: Aanvraag) -> dict:
    try:
        controleer(aanvraag)
    except HeraanvraagFout as fout:
        raise Problem(422, fout.code, "Niet toegestaan", fout.reason,
                      [OngeldigeParameter(name=fout.field, code=fout.code, reason=fout.reason)]) from fout
    persoon = service.pseudonym(bsn)
    ingediend = _now()
    async with service.transaction() as conn:
        context, recent = await _context(conn, principal, persoon, aanvraag.meldingsdatum)
        gevonden = redenen(aanvraag, context, date.today())
        row = {"heraanvraag_id": str(uuid.uuid4()), "persoon": persoon, "bsn": bsn, "gemeentecode": principal.gemeente,
               "meldingsdatum": aanvraag.meldingsdatum, "startdatum": aanvraag.startdatum,
               "wijzigingen": list(aanvraag.wijzigingen), "praktijkonderwijs_of_vso": aanvraag.praktijkonderwijs_of_vso,
               "hergebruik": context.hergebruik, "recent_inkomen": recent, "status": "beoordelen" if gevonden else "toegekend",
               "redenen": [{"code": r.code, "uitleg": r.uitleg} for r in gevonden], "ingediend_op": ingediend,
               "besloten_op": None if gevonden else _now(),
               "vroegste_behandeldatum": zoektermijn_tot(aanvraag, context) or aanvraag.meldingsdatum}
        await repository.voeg_heraanvraag_toe(conn, row)
        if not gevonden:
            await _toekennen(service, conn, await repository.heraanvraag(conn, row["heraanvraag_id"]))
        return await _weergave(conn, row["heraanvraag_id"])


async def vanuit_overdracht(service: Service, principal: Principal, overdracht_id: str, melding: date) -> dict:
    """An application from a Max-WW handover: bijstand from the day after the WW ends; the melding may
    come up to 4 weeks before that, so an under-27's search period can end before the WW does."""
    async with service.db.transaction() as conn:
        overdracht, bsn = await overdrachten.eigen(conn, principal, overdracht_id)
    if melding < overdracht.ww_einddatum - ZOEKTERMIJN:
        reden = "de melding kan hooguit 4 weken vóór het einde van de WW"
        raise Problem(422, "melding-te-vroeg", "Melding te vroeg", reden,
                      [OngeldigeParameter(name="meldingsdatum", code="melding-te-vroeg", reason=reden)])
    return await dien_in(service, principal, bsn, Aanvraag(melding, overdracht.ww_einddatum + timedelta(days=1), ()))


async def _toekennen(service: Service, conn: AsyncConnection, row) -> None:
    """Asks the decisions service to reopen the benefit with the reused data."""
    await service.outbox.add(conn, service.outbox.event(TOEGEKEND, row.persoon, {
        "heraanvraagId": row.heraanvraag_id, "bsn": row.bsn, "gemeentecode": row.gemeentecode,
        "startdatum": row.startdatum.isoformat(), "geboortedatum": row.hergebruik["geboortedatum"],
        "situatie": row.hergebruik["situatie"]}))


async def besluit(service: Service, principal: Principal, heraanvraag_id: str, toekennen: bool, reden: str) -> dict:
    """A caseworker's decision on an application that needed review."""
    async with service.transaction() as conn:
        row = await _eigen(conn, principal, heraanvraag_id)
        if row.status != "beoordelen":
            raise Problem(409, "al-besloten", "Al besloten", "Over deze heraanvraag is al besloten.")
        if toekennen and not row.hergebruik:
            raise Problem(422, "geen-hergebruik", "Niet toe te kennen", "Zonder heraanvraagtermijn is er niets om te "
                          "hergebruiken: dit wordt een nieuwe aanvraag.",
                          [OngeldigeParameter(name="besluit", code="geen-hergebruik", reason="geen open termijn")])
        await repository.werk_heraanvraag_bij(conn, heraanvraag_id, status="toegekend" if toekennen else "afgewezen",
                                              besluit_reden=reden, besloten_op=_now())
        if toekennen:
            await _toekennen(service, conn, row)
        return await _weergave(conn, heraanvraag_id)


async def lees(service: Service, principal: Principal, heraanvraag_id: str) -> dict:
    async with service.db.transaction() as conn:
        await _eigen(conn, principal, heraanvraag_id)
        return await _weergave(conn, heraanvraag_id)


async def lijst(service: Service, principal: Principal, status: str | None) -> list[dict]:
    async with service.db.transaction() as conn:
        return [_als_dict(r) for r in await repository.heraanvragen_van(conn, principal.gemeente, status)]


async def on_uitkering_geopend(conn: AsyncConnection, event: Event) -> None:
    """decisions confirms a reopened benefit with its case event."""
    if event.data.get("heraanvraagId"):
        await repository.werk_heraanvraag_bij(conn, event.data["heraanvraagId"], uitkering_id=event.data["uitkeringId"])


async def _eigen(conn: AsyncConnection, principal: Principal, heraanvraag_id: str):
    row = await repository.heraanvraag(conn, heraanvraag_id)
    if row is None or row.gemeentecode != principal.gemeente:
        raise standard(404, "Deze heraanvraag bestaat niet of hoort niet bij uw gemeente.")
    return row


async def _weergave(conn: AsyncConnection, heraanvraag_id: str) -> dict:
    return _als_dict(await repository.heraanvraag(conn, heraanvraag_id))


def _als_dict(r) -> dict:
    termijn = r.meldingsdatum + BESLISTERMIJN
    return {"heraanvraagId": r.heraanvraag_id, "bsn": r.bsn, "meldingsdatum": r.meldingsdatum,
            "startdatum": r.startdatum, "wijzigingen": r.wijzigingen, "status": r.status, "redenen": r.redenen,
            "besluitReden": r.besluit_reden, "hergebruik": r.hergebruik, "recentInkomen": r.recent_inkomen,
            "vroegsteBehandeldatum": r.vroegste_behandeldatum,
            "beslistermijn": termijn, "termijnVerstreken": r.status == "beoordelen" and date.today() > termijn,
            "dagenTotBeslistermijn": (termijn - date.today()).days,
            "beslisduurSeconden": (r.besloten_op - r.ingediend_op).total_seconds() if r.besloten_op else None,
            "uitkeringId": r.uitkering_id}

"""Applies UWV's doelgroepregister mutations and publishes the resulting deelnamestatus."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal, Rol
from schakel.api.problems import standard
from schakel.events import Event
from schakel.messaging import PermanentError
from schakel.runtime import Service

from registration.adapters import repository
from registration.domain import doelgroepregister
from registration.domain.doelgroepregister import RegistratieFout

GESTART = "nl.banenafspraak.doelgroepregistratie.gestart"
BEEINDIGD = "nl.banenafspraak.doelgroepregistratie.beeindigd"
DEELNAMESTATUS_GEWIJZIGD = "nl.participatiewet.deelnamestatus.gewijzigd"


async def on_mutatie(service: Service, conn: AsyncConnection, event: Event) -> None:
    d = event.data
    registraties, _ = await repository.van(conn, event.key)
    try:
        if event.type == GESTART:
            registraties, wijziging = doelgroepregister.start(registraties, d["grond"], date.fromisoformat(d["startdatum"]))
        else:
            registraties, wijziging = doelgroepregister.beeindig(registraties, date.fromisoformat(d["einddatum"]))
    except RegistratieFout as fout:
        raise PermanentError(str(fout)) from fout
    await repository.vervang(conn, event.key, d["bsn"], d["gemeentecode"], registraties)
    await service.outbox.add(conn, service.outbox.event(DEELNAMESTATUS_GEWIJZIGD, event.key, {
        "bsn": d["bsn"], "gemeentecode": d["gemeentecode"], "status": wijziging.status,
        "doelgroepregisterGrond": wijziging.grond, "ingangsdatum": wijziging.ingangsdatum.isoformat()}))


async def status(service: Service, principal: Principal, bsn: str, op: date):
    async with service.db.transaction() as conn:
        registraties, gemeentecode = await repository.van(conn, service.pseudonym(bsn))
    # a municipality sees only its own residents; UWV sees everyone it registered
    if gemeentecode is None or (principal.rol is Rol.municipality and gemeentecode != principal.gemeente):
        raise standard(404, "Van deze persoon is bij uw organisatie geen deelnamestatus bekend.")
    huidig = next((r for r in registraties if r.loopt_op(op)), None)
    return gemeentecode, huidig, registraties

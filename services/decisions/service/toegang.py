"""Which cases a caller may see: a municipality its own cases (and change them), a citizen their
own; any other case is "not found". The person of a case looked at is a subject of the processing."""

from __future__ import annotations

from decisions.domain.fouten import Onbekend
from decisions.domain.uitkering import Uitkering
from decisions.service.ports import UnitOfWork
from schakel import logboek
from schakel.caller import Caller, Rol


def mag_zien(caller: Caller, uitkering: Uitkering) -> bool:
    if caller.rol is Rol.burger:
        return uitkering.bsn == caller.bsn
    return uitkering.gemeentecode == caller.gemeente


async def eigen(uow: UnitOfWork, caller: Caller, uitkering_id: str) -> Uitkering:
    uitkering = await uow.uitkeringen.get(uitkering_id)
    # another's case is "not found": its existence is not theirs to know
    if uitkering is None or not mag_zien(caller, uitkering):
        raise Onbekend("Deze uitkering bestaat niet of hoort niet bij uw gemeente.")
    logboek.noteer_bsn(uitkering.bsn)
    return uitkering

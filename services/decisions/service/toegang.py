"""Which cases a caller may see: a municipality its own cases (and change them), a citizen their
own, as the applicant or as the partner in the case's current household (a couple's bijstand is
the household's, Participatiewet art. 4 and 11); any other case is "not found". The person of a
case looked at is a subject of the processing."""

from __future__ import annotations

from decisions.domain.fouten import Onbekend
from decisions.domain.uitkering import Uitkering
from decisions.service.ports import Ports, UnitOfWork
from schakel import logboek
from schakel.caller import Caller, Rol


def mag_zien(caller: Caller, uitkering: Uitkering) -> bool:
    if caller.rol is Rol.burger:
        return uitkering.bsn == caller.bsn
    return uitkering.gemeentecode == caller.gemeente


async def is_partner(uow: UnitOfWork, caller: Caller, uitkering: Uitkering) -> bool:
    """Whether a citizen is the partner in the case's current (latest) household situation; a former
    partner is not: what happened after the partnership is not theirs to know."""
    if caller.rol is not Rol.burger or caller.bsn is None:
        return False
    situaties = (await uow.situaties.van_alle([uitkering.uitkering_id]))[uitkering.uitkering_id]
    huidig = situaties[-1].partner if situaties else None
    return huidig is not None and huidig.bsn == caller.bsn


async def eigen(uow: UnitOfWork, caller: Caller, uitkering_id: str) -> Uitkering:
    uitkering = await uow.uitkeringen.get(uitkering_id)
    # another's case is "not found": its existence is not theirs to know
    if uitkering is None or not (mag_zien(caller, uitkering) or await is_partner(uow, caller, uitkering)):
        raise Onbekend("Deze uitkering bestaat niet of hoort niet bij uw gemeente.")
    logboek.noteer_bsn(uitkering.bsn)
    return uitkering


async def vergrendeld(uow: UnitOfWork, caller: Caller, uitkering_id: str) -> Uitkering:
    """`eigen`, for a change: the case is held first, so a change of it alongside (another caseworker,
    a settlement on another instance) is read and built on, not overwritten."""
    await uow.uitkeringen.vergrendel([uitkering_id])
    return await eigen(uow, caller, uitkering_id)


async def van_burger(ports: Ports, uow: UnitOfWork, caller: Caller) -> list[Uitkering]:
    """The cases a citizen may see: as the applicant, or as the partner in the current household."""
    assert caller.bsn, "a citizen's own"
    zaken = await uow.uitkeringen.van_huishoudens({ports.pseudonym(caller.bsn)})
    return [u for u in zaken if u.bsn == caller.bsn or await is_partner(uow, caller, u)]

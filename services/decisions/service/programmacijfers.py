"""The programme's figures of this service over a period (domain.programmacijfers): a municipality
its own, the operator nationally and per municipality; and the outflow records the fall-back figure
counts, kept as a case ends for work, moved when its end date is corrected, and completed as a new
case opens.

The outflow record names the person by a pseudonym of its own: a keyed hash of the BSN under a
separate purpose label, so it cannot be joined to the message key or any other record once decisions
has forgotten the person (service.bewaring); it is kept for statistics only (AVG art. 89 lid 1) until
its 36-month window passed, then counted per municipality and month, and deleted."""

from __future__ import annotations

from decisions.domain import kalender as k
from decisions.domain.programmacijfers import (
    BEWAREN_MAANDEN,
    TERMIJNEN,
    Uitstroomtelling,
    cijfers,
    meetbaar_tot,
)
from decisions.domain.uitkering import Reden, Uitkering
from decisions.service.ports import Ports, UnitOfWork
from schakel.primitives import Maand
from schakel.primitives.cijfers import Eenheden, Periode


def _pseudoniem(ports: Ports, bsn: str) -> str:
    return ports.pseudonym(f"programmacijfers:{bsn}")


async def uitgestroomd(ports: Ports, uow: UnitOfWork, uitkering: Uitkering) -> None:
    """A case ended: when for work, the outflow record."""
    if uitkering.reden is Reden.werk and uitkering.einddatum is not None:
        maand = Maand.van(uitkering.einddatum)
        await uow.uitstroom.voeg_toe(_pseudoniem(ports, uitkering.bsn), uitkering.gemeentecode, maand)


async def verplaatst(ports: Ports, uow: UnitOfWork, was: Uitkering, wordt: Uitkering) -> None:
    """A case's end date corrected: its outflow record moves to the new month of leaving."""
    if wordt.reden is Reden.werk and was.einddatum is not None and wordt.einddatum is not None:
        van, naar = Maand.van(was.einddatum), Maand.van(wordt.einddatum)
        if van != naar:
            await uow.uitstroom.verplaats(_pseudoniem(ports, wordt.bsn), van, naar)


async def teruggekeerd(ports: Ports, uow: UnitOfWork, uitkering: Uitkering) -> None:
    """A case opened: the person's outflow records without a return get this one."""
    start = Maand.van(uitkering.startdatum)
    for id_, maand in await uow.uitstroom.open_van(_pseudoniem(ports, uitkering.bsn)):
        if maand <= start:
            await uow.uitstroom.keer_terug(id_, maand.tot(start))


async def tel_af(ports: Ports, uow: UnitOfWork) -> int:
    """Retention: the records whose longest window passed become counts without a person."""
    return await uow.uitstroom.tel_af(meetbaar_tot(Maand.van(ports.clock.today()), BEWAREN_MAANDEN))


async def lees(ports: Ports, periode: Periode, gemeente: str | None) -> Eenheden:
    """Per municipality code, and None for the whole country: of every municipality (`gemeente` None)
    or of one."""
    deze_maand = Maand.van(ports.clock.today())
    meetbaar = {n: meetbaar_tot(deze_maand, n) for n in TERMIJNEN}
    async with ports.uow() as uow:
        uitstroom = await uow.uitstroom.tellingen(gemeente, Maand.van(periode.van), Maand.van(periode.tot), meetbaar)
        eerste = await uow.kalender.eerste_verrekeningen(gemeente, periode.van, periode.tot)
        gemeenten = sorted({gemeente} if gemeente else set(uitstroom) | {g for g, *_ in eerste})
        beleid = {g: await uow.kalender.beleid(g) for g in gemeenten}
    tijdig = {g: k.tijdigheid(((m, d, n) for gg, m, d, n in eerste if gg == g), beleid[g]) for g in gemeenten}
    per_gemeente = {g: cijfers(uitstroom.get(g, Uitstroomtelling()), tijdig[g]) for g in gemeenten}
    if gemeente:
        return per_gemeente
    landelijk = cijfers(sum(uitstroom.values(), Uitstroomtelling()), sum(tijdig.values(), k.Tijdigheid(0, 0)))
    return {None: landelijk} | per_gemeente

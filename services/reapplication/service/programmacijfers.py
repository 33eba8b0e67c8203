"""The programme's figures over a period: a municipality its own, the operator nationally and per
municipality (domain.programmacijfers), from the re-applications decided and the handovers whose WW
ended in the period only (the store filters them). No BSN is read: the figures need none."""

from __future__ import annotations

from reapplication.domain.programmacijfers import cijfers, per_gemeente
from reapplication.service.ports import Ports
from schakel.caller import Caller, Rol
from schakel.primitives.cijfers import Cijfer, Periode


async def lees(ports: Ports, caller: Caller, periode: Periode) -> dict[str | None, list[Cijfer]]:
    """Per municipality code, None for the whole country (the operator only)."""
    gemeente = None if caller.rol is Rol.operator else caller.gemeente
    async with ports.uow() as uow:
        heraanvragen = await uow.heraanvragen.besloten_in(gemeente, periode)
        overdrachten = await uow.overdrachten.met_einde_in(gemeente, periode)
    vandaag = ports.clock.today()
    if gemeente:
        return {gemeente: cijfers(heraanvragen, overdrachten, periode, vandaag)}
    return {None: cijfers(heraanvragen, overdrachten, periode, vandaag)} | per_gemeente(
        heraanvragen, overdrachten, periode, vandaag
    )

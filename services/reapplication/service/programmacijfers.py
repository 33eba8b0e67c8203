"""The programme's figures over a period: a municipality its own, the operator nationally and per
municipality (domain.programmacijfers), from the re-applications decided and the handovers whose WW
ended in the period only (the store filters them). No BSN is read: the figures need none."""

from __future__ import annotations

from reapplication.domain.programmacijfers import cijfers, per_gemeente
from reapplication.service.ports import Ports
from schakel.primitives.cijfers import Eenheden, Periode


async def lees(ports: Ports, periode: Periode, gemeente: str | None) -> Eenheden:
    """Per municipality code, and None for the whole country: of every municipality (`gemeente` None)
    or of one."""
    async with ports.uow() as uow:
        heraanvragen = await uow.heraanvragen.besloten_in(gemeente, periode)
        overdrachten = await uow.overdrachten.met_einde_in(gemeente, periode)
    vandaag = ports.clock.today()
    if gemeente:
        return {gemeente: cijfers(heraanvragen, overdrachten, periode, vandaag)}
    return {None: cijfers(heraanvragen, overdrachten, periode, vandaag)} | per_gemeente(
        heraanvragen, overdrachten, periode, vandaag
    )

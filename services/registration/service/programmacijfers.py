"""The programme's figures over a period: a municipality its own, the operator nationally and per
municipality (domain.programmacijfers), from the facts of the persons the figures can count only
(read in SQL by kind, not every fact of the country). No BSN leaves this use case: the figures need none."""

from __future__ import annotations

from registration.domain.programmacijfers import TELLEN, cijfers, landelijke_taakstelling, per_gemeente
from registration.service.ports import Ports
from schakel.primitives.cijfers import Eenheden, Periode


async def lees(ports: Ports, periode: Periode, gemeente: str | None) -> Eenheden:
    """Per municipality code, and None for the whole country: of every municipality (`gemeente` None)
    or of one."""
    async with ports.uow() as uow:
        personen = [feiten for _, feiten in (await uow.feiten.met_soorten(TELLEN, gemeente)).values()]
        taakstellingen = await uow.taakstellingen.in_jaar(periode.tot.year)
    groepen = per_gemeente(personen)
    if gemeente:
        return {gemeente: cijfers(groepen.get(gemeente, []), periode, taakstellingen.get(gemeente), gemeente)}
    eenheden: Eenheden = {g: cijfers(p, periode, taakstellingen.get(g), g) for g, p in groepen.items()}
    return {None: cijfers(personen, periode, landelijke_taakstelling(eenheden, taakstellingen))} | eenheden

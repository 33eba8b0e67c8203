"""The programme's figures over a period: a municipality its own, the operator nationally and per
municipality (domain.programmacijfers), from the facts of the persons the figures can count only
(read in SQL by kind, not every fact of the country). No BSN leaves this use case: the figures need none."""

from __future__ import annotations

from registration.domain.programmacijfers import TELLEN, cijfers, per_gemeente
from registration.service.ports import Ports
from schakel.caller import Caller, Rol
from schakel.primitives.cijfers import Cijfer, Periode


async def lees(ports: Ports, caller: Caller, periode: Periode) -> dict[str | None, list[Cijfer]]:
    """Per municipality code, None for the whole country (the operator only)."""
    gemeente = None if caller.rol is Rol.operator else caller.gemeente
    async with ports.uow() as uow:
        personen = [feiten for _, feiten in (await uow.feiten.met_soorten(TELLEN, gemeente)).values()]
        taakstellingen = await uow.taakstellingen.in_jaar(periode.tot.year)
    groepen = per_gemeente(personen)
    if gemeente:
        return {gemeente: cijfers(groepen.get(gemeente, []), periode, taakstellingen.get(gemeente), gemeente)}
    landelijk = cijfers(personen, periode, sum(taakstellingen.values()) or None)
    return {None: landelijk} | {g: cijfers(p, periode, taakstellingen.get(g), g) for g, p in groepen.items()}

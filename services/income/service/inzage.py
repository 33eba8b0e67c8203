"""What a municipality may see and do: a person's monthly incomes with provenance, overriding a
month, and its attribution policy. Only for persons with a benefit case of that municipality
that has not ended; anyone else is answered as a stranger, so the answer does not reveal who is known."""

from __future__ import annotations

from income.domain.fouten import GeenOverschrijving, GeenUitkering
from income.domain.overschrijving import Overschrijving, polis_versies
from income.domain.populatie import Lid
from income.domain.toerekening import Toerekening
from income.service.maandinkomens import herbereken, leden_van, polis
from income.service.ports import Aangifteversie, Ports, UnitOfWork, Vastgelegd
from schakel.caller import Caller
from schakel.primitives import Maand

Maandbeeld = tuple[Vastgelegd, Overschrijving | None]  # a month's figure and the override behind it


async def _lid(ports: Ports, uow: UnitOfWork, caller: Caller, bsn: str) -> Lid:
    persoon = ports.pseudonym(bsn)
    lid = (await leden_van(ports, uow, [persoon])).get(persoon)
    if lid is None or caller.gemeente not in lid.actieve_gemeenten:
        raise GeenUitkering("Geen lopende uitkering van uw gemeente voor deze persoon.")
    return lid


async def _maanden(uow: UnitOfWork, persoon: str, van: Maand, tot: Maand) -> list[Maandbeeld]:
    overschrijvingen = await uow.overschrijvingen.van([persoon])
    return [(v, overschrijvingen.get((persoon, v.maand))) for v in await uow.maandinkomens.tussen(persoon, van, tot)]


async def zoek(ports: Ports, caller: Caller, bsn: str, van: Maand, tot: Maand) -> list[Maandbeeld]:
    async with ports.uow() as uow:
        lid = await _lid(ports, uow, caller, bsn)
        return await _maanden(uow, lid.persoon, van, tot)


async def versies(ports: Ports, caller: Caller, bsn: str) -> list[Aangifteversie]:
    """Every version of every declaration of the person, superseded ones included (audit)."""
    async with ports.uow() as uow:
        lid = await _lid(ports, uow, caller, bsn)
        return await uow.polisregels.van(lid.persoon)


async def overschrijf(ports: Ports, caller: Caller, bsn: str, maand: Maand, loon: int, reden: str) -> Maandbeeld:
    async with ports.uow() as uow:
        lid = await _lid(ports, uow, caller, bsn)
        huidig = await polis(uow, lid, maand)
        await uow.overschrijvingen.zet(
            lid.persoon,
            Overschrijving(maand, loon, reden, polis_versies(huidig)),
            caller.gemeente,
            caller.oin,
            ports.clock.now(),
        )
        await herbereken(ports, uow, {lid.persoon: {maand}}, {lid.persoon: lid})
        return (await _maanden(uow, lid.persoon, maand, maand))[0]


async def trek_in(ports: Ports, caller: Caller, bsn: str, maand: Maand) -> Maandbeeld:
    async with ports.uow() as uow:
        lid = await _lid(ports, uow, caller, bsn)
        if not await uow.overschrijvingen.verwijder(lid.persoon, maand):
            raise GeenOverschrijving("Voor deze maand is geen overschrijving vastgelegd.")
        await herbereken(ports, uow, {lid.persoon: {maand}}, {lid.persoon: lid})
        return (await _maanden(uow, lid.persoon, maand, maand))[0]


async def beleid(ports: Ports, caller: Caller) -> Toerekening:
    async with ports.uow() as uow:
        return (await uow.beleid.van([caller.gemeente])).get(caller.gemeente, Toerekening.naar_rato)


async def zet_beleid(ports: Ports, caller: Caller, toerekening: Toerekening) -> None:
    """Sets the policy; the municipality's persons are recomputed in the background (a large
    municipality has tens of thousands), their changed months announced as usual."""
    async with ports.uow() as uow:
        await uow.beleid.zet(caller.gemeente, toerekening, ports.clock.now())
        await uow.herberekeningen.plan(caller.gemeente)

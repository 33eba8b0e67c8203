"""What a municipality may see and do: a person's monthly incomes with provenance, overriding a
month, and its attribution policy. Only for persons with a benefit case of that municipality that
has not ended or a re-application window of it that is open, and only for the periods of its own
cases and windows (domain.populatie.inzage); anyone else is answered as a stranger, so the answer
does not reveal who is known."""

from __future__ import annotations

from datetime import date

from income.domain.fouten import GeenOverschrijving, GeenUitkering, MaandBuitenUitkering
from income.domain.overschrijving import Overschrijving, controleer, polis_versies
from income.domain.populatie import Lid, binnen, inzage, lid
from income.domain.toerekening import Toerekening
from income.service.maandinkomens import herbereken, polis
from income.service.ports import Aangifteversie, Ports, UnitOfWork, Vastgelegd
from schakel.caller import Caller
from schakel.primitives import Maand

Perioden = list[tuple[date, date | None]]
Maandbeeld = tuple[Vastgelegd, Overschrijving | None]  # a month's figure and the override behind it


async def _lid(ports: Ports, uow: UnitOfWork, caller: Caller, bsn: str) -> tuple[Lid, Perioden]:
    """The person and the periods the caller may see of them, or GeenUitkering."""
    persoon, vandaag = ports.pseudonym(bsn), ports.clock.today()
    dossier = (await uow.populatie.dossiers([persoon])).get(persoon)
    perioden = inzage(dossier, caller.gemeente, vandaag) if dossier else []
    lid_ = lid(persoon, dossier, vandaag) if dossier and perioden else None
    if lid_ is None:
        raise GeenUitkering("Geen lopende uitkering of open heraanvraagtermijn van uw gemeente voor deze persoon.")
    return lid_, perioden


def _in(perioden: Perioden, maand: Maand) -> Maand:
    if not binnen(perioden, maand.eerste_dag, maand.laatste_dag):
        raise MaandBuitenUitkering("Deze maand valt buiten de uitkeringen en termijnen van uw gemeente.", field="maand")
    return maand


async def _maanden(uow: UnitOfWork, persoon: str, van: Maand, tot: Maand, perioden: Perioden) -> list[Maandbeeld]:
    overschrijvingen = await uow.overschrijvingen.van([persoon])
    return [
        (v, overschrijvingen.get((persoon, v.maand)))
        for v in await uow.maandinkomens.tussen(persoon, van, tot)
        if binnen(perioden, v.maand.eerste_dag, v.maand.laatste_dag)
    ]


async def zoek(ports: Ports, caller: Caller, bsn: str, van: Maand, tot: Maand) -> list[Maandbeeld]:
    async with ports.uow() as uow:
        lid_, perioden = await _lid(ports, uow, caller, bsn)
        return await _maanden(uow, lid_.persoon, van, tot, perioden)


async def laatste(ports: Ports, caller: Caller, bsn: str) -> Vastgelegd | None:
    """The latest month with an established figure in the caller's periods, up to this month
    (None: none yet); the question a re-application asks, so it reads no more than that month."""
    async with ports.uow() as uow:
        lid_, perioden = await _lid(ports, uow, caller, bsn)
        van = Maand.van(min(begin for begin, _ in perioden))
        maanden = await _maanden(uow, lid_.persoon, van, Maand.van(ports.clock.today()), perioden)
        return max((v for v, _ in maanden), key=lambda v: v.maand, default=None)


async def versies(ports: Ports, caller: Caller, bsn: str) -> list[Aangifteversie]:
    """Every version of the person's declarations in the caller's periods, superseded ones included (audit)."""
    async with ports.uow() as uow:
        lid_, perioden = await _lid(ports, uow, caller, bsn)
        return [
            v
            for v in await uow.polisregels.van(lid_.persoon)
            if binnen(
                perioden, date.fromisoformat(v.inhoud["tijdvak_begin"]), date.fromisoformat(v.inhoud["tijdvak_einde"])
            )
        ]


async def overschrijf(ports: Ports, caller: Caller, bsn: str, maand: Maand, loon: int, reden: str) -> Maandbeeld:
    controleer(maand, ports.clock.today())
    async with ports.uow() as uow:
        await uow.vergrendel(ports.pseudonym(bsn))  # before the person's membership and months are read
        lid_, perioden = await _lid(ports, uow, caller, bsn)
        _in(perioden, maand)
        huidig = await polis(ports, uow, lid_, maand)
        await uow.overschrijvingen.zet(
            lid_.persoon,
            Overschrijving(maand, loon, reden, polis_versies(huidig)),
            caller.gemeente,
            caller.oin,
            ports.clock.now(),
        )
        await herbereken(ports, uow, {lid_.persoon: {maand}}, {lid_.persoon: lid_})
        return (await _maanden(uow, lid_.persoon, maand, maand, perioden))[0]


async def trek_in(ports: Ports, caller: Caller, bsn: str, maand: Maand) -> Maandbeeld:
    async with ports.uow() as uow:
        await uow.vergrendel(ports.pseudonym(bsn))  # before the person's membership and months are read
        lid_, perioden = await _lid(ports, uow, caller, bsn)
        _in(perioden, maand)
        if not await uow.overschrijvingen.verwijder(lid_.persoon, maand):
            raise GeenOverschrijving("Voor deze maand is geen overschrijving vastgelegd.")
        await herbereken(ports, uow, {lid_.persoon: {maand}}, {lid_.persoon: lid_})
        return (await _maanden(uow, lid_.persoon, maand, maand, perioden))[0]


async def beleid(ports: Ports, caller: Caller) -> Toerekening:
    async with ports.uow() as uow:
        return (await uow.beleid.van([caller.gemeente])).get(caller.gemeente, Toerekening.naar_rato)


async def zet_beleid(ports: Ports, caller: Caller, toerekening: Toerekening) -> None:
    """Sets the policy; the municipality's persons are recomputed in the background (a large
    municipality has tens of thousands), their changed months announced as usual."""
    async with ports.uow() as uow:
        await uow.beleid.zet(caller.gemeente, toerekening, ports.clock.now())
        await uow.herberekeningen.plan(caller.gemeente)

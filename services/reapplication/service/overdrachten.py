"""Max-WW handovers: UWV notifies, the municipality of residence follows up, and a bijstand case
opened for the person (decisions' event) records whether the decision was in place in time."""

from __future__ import annotations

import uuid
from datetime import date

from reapplication.domain.fouten import Onbekend
from reapplication.domain.overdracht import Overdracht, Rapportage, melding, met_stap
from reapplication.domain.overdracht import rapportage as tel
from reapplication.domain.overdracht import uitkering_geopend as besluit_genomen
from reapplication.service.ports import Ports, UnitOfWork
from schakel import logboek
from schakel.caller import Caller


async def meld(
    ports: Ports, bsn: str, gemeentecode: str, ww_einddatum: date, grondslag: dict
) -> tuple[str, Overdracht]:
    persoon = ports.pseudonym(bsn)
    async with ports.uow() as uow:
        overdracht, uitkomst = melding(
            await uow.overdrachten.van(persoon), str(uuid.uuid4()), gemeentecode, ww_einddatum, grondslag
        )
        if uitkomst != "ongewijzigd":
            await uow.overdrachten.bewaar(persoon, bsn, overdracht)
    return uitkomst, overdracht


async def lijst(ports: Ports, caller: Caller, van: date | None, tot: date | None) -> list[tuple[Overdracht, str]]:
    async with ports.uow() as uow:
        return await uow.overdrachten.van_gemeente(caller.gemeente, van, tot)


async def eigen(uow: UnitOfWork, caller: Caller, overdracht_id: str) -> tuple[Overdracht, str]:
    """(handover, BSN) if the asking municipality holds it; another's (also after a move) is not found."""
    gevonden = await uow.overdrachten.met_id(overdracht_id)
    if gevonden is None or gevonden[0].gemeentecode != caller.gemeente:
        raise Onbekend("Deze overdracht bestaat niet of hoort niet bij uw gemeente.")
    logboek.noteer_bsn(gevonden[1])
    return gevonden


async def mijn(ports: Ports, caller: Caller) -> Overdracht:
    """A citizen's own handover from UWV."""
    assert caller.bsn, "a citizen's own"
    async with ports.uow() as uow:
        overdracht = await uow.overdrachten.van(ports.pseudonym(caller.bsn))
    if overdracht is None:
        raise Onbekend("UWV heeft geen overdracht voor u gemeld.")
    return overdracht


async def stap(ports: Ports, caller: Caller, overdracht_id: str, naam: str, datum: date) -> tuple[Overdracht, str]:
    async with ports.uow() as uow:
        overdracht, bsn = await eigen(uow, caller, overdracht_id)
        overdracht = met_stap(overdracht, naam, datum)
        await uow.overdrachten.bewaar(ports.pseudonym(bsn), bsn, overdracht)
        return overdracht, bsn


async def rapportage(ports: Ports, caller: Caller) -> Rapportage:
    """How many of the municipality's handovers whose WW ended had a decision in time, as of today."""
    return tel([o for o, _ in await lijst(ports, caller, None, None)], ports.clock.today())


async def uitkering_geopend(
    uow: UnitOfWork, persoon: str, bsn: str, gemeentecode: str, besloten: date, startdatum: date
) -> None:
    """A bijstand case for someone with a handover in the same municipality: the decision is in place."""
    overdracht = await uow.overdrachten.van(persoon)
    if overdracht and (bijgewerkt := besluit_genomen(overdracht, gemeentecode, besloten, startdatum)):
        await uow.overdrachten.bewaar(persoon, bsn, bijgewerkt)

"""Max-WW handovers: UWV notifies, the municipality of residence follows up, and a bijstand case
opened for the person (decisions' event) or the municipality's outcome (work found, no bijstand
needed) records whether it ended in time; UWV hears the first step and the outcome."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime

from reapplication.domain.fouten import DatumBuitenOverdracht, NietWoongemeente, Onbekend
from reapplication.domain.heraanvraag import Uitkering
from reapplication.domain.overdracht import (
    Overdracht,
    Rapportage,
    controleer_moment,
    datum_fout,
    is_besluit,
    melding,
    met_gecorrigeerde_uitkomst,
    met_stap,
    met_stapdatum,
    met_uitkomst,
)
from reapplication.domain.overdracht import rapportage as tel
from reapplication.domain.overdracht import uitkering_geopend as besluit_genomen
from reapplication.service.ports import Ports, UnitOfWork
from schakel import logboek
from schakel.caller import Caller
from schakel.events import models as events

BIJSTAND = "bijstand-toegekend"  # the outcome UWV hears when a case is the decision


async def meld(
    ports: Ports,
    bsn: str,
    gemeentecode: str,
    ww_einddatum: date,
    grondslag: dict,
    ww_bedrag: tuple[str, int] | None,
    gemeld: datetime | None = None,
) -> tuple[str, Overdracht]:
    """UWV's notification (`gemeld`: when UWV made it, if it says); `melding` says what it does."""
    controleer_moment(gemeld, ports.clock.now())
    # asked outside the transaction, so no database connection waits on the BRP; judged last, once the
    # notification's own rules passed, so a refusal tells UWV nothing of where the person lives that a
    # handover made would not (as registration judges UWV's municipality)
    woont_er = await ports.brp.woongemeente(bsn) == gemeentecode
    persoon = ports.pseudonym(bsn)
    async with ports.uow() as uow:
        await uow.vergrendel(persoon)  # the same notification twice at once: the second finds the first
        bestaande = await uow.overdrachten.alle(persoon)
        overdracht, uitkomst = melding(
            bestaande,
            str(uuid.uuid4()),
            gemeentecode,
            ww_einddatum,
            grondslag,
            ww_bedrag,
            ports.clock.today(),
            await uow.uitkeringen.van(persoon),
            gemeld,
        )
        if not woont_er:  # nothing is stored
            raise NietWoongemeente(
                "Volgens de BRP woont deze persoon niet in de opgegeven gemeente; meld de overdracht aan de "
                "woongemeente.",
                field="gemeentecode",
            )
        if uitkomst in ("nieuw", "verhuisd") and overdracht.besluit_op:  # a case of the person's was in place
            await _afgerond(
                uow, persoon, bsn, overdracht, BIJSTAND, overdracht.besluit_op, overdracht.besluit_startdatum
            )
        elif overdracht not in bestaande:  # also an unchanged one UWV made again later: its moment
            await uow.overdrachten.bewaar(persoon, bsn, overdracht)
    return uitkomst, overdracht


async def lijst(
    ports: Ports,
    caller: Caller,
    van: date | None,
    tot: date | None,
    na: tuple[date, str] | None = None,
    aantal: int | None = None,
) -> list[tuple[Overdracht, str]]:
    """(handover, BSN) of the municipality (`Overdracht.volgorde`): the first `aantal` after `na`."""
    async with ports.uow() as uow:
        return await uow.overdrachten.van_gemeente(caller.gemeente, van, tot, na, aantal)


async def ingezetenen(
    ports: Ports, caller: Caller, gelezen: list[tuple[Overdracht, str]]
) -> list[tuple[Overdracht, str]]:
    """Those of a page whose person the BRP still registers in the municipality: after a move the old
    one no longer sees the handover, also before UWV notifies the new one."""
    woont = await ports.brp.woongemeenten(bsn for _, bsn in gelezen)
    return [(o, bsn) for o, bsn in gelezen if woont[bsn] == caller.gemeente]


async def van_ingezetene(ports: Ports, caller: Caller, overdracht_id: str) -> tuple[Overdracht, str]:
    """`eigen`, only while the BRP registers the person in the municipality: after a move the handover
    is not found, on every route alike (a different answer would tell that the person moved). Asked
    before the transaction, so no database connection waits on the BRP."""
    async with ports.lees() as uow:
        overdracht, bsn = await eigen(uow, caller, overdracht_id)
    if await ports.brp.woongemeente(bsn) != caller.gemeente:
        raise Onbekend("Deze overdracht bestaat niet of hoort niet bij uw gemeente.")
    return overdracht, bsn


async def zoek(ports: Ports, caller: Caller, bsn: str) -> Overdracht:
    """The person's handover, found by BSN, while the BRP registers them in the municipality and UWV
    notified it there; else not found, as for a person without one (`van_ingezetene`). The BRP is
    asked first, so no database connection waits on it."""
    if await ports.brp.woongemeente(bsn) == caller.gemeente:
        async with ports.lees() as uow:
            alle = await uow.overdrachten.alle(ports.pseudonym(bsn))
        # the latest of the municipality's own, as the list shows them: the person's latest handover may
        # be another municipality's (a WW that ended while they lived there stays there)
        if eigen := [o for o in alle if o.gemeentecode == caller.gemeente]:
            return max(eigen, key=lambda o: o.ww_einddatum)
    raise Onbekend("Voor deze persoon is geen overdracht bekend die u mag zien.")


async def eigen(uow: UnitOfWork, caller: Caller, overdracht_id: str) -> tuple[Overdracht, str]:
    """(handover, BSN) if the asking municipality holds it; another's (also after a move) is not found."""
    gevonden = await uow.overdrachten.met_id(overdracht_id)
    if gevonden is not None:  # a look refused is on the person's record too (the answer stays the same)
        logboek.noteer_bsn(gevonden[1])
    if gevonden is None or gevonden[0].gemeentecode != caller.gemeente:
        raise Onbekend("Deze overdracht bestaat niet of hoort niet bij uw gemeente.")
    return gevonden


async def vergrendeld(ports: Ports, uow: UnitOfWork, caller: Caller, overdracht_id: str) -> tuple[Overdracht, str]:
    """`eigen`, read again once its person is held: a step, an outcome or a case event for the same
    person on another instance meanwhile is in what this one changes, not overwritten by it."""
    _, bsn = await eigen(uow, caller, overdracht_id)
    await uow.vergrendel(ports.pseudonym(bsn))
    return await eigen(uow, caller, overdracht_id)


async def mijn(ports: Ports, caller: Caller) -> Overdracht:
    """A citizen's own handover from UWV."""
    assert caller.bsn, "a citizen's own"
    async with ports.uow() as uow:
        overdracht = await uow.overdrachten.van(ports.pseudonym(caller.bsn))
    if overdracht is None:
        raise Onbekend("UWV heeft geen overdracht voor u gemeld.")
    return overdracht


async def stap(ports: Ports, caller: Caller, overdracht_id: str, naam: str, datum: date) -> tuple[Overdracht, str]:
    """A step of the municipality; UWV hears when the handover was taken up: at its first step, and
    again when a step dated before it is recorded."""
    return await _met_stap(ports, caller, overdracht_id, naam, datum, met_stap)


async def corrigeer_stap(
    ports: Ports, caller: Caller, overdracht_id: str, naam: str, datum: date
) -> tuple[Overdracht, str]:
    """A recorded step's date corrected; UWV hears it when it changes the day the handover was taken up."""
    return await _met_stap(ports, caller, overdracht_id, naam, datum, met_stapdatum)


async def _met_stap(
    ports: Ports,
    caller: Caller,
    overdracht_id: str,
    naam: str,
    datum: date,
    wijziging: Callable[[Overdracht, str, date], Overdracht],
) -> tuple[Overdracht, str]:
    await van_ingezetene(ports, caller, overdracht_id)
    async with ports.uow() as uow:
        vorige, bsn = await vergrendeld(ports, uow, caller, overdracht_id)
        _datum(vorige, datum, ports.clock.today())
        overdracht, persoon = wijziging(vorige, naam, datum), ports.pseudonym(bsn)
        if overdracht == vorige:
            return overdracht, bsn  # the same date again: nothing to store or to tell
        await uow.overdrachten.bewaar(persoon, bsn, overdracht)
        if (opgepakt := overdracht.opgepakt) is not None and opgepakt != vorige.opgepakt:
            stap, op = opgepakt  # UWV has the earliest step's date as the day the handover was taken up
            bericht = events.OverdrachtOpgepakt(
                bsn=bsn, gemeentecode=overdracht.gemeentecode, overdrachtId=overdracht_id, stap=stap, opgepaktOp=op
            )
            await uow.publish(uow.event(persoon, bericht))
        return overdracht, bsn


async def uitkomst(ports: Ports, caller: Caller, overdracht_id: str, soort: str, datum: date) -> tuple[Overdracht, str]:
    """The handover ends without bijstand (work found, none needed); UWV hears it."""
    await van_ingezetene(ports, caller, overdracht_id)
    async with ports.uow() as uow:
        overdracht, bsn = await vergrendeld(ports, uow, caller, overdracht_id)
        _datum(overdracht, datum, ports.clock.today())
        overdracht = met_uitkomst(overdracht, soort, datum)
        await _afgerond(uow, ports.pseudonym(bsn), bsn, overdracht, soort, datum, None)
        return overdracht, bsn


async def corrigeer_uitkomst(
    ports: Ports, caller: Caller, overdracht_id: str, soort: str, datum: date
) -> tuple[Overdracht, str]:
    """A recorded outcome corrected; UWV hears the outcome again (bijstand.besloten, which replaces the
    one before). The same outcome again changes nothing."""
    await van_ingezetene(ports, caller, overdracht_id)
    async with ports.uow() as uow:
        vorige, bsn = await vergrendeld(ports, uow, caller, overdracht_id)
        _datum(vorige, datum, ports.clock.today())
        overdracht = met_gecorrigeerde_uitkomst(vorige, soort, datum)
        if overdracht != vorige:
            await _afgerond(uow, ports.pseudonym(bsn), bsn, overdracht, soort, datum, None)
        return overdracht, bsn


def _datum(overdracht: Overdracht, datum: date, vandaag: date) -> None:
    if reden := datum_fout(overdracht, datum, vandaag):
        raise DatumBuitenOverdracht(reden, field="datum")


async def _afgerond(
    uow: UnitOfWork, persoon: str, bsn: str, o: Overdracht, soort: str, datum: date, ingangsdatum: date | None
) -> None:
    await uow.overdrachten.bewaar(persoon, bsn, o)
    besloten = events.BijstandBesloten(
        bsn=bsn,
        gemeentecode=o.gemeentecode,
        overdrachtId=o.overdracht_id,
        uitkomst=soort,
        datum=datum,
        ingangsdatum=ingangsdatum,
        voorEindeWw=o.geslaagd,
    )
    await uow.publish(uow.event(persoon, besloten))


async def rapportage(ports: Ports, caller: Caller) -> Rapportage:
    """How many of the municipality's handovers whose WW ended had a decision in time, as of today (of
    those it still holds: a person the BRP registers elsewhere is the new municipality's)."""
    gehouden = await ingezetenen(ports, caller, await lijst(ports, caller, None, None))
    return tel([o for o, _ in gehouden], ports.clock.today())


async def uitkering_geopend(uow: UnitOfWork, persoon: str, bsn: str, zaak: Uitkering, vandaag: date) -> None:
    """A bijstand case (its opening, and its end if known) for someone with a handover in the same
    municipality: the decision is in place (UWV hears it); one in another municipality is kept for
    when UWV reports the move. A replayed opening of an earlier case is neither (`is_besluit`)."""
    overdracht = await uow.overdrachten.van(persoon)
    if overdracht is None or zaak.geopend is None or not is_besluit(overdracht, zaak, vandaag):
        return
    gemeentecode, besloten, startdatum = zaak.geopend
    if (bijgewerkt := besluit_genomen(overdracht, gemeentecode, besloten, startdatum)) is None:
        return
    if bijgewerkt.besluit_op == overdracht.besluit_op:
        await uow.overdrachten.bewaar(persoon, bsn, bijgewerkt)
    else:
        await _afgerond(uow, persoon, bsn, bijgewerkt, BIJSTAND, besloten, startdatum)

"""The population (doelbinding): persons with a benefit case or an open re-application window,
and the partners of a case's household for their period in it (their income counts for the
household's bijstand), from the decisions and reapplication services' events. Only for them is
polis data kept, and only for a retention period after they left."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from income.domain.fouten import OnbekendeUitkering
from income.domain.populatie import Bekend, Termijn, Uitkering, gesloten
from income.service.maandinkomens import herbereken_alles
from income.service.ports import Ports, UnitOfWork
from schakel.caller import Caller
from schakel.events.models import HeraanvraagtermijnGeopend
from schakel.primitives.bewaring import bewaren_tot, vastgehouden
from schakel.primitives.volgorde import is_newer
from schakel.telemetry.volgorde import superseded

log = logging.getLogger(__name__)


async def neem_op(
    ports: Ports, uow: UnitOfWork, uitkeringen: list[Uitkering], volgnummers: Mapping[str, int | None] | None = None
) -> set[str]:
    """Adds the cases (with their openings' sequence numbers, by case id); returns the ids known before."""
    nu = ports.clock.now()
    bekend = await uow.populatie.neem_op([replace(u, bekend=Bekend(nu)) for u in uitkeringen], volgnummers)
    await _sluit_termijnen(uow, {u.persoon for u in uitkeringen}, nu)
    # a known person may now start earlier or fall under another municipality's policy
    await herbereken_alles(ports, uow, [u.persoon for u in uitkeringen])
    return bekend


async def zet_partners(
    ports: Ports, uow: UnitOfWork, uitkering_id: str, gemeentecode: str, partners: list[tuple[str, date, date | None]]
) -> None:
    """The partners of a case (BSN, from, until), as decisions states them in full with each change."""
    nu = ports.clock.now()
    leden = [
        Uitkering(uitkering_id, ports.pseudonym(b), b, gemeentecode, van, tot, bekend=Bekend(nu))
        for b, van, tot in partners
    ]
    eerder = await uow.populatie.zet_partners(uitkering_id, leden)
    # a partner's months from the day they joined count; one who left keeps what was established (this
    # holds the partners, those of now and before, in one statement)
    await herbereken_alles(ports, uow, {u.persoon for u in leden} | set(eerder))
    # held, as a window's opening holds its person: of the two transactions, on two instances at once,
    # the later one sees the other's row and closes the window the partner's period closes
    await _sluit_termijnen(uow, {u.persoon for u in leden}, nu)


def _nieuwer(soort: str, volgnummer: int | None, toegepast: int | None) -> bool:
    """Whether an event numbered `volgnummer` replaces state from `toegepast`: an older one (replayed from
    a dead-letter topic) would undo a newer one, so it is skipped and counted."""
    if is_newer(volgnummer, toegepast):
        return True
    superseded(soort, volgnummer, toegepast)
    return False


async def nieuwer(uow: UnitOfWork, uitkering_id: str, volgnummer: int | None, soort: str, bewaar: bool = True) -> bool:
    """Whether a change to the case (its opening, household or end) is newer than the latest applied;
    if so it is recorded (unless not `bewaar`: a change that does not state the whole household must
    not hide an older one that does)."""
    if not _nieuwer(soort, volgnummer, await uow.populatie.volgnummer(uitkering_id)):
        return False
    if bewaar and volgnummer is not None:
        await uow.populatie.zet_volgnummer(uitkering_id, volgnummer)
    return True


async def beeindig(uow: UnitOfWork, uitkering_id: str, tot: date, nu: datetime) -> None:
    """Records the case's end, and when it changed (domain.afsluiting judges the population as read)."""
    if not await uow.populatie.beeindig(uitkering_id, tot, nu):
        raise OnbekendeUitkering("beëindiging van een uitkering die nooit geopend is")


async def open_termijn(uow: UnitOfWork, termijn: Termijn, volgnummer: int | None = None) -> None:
    """Stores the window announced (its `bekend.sinds`: the moment of the announcement)."""
    # held, as a case opening holds its applicant: of the two transactions, on two instances at once,
    # the later one sees the other's row (else each could miss the other and leave the window open)
    await uow.vergrendel(termijn.persoon)
    toegepast = await uow.populatie.termijn_volgnummer(termijn.uitkering_id)
    if not _nieuwer(HeraanvraagtermijnGeopend.TYPE, volgnummer, toegepast):
        return  # the window as first announced, replayed after it moved with a corrected end
    await uow.populatie.open_termijn(termijn, volgnummer)
    await _sluit_termijnen(uow, {termijn.persoon}, termijn.bekend.sinds)


async def _sluit_termijnen(uow: UnitOfWork, personen: set[str], nu: datetime | None) -> None:
    """Closes the windows a later case closes (domain.populatie.gesloten), whichever came first."""
    for dossier in (await uow.populatie.dossiers(personen)).values():
        for termijn in dossier.termijnen:
            if (dicht := gesloten(termijn, dossier)) != termijn:
                await uow.populatie.open_termijn(replace(dicht, bekend=Bekend(nu)))


@dataclass(frozen=True, slots=True)
class Positie:
    """Where a read of the population stands: its date and count as its first page found them, the
    number of the page last given and that page's last BSN (the API seals it in a cursor)."""

    peildatum: date
    totaal: int
    pagina: int
    na: str


@dataclass(frozen=True, slots=True)
class Pagina:
    peildatum: date
    pagina: int
    totaal: int
    personen: list[tuple[str, str]]  # (BSN, municipality)
    volgende: Positie | None  # None: the last page


async def leden(
    ports: Ports, caller: Caller, peildatum: date | None, pagina: int, grootte: int, vanaf: Positie | None = None
) -> Pagina:
    """A page of the population of the provider's municipalities on `peildatum` (today unless asked),
    ordered by BSN: the page after `vanaf`, or page `pagina` (counted anew each time)."""
    gemeenten = ports.contracten.get(caller.oin, frozenset())
    op = vanaf.peildatum if vanaf else peildatum or ports.clock.today()
    async with ports.uow() as uow:
        if vanaf is not None:
            totaal, pagina = vanaf.totaal, vanaf.pagina + 1
            personen = await uow.populatie.na(op, gemeenten, vanaf.na, grootte + 1)
        elif pagina == 1:
            totaal, personen = (
                await uow.populatie.tel(op, gemeenten),
                await uow.populatie.na(op, gemeenten, None, grootte + 1),
            )
        else:
            totaal, personen = await uow.populatie.pagina(op, gemeenten, (pagina - 1) * grootte, grootte + 1)
    volgende = Positie(op, totaal, pagina, personen[grootte - 1][0]) if len(personen) > grootte else None
    return Pagina(op, pagina, totaal, personen[:grootte], volgende)


async def opschonen(ports: Ports, retentie_maanden: int) -> int:
    """Forgets everyone whose last case or window ended longer than the retention period ago."""
    async with ports.uow() as uow:
        tot = bewaren_tot(ports.clock.today(), retentie_maanden)
        personen = await vastgehouden(uow, lambda: uow.populatie.uitgestroomd(tot))
        await uow.populatie.vergeet(personen)
    if personen:
        log.info("retention: forgot the polis data of %d person(s)", len(personen))
    return len(personen)


async def vergeet_los(ports: Ports, retentie_maanden: int) -> int:
    """The polis data no case, partner's period or window holds any more (a partner a correction took
    out of the household), `retentie_maanden` after each row's month; daily, as it reads every row."""
    async with ports.uow() as uow:
        weg = await uow.populatie.vergeet_los(bewaren_tot(ports.clock.today(), retentie_maanden))
    if weg:
        log.info("retention: forgot %d polis row(s) no case holds", weg)
    return weg

"""A provider closes a month (domain.afsluiting): every person of the population it read whose case
ran in the month and who has no income established for it gets the month established without
income, and `maandinkomen.vastgesteld` with it, so decisions settles it. A closing is checked and
stored when asked for, and worked off in the background (`werk_af`), a page of persons a transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from income.domain.afsluiting import Afsluiting, controleer, controleer_levering, gedekt
from income.domain.fouten import NietGecontracteerd, OnbekendeAfsluiting, TeVeelAfsluitingen
from income.domain.populatie import leden, zoals_op
from income.service.maandinkomens import herbereken
from income.service.ports import Ports, UnitOfWork
from schakel.caller import Caller
from schakel.events.envelope import new_id
from schakel.primitives import Maand
from schakel.primitives.periode import dag_van

log = logging.getLogger(__name__)
PER_TRANSACTIE = 500  # persons a transaction: a closing of a national population commits as it goes
# a closing failing at one page is given up after this many attempts in a row, over at least this long:
# a database that is briefly away or slow (a statement timeout, a deadlock) does not end it
MAX_POGINGEN = 10
OPGEVEN_NA = timedelta(minutes=30)
MAX_OPEN = 24  # open closings per provider (two years of months): one provider cannot hold up the others


async def vraag_aan(
    ports: Ports,
    caller: Caller,
    maand: Maand,
    gelezen_op: datetime,
    gemeentecodes: Iterable[str] | None,
    zonder_aangiften: Iterable[str] = (),
) -> Afsluiting:
    """Checks and stores a closing for the provider's municipalities (or those of them asked), of which
    it had nothing to deliver for `zonder_aangiften`; the service works it off in the background. A
    closing again, or after a crash halfway, establishes only what is still missing."""
    peildatum = dag_van(gelezen_op)
    controleer(maand, gelezen_op, peildatum, ports.clock.today(), ports.clock.now())
    gecontracteerd = ports.contracten.get(caller.oin, frozenset())
    gemeenten = gecontracteerd if gemeentecodes is None else frozenset(gemeentecodes)
    if not gemeenten or not gemeenten <= gecontracteerd:
        raise NietGecontracteerd("U bent niet gecontracteerd voor elk van deze gemeenten.", field="gemeentecodes")
    leeg = frozenset(zonder_aangiften)
    afsluiting = Afsluiting(new_id(), caller.oin, maand, gelezen_op, gemeenten, ports.clock.now(), leeg)
    async with ports.uow() as uow:
        # read before the lock, which holds every key shared (locks.hold): a delivery of more persons than
        # locks.MOST, and every lock asked after it, would wait for this read of months of declarations
        geleverd = await uow.polisregels.geleverd(caller.oin, maand, gelezen_op, gemeenten)
        # one request of the provider at a time, so two at once (a retry racing the first) make one closing
        await uow.vergrendel(f"maandafsluiting {caller.oin}")  # as a delivery's key (aangiften._levering)
        open_ = await uow.afsluitingen.open_van(caller.oin)
        if zelfde := next((a for a in open_ if a.zelfde(afsluiting)), None):
            # asked again while it runs (a retry without an Idempotency-Key): the same closing, checked when
            # it was asked; a declaration delivered since does not turn the retry into a refusal
            return zelfde
        controleer_levering(gemeenten, geleverd, leeg)
        if len(open_) >= MAX_OPEN:
            raise TeVeelAfsluitingen(
                f"U heeft al {len(open_)} lopende afsluitingen: vraag een nieuwe aan als er een klaar is."
            )
        await uow.afsluitingen.neem_op(afsluiting)
    return afsluiting


async def van(ports: Ports, caller: Caller, afsluiting_id: str) -> Afsluiting:
    async with ports.uow() as uow:
        afsluiting = await uow.afsluitingen.van(caller.oin, afsluiting_id)
    if afsluiting is None:
        raise OnbekendeAfsluiting("Geen afsluiting van u met dit id.")
    return afsluiting


async def werk_af(ports: Ports, gemeld: Callable[[Afsluiting, int], object] = lambda *_: None) -> None:
    """Works off the open closings, a page a transaction, until none is left; another instance takes
    another closing meanwhile. `gemeld` hears of each committed page and of a closing given up: the
    closing as it stands and how many months that page established without income."""
    while True:
        geclaimd: Afsluiting | None = None
        try:
            async with ports.uow() as uow:
                geclaimd = await uow.afsluitingen.volgende()
                if geclaimd is None:
                    return
                verder = await _pagina(ports, uow, geclaimd)
                await uow.afsluitingen.werk_bij(verder)
        except Exception:
            if geclaimd is not None:
                await _mislukt(ports, geclaimd, gemeld)
            raise  # the task logs it, shows it failing and tries again after its backoff
        gemeld(verder, verder.zonder_inkomen - geclaimd.zonder_inkomen)
        if verder.mislukt_op is not None:
            log.error("month closing %s given up: its provider is no longer contracted for all of it", verder.id)
        elif verder.afgerond_op is not None:
            log.info(
                "month closed: %d person(s) in it, %d established without income",
                verder.personen,
                verder.zonder_inkomen,
            )


async def _mislukt(ports: Ports, afsluiting: Afsluiting, gemeld: Callable[[Afsluiting, int], object]) -> None:
    """Counts a failed attempt at the closing's next page: it goes behind the others, and after
    MAX_POGINGEN in a row over OPGEVEN_NA it is given up (the provider sees `mislukt` and asks again)."""
    async with ports.uow() as uow:
        opgegeven = await uow.afsluitingen.mislukt(afsluiting.id, ports.clock.now(), MAX_POGINGEN, OPGEVEN_NA)
    if opgegeven is not None:
        log.error("month closing %s given up after %d failed attempts at one page", afsluiting.id, opgegeven.pogingen)
        gemeld(opgegeven, 0)


async def _pagina(ports: Ports, uow: UnitOfWork, afsluiting: Afsluiting) -> Afsluiting:
    """The next page of the closing's population, with the months of those covered established."""
    if not afsluiting.gemeentecodes <= ports.contracten.get(afsluiting.leverancier, frozenset()):
        # no longer contracted for all of them (the settings changed at a restart while it ran): it closes
        # nothing more and is given up, so the provider asks again for what it serves; what was
        # established stays
        return replace(afsluiting, na=None, mislukt_op=ports.clock.now())
    maand, gelezen_op = afsluiting.maand, afsluiting.gelezen_op
    peildatum = dag_van(gelezen_op)  # the population of that day, as income knew it then
    # the population as income knew it when it was read: also who has left it since
    pagina = await uow.populatie.na(peildatum, afsluiting.gemeentecodes, afsluiting.na, PER_TRANSACTIE, gelezen_op)
    pseudoniemen = [ports.pseudonym(bsn) for bsn, _ in pagina]
    # held as a delivery holds them: a declaration arriving meanwhile is either in the month already,
    # or revises the month established here
    await uow.vergrendel(*pseudoniemen)
    dossiers = await uow.populatie.dossiers(pseudoniemen)
    # members as read: also one whose case ended back in time since, so its last month is settled
    gelezen = leden({p: zoals_op(d, gelezen_op) for p, d in dossiers.items()}, peildatum)
    gedekte = [p for p, d in dossiers.items() if gedekt(d, maand, gelezen_op, peildatum, afsluiting.gemeentecodes)]
    # only the months not known yet: a known one is the polis's (or a caseworker's) to change
    bekend = await uow.maandinkomens.met(gedekte, maand)
    geraakt = {p: {maand} for p in gedekte if p not in bekend}
    zonder_inkomen = await herbereken(ports, uow, geraakt, gelezen)
    laatste = len(pagina) < PER_TRANSACTIE
    return replace(
        afsluiting,
        personen=afsluiting.personen + len(gedekte),
        zonder_inkomen=afsluiting.zonder_inkomen + zonder_inkomen,
        na=None if laatste else pagina[-1][0],
        afgerond_op=ports.clock.now() if laatste else None,
        pogingen=0,
        fout_sinds=None,
    )

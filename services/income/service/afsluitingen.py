"""A provider closes a month (domain.afsluiting): every person of the population it read whose case
ran in the month and who has no income established for it gets the month established without
income, and `maandinkomen.vastgesteld` with it, so decisions settles it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from income.domain.afsluiting import controleer, gedekt
from income.domain.fouten import NietGecontracteerd, NietGeleverd
from income.domain.populatie import leden, zoals_op
from income.service.maandinkomens import herbereken
from income.service.ports import Ports
from schakel.caller import Caller
from schakel.clock import NL
from schakel.primitives import Maand

log = logging.getLogger(__name__)
PER_TRANSACTIE = 500  # persons a transaction: a closing of a national population commits as it goes


@dataclass(frozen=True, slots=True)
class Afsluiting:
    maand: Maand
    gelezen_op: datetime
    personen: int  # of the population read, with a case in the month
    zonder_inkomen: int  # of whom the month was established without income now


async def sluit_af(
    ports: Ports, caller: Caller, maand: Maand, gelezen_op: datetime, gemeentecodes: Iterable[str] | None
) -> Afsluiting:
    """Closes the month for the provider's municipalities (or those of them asked). A closing again,
    or after a crash halfway, establishes only what is still missing."""
    vandaag = ports.clock.today()
    peildatum = gelezen_op.astimezone(NL).date()  # the population of that day, as income knew it then
    controleer(maand, gelezen_op, peildatum, vandaag, ports.clock.now())
    gecontracteerd = ports.contracten.get(caller.oin, frozenset())
    gemeenten = gecontracteerd if gemeentecodes is None else frozenset(gemeentecodes)
    if not gemeenten or not gemeenten <= gecontracteerd:
        raise NietGecontracteerd("U bent niet gecontracteerd voor elk van deze gemeenten.", field="gemeentecodes")
    async with ports.uow() as uow:
        # every delivery over a month holds periods that begin in it (the monthly ones, on its first day)
        if not await uow.polisregels.geleverd(caller.oin, (maand.eerste_dag, maand.laatste_dag)):
            raise NietGeleverd(
                "U leverde geen aangifte met een tijdvak dat in deze maand begint: sluit een maand af nadat u "
                "haar leverde.",
                field="maand",
            )
    personen = zonder_inkomen = 0
    na: str | None = None
    while True:
        async with ports.uow() as uow:
            # the population as income knew it when it was read: also who has left it since
            pagina = await uow.populatie.na(peildatum, gemeenten, na, PER_TRANSACTIE, gelezen_op)
            pseudoniemen = [ports.pseudonym(bsn) for bsn, _ in pagina]
            # held as a delivery holds them: a declaration arriving meanwhile is either in the month
            # already, or revises the month established here
            await uow.vergrendel(*pseudoniemen)
            dossiers = await uow.populatie.dossiers(pseudoniemen)
            # members as read: also one whose case ended back in time since, so its last month is settled
            gelezen = leden({p: zoals_op(d, gelezen_op) for p, d in dossiers.items()}, peildatum)
            gedekte = [p for p, d in dossiers.items() if gedekt(d, maand, gelezen_op, peildatum, gemeenten)]
            # only the months not known yet: a known one is the polis's (or a caseworker's) to change
            bekend = await uow.maandinkomens.met(gedekte, maand)
            geraakt = {p: {maand} for p in gedekte if p not in bekend}
            zonder_inkomen += await herbereken(ports, uow, geraakt, gelezen)
        personen += len(gedekte)
        if len(pagina) < PER_TRANSACTIE:
            break
        na = pagina[-1][0]
    log.info("month closed: %d person(s) in it, %d established without income", personen, zonder_inkomen)
    return Afsluiting(maand, gelezen_op, personen, zonder_inkomen)

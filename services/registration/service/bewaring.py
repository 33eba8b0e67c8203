"""Retention, run periodically (bootstrap): registration forgets a person's facts
`retentie_maanden` after the last day they gave the person anything (domain.bewaring), and what the
history keeps of a withdrawn fact with them, or that long after the withdrawal (with the last one of a
person whose every fact was withdrawn, the numbering of their events)."""

from __future__ import annotations

import logging
from datetime import date

from registration.domain.bewaring import einde
from registration.domain.deelname import Feit
from registration.service.ports import Ports
from schakel.primitives.bewaring import bewaren_tot, uitgestroomd
from schakel.primitives.periode import middernacht

log = logging.getLogger(__name__)


async def opschonen(ports: Ports, retentie_maanden: int, per: int = 1000) -> int:
    """How many persons were forgotten. `per` persons a transaction, so the service's other work
    (requests, consumers) goes on between them: folding a person's facts is the costly part."""
    tot = bewaren_tot(ports.clock.today(), retentie_maanden)
    voor = middernacht(tot)  # a withdrawal on that Dutch day is kept
    async with ports.uow() as uow:
        # held before their traces go, as every writer holds a person before their rows: a page of a run alongside
        # (past midnight the new day takes the turn) holds the persons it forgets, then deletes their traces
        await uow.vergrendel(*(gehouden := await uow.intrekkingen.personen_voor(voor)))
        await uow.intrekkingen.vergeet_voor(voor)
        # of a person whose every fact was withdrawn only the numbering of their events is left, which goes with
        # the last trace (held: a fact arriving alongside keeps it). Their last event, the withdrawal's, is as old as
        # retention, so a number handed out again (from the time: outbox.numbered) is higher on any instance
        await uow.feiten.vergeet_nummering(gehouden)
    vergeten, na = 0, None
    while True:
        async with ports.uow() as uow:
            gelezen = await uow.feiten.stil_voor(tot, na, per)
            await uow.vergrendel(*(gehouden := stil(gelezen, tot)))
            deel = await uow.feiten.stil_voor(tot, na, per)  # asked again: a fact reported meanwhile keeps the person
            personen = sorted(set(gehouden) & set(stil(deel, tot)))
            await uow.feiten.vergeet({p: [f.volgnummer for f in deel[p]] for p in personen})
            await uow.intrekkingen.vergeet(personen)
        if not gelezen:
            break
        vergeten, na = vergeten + len(personen), max(gelezen)  # the page as read first, which was held
    if vergeten:
        log.info("retention: forgot %d person(s)", vergeten)
    return vergeten


def stil(deel: dict[str, list[Feit]], tot: date) -> list[str]:
    """The persons whose facts gave them nothing since before `tot`: retention forgets them."""
    # an end is never before the last fact: only those quiet since before `tot` are folded. A person read without
    # facts was forgotten between the page's two reads (a run alongside): nothing left to forget
    return uitgestroomd({p: [einde(feiten)] for p, feiten in deel.items() if feiten}, tot)

"""Retention, run periodically (bootstrap). Reapplication keeps a person's re-application windows
(with what a re-application reuses), re-applications, Max-WW handover and
the cases it followed while something of theirs runs (an open window, a re-application not yet
decided, a case) and for `retentie_maanden` after the last of it ended: a window when it closed or
ran out, a re-application when it was decided, a handover when a case was opened or the WW ended,
a case on its last day. A doelgroep ground is registration's (it reports everyone's): it stays while
it says something; one that says nothing goes with its person, or, of someone nothing here holds,
`retentie_maanden` after it said nothing (daily, `vergeet_los`). A forgotten case's id and last
sequence number stay, without the person, for as long as a copy of one of its events can still
arrive (`LAAT_GEOPEND`: a topic's life and the outbox's margin), so that a replay of one brings
nothing back."""

from __future__ import annotations

import logging

from reapplication.domain.overdracht import LAAT_GEOPEND
from reapplication.service.ports import Ports
from schakel.primitives.bewaring import bewaren_tot, vastgehouden

log = logging.getLogger(__name__)


async def opschonen(ports: Ports, retentie_maanden: int) -> int:
    """How many persons were forgotten."""
    async with ports.uow() as uow:
        vandaag = ports.clock.today()
        tot = bewaren_tot(vandaag, retentie_maanden)
        personen = await vastgehouden(uow, lambda: uow.bewaring.uitgestroomd(tot))
        await uow.bewaring.vergeet(personen, vandaag)
        await uow.bewaring.vergeet_vergeten(vandaag - LAAT_GEOPEND)
    if personen:
        log.info("retention: forgot %d person(s)", len(personen))
    return len(personen)


async def vergeet_los(ports: Ports, retentie_maanden: int) -> int:
    """The doelgroep grounds that said nothing since `retentie_maanden` ago, of persons nothing here
    holds; returns how many went."""
    async with ports.uow() as uow:
        weg = await uow.bewaring.vergeet_los(bewaren_tot(ports.clock.today(), retentie_maanden))
    if weg:
        log.info("retention: forgot %d doelgroep ground(s) no record holds", weg)
    return weg

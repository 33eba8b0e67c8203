"""Retention, run periodically (bootstrap): registration forgets a person's facts
`retentie_maanden` after the last day they gave the person anything (domain.bewaring)."""

from __future__ import annotations

import logging

from registration.domain.bewaring import einde
from registration.service.ports import Ports
from schakel.primitives.bewaring import bewaren_tot, uitgestroomd

log = logging.getLogger(__name__)


async def opschonen(ports: Ports, retentie_maanden: int) -> int:
    """How many persons were forgotten."""
    async with ports.uow() as uow:
        einden = {persoon: [einde(feiten)] for persoon, feiten in (await uow.feiten.alle()).items()}
        personen = uitgestroomd(einden, bewaren_tot(ports.clock.today(), retentie_maanden))
        await uow.feiten.vergeet(personen)
    if personen:
        log.info("retention: forgot %d person(s)", len(personen))
    return len(personen)

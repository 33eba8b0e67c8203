"""Retention, run periodically (bootstrap): forget the persons whose retention ran out
(domain.bewaring) and the finished webhook deliveries older than their term."""

from __future__ import annotations

import logging
from datetime import timedelta

from decisions.domain.bewaring import bewaren_tot, uitgestroomd
from decisions.service.ports import Ports

log = logging.getLogger(__name__)


async def opschonen(ports: Ports, retentie_maanden: int, afleveringen_dagen: int) -> tuple[int, int]:
    """(persons forgotten, deliveries removed)."""
    async with ports.uow() as uow:
        personen = uitgestroomd(await uow.bewaring.einden(), bewaren_tot(ports.clock.today(), retentie_maanden))
        await uow.bewaring.vergeet(personen)
        afleveringen = await uow.bewaring.vergeet_afleveringen(ports.clock.now() - timedelta(days=afleveringen_dagen))
    if personen or afleveringen:
        log.info("retention: forgot %d person(s) and %d webhook delivery(ies)", len(personen), afleveringen)
    return len(personen), afleveringen

"""Retention, run periodically (bootstrap). Decisions keeps a person's cases with their situations,
payments, settlements, exit proposals and history, and the person's incomes and participation
status, while a case runs and for `retentie_maanden` after their last case ended: long enough to
revise the last months when a late polis correction arrives. The municipality's own file (its
back office, fed by the webhooks and events) is the record it archives under its selection list.
What is kept beside a case about someone no case holds any more (a partner a correction took out
of the household, income that came after its person was forgotten, a status of someone without a
case) goes on its own end, once a day (`vergeet_los`): a running status is registration's, kept
while it runs. A finished webhook delivery's status and tries are kept `afleveringen_dagen` days, for
the delivery log (the event it carried goes when it finishes). The outflow records of the programme's fall-back figure are no one's case: they go
once their 36-month window passed, counted per municipality and month (service.programmacijfers)."""

from __future__ import annotations

import logging
from datetime import timedelta

from decisions.service import programmacijfers
from decisions.service.ports import Ports
from schakel.primitives.bewaring import bewaren_tot, vastgehouden
from schakel.telemetry import metrics

log = logging.getLogger(__name__)


async def opschonen(ports: Ports, retentie_maanden: int, afleveringen_dagen: int) -> tuple[int, int]:
    """(persons forgotten, deliveries removed)."""
    tot = bewaren_tot(ports.clock.today(), retentie_maanden)
    async with ports.uow() as uow:
        personen = await vastgehouden(uow, lambda: uow.bewaring.uitgestroomd(tot))
        await uow.bewaring.vergeet(personen)
        vervallen, afleveringen = await uow.bewaring.vergeet_afleveringen(
            ports.clock.now() - timedelta(days=afleveringen_dagen)
        )
        uitstroom = await programmacijfers.tel_af(ports, uow)
    metrics.WEBHOOK_DELIVERIES.labels("lapsed").inc(vervallen)
    if vervallen:  # rare: each lost a race with a stop, and its back office will not hear of its event
        log.warning(
            "retention: %d webhook delivery(ies) written while their subscription was being stopped lapsed", vervallen
        )
    if personen or afleveringen or uitstroom:
        log.info(
            "retention: forgot %d person(s), %d webhook delivery(ies) and %d outflow record(s)",
            len(personen),
            afleveringen,
            uitstroom,
        )
    return len(personen), afleveringen


async def vergeet_los(ports: Ports, retentie_maanden: int) -> int:
    """What is kept beside a case about someone no case holds, `retentie_maanden` after its end;
    returns how many rows went. Daily: it reads every income and status."""
    async with ports.uow() as uow:
        weg = await uow.bewaring.vergeet_los(bewaren_tot(ports.clock.today(), retentie_maanden))
    if weg:
        log.info("retention: forgot %d income or status row(s) no case holds", weg)
    return weg

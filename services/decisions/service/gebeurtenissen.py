"""The change feed: every event published about a municipality's cases, in the order it committed,
for a back office to follow or to read back what it missed (a webhook subscription that stopped, a
consumer restored from a backup). It names cases by id, never a BSN."""

from __future__ import annotations

import logging
from datetime import datetime

from decisions.service.ports import Gebeurtenis, Ports
from schakel import logboek
from schakel.caller import Caller

log = logging.getLogger(__name__)
PER_KEER = 5000  # rows a transaction fills in: short, so settling never waits long for them


async def lijst(
    ports: Ports,
    caller: Caller,
    vanaf: datetime | None,
    na: tuple[int, int] | None,
    aantal: int,
) -> list[Gebeurtenis]:
    """The municipality's events after `na` (from `vanaf` on): the first `aantal`. Each case's applicant
    is on record as processed: the feed names no BSN, so no field notes it (schakel.logboek)."""
    async with ports.uow() as uow:
        gelezen = await uow.gebeurtenissen.van_gemeente(caller.gemeente, vanaf, na, aantal)
        for zaak in (await uow.uitkeringen.van_alle(sorted({g.uitkering_id for g in gelezen}))).values():
            logboek.noteer_bsn(zaak.bsn)
    return gelezen


async def vul_gemeentecodes(ports: Ports, per_keer: int = PER_KEER) -> int:
    """Case history rows from before the change feed (decisions 0.20), and those an earlier version's
    instance writes while a deploy rolls, get their case's municipality, a batch per transaction, so
    the feed reads them by its index (until then it finds them through their case). Runs in one
    instance after each start and with the retention; how many."""
    totaal, na = 0, None
    while True:
        async with ports.uow() as uow:
            gevuld, na = await uow.gebeurtenissen.vul_gemeentecodes(na, per_keer)
        totaal += gevuld
        if gevuld < per_keer:
            break
    if totaal:
        log.info("change feed: %d case history row(s) given their municipality", totaal)
    return totaal

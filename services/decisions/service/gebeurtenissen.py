"""The change feed: every event published about a municipality's cases, in the order it committed,
for a back office to follow or to read back what it missed (a webhook subscription that stopped, a
consumer restored from a backup). It names cases by id, never a BSN."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from decisions.service.ports import Gebeurtenis, Ports
from schakel import logboek
from schakel.caller import Caller
from schakel.telemetry import metrics

log = logging.getLogger(__name__)
PER_KEER = 5000  # rows a transaction fills in: short, so settling never waits long for them
HORIZON_INTERVAL = 15  # seconds between two looks at what holds the feed back
TE_LANG = timedelta(minutes=10)  # held back this long, the instance says so in its log (and the alert fires)


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


class Horizon:
    """Watches what holds the feed back: the oldest writing transaction on the database server while a
    later one has ended, as what the later one wrote waits for it (`van_gemeente`). `meet` runs every
    HORIZON_INTERVAL; the time a transaction was first seen holding the feed back stands in for when it
    began to (the server shows a transaction's start only to a privileged role): late by one interval."""

    def __init__(self, ports: Ports) -> None:
        self._ports = ports
        self._lopend: tuple[int, datetime] | None = None  # the transaction and when it was first seen
        self._gemeld = False

    async def meet(self) -> datetime | None:
        """Since when the feed is held back, or None when nothing waits (`schakel_feed_held_since`)."""
        async with self._ports.uow() as uow:
            xid = await uow.gebeurtenissen.oudste_lopende()
        nu = self._ports.clock.now()
        if xid is None or self._lopend is None or self._lopend[0] != xid:
            self._lopend, self._gemeld = (None if xid is None else (xid, nu)), False
        sinds = self._lopend[1] if self._lopend else None
        metrics.FEED_HELD_SINCE.set(sinds.timestamp() if sinds else 0)
        if sinds and nu - sinds >= TE_LANG and not self._gemeld:
            self._gemeld = True
            log.warning(
                "change feed: events held back for %d minutes by transaction %d, still running on the database "
                "server (pg_stat_activity.backend_xid)",
                (nu - sinds) // timedelta(minutes=1),
                xid,
            )
        return sinds

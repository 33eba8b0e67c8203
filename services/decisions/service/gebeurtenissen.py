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
    later one has ended, as what transactions that first wrote after it commit waits for it (`van_gemeente`).
    `meet` runs every HORIZON_INTERVAL. Since when: when this instance first saw it (late by one interval at
    most). The server's start of a transaction is when it began, not when it first wrote and so began to hold
    anything back (a session that reads for an hour and then writes would be "held back for an hour" at once):
    it stands in only for one already running at this instance's first look, so a restart of every instance
    does not start the 10 minutes again."""

    def __init__(self, ports: Ports) -> None:
        self._ports = ports
        self._lopend: tuple[int, datetime] | None = None  # the transaction and since when it holds the feed
        self._gemeld = False
        self._gekeken = False  # whether this instance looked before: what it finds later, it saw begin to hold

    async def meet(self) -> datetime | None:
        """Since when the feed is held back, or None when nothing waits (`schakel_feed_held_since`)."""
        async with self._ports.uow() as uow:
            lopend = await uow.gebeurtenissen.oudste_lopende()
        nu = self._ports.clock.now()
        if lopend is None or self._lopend is None or self._lopend[0] != lopend.xid:
            sinds = (None if self._gekeken else lopend and lopend.begonnen) or nu
            self._lopend, self._gemeld = (None if lopend is None else (lopend.xid, sinds)), False
        self._gekeken = True
        if self._lopend is None:
            metrics.FEED_HELD_SINCE.set(0)
            return None
        xid, sinds = self._lopend
        metrics.FEED_HELD_SINCE.set(sinds.timestamp())
        if nu - sinds >= TE_LANG and not self._gemeld:
            self._gemeld = True
            # the id is the 64-bit one (with the wraparound epoch); pg_stat_activity and pg_prepared_xacts show
            # its 32-bit xid, and PostgreSQL 16 and later refuse the 64-bit one as an xid ("out of range")
            log.warning(
                "change feed: events held back for %d minutes by transaction %d, still running on the database "
                "server (pg_stat_activity.backend_xid = '%d'; a prepared one: pg_prepared_xacts.transaction)",
                (nu - sinds) // timedelta(minutes=1),
                xid,
                xid % 2**32,
            )
        return sinds

"""The webhook worker: delivers due rows of `afleveringen`, each subscription on its own.

Every subscription with due deliveries gets its own task that delivers them one at a time (so a
subscriber's order holds), at most `webhook_gelijktijdig` deliveries run at once over all
subscriptions, and a slow subscriber never holds up a round: the next round starts the others
while it is still busy. Each delivery has one deadline for resolving, connecting, sending and
reading (at most a few KiB of) the answer, catches whatever goes wrong, and only its own row
moves to its next attempt. A subscriber that keeps failing is paused by its circuit.
A delivery cut off by a shutdown stays due and goes again after the restart (receivers
deduplicate on `webhook-id`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable
from urllib.parse import urlsplit

import sqlalchemy as sa
from opentelemetry import propagate, trace

from schakel.runtime import Service

from decisions.adapters.tables import abonnementen, afleveringen, pogingen
from decisions.adapters.webhook_http import AfleverFout, Verzender
from decisions.domain.webhook import Circuit, adres_fout, host_ascii, na_aflevering, onderteken, wachttijd

log = logging.getLogger(__name__)
tracer = trace.get_tracer("decisions.webhooks")
PER_RONDE = 50
Resolver = Callable[[str, int], Awaitable[list[str]]]  # host, port -> its addresses (OSError: none)


class Geweigerd(Exception):
    """The delivery may not go out: `str(exc)` is what the delivery log shows (with no duration:
    nothing was sent), `reden` what a subscriber is told."""

    def __init__(self, woord: str, reden: str) -> None:
        super().__init__(woord)
        self.reden = reden


@dataclass(frozen=True)
class Poging:
    statuscode: int | None
    fout: str | None
    duur_ms: int | None

    @property
    def gelukt(self) -> bool:
        return self.statuscode is not None and 200 <= self.statuscode < 300


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def adressen(resolver: Resolver, url: str, lokaal: bool) -> tuple[str, str]:
    """The host (ASCII) of a callback URL and the address to connect to, after checking every
    address the name has now; raises Geweigerd."""
    parts = urlsplit(url)
    host = host_ascii(parts.hostname or "")
    if host is None:
        raise Geweigerd("ongeldige host", "de host van de URL is geen geldige domeinnaam of IP-adres")
    try:
        gevonden = await resolver(host, parts.port or (443 if parts.scheme == "https" else 80))
    except OSError:
        gevonden = []
    reden = adres_fout(gevonden, lokaal)
    if reden:
        raise Geweigerd("adres niet toegestaan" if gevonden else "naam niet gevonden", reden)
    return host, gevonden[0]


class Bezorger:
    """The worker; `ronde` runs every `webhook_interval_seconden`."""

    def __init__(self, service: Service, resolver: Resolver) -> None:
        self._service, self._resolver = service, resolver
        self._settings = service.settings
        self._verzender = Verzender(self._settings.webhook_timeout_seconden)
        self._ruimte = asyncio.Semaphore(self._settings.webhook_gelijktijdig)
        self._bezig: dict[str, asyncio.Task] = {}

    async def ronde(self) -> int:
        """Starts a task for each subscription with due deliveries that has none running and whose
        circuit is not open; returns how many deliveries it handed out."""
        self._bezig = {a: t for a, t in self._bezig.items() if not t.done()}
        nu = _now()
        async with self._service.db.transaction() as conn:
            due = (await conn.execute(
                sa.select(afleveringen, abonnementen.c.url, abonnementen.c.geheim,
                          abonnementen.c.opeenvolgende_fouten, abonnementen.c.onderbroken_tot,
                          abonnementen.c.onderbrekingen)
                .join(abonnementen, abonnementen.c.abonnement_id == afleveringen.c.abonnement_id)
                .where(afleveringen.c.status == "wachtend", afleveringen.c.volgende_poging_op <= nu,
                       abonnementen.c.actief.is_(True), abonnementen.c.abonnement_id.not_in(list(self._bezig)),
                       sa.or_(abonnementen.c.onderbroken_tot.is_(None), abonnementen.c.onderbroken_tot <= nu))
                .order_by(afleveringen.c.id).limit(PER_RONDE))).all()
        reeksen: dict[str, list] = {}
        for row in due:
            reeksen.setdefault(row.abonnement_id, []).append(row)
        for abonnement_id, rows in reeksen.items():
            self._bezig[abonnement_id] = asyncio.create_task(self._reeks(rows), name=f"webhook {abonnement_id}")
        return len(due)

    async def klaar(self) -> None:
        """Waits for every delivery that was started (tests use it to end a round)."""
        await asyncio.gather(*self._bezig.values())

    async def _reeks(self, rows: list) -> None:
        """A subscription's due deliveries in order, until its circuit opens."""
        s = self._settings
        circuit = Circuit(rows[0].opeenvolgende_fouten, rows[0].onderbroken_tot, rows[0].onderbrekingen)
        for row in rows:
            try:
                async with self._ruimte:
                    poging = await self._aflever(row)
                circuit = na_aflevering(circuit, poging.gelukt, _now(), s.webhook_circuit_drempel,
                                        s.webhook_circuit_basis_seconden)
                await self._leg_vast(row, poging, circuit)
            except Exception as exc:  # noqa: BLE001 - the row stays due; the next round tries again
                log.warning("webhook delivery %d not recorded (%s)", row.id, exc.__class__.__name__)
                return
            if circuit.open(_now()):
                log.warning("webhook subscription %s paused until %s after %d failures in a row",
                            row.abonnement_id, circuit.onderbroken_tot, circuit.opeenvolgende_fouten)
                return

    async def _aflever(self, row) -> Poging:
        body = row.body.encode()
        tijdstip = int(time.time())
        headers = {"content-type": "application/cloudevents+json", "webhook-id": row.event_id,
                   "webhook-timestamp": str(tijdstip),
                   "webhook-signature": onderteken(row.geheim, row.event_id, tijdstip, body)}
        parent = propagate.extract({"traceparent": row.traceparent} if row.traceparent else {})
        with tracer.start_as_current_span("webhook deliver", context=parent, kind=trace.SpanKind.CLIENT,
                                          attributes={"cloudevents.event_type": row.event_type}):
            propagate.inject(headers)  # the back office can follow the trace too
            started = time.perf_counter()
            statuscode, fout = None, None
            try:
                async with asyncio.timeout(self._settings.webhook_timeout_seconden):
                    host, adres = await adressen(self._resolver, row.url, self._settings.webhook_lokaal_toestaan)
                    statuscode = await self._verzender.post(row.url, host, adres, body, headers)
            except Geweigerd as exc:
                return Poging(None, str(exc), None)
            except AfleverFout as exc:
                fout = str(exc)
            except TimeoutError:
                fout = "time-out"
            except Exception as exc:  # noqa: BLE001 - whatever it is, it fails this delivery only
                log.warning("webhook delivery %d failed unexpectedly (%s)", row.id, exc.__class__.__name__)
                fout = "aflevering mislukt"
        return Poging(statuscode, fout, int((time.perf_counter() - started) * 1000))

    async def _leg_vast(self, row, poging: Poging, circuit: Circuit) -> None:
        s = self._settings
        nummer = row.pogingen + 1
        status = "afgeleverd" if poging.gelukt else ("mislukt" if nummer >= s.webhook_max_pogingen else "wachtend")
        async with self._service.db.transaction() as conn:
            await conn.execute(pogingen.insert().values(
                aflevering_id=row.id, nummer=nummer, tijdstip=_now(), statuscode=poging.statuscode,
                fout=poging.fout, duur_ms=poging.duur_ms))
            await conn.execute(afleveringen.update().where(afleveringen.c.id == row.id).values(
                status=status, pogingen=nummer,
                volgende_poging_op=_now() + timedelta(seconds=wachttijd(nummer, s.webhook_basis_seconden))))
            await conn.execute(abonnementen.update().where(abonnementen.c.abonnement_id == row.abonnement_id).values(
                opeenvolgende_fouten=circuit.opeenvolgende_fouten, onderbroken_tot=circuit.onderbroken_tot,
                onderbrekingen=circuit.onderbrekingen))
        if not poging.gelukt:
            log.warning("webhook delivery %d attempt %d failed (%s)", row.id, nummer,
                        poging.statuscode or poging.fout)


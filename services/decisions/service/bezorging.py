"""The webhook worker: delivers due deliveries, each subscription on its own.

Every subscription with due deliveries gets its own task that delivers them one at a time and in
order: one that fails holds the later ones back until it is delivered or given up (so a subscriber
never gets a revision before what it revises). At most `gelijktijdig` deliveries run at once over
all subscriptions, and a slow subscriber never holds up a round: the next round starts the others
while it is still busy. A 410 Gone stops the subscription; a delivery still waiting after
`bewaren_dagen` is given up, so retention removes it with the person's data it carries. Each
delivery has one deadline for resolving, connecting, sending and reading (at most a few KiB of) the
answer, catches whatever goes wrong, and only its own row moves to its next attempt.
A subscriber that keeps failing is paused by its circuit. A delivery cut off by a shutdown stays
due and goes again after the restart (receivers deduplicate on `webhook-id`).

With several instances, each worker claims the subscriptions it delivers to (`claim`) and extends
its claim before each delivery it sends (it may have waited for a slot) and with each it records: one
instance at a time delivers a subscription's webhooks, so each is delivered once and in order, and
none after the subscription stopped. The claim runs `claim_duur` past its last
extension (longer than one delivery may take), so the deliveries of an instance that was killed
are taken over then; the one it was busy with goes again (at least once, as after a shutdown).
Claims run out in the database's time: this worker's clock gives only their length (`tot` less its
now), so an instance whose clock runs ahead does not take a subscription another is delivering.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import replace
from datetime import timedelta

from opentelemetry import propagate, trace

from decisions.domain.webhook import (
    GONE,
    AdresGeweigerd,
    AfleverFout,
    Circuit,
    NietVerbonden,
    Stopreden,
    na_aflevering,
    onderteken,
    status_na,
    wachttijd,
)
from decisions.service.ports import Abonnement, Aflevering, Poging, Ports
from decisions.service.webhooks import adressen
from schakel.telemetry import metrics

log = logging.getLogger(__name__)
tracer = trace.get_tracer("decisions.webhooks")
PER_RONDE = 50


class Bezorger:
    """The worker; `ronde` runs every few tenths of a second."""

    def __init__(self, ports: Ports) -> None:
        self._ports, self._beleid = ports, ports.webhooks
        self._ruimte = asyncio.Semaphore(self._beleid.gelijktijdig)
        self._bezig: dict[str, asyncio.Task] = {}
        self.naam = uuid.uuid4().hex  # this worker, as its claims name it
        # a claim outlasts one delivery's deadline plus the time to record it
        self._claim_duur = timedelta(seconds=2 * self._beleid.timeout_seconden + 5)
        self._stoppen = False
        # from 0, so the first delivery given up after a start is an increase the alert sees
        metrics.WEBHOOK_DELIVERIES.labels("given_up")

    async def stop(self) -> None:
        """At shutdown: no next delivery, the ones under way finish (each within its deadline), and
        the claims are given back, so another instance delivers the rest at once instead of after
        them."""
        self._stoppen = True
        await self.klaar()
        async with self._ports.uow() as uow:
            await uow.abonnementen.laat_los(self.naam)

    async def ronde(self) -> int:
        """Starts a task for each subscription with due deliveries that has none running and whose
        circuit is not open; returns how many deliveries it handed out."""
        self._bezig = {a: t for a, t in self._bezig.items() if not t.done()}
        if self._stoppen:
            return 0
        nu = self._ports.clock.now()
        async with self._ports.uow() as uow:
            # a backlog behind a receiver that is gone does not keep its personal data for ever
            opgegeven = await uow.afleveringen.geef_op(nu - timedelta(days=self._beleid.bewaren_dagen))
            due = await uow.afleveringen.claim(nu, self.naam, nu + self._claim_duur, list(self._bezig), PER_RONDE)
            oudste, gepauzeerd = await uow.afleveringen.oudste_wachtende()
        metrics.WEBHOOK_OLDEST_WAITING.set(oudste.timestamp() if oudste else 0)
        metrics.WEBHOOK_OLDEST_PAUSED.set(gepauzeerd.timestamp() if gepauzeerd else 0)
        if opgegeven:
            metrics.WEBHOOK_DELIVERIES.labels("given_up").inc(opgegeven)
            log.warning("%d webhook deliveries given up after waiting %d days", opgegeven, self._beleid.bewaren_dagen)
        reeksen: dict[str, list[tuple[Aflevering, Abonnement]]] = {}
        for aflevering, abonnement in due:
            reeksen.setdefault(abonnement.abonnement_id, []).append((aflevering, abonnement))
        for abonnement_id, reeks in reeksen.items():
            self._bezig[abonnement_id] = asyncio.create_task(self._reeks(reeks), name=f"webhook {abonnement_id}")
        return len(due)

    async def klaar(self) -> None:
        """Waits for every delivery that was started (tests use it to end a round)."""
        await asyncio.gather(*self._bezig.values())

    async def _reeks(self, reeks: list[tuple[Aflevering, Abonnement]]) -> None:
        """A subscription's due deliveries in order, until one fails (it goes again after its wait, the
        later ones behind it) or its circuit opens."""
        b, clock = self._beleid, self._ports.clock
        circuit = reeks[0][1].circuit
        for aflevering, abonnement in reeks:
            try:
                async with self._ruimte:
                    if self._stoppen:  # it waited for a slot while the service began to stop
                        return
                    # the wait for a slot may outlast the claim, or the subscription may have stopped or paused
                    if not await self._houd_vast(aflevering.abonnement_id):
                        log.info(
                            "webhook subscription %s: stopped, paused, or claimed by another instance",
                            abonnement.abonnement_id,
                        )
                        return
                    poging = await self._aflever(aflevering, abonnement)
                circuit = na_aflevering(
                    circuit, poging.gelukt, clock.now(), b.circuit_drempel, b.circuit_basis_seconden
                )
                status = await self._leg_vast(aflevering, poging, circuit)
                if status is None:
                    log.warning(
                        "webhook subscription %s: stopped, or claimed by another instance", abonnement.abonnement_id
                    )
                    return
            except Exception as exc:  # noqa: BLE001 - the row stays due; the next round tries again
                log.warning("webhook delivery %d not recorded (%s)", aflevering.id, exc.__class__.__name__)
                return
            if poging.statuscode == GONE:  # stopped (logged so): its later ones lapsed, no circuit to open
                return
            if status == "wachtend":  # the later ones wait behind it: a subscriber's order holds
                return
            if circuit.open(clock.now()):
                log.warning(
                    "webhook subscription %s paused until %s after %d failures in a row",
                    abonnement.abonnement_id,
                    circuit.onderbroken_tot,
                    circuit.opeenvolgende_fouten,
                )
                return

    async def _aflever(self, aflevering: Aflevering, abonnement: Abonnement) -> Poging:
        if abonnement.geheim is None:  # nothing to sign with: this subscription fails, no other
            log.error(
                "webhook subscription %s: no key in DECISIONS_WEBHOOK_SLEUTEL decrypts its secret",
                abonnement.abonnement_id,
            )
            return Poging(None, "sleutel-onleesbaar", None)
        body = aflevering.body.encode()
        tijdstip = int(self._ports.clock.now().timestamp())
        headers = {
            "content-type": "application/cloudevents+json",
            "webhook-id": aflevering.event_id,
            "webhook-timestamp": str(tijdstip),
            "webhook-signature": onderteken(abonnement.geheim, aflevering.event_id, tijdstip, body),
        }
        parent = propagate.extract({"traceparent": aflevering.traceparent} if aflevering.traceparent else {})
        with tracer.start_as_current_span(
            "webhook deliver",
            context=parent,
            kind=trace.SpanKind.CLIENT,
            attributes={"cloudevents.event_type": aflevering.event_type},
        ):
            propagate.inject(headers)  # the back office can follow the trace too
            started = time.perf_counter()  # a duration, not a time of day: the monotonic counter
            statuscode, fout = None, None
            try:
                async with asyncio.timeout(self._beleid.timeout_seconden) as binnen:
                    host, gevonden = await adressen(self._ports.resolver, abonnement.url, self._beleid.lokaal_toestaan)
                    statuscode = await self._post(abonnement.url, host, gevonden, body, headers, binnen)
            except AdresGeweigerd as exc:
                return Poging(None, str(exc), None)
            except AfleverFout as exc:
                fout = str(exc)
            except TimeoutError:
                fout = "time-out"
            except Exception as exc:  # noqa: BLE001 - whatever it is, it fails this delivery only
                log.warning("webhook delivery %d failed unexpectedly (%s)", aflevering.id, exc.__class__.__name__)
                fout = "aflevering mislukt"
        return Poging(statuscode, fout, int((time.perf_counter() - started) * 1000))

    async def _post(
        self, url: str, host: str, gevonden: list[str], body: bytes, headers: dict[str, str], binnen: asyncio.Timeout
    ) -> int:
        """To each address in turn while none takes the connection (a name with an address per data
        centre, or IPv6 beside IPv4): no request reached one that did not, so the receiver gets it
        once. An address with others after it has its share of what is left of the deadline
        (`verbindtijd`); the last has all that is left."""
        loop, tot = asyncio.get_running_loop(), binnen.when()
        for i, adres in enumerate(gevonden[:-1]):
            verbinden = None if tot is None else verbindtijd(tot - loop.time(), len(gevonden) - i)
            try:
                return await self._ports.verzender.post(url, host, adres, body, headers, verbinden)
            except NietVerbonden:
                continue
        return await self._ports.verzender.post(url, host, gevonden[-1], body, headers)

    async def _houd_vast(self, abonnement_id: str) -> bool:
        async with self._ports.uow() as uow:
            tot = self._ports.clock.now() + self._claim_duur
            return await uow.abonnementen.houd_vast(abonnement_id, self.naam, tot)

    async def _leg_vast(self, aflevering: Aflevering, poging: Poging, circuit: Circuit) -> str | None:
        """Records the attempt and extends the claim; returns the delivery's new status, or None (nothing
        recorded) when the claim was lost: the instance that holds it now delivers this one too."""
        b, nu = self._beleid, self._ports.clock.now()
        nummer = aflevering.pogingen + 1
        weg = poging.statuscode == GONE
        status = status_na(poging.gelukt, weg, nummer, b.max_pogingen)
        bijgewerkt = replace(
            aflevering,
            status=status,
            pogingen=nummer,
            volgende_poging_op=nu + timedelta(seconds=wachttijd(nummer, b.basis_seconden)),
        )
        async with self._ports.uow() as uow:
            # sent: recorded also when the subscription was paused meanwhile (its answer, a 410 too, counts)
            tot = nu + self._claim_duur
            if not await uow.abonnementen.houd_vast(aflevering.abonnement_id, self.naam, tot, verzonden=True):
                return None
            await uow.afleveringen.leg_vast(bijgewerkt, nummer, nu, poging)
            await uow.abonnementen.zet_circuit(aflevering.abonnement_id, circuit)
            if weg:  # the receiver says it is gone for good: its later deliveries lapse
                vervallen = await uow.abonnementen.stop(aflevering.abonnement_id, Stopreden.ontvanger_weg, nu)
        if weg:
            metrics.WEBHOOK_DELIVERIES.labels("lapsed").inc(vervallen)
            log.warning(
                "webhook subscription %s stopped: its receiver answered 410 Gone; %d later delivery(ies) lapsed",
                aflevering.abonnement_id,
                vervallen,
            )
        # given up after its last attempt whatever went wrong in it: SchakelWebhookGivenUp counts these
        uitkomst = (
            "delivered"
            if poging.gelukt
            else "given_up"
            if status == "mislukt"
            else "refused"
            if poging.duur_ms is None
            else "failed"
        )
        metrics.WEBHOOK_DELIVERIES.labels(uitkomst).inc()
        if not poging.gelukt:
            log.warning(
                "webhook delivery %d attempt %d failed (%s)", aflevering.id, nummer, poging.statuscode or poging.fout
            )
        return status


def verbindtijd(over: float, adressen: int) -> float:
    """How long an address may take to connect, and again for TLS (httpx bounds each by it), when
    `over` seconds of the deadline are left for it and the `adressen` - 1 after it: half its equal
    share, so that broken addresses before a good one leave it at least its own."""
    return max(over, 0.0) / adressen / 2

"""Publishing decisions' events, and webhooks for municipal back offices, driven from the database,
never from memory: the unit of work that publishes an event also writes a delivery row per matching
subscription, and a worker (`bezorging`) delivers due rows, logs every attempt and retries with
backoff. A restart loses nothing: the rows are still there.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import uuid
from collections import Counter
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from decisions.domain.fouten import AbonnementGestopt, Geweigerd, Onbekend, UrlNietToegestaan
from decisions.domain.uitkering import Uitkering
from decisions.domain.webhook import (
    AdresGeweigerd,
    Circuit,
    Stopreden,
    abonnement_fout,
    adres_fout,
    host_ascii,
    poort,
    url_fout,
)
from decisions.service.ports import (
    Abonnement,
    Aflevering,
    Gebeurtenis,
    Pauze,
    Poging,
    Ports,
    Resolver,
    UnitOfWork,
)
from schakel.caller import Caller, Rol
from schakel.clock import Clock
from schakel.events import Event
from schakel.events.models import Uitkeringsbericht, VerrekeningTeBeoordelen, VerrekeningVastgesteld
from schakel.primitives import Maand
from schakel.telemetry import metrics
from schakel.telemetry.redaction import gemaskeerd

log = logging.getLogger(__name__)


def bericht(uow: UnitOfWork, soort: type[Uitkeringsbericht], u: Uitkering, persoon: str, **data: Any) -> Event:
    """An event about a case: its id, BSN and municipality with `data`, under the person's key."""
    return uow.event(persoon, soort(uitkeringId=u.uitkering_id, bsn=u.bsn, gemeentecode=u.gemeentecode, **data))


async def publiceer(uow: UnitOfWork, clock: Clock, *events: Event) -> None:
    """Publishes events with the case histories, their webhook deliveries and the count of months
    first settled (the payment calendar's timeliness), in the same unit of work."""
    await uow.publish(*events)
    nu = clock.now()
    await uow.gebeurtenissen.voeg_toe(
        [Gebeurtenis(e.data["uitkeringId"], e.type, nu, _maand(e), e.id, e.data["gemeentecode"]) for e in events]
    )
    abonnementen = await uow.abonnementen.actief_van(list({e.data["gemeentecode"] for e in events}))
    if abonnementen:
        await uow.afleveringen.voeg_toe(
            [
                Aflevering(None, a.abonnement_id, e.id, e.type, _cloudevent(e), "wachtend", 0, nu, nu)
                for e in events
                for a in abonnementen
                if a.gemeentecode == e.data["gemeentecode"] and e.type in a.event_types
            ]
        )
    # a month after the case's end (settled at nil, `dagen` 0) is a claim, not a month paid on time or late
    eerste = Counter(
        (e.data["gemeentecode"], Maand.parse(e.data["maand"]))
        for e in events
        if e.type == VerrekeningVastgesteld.TYPE and e.data["norm"]["dagen"]
    )
    if eerste:  # last: every settling transaction of the day takes these few rows' locks until it commits
        # on the Dutch day, as the target it is compared with: 00:30 the day after is late
        await uow.kalender.tel_eerste(clock.today(), eerste)


def _maand(e: Event) -> str | None:
    """The month the history files an event under: a settlement's month; of months that start to wait the
    latest (a partner reads the history from their first month on, as they read the months themselves:
    not of months that waited before they joined, toegang.inzage)."""
    if e.type == VerrekeningTeBeoordelen.TYPE:
        return max(m["maand"] for m in e.data["maanden"])
    maand: str | None = e.data.get("maand")
    return maand


def _cloudevent(e: Event) -> str:
    """CloudEvents 1.0 structured mode (HTTP binding): attributes and data in one JSON document."""
    return json.dumps(
        {
            "specversion": "1.0",
            "id": e.id,
            "source": e.source,
            "type": e.type,
            "time": e.time,
            "datacontenttype": "application/json",
            "dataschema": e.dataschema,
            "data": e.data,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


async def adressen(resolver: Resolver, url: str, lokaal: bool) -> tuple[str, list[str]]:
    """The host (ASCII) of a callback URL and the addresses to connect to, in the resolver's order,
    after checking every address the name has now; raises AdresGeweigerd."""
    parts = urlsplit(url)
    host = host_ascii(parts.hostname or "")
    if host is None:
        raise AdresGeweigerd("ongeldige host", "de host van de URL is geen geldige domeinnaam of IP-adres")
    try:
        gevonden = await resolver(host, poort(parts))
    except TimeoutError:
        raise  # a lookup that ran out of time (or found every resolver thread taken) refuses nothing
    except OSError:
        gevonden = []
    reden = adres_fout(gevonden, lokaal)
    if reden:
        # one answer to the subscriber for both; the operator's log tells them apart
        log.info("callback host %s refused: %s", host, "an address that is not public" if gevonden else "not found")
        raise AdresGeweigerd("adres niet toegestaan", reden)
    return host, list(dict.fromkeys(gevonden))


async def abonneer(ports: Ports, caller: Caller, url: str, event_types: list[str]) -> Abonnement:
    """A new subscription, if its URL is well-formed and its host's addresses are all public now
    (each delivery checks them again: a name can move). Its secret is shown this once."""
    beleid = ports.webhooks
    reden = url_fout(url, beleid.lokaal_toestaan, beleid.poorten)
    if reden is None:
        try:
            async with asyncio.timeout(beleid.timeout_seconden):
                await adressen(ports.resolver, url, beleid.lokaal_toestaan)
        except AdresGeweigerd as exc:
            reden = exc.reden
        except TimeoutError:
            reden = "de naam van de host is niet op tijd te vinden"
    if reden:
        raise UrlNietToegestaan(reden, field="url")
    abonnement = Abonnement(
        str(uuid.uuid4()),
        caller.gemeente,
        caller.oin,
        url,
        sorted(set(event_types)),
        "whsec_" + base64.b64encode(os.urandom(24)).decode(),
        ports.clock.now(),
        Circuit(),
    )
    async with ports.uow() as uow:
        # two requests at once would each find room and no twin: they take turns per municipality
        await uow.vergrendel(f"abonnementen {caller.gemeente}")
        bestaande = await uow.abonnementen.actief_van([caller.gemeente])
        weigering = abonnement_fout([(a.url, a.event_types) for a in bestaande], url, abonnement.event_types)
        if weigering:
            raise Geweigerd(weigering.code, weigering.field, weigering.reden)
        await uow.abonnementen.voeg_toe(abonnement)
    return abonnement


async def lijst(ports: Ports, caller: Caller, gestopt: bool = False) -> list[tuple[Abonnement, bool]]:
    """The municipality's active subscriptions (an operator's: all), each with whether its circuit
    has paused it now; or (`gestopt`) its stopped ones, until retention removes them."""
    gemeenten = None if caller.rol is Rol.operator else [caller.gemeente]
    async with ports.uow() as uow:
        if gestopt:
            return [(a, False) for a in await uow.abonnementen.gestopt_van(gemeenten)]
        abonnementen = await uow.abonnementen.actief_van(gemeenten)
    nu = ports.clock.now()
    return [(a, a.circuit.open(nu)) for a in abonnementen]


async def stop(ports: Ports, caller: Caller, abonnement_id: str) -> None:
    """Ends the subscription; one stopped already stays as it stopped (when, and why)."""
    vervallen = 0
    async with ports.uow() as uow:
        if (await _eigen(uow, caller, abonnement_id)).actief:
            vervallen = await uow.abonnementen.stop(abonnement_id, Stopreden.beeindigd, ports.clock.now())
    metrics.WEBHOOK_DELIVERIES.labels("lapsed").inc(vervallen)


async def opnieuw(ports: Ports, caller: Caller, abonnement_id: str) -> int:
    """Sends the subscription's given-up deliveries again, in their order, before its later ones;
    how many (one given up more than DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN ago is gone)."""
    async with ports.uow() as uow:
        # locked: a 410 recorded meanwhile would leave its given-up deliveries waiting for a stopped subscription
        if not (await _eigen(uow, caller, abonnement_id, vergrendeld=True)).actief:
            raise AbonnementGestopt(
                "Dit abonnement is gestopt: er gaat niets meer naartoe. Neem een nieuw abonnement en lees wat u "
                "miste terug met GET /gebeurtenissen?vanafTijdstip= enkele minuten vóór de laatste gebeurtenis die uw "
                "systeem verwerkte (niet het moment waarop het stopte: wat toen nog wachtte, is ervoor gepubliceerd)."
            )
        return await uow.afleveringen.opnieuw(abonnement_id, ports.clock.now())


async def pauzeer(ports: Ports, caller: Caller, abonnement_id: str, pauzeren: bool) -> tuple[Abonnement, bool]:
    """Pauses the subscription (`pauzeren`: its deliveries wait, using up no attempts, and an instance
    delivering to it stops before its next) or lifts the caller's pause: the municipality its own
    subscription (its maintenance), an operator any (a receiver that is not who it should be, at night).
    The two pauses stand apart, each since its first time and lifted only by whose it is: neither lifts
    the other's unawares. Lifting the last one says the receiver is ready: what waits goes now, not after
    the circuit's opening or a failed delivery's wait from before (up to an hour). Returns it as it is
    now, with whether its circuit is open."""
    door = "beheerder" if caller.rol is Rol.operator else "gemeente"
    async with ports.uow() as uow:
        # locked: as `opnieuw`
        abonnement = await _eigen(uow, caller, abonnement_id, vergrendeld=True, beheerder=True)
        if not abonnement.actief:
            raise AbonnementGestopt(
                "Dit abonnement is gestopt: er gaat niets meer naartoe, pauzeren of hervatten kan niet."
            )
        was = abonnement.gepauzeerd or Pauze()
        eigen = (getattr(was, door) or ports.clock.now()) if pauzeren else None
        nieuw = replace(was, **{door: eigen})
        pauze = Pauze.van(nieuw.gemeente, nieuw.beheerder)
        gewijzigd = pauze != abonnement.gepauzeerd
        if gewijzigd:
            await uow.abonnementen.zet_pauze(abonnement_id, pauze)
            abonnement = replace(abonnement, gepauzeerd=pauze)
        if gewijzigd and pauze is None:
            await uow.abonnementen.zet_circuit(abonnement_id, Circuit())
            await uow.afleveringen.aan_de_beurt(abonnement_id, ports.clock.now())
            abonnement = replace(abonnement, circuit=Circuit())
    if gewijzigd:  # once committed: who paused or resumed a flow of personal data (the employee id as in a replay)
        log.info(
            "webhook subscription %s %s by the %s (%s)%s",
            abonnement_id,
            "paused" if pauzeren else "resumed",
            door,
            gemaskeerd(caller.sub or caller.oin),
            "" if pauzeren or pauze is None else f"; still paused by the {pauze.door()[0]}",
        )
    return abonnement, abonnement.circuit.open(ports.clock.now())


async def bezorgingen(
    ports: Ports, caller: Caller, abonnement_id: str
) -> list[tuple[Aflevering, list[tuple[int, datetime, Poging]]]]:
    """The latest 100 deliveries of a subscription with every attempt, newest first (of a stopped one
    too: which of them lapsed)."""
    async with ports.uow() as uow:
        await _eigen(uow, caller, abonnement_id)
        return await uow.afleveringen.laatste(abonnement_id, 100)


async def _eigen(
    uow: UnitOfWork, caller: Caller, abonnement_id: str, vergrendeld: bool = False, beheerder: bool = False
) -> Abonnement:
    """The municipality's own subscription, active or stopped; any, to an operator where the operation
    lets one (`beheerder`: pausing and resuming), never by a route that admits the role later on."""
    elke = beheerder and caller.rol is Rol.operator
    # another municipality's is asked for as one that does not exist: never locked, so never waited on;
    # a caller without a municipality has none of its own
    abonnement = None
    if elke or caller.gemeente:
        abonnement = await uow.abonnementen.van(abonnement_id, vergrendeld, None if elke else caller.gemeente)
    if abonnement is None:
        raise Onbekend("Dit abonnement bestaat niet of hoort niet bij uw gemeente.")
    return abonnement

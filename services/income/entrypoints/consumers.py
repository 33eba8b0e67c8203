"""Kafka handlers of the income service: the population from the decisions and reapplication
services, and polis declarations on the ingest topic; what can never fit goes to the dead-letter topic."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date
from itertools import groupby

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection

from income.domain.fouten import OnbekendeUitkering
from income.domain.populatie import Bekend, Termijn, Uitkering
from income.entrypoints.aangifte import LEVERING_ID_TEKEN, lees
from income.service import aangiften, populatie
from income.service.aangiften import Uitkomst
from income.service.ports import Afwijzing, Ports
from schakel.events import Event
from schakel.events.models import (
    HeraanvraagtermijnGeopend,
    Partnerperiode,
    UitkeringBeeindigd,
    UitkeringGeopend,
    UitkeringGewijzigd,
)
from schakel.messaging import BatchHandler, PermanentError, Undecodable, Undecoded, refused_reason
from schakel.persistence import after_commit
from schakel.telemetry import metrics
from schakel.telemetry.redaction import gemaskeerd_id

Joined = Callable[[AsyncConnection], Ports]  # the ports whose unit of work joins the consumer's transaction
LEVERING_ID = re.compile(f"{LEVERING_ID_TEKEN}{{1,100}}")  # as the contract's leveringId


def on_uitkering_geopend(joined: Joined) -> BatchHandler:
    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        ports = joined(conn)
        geopend = [(e.key, UitkeringGeopend.from_event(e)) for e in events]
        async with ports.uow() as uow:
            # the applicants and their partners in one statement: holding the applicants while waiting
            # for a partner could wait in a circle with another instance's batch or a delivery
            await uow.vergrendel(
                *(k for k, _ in geopend), *(ports.pseudonym(p.bsn) for _, d in geopend for p in d.partners or [])
            )
            bekend = await populatie.neem_op(
                ports,
                uow,
                [Uitkering(d.uitkeringId, key, d.bsn, d.gemeentecode, d.startdatum) for key, d in geopend],
                {d.uitkeringId: e.sequence for e, (_, d) in zip(events, geopend, strict=True)},
            )
            for e, (_, d) in zip(events, geopend, strict=True):
                # an opening replayed after a later change or end would bring back the household it replaced
                if d.partners and (
                    d.uitkeringId not in bekend or await populatie.nieuwer(uow, d.uitkeringId, e.sequence, d.TYPE)
                ):
                    await populatie.zet_partners(ports, uow, d.uitkeringId, d.gemeentecode, perioden(d.partners))
        return {}

    return BatchHandler(handle)


def on_uitkering_gewijzigd(joined: Joined):
    """A changed household: its partners, stated in full (an event from before 2.1.0 states none: no change)."""

    async def handle(conn: AsyncConnection, event: Event) -> None:
        d = UitkeringGewijzigd.from_event(event)
        if d.partners is None:
            return
        ports = joined(conn)
        async with ports.uow() as uow:
            if await populatie.nieuwer(uow, d.uitkeringId, event.sequence, d.TYPE):
                await populatie.zet_partners(ports, uow, d.uitkeringId, d.gemeentecode, perioden(d.partners))

    return handle


def perioden(partners: list[Partnerperiode]) -> list[tuple[str, date, date | None]]:
    return [(p.bsn, p.vanaf, p.tot) for p in partners]


def on_uitkering_beeindigd(joined: Joined):
    async def handle(conn: AsyncConnection, event: Event) -> None:
        # both events of a case share its person key, so "opened" always arrives first
        d = UitkeringBeeindigd.from_event(event)
        ports = joined(conn)
        try:
            async with ports.uow() as uow:
                if d.partners is None:  # from before 2.6.0: not the whole household, so its number is not kept
                    if await populatie.nieuwer(uow, d.uitkeringId, event.sequence, d.TYPE, bewaar=False):
                        await populatie.beeindig(uow, d.uitkeringId, d.einddatum, ports.clock.now())
                elif await populatie.nieuwer(uow, d.uitkeringId, event.sequence, d.TYPE):
                    await populatie.beeindig(uow, d.uitkeringId, d.einddatum, ports.clock.now())
                    # the household in full up to the end: a corrected, later end lengthens what it cut short
                    await populatie.zet_partners(ports, uow, d.uitkeringId, d.gemeentecode, perioden(d.partners))
        except OnbekendeUitkering as fout:
            raise PermanentError(fout.detail) from fout

    return handle


def on_termijn_geopend(joined: Joined):
    async def handle(conn: AsyncConnection, event: Event) -> None:
        d = HeraanvraagtermijnGeopend.from_event(event)
        ports = joined(conn)
        async with ports.uow() as uow:
            termijn = Termijn(d.uitkeringId, event.key, d.bsn, d.gemeentecode, d.geldigTot, Bekend(ports.clock.now()))
            await populatie.open_termijn(uow, termijn, event.sequence)

    return handle


def leverancier_van(event: Event) -> str:
    """The provider's OIN from the event source `urn:nld:oin:<OIN>:systeem:<name>`."""
    return event.source.split(":")[3]


def on_aangiften(joined: Joined) -> BatchHandler:
    """The ingest topic, a batch at once: returns the refused events with their reasons."""

    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        ports = joined(conn)
        # in the order consumed, runs of one delivery: grouped per delivery, an earlier record of
        # a period in one delivery would replace a later one in another
        runs = [
            (levering, list(run))
            for levering, run in groupby(events, lambda e: (leverancier_van(e), e.data["leveringId"]))
        ]
        uitkomsten = await aangiften.neem_in(ports, [(levering, [lees(e.data) for e in run]) for levering, run in runs])
        geweigerd, geteld = {}, Counter[tuple[str, str]]()
        afgewezen: dict[tuple[str, str], list[Afwijzing]] = defaultdict(list)
        for (levering, run), resultaten in zip(runs, uitkomsten, strict=True):
            for event, r in zip(run, resultaten, strict=True):
                geteld[(levering[0], r.uitkomst.value)] += 1
                if r.uitkomst is Uitkomst.afgewezen:
                    reden = "ongeldige-aangifte: " + "; ".join(f"{f.veld}: {f.reden}" for f in r.fouten)
                    geweigerd[event.id] = reden
                    # the provider chose the id: one with what could be a BSN is kept masked
                    sleutel = ports.pseudonym(hashlib.sha256(event.id.encode()).hexdigest())  # keyed: not reversible
                    nu = ports.clock.now()
                    afwijzing = Afwijzing(gemaskeerd_id(event.id), None, None, refused_reason(reden), nu, sleutel)
                    afgewezen[levering].append(afwijzing)
        if afgewezen:
            await aangiften.wijs_af(ports, afgewezen)
        after_commit(lambda: _tel(geteld))  # a batch tried again counts once
        return geweigerd

    return BatchHandler(handle)


def on_onleesbaar(joined: Joined) -> Undecoded:
    """Records on the ingest topic refused before they were read as a declaration (not what the
    contract allows): one whose delivery id can still be read counts as refused under its provider's
    delivery (the provider's own topic says which wrote it; the ingest is the only party's topic here), so `GET /leveringen/{id}` counts all it sent."""

    async def tel(conn: AsyncConnection, records: list[Undecodable]) -> None:
        ports = joined(conn)
        per_levering: dict[tuple[str, str], list[Afwijzing]] = defaultdict(list)
        for r in records:
            if r.writer is not None and (levering_id := _levering_id(r.value)) is not None:
                afwijzing = Afwijzing(None, r.partition, r.offset, r.reason, ports.clock.now())
                per_levering[(r.writer, levering_id)].append(afwijzing)
        if per_levering:
            await aangiften.tel_afgewezen(ports, per_levering)
            geteld = Counter(
                {
                    (leverancier, Uitkomst.afgewezen.value): len(lijst)
                    for (leverancier, _), lijst in per_levering.items()
                }
            )
            after_commit(lambda: _tel(geteld))

    return tel


def _levering_id(value: bytes | None) -> str | None:
    try:
        data = orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return None
    levering_id = data.get("leveringId") if isinstance(data, dict) else None
    return levering_id if isinstance(levering_id, str) and LEVERING_ID.fullmatch(levering_id) else None


def _tel(geteld: Counter[tuple[str, str]]) -> None:
    for labels, aantal in geteld.items():
        metrics.DECLARATIONS.labels(*labels).inc(aantal)

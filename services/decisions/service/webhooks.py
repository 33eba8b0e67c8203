"""Publishing decisions' events, and webhooks for municipal back offices, driven from the database, never from memory: the
transaction that writes an event to the outbox also writes a delivery row per matching
subscription, and a worker (`bezorging`) delivers due rows, logs every attempt and retries with
backoff. A restart loses nothing: the rows are still there.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
from opentelemetry import propagate
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal, Problem
from schakel.api.problems import OngeldigeParameter, standard
from schakel.events import Event
from schakel.runtime import Service

from decisions.adapters.tables import abonnementen, afleveringen, gebeurtenissen, pogingen
from decisions.domain.webhook import Circuit, url_fout
from decisions.service.bezorging import Geweigerd, Resolver, adressen


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def publiceer(service: Service, conn: AsyncConnection, *events: Event) -> None:
    """Writes events to the outbox, the case histories and their webhook deliveries, in the caller's
    transaction."""
    await service.outbox.add(conn, *events)
    await conn.execute(gebeurtenissen.insert(), [
        {"uitkering_id": e.data["uitkeringId"], "event_id": e.id, "type": e.type, "maand": e.data.get("maand"),
         "tijdstip": _now()} for e in events])
    gemeenten = {e.data["gemeentecode"] for e in events}
    rows = (await conn.execute(sa.select(abonnementen).where(abonnementen.c.gemeentecode.in_(sorted(gemeenten)),
                                                             abonnementen.c.actief.is_(True)))).all()
    if not rows:
        return
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    now = _now()
    deliveries = [
        {"abonnement_id": a.abonnement_id, "event_id": e.id, "event_type": e.type, "body": _cloudevent(e),
         "traceparent": carrier.get("traceparent"), "status": "wachtend", "pogingen": 0,
         "volgende_poging_op": now, "aangemaakt_op": now}
        for e in events for a in rows if a.gemeentecode == e.data["gemeentecode"] and e.type in a.event_types]
    if deliveries:
        await conn.execute(afleveringen.insert(), deliveries)


def _cloudevent(e: Event) -> str:
    """CloudEvents 1.0 structured mode (HTTP binding): attributes and data in one JSON document."""
    return json.dumps({"specversion": "1.0", "id": e.id, "source": e.source, "type": e.type, "time": e.time,
                       "datacontenttype": "application/json", "dataschema": e.dataschema, "data": e.data},
                      separators=(",", ":"), ensure_ascii=False)


# --- API --------------------------------------------------------------------------------------

async def abonneer(service: Service, resolver: Resolver, principal: Principal, url: str,
                   event_types: list[str]) -> dict:
    """A new subscription, if its URL is well-formed and its host's addresses are all public now
    (each delivery checks them again: a name can move)."""
    settings = service.settings
    reden = url_fout(url, settings.webhook_lokaal_toestaan)
    if reden is None:
        try:
            async with asyncio.timeout(settings.webhook_timeout_seconden):
                await adressen(resolver, url, settings.webhook_lokaal_toestaan)
        except Geweigerd as exc:
            reden = exc.reden
        except TimeoutError:
            reden = "de naam van de host is niet op tijd te vinden"
    if reden:
        raise Problem(422, "url-niet-toegestaan", "Callback-URL niet toegestaan", reden,
                      [OngeldigeParameter(name="url", code="url-niet-toegestaan", reason=reden)])
    row = {"abonnement_id": str(uuid.uuid4()), "gemeentecode": principal.gemeente, "oin": principal.oin,
           "url": url, "event_types": sorted(set(event_types)), "actief": True, "aangemaakt_op": _now(),
           "geheim": "whsec_" + base64.b64encode(os.urandom(24)).decode(),
           "opeenvolgende_fouten": 0, "onderbroken_tot": None, "onderbrekingen": 0}
    async with service.transaction() as conn:
        await conn.execute(abonnementen.insert().values(**row))
    return _abonnement(row) | {"geheim": row["geheim"]}  # the secret is shown once


async def lijst(service: Service, principal: Principal) -> list[dict]:
    async with service.db.transaction() as conn:
        rows = await conn.execute(sa.select(abonnementen).where(abonnementen.c.gemeentecode == principal.gemeente,
                                                                abonnementen.c.actief.is_(True))
                                  .order_by(abonnementen.c.aangemaakt_op))
        return [_abonnement(r._asdict()) for r in rows]


async def stop(service: Service, principal: Principal, abonnement_id: str) -> None:
    async with service.db.transaction() as conn:
        await _eigen(conn, principal, abonnement_id)
        await conn.execute(abonnementen.update().where(abonnementen.c.abonnement_id == abonnement_id)
                           .values(actief=False))


async def bezorgingen(service: Service, principal: Principal, abonnement_id: str) -> list[dict]:
    """The latest 100 deliveries of a subscription with every attempt, newest first."""
    async with service.db.transaction() as conn:
        await _eigen(conn, principal, abonnement_id)
        rows = (await conn.execute(sa.select(afleveringen).where(afleveringen.c.abonnement_id == abonnement_id)
                                   .order_by(afleveringen.c.id.desc()).limit(100))).all()
        attempts: dict[int, list[dict]] = {r.id: [] for r in rows}
        for p in await conn.execute(sa.select(pogingen).where(pogingen.c.aflevering_id.in_(list(attempts)))
                                    .order_by(pogingen.c.nummer)):
            attempts[p.aflevering_id].append({"nummer": p.nummer, "tijdstip": p.tijdstip, "statuscode": p.statuscode,
                                              "fout": p.fout, "duurMs": p.duur_ms})
    return [{"eventId": r.event_id, "eventType": r.event_type, "status": r.status, "aangemaaktOp": r.aangemaakt_op,
             "volgendePogingOp": r.volgende_poging_op if r.status == "wachtend" else None,
             "pogingen": attempts[r.id]} for r in rows]


async def _eigen(conn: AsyncConnection, principal: Principal, abonnement_id: str) -> None:
    row = (await conn.execute(sa.select(abonnementen.c.gemeentecode).where(
        abonnementen.c.abonnement_id == abonnement_id, abonnementen.c.actief.is_(True)))).first()
    if row is None or row.gemeentecode != principal.gemeente:
        raise standard(404, "Dit abonnement bestaat niet of hoort niet bij uw gemeente.")


def _abonnement(row: dict) -> dict:
    onderbroken = Circuit(row["opeenvolgende_fouten"], row["onderbroken_tot"]).open(_now())
    return {"abonnementId": row["abonnement_id"], "url": row["url"], "eventTypes": row["event_types"],
            "aangemaaktOp": row["aangemaakt_op"], "status": "onderbroken" if onderbroken else "actief",
            "onderbrokenTot": row["onderbroken_tot"] if onderbroken else None,
            "opeenvolgendeFouten": row["opeenvolgende_fouten"]}

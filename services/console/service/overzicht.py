"""The console's views: the health of every flow (a topic, who produces it, each consumer group's
lag and whether it is stalled, its dead letters, its last event), the services' outbox and
background tasks, webhook deliveries, and the figures per municipality. An operator sees all of
it; a municipality only its own figures."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

from console.domain.stroom import consumer_status, trace_id
from console.service.ports import Meting, Ports
from schakel.caller import Caller, Rol
from schakel.events import Topic
from schakel.events.contract import OIN_PARAMETER
from schakel.messaging.inspection import RecordHeaders

# the figures a municipality is asked about: metric -> the label that names the outcome
CIJFERS = {"schakel_events_published_total": "cloudevents_event_type", "schakel_reapplications_total": "outcome"}


class GeenDlq(LookupError):
    """The topic is not a dead-letter topic of the contract."""


async def overzicht(ports: Ports, caller: Caller) -> dict:
    metingen = dict(
        zip(ports.diensten, await asyncio.gather(*(ports.bronnen.metingen(d) for d in ports.diensten)), strict=True)
    )
    figures = _cijfers(metingen, None if caller.rol is Rol.operator else caller.gemeente)
    if caller.rol is not Rol.operator:
        return {"rol": caller.rol.value, "gemeente": caller.gemeente, "cijfers": figures}
    nu = ports.clock.now()
    gereed = await asyncio.gather(*(ports.bronnen.gereedheid(d) for d in ports.diensten))
    flows = await _stromen(ports, metingen, dict(zip(ports.diensten, gereed, strict=True)), nu)
    return {
        "rol": caller.rol.value,
        "gemeente": None,
        "diensten": [_dienst(d, metingen[d], reden, nu) for d, reden in zip(ports.diensten, gereed, strict=True)],
        "stromen": flows,
        "webhooks": _webhooks(metingen.get("decisions") or [], nu),
        "cijfers": figures,
    }


async def dode_brieven(ports: Ports) -> list[dict]:
    topics = _dlq_topics(ports)
    found = await asyncio.gather(*(ports.bronnen.dode_brieven(t, n) for t, n in topics.items()))
    return [_dode_brief(r, ports.trace_url) for records in found for r in records]


async def herhaal(ports: Ports, topic: str) -> int:
    if topic not in _dlq_topics(ports):
        raise GeenDlq(topic)
    return await ports.bronnen.herhaal(topic)


def _dlq_topics(ports: Ports) -> dict[str, int]:
    return {t.name: t.partitions for t in ports.contract.topics.values() if t.dlq is None}


async def _stromen(
    ports: Ports, metingen: dict[str, list[Meting] | None], gereed: dict[str, str | None], nu: datetime
) -> list[dict]:
    topics = {t.name: t for t in ports.contract.topics.values() if t.dlq}
    partitions = {name: t.partitions for name, t in topics.items()}
    consumers = {
        d: {o.topic: partitions[o.topic] for o in ports.contract.operations if o.service == d and o.action == "receive"}
        for d in ports.diensten
    }
    groups = [d for d, t in consumers.items() if t]
    last, depth, *lags = await asyncio.gather(
        ports.bronnen.laatste(partitions),
        ports.bronnen.dlq_aantallen(sorted({t.dlq for t in topics.values() if t.dlq})),
        *(ports.bronnen.achterstand(f"schakel-{d}", consumers[d]) for d in groups),
    )
    lag = dict(zip(groups, lags, strict=True))
    flows = []
    for name, topic in sorted(topics.items(), key=lambda item: _naam(item[1])):
        consumenten = [
            _consumer(d, lag[d][name], metingen[d] or [], gereed[d], topic, nu, ports.stil_seconden)
            for d in ports.diensten
            if name in consumers[d]
        ]
        flows.append(
            {
                "topic": _naam(topic),
                "producenten": sorted(
                    {o.service for o in ports.contract.operations if o.topic == name and o.action == "send"}
                ),
                "consumenten": consumenten,
                "dlq": {"topic": topic.dlq, "aantal": depth.get(topic.dlq or "", 0)},
                "laatsteEvent": _event(last[name], ports.trace_url) if name in last else None,
            }
        )
    return flows


def _naam(topic: Topic) -> str:
    """A channel with a topic per party is one flow, shown by its plain name (`polisaangiften`)."""
    return topic.name.removesuffix(f".{OIN_PARAMETER}")


def _consumer(
    dienst: str, lag: int, metingen: list[Meting], niet_gereed: str | None, topic: Topic, nu: datetime, stil: float
) -> dict:
    # a consumer of a channel with a topic per party reports each party's topic
    waiting = [
        v
        for name, labels, v in metingen
        if name == "schakel_consumer_oldest_unprocessed_timestamp_seconds"
        and re.fullmatch(topic.pattern, labels.get("messaging_destination_name", ""))
        and v > 0
    ]
    age = nu.timestamp() - min(waiting) if waiting else None
    commit = next((v for name, _, v in metingen if name == "schakel_consumer_progress_timestamp_seconds"), None)
    status, reden = consumer_status(lag, niet_gereed, age, stil, nu.timestamp() - commit if commit else None)
    return {
        "groep": f"schakel-{dienst}",
        "dienst": dienst,
        "achterstand": lag,
        "oudsteWachtendSeconden": round(age, 1) if age is not None else None,
        "status": status.value,
        "reden": reden,
    }


def _dienst(naam: str, metingen: list[Meting] | None, niet_gereed: str | None, nu: datetime) -> dict:
    def waarde(metric: str) -> float | None:
        return next((v for name, _, v in metingen or [] if name == metric), None)

    oldest = waarde("schakel_outbox_oldest_unsent_timestamp_seconds")
    return {
        "naam": naam,
        "gereed": niet_gereed is None,
        "reden": niet_gereed,
        "outboxAchterstand": int(backlog) if (backlog := waarde("schakel_outbox_backlog_events")) is not None else None,
        "outboxOudsteSeconden": round(nu.timestamp() - oldest, 1) if oldest else None,
        "takenNeer": sorted(
            labels["task"] for name, labels, v in metingen or [] if name == "schakel_task_up" and v == 0
        ),
    }


def _webhooks(metingen: list[Meting], nu: datetime) -> dict:
    outcomes = {labels["outcome"]: int(v) for name, labels, v in metingen if name == "schakel_webhook_deliveries_total"}
    oldest = next((v for name, _, v in metingen if name == "schakel_webhook_oldest_waiting_timestamp_seconds"), 0)
    return {
        "afleveringen": outcomes,
        "oudsteWachtendSeconden": round(nu.timestamp() - oldest, 1) if oldest else None,
    }


def _cijfers(metingen: dict[str, list[Meting] | None], gemeente: str | None) -> list[dict]:
    figures = [
        {"dienst": d, "gemeentecode": labels["gemeentecode"], "soort": labels[CIJFERS[name]], "aantal": int(v)}
        for d, samples in metingen.items()
        for name, labels, v in samples or []
        if name in CIJFERS and gemeente in (None, labels.get("gemeentecode"))
    ]
    return sorted(figures, key=lambda f: (f["gemeentecode"], f["dienst"], f["soort"]))


def _event(r: RecordHeaders, trace_url: str) -> dict:
    trace = trace_id(r.headers.get("traceparent"))
    return {
        "type": r.headers.get("ce_type"),
        "id": r.headers.get("ce_id"),
        "tijd": r.produced,
        "partitie": r.partition,
        "offset": r.offset,
        "traceId": trace,
        "traceUrl": trace_url.format(traceId=trace) if trace and trace_url else None,
    }


def _dode_brief(r: RecordHeaders, trace_url: str) -> dict:
    """A dead letter's headers: where it came from and why it failed; never its key or value."""
    return _event(r, trace_url) | {
        "topic": r.topic,
        "reden": r.headers.get("dlq-reden"),
        "bronTopic": r.headers.get("dlq-bron-topic"),
        "bronPartitie": r.headers.get("dlq-bron-partitie"),
        "bronOffset": r.headers.get("dlq-bron-offset"),
        "consumer": r.headers.get("dlq-consumer"),
    }

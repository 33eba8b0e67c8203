"""The console's views: the health of every flow (a topic, who produces it, each consumer group's
lag and whether it is stalled, its dead letters, its last event), the services' outbox and
background tasks, webhook deliveries, and the figures per municipality. An operator sees all of
it; a municipality only its own figures."""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from datetime import datetime

from console.domain.stroom import ERNST, consumer_status, gereedheid, trace_id
from console.service.ports import Instantie, Meting, Ports
from schakel.caller import Caller, Rol
from schakel.events import Contract, Topic
from schakel.events.contract import OIN_PARAMETER
from schakel.messaging.inspection import RecordHeaders
from schakel.messaging.replay import Outcome
from schakel.telemetry.redaction import gemaskeerd

# the figures a municipality is asked about: metric -> the label that names the outcome
CIJFERS = {"schakel_events_published_total": "cloudevents_event_type", "schakel_reapplications_total": "outcome"}
# the type shown for a record that could not be read (see schakel.messaging.inspection)
ONLEESBAAR = "onleesbaar"
log = logging.getLogger(__name__)


class GeenDlq(LookupError):
    """The topic is not a dead-letter topic of the contract."""


async def overzicht(ports: Ports, caller: Caller) -> dict:
    beheerder = caller.rol is Rol.operator  # only the operator's view shows readiness
    gelezen = await asyncio.gather(*(ports.bronnen.instanties(d, gereedheid=beheerder) for d in ports.diensten))
    instanties = dict(zip(ports.diensten, gelezen, strict=True))
    figures = _cijfers(instanties, None if beheerder else caller.gemeente)
    if not beheerder:
        return {"rol": caller.rol.value, "gemeente": caller.gemeente, "cijfers": figures}
    nu = ports.clock.now()
    return {
        "rol": caller.rol.value,
        "gemeente": None,
        "diensten": [_dienst(d, instanties[d], nu) for d in ports.diensten],
        "stromen": await _stromen(ports, instanties, nu),
        "webhooks": _webhooks(instanties.get("decisions", []), nu),
        "cijfers": figures,
    }


async def dode_brieven(ports: Ports) -> list[dict]:
    """The newest dead letters of each topic, each with how many its topic holds: what a replay sends."""
    topics = _dlq_topics(ports)
    aantallen, *found = await asyncio.gather(
        ports.bronnen.dlq_aantallen(list(topics)), *(ports.bronnen.dode_brieven(t, n) for t, n in topics.items())
    )
    return [
        # counted and listed in two reads: a dead letter that came in between is counted too
        _dode_brief(r, ports.contract, ports.trace_url) | {"aantalOpTopic": max(aantallen.get(t, 0), len(records))}
        for t, records in zip(topics, found, strict=True)
        for r in records
    ]


async def herhaal(
    ports: Ports, caller: Caller, topic: str, overslaan: frozenset[tuple[int, int]] = frozenset()
) -> Outcome:
    if topic not in _dlq_topics(ports):
        raise GeenDlq(topic)
    # a replay sends personal data through every consumer again: on whose order is on record. The
    # operator's sub is an employee id, chosen by the identity provider: nine digits in a row (a BSN?)
    # are masked, as in a path a caller chose.
    wie = gemaskeerd(caller.sub or caller.oin)
    log.info("replay of %s asked by %s", topic, wie)
    uitkomst = await ports.bronnen.herhaal(topic, overslaan)
    log.info("replay of %s asked by %s: %d replayed, %d skipped", topic, wie, uitkomst.replayed, len(uitkomst.skipped))
    return uitkomst


def _dlq_topics(ports: Ports) -> dict[str, int]:
    return {t.name: t.partitions for t in ports.contract.topics.values() if t.dlq is None}


async def _stromen(ports: Ports, instanties: dict[str, list[Instantie]], nu: datetime) -> list[dict]:
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
            _consumer(d, lag[d][name], instanties[d], topic, nu, ports.stil_seconden)
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
                "laatsteEvent": _event(last[name], ports.contract, ports.trace_url) if name in last else None,
            }
        )
    return flows


def _naam(topic: Topic) -> str:
    """A channel with a topic per party is one flow, shown by its plain name (`polisaangiften`)."""
    return topic.name.removesuffix(f".{OIN_PARAMETER}")


def _consumer(dienst: str, lag: int, instanties: list[Instantie], topic: Topic, nu: datetime, stil: float) -> dict:
    """The group's records wait on nobody when none of its instances is ready; one instance whose
    oldest fetched record waits too long without a commit stalls its partitions, whatever the others do."""
    redenen = [(i.adres, i.niet_gereed) for i in instanties]
    niemand = gereedheid(redenen) if all(reden for _, reden in redenen) else None
    per_instantie = [(_wachttijd(i.metingen or [], topic, nu), _sinds_commit(i.metingen or [], nu)) for i in instanties]
    status, reden = max(
        (consumer_status(lag, niemand, age, stil, since) for age, since in per_instantie or [(None, None)]),
        key=lambda s: ERNST.index(s[0]),
    )
    ages = [age for age, _ in per_instantie if age is not None]
    return {
        "groep": f"schakel-{dienst}",
        "dienst": dienst,
        "achterstand": lag,
        "oudsteWachtendSeconden": round(max(ages), 1) if ages else None,
        "status": status.value,
        "reden": reden,
    }


def _wachttijd(metingen: list[Meting], topic: Topic, nu: datetime) -> float | None:
    """How long the instance's oldest fetched record of the channel has waited (a consumer of a
    channel with a topic per party reports each party's topic); None when none waits."""
    waiting = [
        v
        for name, labels, v in metingen
        if name == "schakel_consumer_oldest_unprocessed_timestamp_seconds"
        and re.fullmatch(topic.pattern, labels.get("messaging_destination_name", ""))
        and v > 0
    ]
    return nu.timestamp() - min(waiting) if waiting else None


def _sinds_commit(metingen: list[Meting], nu: datetime) -> float | None:
    commit = next((v for name, _, v in metingen if name == "schakel_consumer_progress_timestamp_seconds"), None)
    return nu.timestamp() - commit if commit else None


def _samples(instanties: list[Instantie], metric: str, *nodig: str) -> list[tuple[str, dict[str, str], float]]:
    """The metric's samples of every instance, each with the instance's address; of those with the
    labels `nodig` only (an instance that leaves one out answers another question)."""
    return [
        (i.adres, labels, v)
        for i in instanties
        for name, labels, v in i.metingen or []
        if name == metric and all(label in labels for label in nodig)
    ]


def _oudste(instanties: list[Instantie], metric: str, nu: datetime) -> float | None:
    """Seconds since the oldest of a timestamp gauge over the instances (0: nothing waits)."""
    oldest = min((v for _, _, v in _samples(instanties, metric) if v > 0), default=None)
    return round(nu.timestamp() - oldest, 1) if oldest else None


def _dienst(naam: str, instanties: list[Instantie], nu: datetime) -> dict:
    niet_gereed = gereedheid([(i.adres, i.niet_gereed) for i in instanties])
    # the instances count the same outbox table, each now and then: the largest count errs on the safe side
    backlog = max((v for _, _, v in _samples(instanties, "schakel_outbox_backlog_events")), default=None)
    return {
        "naam": naam,
        "instanties": len(instanties),
        "gereed": niet_gereed is None,
        "reden": niet_gereed,
        "outboxAchterstand": int(backlog) if backlog is not None else None,
        "outboxOudsteSeconden": _oudste(instanties, "schakel_outbox_oldest_unsent_timestamp_seconds", nu),
        "takenNeer": sorted(
            {
                labels["task"] + (f" ({adres})" if len(instanties) > 1 else "")
                for adres, labels, v in _samples(instanties, "schakel_task_up", "task")
                if v == 0
            }
        ),
    }


def _webhooks(instanties: list[Instantie], nu: datetime) -> dict:
    outcomes: Counter[str] = Counter()
    for _, labels, v in _samples(instanties, "schakel_webhook_deliveries_total", "outcome"):
        outcomes[labels["outcome"]] += int(v)
    return {
        "afleveringen": dict(outcomes),
        "oudsteWachtendSeconden": _oudste(instanties, "schakel_webhook_oldest_waiting_timestamp_seconds", nu),
        # behind a pause: it lapses after DECISIONS_AFLEVERINGEN_BEWAREN_DAGEN (SchakelWebhookPausedLong)
        "oudsteGepauzeerdSeconden": _oudste(instanties, "schakel_webhook_oldest_paused_timestamp_seconds", nu),
    }


def _cijfers(instanties: dict[str, list[Instantie]], gemeente: str | None) -> list[dict]:
    """The counts per municipality, each summed over the service's instances."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for d, found in instanties.items():
        for metric, outcome in CIJFERS.items():
            for _, labels, v in _samples(found, metric, "gemeentecode", outcome):
                if gemeente in (None, labels["gemeentecode"]):
                    counts[(labels["gemeentecode"], d, labels[outcome])] += int(v)
    return [
        {"dienst": d, "gemeentecode": g, "soort": soort, "aantal": n} for (g, d, soort), n in sorted(counts.items())
    ]


def _event(r: RecordHeaders, contract: Contract, trace_url: str) -> dict:
    """The sender chose the CloudEvents attributes, so only a type of the contract is shown as it is
    (a BSN or a page of text could stand there); the event id, which nothing here needs, is not."""
    trace = trace_id(r.headers.get("traceparent"))
    ce_type = r.headers.get("ce_type")
    return {
        "type": ONLEESBAAR if r.unreadable else ce_type if ce_type in contract.event_types else "onbekend",
        "tijd": r.produced,
        "partitie": r.partition,
        "offset": r.offset,
        "traceId": trace,
        "traceUrl": trace_url.format(traceId=trace) if trace and trace_url else None,
    }


def _dode_brief(r: RecordHeaders, contract: Contract, trace_url: str) -> dict:
    """A dead letter's headers: where it came from and why it failed; never its key or value."""
    return _event(r, contract, trace_url) | {
        "topic": r.topic,
        "reden": r.headers.get("dlq-reden"),
        "bronTopic": r.headers.get("dlq-bron-topic"),
        "bronPartitie": r.headers.get("dlq-bron-partitie"),
        "bronOffset": r.headers.get("dlq-bron-offset"),
        "consumer": r.headers.get("dlq-consumer"),
    }

"""A polis volume: the same declarations delivered once over HTTP and once over Kafka, for two
populations of the same shape, so the resulting monthly figures can be compared person by person.
Used by the volume test and by `make bench`.

Per person 20 declarations: 10 monthly periods at employer A (Dec 2025 - Sep 2026), 6 four-weekly
periods at employer B (5 Jan 2026 onwards, several spanning two months), then 2 corrections of
A's periods, 1 nil correction and 1 repeat, in that order.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer

from deploy.bench_levering import bsns
from income.entrypoints.aangifte import AangifteAangeleverd
from schakel.events import Event, Pseudonymiser, encode
from schakel.events.models import UitkeringGeopend
from schakel.messaging import KafkaConfig
from schakel.persistence import Database

WERKGEVER_A, WERKGEVER_B = "123456782L01", "803123450L01"
DECISIONS = "urn:nld:oin:00000001002220647000:systeem:decisions"
LEVERANCIER_OIN = "00000001805160327000"  # a development party (deploy/kafka_security.py)
LEVERANCIER = f"urn:nld:oin:{LEVERANCIER_OIN}:systeem:polisleveringen"
PER_PERSOON = 20


def aangiften(bsn: str, i: int) -> list[dict]:
    def record(werkgever: str, begin: date, einde: date, loon: int, **extra) -> dict:
        return {
            "bsn": bsn,
            "loonheffingennummer": werkgever,
            "inkomstenverhouding": i,
            "aanvangInkomstenverhouding": "2025-06-01",
            "tijdvakBegin": begin.isoformat(),
            "tijdvakEinde": einde.isoformat(),
            "fiscaalLoon": loon,
            "ingehoudenLoonheffing": loon // 7,
            "ingehoudenBijdrageZvw": 0,
            "soortInkomstenverhouding": "15",  # wage
            **extra,
        }

    maanden = [date(2025, 12, 1)] + [date(2026, m, 1) for m in range(1, 10)]
    a = [
        record(WERKGEVER_A, m, (m + timedelta(days=32)).replace(day=1) - timedelta(days=1), 90_000 + 37 * (i % 100) + k)
        for k, m in enumerate(maanden)
    ]
    b = [
        record(
            WERKGEVER_B,
            date(2026, 1, 5) + timedelta(days=28 * k),
            date(2026, 2, 1) + timedelta(days=28 * k),
            40_000 + 11 * (i % 50),
            vakantiebijslagBetaald=5_000 if k == 4 else 0,
        )
        for k in range(6)
    ]
    corrections = [
        dict(a[2], fiscaalLoon=a[2]["fiscaalLoon"] + 12_345),
        dict(a[5], fiscaalLoon=a[5]["fiscaalLoon"] - 999),
    ]
    nil = dict(a[7], fiscaalLoon=0, ingehoudenLoonheffing=0)
    return a + b + corrections + [nil, dict(b[0])]


def geopend(pseudonym: Pseudonymiser, bsn: str) -> Event:
    data = UitkeringGeopend(
        uitkeringId=str(uuid.uuid4()),
        bsn=bsn,
        gemeentecode="GM0363",
        geboortedatum=date(1990, 5, 1),
        startdatum=date(2025, 11, 1),
    )
    return Event(type=data.TYPE, source=DECISIONS, key=pseudonym(bsn), data=data.as_json())


async def produce(kafka: KafkaConfig, topic: str, events: list[Event]) -> None:
    producer = AIOKafkaProducer(
        **kafka.connection(), acks="all", enable_idempotence=True, linger_ms=20, max_batch_size=256 * 1024
    )
    await producer.start()
    try:
        for start in range(0, len(events), 5000):
            await asyncio.gather(
                *[
                    await producer.send(topic, value=v, key=k, headers=h)
                    for k, v, h in map(encode, events[start : start + 5000])
                ]
            )
    finally:
        await producer.stop()


def populatie(client: httpx.Client, peildatum: str) -> set[str]:
    """Every BSN in income's population on `peildatum`, as a provider reads it: page after page."""
    bsns, params = set(), {"peildatum": peildatum, "paginaGrootte": 10_000}
    while True:
        body = client.get("/populatie", params=params).json()
        bsns |= {p["bsn"] for p in body["personen"]}
        if body["volgende"] is None:
            return bsns
        params = {"vanaf": body["volgende"], "paginaGrootte": 10_000}


def population(url: str, token: str, expected: set[str], timeout: float = 300, peildatum: str = "2026-01-01") -> None:
    """Waits until income's population on `peildatum` holds every expected BSN."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        while True:
            seen = populatie(client, peildatum)
            if expected <= seen:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(expected - seen)} persons never reached the population")
            time.sleep(0.5)


def deliver_http(urls: list[str], token: str, records: list[dict], per_request: int = 10_000) -> dict[str, int]:
    """Delivers the records in requests of `per_request`, each instance (URL) taking its share at once."""

    def deliver(url: str, requests: list[list[dict]]) -> list[dict[str, int]]:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=600) as client:
            return [
                client.post("/leveringen", json={"leveringId": f"volume-http-{uuid.uuid4()}", "aangiften": aangiften})
                .raise_for_status()
                .json()["aantallen"]
                for aangiften in requests
            ]

    # a person's declarations stay in one request (they are in order: corrections after what they correct)
    assert per_request % PER_PERSOON == 0
    requests = [records[start : start + per_request] for start in range(0, len(records), per_request)]
    with ThreadPoolExecutor(len(urls)) as pool:
        counts = [
            c for share in pool.map(deliver, urls, [requests[i :: len(urls)] for i in range(len(urls))]) for c in share
        ]
    return {outcome: sum(c[outcome] for c in counts) for outcome in counts[0]}


def deliver_kafka(
    kafka: KafkaConfig, url: str, token: str, records: list[dict], timeout: float = 600
) -> dict[str, int]:
    """Produces every record onto the ingest topic and waits until income counted them all."""
    levering_id = f"volume-kafka-{uuid.uuid4()}"
    events = [
        Event(
            type=AangifteAangeleverd.TYPE,
            source=LEVERANCIER,
            key=f"{r['loonheffingennummer']}:{r['inkomstenverhouding']}",
            data={"leveringId": levering_id, **r},
        )
        for r in records
    ]
    asyncio.run(produce(kafka, f"polisaangiften.{LEVERANCIER_OIN}", events))  # the provider's own topic
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        while True:
            response = client.get(f"/leveringen/{levering_id}")
            if response.status_code == 200 and sum(response.json()["aantallen"].values()) >= len(records):
                return response.json()["aantallen"]
            if time.monotonic() > deadline:
                raise TimeoutError("the Kafka delivery was not processed in time")
            time.sleep(0.2)


def figures(database_url: str, pseudonyms: list[str]) -> list[list[tuple]]:
    """Per person (in the given order) the stored monthly figures: month, amounts and versions."""
    from income.adapters.tables import maandinkomens as m

    async def read():
        db = Database(database_url)
        try:
            async with db.transaction() as conn:
                rows = (
                    await conn.execute(
                        sa.select(m.c.persoon, m.c.maand, m.c.loon, m.c.vakantiebijslag, m.c.bijdragen)
                        .where(m.c.persoon.in_(pseudonyms))
                        .order_by(m.c.persoon, m.c.maand)
                    )
                ).all()
        finally:
            await db.dispose()
        per_persoon: dict[str, list[tuple]] = {p: [] for p in pseudonyms}
        for r in rows:
            per_persoon[r.persoon].append(
                (
                    r.maand,
                    r.loon,
                    r.vakantiebijslag,
                    [(b["loonheffingennummer"], b["tijdvak_begin"], b["versie"], b["loon"]) for b in r.bijdragen],
                )
            )
        return [per_persoon[p] for p in pseudonyms]

    return asyncio.run(read())


@dataclass
class Uitslag:
    records: int
    http_per_seconde: float
    kafka_per_seconde: float
    aantallen_http: dict[str, int]
    aantallen_kafka: dict[str, int]
    maanden_http: list[list[tuple]]
    maanden_kafka: list[list[tuple]]


def compare(
    kafka: KafkaConfig,
    income_urls: list[str],
    database_url: str,
    provider_token: str,
    pseudonym: Pseudonymiser,
    records: int,
) -> Uitslag:
    """Two populations of records/20 persons each; the same declarations for person i of each,
    once by HTTP (requests of 10.000, shared by income's instances) and once by Kafka (the instances
    in one consumer group); returns rates, counts and figures."""
    income_url = income_urls[0]
    personen = records // PER_PERSOON
    via_http, via_kafka = bsns(personen, 20_000_000), bsns(personen, 30_000_000)
    asyncio.run(produce(kafka, "uitkeringen", [geopend(pseudonym, b) for b in via_http + via_kafka]))
    population(income_url, provider_token, set(via_http + via_kafka))
    records_http = [r for i, b in enumerate(via_http) for r in aangiften(b, i)]
    records_kafka = [r for i, b in enumerate(via_kafka) for r in aangiften(b, i)]
    started = time.perf_counter()
    counts_http = deliver_http(income_urls, provider_token, records_http)
    http_rate = len(records_http) / (time.perf_counter() - started)
    started = time.perf_counter()
    counts_kafka = deliver_kafka(kafka, income_url, provider_token, records_kafka)
    kafka_rate = len(records_kafka) / (time.perf_counter() - started)
    return Uitslag(
        len(records_http),
        http_rate,
        kafka_rate,
        counts_http,
        counts_kafka,
        figures(database_url, [pseudonym(b) for b in via_http]),
        figures(database_url, [pseudonym(b) for b in via_kafka]),
    )

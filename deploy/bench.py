"""`make bench`: throughput and latency on one local broker.

(a) raw aiokafka: 1 KB records, idempotent producer (acks=all) -> consumer;
(b) the same number of events through Schakel's full path: state + outbox in one transaction
    (batches of 500, as a delivery would) -> relay -> Kafka -> consumer runner (one transaction
    per getmany batch) -> inbox + the consumer's own table, in two separate databases. The handler
    is a batch handler (one insert per batch), as the services' delivery consumers are: a handler
    with a statement per event costs more than the whole path (ratio 0,05 instead of 0,3).
(c) the income service as a process: the same polis declarations once over HTTP (requests of
    10.000) and once over the Kafka ingest topic, checking that both give identical monthly figures.
(d) the cost of instrumentation: (b) again without metrics (every metric a no-op) and without
    tracing, with metrics, then with Schakel's spans (an SDK tracer provider whose batch processor
    encodes every span as an exporter would; each outbox transaction in a span of its own, as a
    request is, then the relay's send, the consumer's receive and the processing spans), and 1
    trace in 10 sampled (what OTEL_TRACES_SAMPLER=parentbased_traceidratio with ARG 0.1 does).
Prints the rates, the ratio b/a, and p50/p99 end-to-end latency. The broker takes TLS with SASL
SCRAM-SHA-512 and the contract's ACLs, as everywhere; `--plaintext` measures without, for what
the security costs.
    python -m deploy.bench [--events 20000] [--records 100000] [--postgres URL] [--plaintext]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ParentBased, Sampler, TraceIdRatioBased
from prometheus_client.metrics import MetricWrapperBase

from deploy import kafka_security, volume
from deploy.databases import new_database
from deploy.kafka_broker import Broker, free_port
from deploy.services import ServiceProcess
from deploy.token import DEFAULT_OIN, development, mint
from schakel.api import Rol
from schakel.events import Event, Pseudonymiser, load_contract
from schakel.events.models import DeelnamestatusGewijzigd
from schakel.messaging import BatchHandler, ConsumerRunner, KafkaConfig, Outbox, OutboxRelay
from schakel.messaging.acls import service_principal
from schakel.messaging.kafka import consumer, producer
from schakel.persistence import Database, migrate
from schakel.telemetry import metrics

TYPE = DeelnamestatusGewijzigd.TYPE
RAW_TOPIC = "schakel-bench-raw"
PACED, PACED_RATE = 500, 100.0
received = sa.Table(
    "bench_ontvangen",
    sa.MetaData(),
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("latency_ms", sa.Float, nullable=False),
)


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


async def raw(kafka: KafkaConfig, n: int) -> tuple[float, list[float]]:
    admin = AIOKafkaAdminClient(**kafka.connection())
    await admin.start()
    await admin.create_topics([NewTopic(RAW_TOPIC, 6, 1)])
    await admin.close()
    consumer = AIOKafkaConsumer(
        RAW_TOPIC,
        **kafka.connection(),
        group_id=f"bench-{uuid.uuid4()}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    send = producer(kafka)
    await send.start()
    padding = b"x" * 1000
    latencies: list[float] = []

    async def consume():
        while len(latencies) < n:
            for records in (await consumer.getmany(timeout_ms=200, max_records=1000)).values():
                now = time.time()
                latencies.extend((now - float(r.value[:20])) * 1000 for r in records)
            await consumer.commit()

    reader = asyncio.create_task(consume())
    started = time.perf_counter()
    futures = [
        await send.send(RAW_TOPIC, value=f"{time.time():<20.6f}".encode() + padding, key=str(i % 997).encode())
        for i in range(n)
    ]
    await asyncio.gather(*futures)
    await reader
    elapsed = time.perf_counter() - started
    await send.stop()
    await consumer.stop()
    return n / elapsed, latencies


async def from_the_end(kafka: KafkaConfig, group: str, topic: str) -> None:
    """Commits the topic's end offsets for a new consumer group, so that it starts after what is there."""
    client = consumer(kafka, group, [topic])
    await client.start()
    try:
        while not client.assignment():
            await client.getmany(timeout_ms=200)
        ends = await client.end_offsets(list(client.assignment()))
        await client.commit(ends)
    finally:
        await client.stop()


async def pipeline(
    kafka: KafkaConfig, n: int, url_a: str, url_b: str, versions: Path
) -> tuple[float, list[float], list[float]]:
    contract = load_contract()
    db_a, db_b = Database(url_a), Database(url_b)
    for db in (db_a, db_b):
        await migrate(db, versions)
    async with db_b.transaction() as conn:
        await conn.run_sync(received.metadata.create_all)
    box = Outbox(contract, "urn:nld:oin:00000001003214345000:systeem:registration", "registration")
    relay = OutboxRelay(db_a, kafka)

    async def handle(conn, events: list[Event]) -> dict[str, str]:
        # a batch's events in one insert, as the services' delivery consumers apply theirs
        now = datetime.now(UTC)
        await conn.execute(
            received.insert(),
            [
                {"event_id": e.id, "latency_ms": (now - datetime.fromisoformat(e.time)).total_seconds() * 1000}
                for e in events
            ],
        )
        return {}

    group = f"bench-{uuid.uuid4()}"
    await from_the_end(kafka, group, "deelnamestatussen")  # a later run does not take an earlier run's events
    runner = ConsumerRunner(
        db=db_b,
        kafka=kafka,
        contract=contract,
        group_id=group,
        handlers={TYPE: BatchHandler(handle)},
        topics=["deelnamestatussen"],
    )
    stop = asyncio.Event()
    tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(runner.run(stop))]
    await asyncio.wait_for(runner.ready.wait(), 60)

    def event(i: int) -> Event:
        return box.event(
            f"{i % 997:064x}",
            DeelnamestatusGewijzigd(
                bsn="999993653",
                gemeentecode="GM0363",
                status="doelgroepregister",
                doelgroepregisterGrond="participatiewet",
                ingangsdatum=date(2026, 1, 1),
                terugvalopties=[],
            ),
        )

    async def received_count() -> int:
        async with db_b.engine.connect() as conn:
            return (await conn.execute(sa.select(sa.func.count()).select_from(received))).scalar_one()

    # each transaction in a request's span, as in a service (a no-op until a tracer provider is set)
    tracer = trace.get_tracer("schakel.bench")
    # a burst, as a monthly delivery is: 500 events per transaction, as fast as it goes
    started = time.perf_counter()
    for start in range(0, n, 500):
        with tracer.start_as_current_span("delivery"):
            async with db_a.transaction() as conn:
                await box.add(conn, *(event(i) for i in range(start, min(start + 500, n))))
        relay.wake()
    while await received_count() < n:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    # then a steady trickle, one event per transaction, as API requests are: latency without a queue
    paced = []
    for i in range(PACED):
        with tracer.start_as_current_span("request"):
            async with db_a.transaction() as conn:
                paced.append(event(i))
                await box.add(conn, paced[-1])
        relay.wake()
        await asyncio.sleep(1 / PACED_RATE)
    while await received_count() < n + PACED:
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*tasks)
    async with db_b.engine.connect() as conn:
        rows = (await conn.execute(sa.select(received.c.event_id, received.c.latency_ms))).all()
    paced_ids = {e.id for e in paced}
    burst = [r.latency_ms for r in rows if r.event_id not in paced_ids]
    steady = [r.latency_ms for r in rows if r.event_id in paced_ids]
    await db_a.dispose()
    await db_b.dispose()
    return n / elapsed, burst, steady


class _NoMetric:
    """Stands in for every metric in the run without metrics: records nothing."""

    def labels(self, *_: object) -> _NoMetric:
        return self

    def inc(self, *_: object) -> None:
        return None

    dec = set = observe = inc


@contextmanager
def without_metrics() -> Iterator[None]:
    names = [n for n, v in vars(metrics).items() if isinstance(v, MetricWrapperBase)]
    kept = {n: getattr(metrics, n) for n in names}
    for n in names:
        setattr(metrics, n, _NoMetric())
    try:
        yield
    finally:
        for n, metric in kept.items():
            setattr(metrics, n, metric)


class _Encoded(SpanExporter):
    """Encodes each span as an exporter must (JSON) and drops it: the tracing cost inside the service,
    without a trace server's speed in the figure."""

    def __init__(self) -> None:
        self.spans = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.spans += sum(1 for s in spans if s.to_json())
        return SpanExportResult.SUCCESS


class _Switch(Sampler):
    """The sampler of the tracing runs: every trace, then a ratio (a provider is set once per process)."""

    def __init__(self) -> None:
        self.inner: Sampler = ALWAYS_ON

    def should_sample(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return self.inner.should_sample(*args, **kwargs)

    def get_description(self) -> str:
        return self.inner.get_description()


def start_tracing(sampler: Sampler) -> _Encoded:
    """The tracer provider as `schakel.telemetry.setup` configures it (it stays for the rest of the run)."""
    exporter = _Encoded()
    provider = TracerProvider(sampler=sampler)
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


async def instrumentation(
    kafka: KafkaConfig, n: int, tmp: Path, postgres: str | None
) -> list[tuple[str, float, list[float], list[float]]]:
    """(b) without metrics and tracing, with metrics, with Schakel's spans (as in a service), then
    1 trace in 10: rate and burst and paced latencies."""
    runs, sampler = [], _Switch()
    for name in ("none", "metrics", "+spans", "+sampled 1 in 10"):
        if name == "+spans":
            exporter = start_tracing(sampler)
        if name == "+sampled 1 in 10":
            sampler.inner = ParentBased(TraceIdRatioBased(0.1))
        folder = name.strip("+").replace(" ", "-")
        url_a, url_b = [await new_database(tmp, f"{folder}-{db}", postgres) for db in ("a", "b")]
        (tmp / f"versions-{folder}").mkdir()
        with without_metrics() if name == "none" else nullcontext():
            rate, latency, steady = await pipeline(kafka, n, url_a, url_b, tmp / f"versions-{folder}")
        runs.append((name, rate, latency, steady))
    trace.get_tracer_provider().force_flush()  # type: ignore[attr-defined]
    if not exporter.spans:
        raise SystemExit("tracing was on, but no span was recorded")
    return runs


def income_ingest(broker: Broker, tmp: Path, records: int, database_url: str) -> volume.Uitslag:
    platform = development()
    income = ServiceProcess(
        "income",
        free_port(),
        {
            "SCHAKEL_ENVIRONMENT": "development",
            **(broker.security.environment(service_principal("income")) if broker.security else {}),
            "SCHAKEL_KAFKA_BOOTSTRAP": broker.bootstrap,
            "SCHAKEL_DATA_DIR": str(tmp),
            "INCOME_DATABASE_URL": database_url,
            # the provider delivers for the benchmark's municipality (doelbinding)
            "INCOME_LEVERANCIERS": json.dumps({DEFAULT_OIN[Rol.data_provider]: ["GM0363"]}),
        },
        tmp / "income.log",
    ).start()
    try:
        income.wait_ready()
        token = mint(Rol.data_provider)
        pseudonym = Pseudonymiser(platform.pseudonym_key.get_secret_value().encode())
        uitslag = volume.compare(
            broker.client(client_id="schakel-bench"), [income.url], database_url, token, pseudonym, records
        )
    finally:
        income.stop()
    if uitslag.maanden_http != uitslag.maanden_kafka or uitslag.aantallen_http != uitslag.aantallen_kafka:
        raise SystemExit("HTTP and Kafka deliveries gave different monthly figures")
    return uitslag


async def main(n: int, records: int, postgres: str | None, plaintext: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        security = None if plaintext else kafka_security.ensure(tmp / "security")
        broker = Broker(tmp / "kafka", free_port(), free_port(), security).start()
        try:
            kafka = broker.client(client_id="schakel-bench")
            await broker.provision()
            raw_rate, raw_latency = await raw(kafka, n)
            url_a, url_b = [await new_database(tmp, name, postgres) for name in ("a", "b")]
            (tmp / "versions").mkdir()
            rate, latency, steady = await pipeline(kafka, n, url_a, url_b, tmp / "versions")
            ingest = await asyncio.to_thread(
                income_ingest, broker, tmp, records, await new_database(tmp, "income", postgres)
            )
            costs = await instrumentation(kafka, n, tmp, postgres)
        finally:
            broker.stop()
    storage = "PostgreSQL" if postgres else "SQLite"
    security = "plaintext" if plaintext else "TLS + SASL SCRAM-SHA-512, ACLs"
    print(f"\n{n} events, one local broker ({security}), 2 cores; pipeline databases: {storage}")
    print(
        f"(a) raw aiokafka, 1 KB records      : {raw_rate:9.0f} msg/s   "
        f"p50 {percentile(raw_latency, 50):7.1f} ms   p99 {percentile(raw_latency, 99):7.1f} ms"
    )
    print(
        f"(b) outbox->relay->consumer->inbox  : {rate:9.0f} evt/s   "
        f"p50 {percentile(latency, 50):7.1f} ms   p99 {percentile(latency, 99):7.1f} ms"
    )
    print(
        f"(b) the same, paced {PACED_RATE:.0f} evt/s      :                 "
        f"p50 {percentile(steady, 50):7.1f} ms   p99 {percentile(steady, 99):7.1f} ms"
    )
    print(f"ratio b/a: {rate / raw_rate:.2f}; 100.000 events through (b): ~{100_000 / rate:.0f} s")
    print(
        f"(c) income ingest, {ingest.records} declarations: HTTP {ingest.http_per_seconde:.0f} records/s, "
        f"Kafka {ingest.kafka_per_seconde:.0f} records/s; monthly figures identical"
    )
    _, bare, _, _ = costs[0]
    print(f"(d) instrumentation, (b) with {n} events:")
    for name, rate, latency, steady in costs:
        print(
            f"    {name:<20}: {rate:9.0f} evt/s ({(rate / bare - 1) * 100:+5.1f}%)   "
            f"p50 {percentile(latency, 50):7.1f} ms   p99 {percentile(latency, 99):7.1f} ms;   "
            f"paced p50 {percentile(steady, 50):5.1f} ms   p99 {percentile(steady, 99):6.1f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=100_000, help="polis declarations per channel in (c)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("SCHAKEL_TEST_POSTGRES_URL"),
        help="a PostgreSQL server URL (default: SCHAKEL_TEST_POSTGRES_URL; else SQLite)",
    )
    parser.add_argument("--plaintext", action="store_true", help="a broker without TLS, SASL and ACLs")
    args = parser.parse_args()
    asyncio.run(main(args.events, args.records, args.postgres, args.plaintext))

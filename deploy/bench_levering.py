"""A whole monthly polis delivery, end to end: N people with a running case, ten monthly
declarations each, delivered once over HTTP (`POST /leveringen`, requests of 10.000) and once, for
N other people, over the Kafka ingest topic; the clock runs from the first declaration until the
last `verrekening.vastgesteld` is on its topic. The four services run as processes, `--instanties`
of each on one database per service (SQLite files, or PostgreSQL with `--postgres`), on one local
broker (TLS, SASL SCRAM, ACLs). Prints a table, and the CPU seconds each service used per run
(where the time goes: the busiest service sets the pace), as did the broker, PostgreSQL and the
benchmark's own clients (what is left of the machine's), and the SQL statements per declaration
each service sent (its database round trips: the figure that does not move with the machine's load).

The cases are opened the way a granted re-application opens them (`heraanvraag.toegekend` on
Kafka, written by the benchmark as the reapplication service would), which is faster to set up
than 2N HTTP requests and is not part of what is measured.
    python -m deploy.bench_levering [--mensen 10000] [--instanties 1] [--postgres URL] [--profiel DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition

from deploy import kafka_security
from deploy.databases import new_database
from deploy.kafka_broker import Broker, free_port
from deploy.services import SERVICES, ServiceProcess
from deploy.token import DEFAULT_OIN, development, mint
from schakel.api import Rol
from schakel.events import Event, Pseudonymiser, encode, load_contract
from schakel.events.models import HeraanvraagToegekend, Situatie, VerrekeningVastgesteld
from schakel.messaging import KafkaConfig
from schakel.messaging.acls import service_principal
from schakel.messaging.kafka import producer
from schakel.primitives.bsn import met_controlecijfer

TODAY = "2026-11-30"  # the services' legal date (SCHAKEL_TODAY): the months delivered lie before it
MAANDEN = [f"2026-{m:02d}" for m in range(1, 11)]  # ten monthly declarations per person
GEMEENTE = "GM0363"
PER_VERZOEK = 10_000
PROVIDER = DEFAULT_OIN[Rol.data_provider]
VASTGESTELD = VerrekeningVastgesteld.TYPE
STATEMENTS, LAG = "schakel_db_statements_total ", "messaging_kafka_consumer_lag{"


@dataclass(frozen=True)
class Run:
    kanaal: str
    mensen: int
    aangiften: int
    seconden: float
    cpu: dict[str, float]  # CPU seconds per service (all its instances), the broker, PostgreSQL, the bench
    statements: dict[str, float]  # SQL statements per service during the run (background rounds included)
    machine: float  # CPU seconds all cores spent busy during the run (PostgreSQL, the broker, this bench too)
    load: float  # the machine's one-minute load average as the run ended (it is shared)

    @property
    def per_seconde(self) -> float:
        return self.aangiften / self.seconden


def bsns(n: int, start: int) -> list[str]:
    """n distinct BSNs that pass the elfproef, from `start` on (benchmark data, never a real person's on purpose)."""
    found, nummer = [], start
    while len(found) < n:
        if bsn := met_controlecijfer(f"{nummer:08d}"):
            found.append(bsn)
        nummer += 1
    return found


def aangifte(bsn: str, maand: str) -> dict:
    return {
        "bsn": bsn,
        "loonheffingennummer": "123456782L01",
        "inkomstenverhouding": int(bsn[:8]),  # one employer; each employee their own relationship
        "aanvangInkomstenverhouding": "2025-06-01",
        "soortInkomstenverhouding": "15",  # wage: work income (a month of unknown kind waits for a caseworker)
        "tijdvakBegin": f"{maand}-01",
        "tijdvakEinde": f"{maand}-28",
        "fiscaalLoon": 150000,
        "ingehoudenLoonheffing": 20000,
        "ingehoudenBijdrageZvw": 0,
    }


def toegekend(bsn: str, pseudonym: Pseudonymiser, oin: str) -> Event:
    data = HeraanvraagToegekend(
        bsn=bsn,
        gemeentecode=GEMEENTE,
        heraanvraagId=str(uuid.uuid4()),
        startdatum="2026-01-01",
        geboortedatum="1990-05-01",
        situatie=Situatie(
            huishouden="alleenstaand",
            partnerGeboortedatum=None,
            jongsteKindGeboortedatum=None,
            kostendelers=0,
            medischUrenbeperkt=False,
            loonkostensubsidie=False,
            meerUrenNietMogelijk=False,
            vrijlatingsregime="per-datum",
            betaalmodel="voorschot",
        ),
    )
    return Event(
        type=data.TYPE, source=f"urn:nld:oin:{oin}:systeem:reapplication", data=data.as_json(), key=pseudonym(bsn)
    )


def polisaangifte(levering: str, record: dict) -> Event:
    return Event(
        type="nl.polis.aangifte.aangeleverd",
        source=f"urn:nld:oin:{PROVIDER}:systeem:polisleveringen",
        key=f"{record['loonheffingennummer']}:{record['inkomstenverhouding']}",
        data={"leveringId": levering, **record},
    )


async def produce(kafka: KafkaConfig, topic: str, events: list[Event]) -> None:
    client = producer(kafka)
    await client.start()
    try:
        sends = []
        for event in events:
            key, value, headers = encode(event)
            sends.append(await client.send(topic, value=value, key=key, headers=headers))
        await asyncio.gather(*sends)
    finally:
        await client.stop()


class Settlements:
    """Counts the distinct `verrekening.vastgesteld` events that reach their topic from now on."""

    def __init__(self, kafka: KafkaConfig) -> None:
        self._kafka, self.ids, self.last = kafka, set[str](), 0.0
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        self._consumer = AIOKafkaConsumer(**self._kafka.connection(), enable_auto_commit=False)
        await self._consumer.start()
        topic = "verrekeningen"
        partitions = [TopicPartition(topic, p) for p in range(load_contract().topic(topic).partitions)]
        self._consumer.assign(partitions)
        await self._consumer.seek_to_end(*partitions)

    async def until(self, count: int, timeout: float) -> float:
        """Waits until `count` settlements arrived; returns when the last one was written (epoch s)."""
        assert self._consumer is not None
        deadline = time.monotonic() + timeout
        while len(self.ids) < count:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(self.ids)} of {count} settlements after {timeout:.0f} s")
            for records in (await self._consumer.getmany(timeout_ms=500)).values():
                for r in records:
                    headers = dict(r.headers)
                    if headers.get("ce_type") == VASTGESTELD.encode():
                        self.ids.add(headers["ce_id"].decode())
                        self.last = max(self.last, r.timestamp / 1000)
        return self.last

    async def stop(self) -> None:
        if self._consumer is not None:
            await self._consumer.stop()


def cpu_of(pid: int) -> float:
    """User and system CPU seconds a process used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> float:
    """CPU seconds all of this machine's cores spent busy so far (Linux /proc/stat: all but idle and
    iowait), whoever used them: the services, PostgreSQL, the broker, the clients, the kernel."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(processes: dict[str, list[ServiceProcess]], broker: Broker) -> dict[str, float]:
    """CPU seconds so far per service (over all its instances), and of what they use: the broker, every
    PostgreSQL process on this machine, and this benchmark (the clients that deliver and wait)."""
    return {name: sum(cpu_of(p.process.pid) for p in instances) for name, instances in processes.items()} | {
        "broker": cpu_of(broker.process.pid),
        "PostgreSQL": postgres_cpu(),
        "bench": cpu_of(os.getpid()),
    }


def postgres_cpu() -> float:
    """CPU seconds so far of PostgreSQL's processes on this machine, with those of backends that ended
    (the server's main process counts its children's once it has reaped them)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().split(" (", 1)[1].rsplit(")", 1)
        except OSError:
            continue  # ended as it was read
        if name == "postgres":
            ticks += sum(int(f) for f in rest.split()[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


async def scraped(processes: dict[str, list[ServiceProcess]], metric: str) -> dict[str, float]:
    """A metric summed over its series and over a service's instances, per service."""
    sums = {}
    async with httpx.AsyncClient(timeout=30) as client:
        for name, instances in processes.items():
            sums[name] = 0.0
            for p in instances:
                text = (await client.get(p.url.removesuffix("/api/v1") + "/metrics")).text
                sums[name] += sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(metric))
    return sums


async def caught_up(processes: dict[str, list[ServiceProcess]]) -> None:
    """Until no consumer lags, so the CPU figures hold all of the delivery's work (a consumer that
    settles nothing may still be busy when the last settlement arrives)."""
    deadline = time.monotonic() + 300
    while sum((await scraped(processes, LAG)).values()) > 0 and time.monotonic() < deadline:
        await asyncio.sleep(1)


async def population(url: str, token: str) -> int:
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        answer = await client.get(f"{url}/populatie", params={"peildatum": "2026-01-01", "paginaGrootte": 1})
        return int(answer.json()["totaal"])


async def open_cases(kafka: KafkaConfig, people: list[str], income_url: str, expected: int) -> None:
    platform = development()
    pseudonym = Pseudonymiser(platform.pseudonym_key.get_secret_value().encode())
    topic = load_contract().topic_of(HeraanvraagToegekend.TYPE)
    await produce(kafka, topic, [toegekend(b, pseudonym, platform.oin) for b in people])
    token, deadline = mint(Rol.data_provider), time.monotonic() + 600
    while await population(income_url, token) < expected:  # decisions opened them, income knows them
        if time.monotonic() > deadline:
            raise SystemExit("the cases did not reach income's population within 10 minutes")
        await asyncio.sleep(1)


async def over_http(url: str, people: list[str]) -> None:
    records = [aangifte(b, m) for m in MAANDEN for b in people]
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {mint(Rol.data_provider)}"}, timeout=600) as c:
        for start in range(0, len(records), PER_VERZOEK):
            levering = {"leveringId": f"bench-{uuid.uuid4()}", "aangiften": records[start : start + PER_VERZOEK]}
            answer = await c.post(f"{url}/leveringen", json=levering)
            answer.raise_for_status()


async def over_kafka(kafka: KafkaConfig, people: list[str]) -> None:
    levering = f"bench-{uuid.uuid4()}"
    await produce(
        kafka, f"polisaangiften.{PROVIDER}", [polisaangifte(levering, aangifte(b, m)) for m in MAANDEN for b in people]
    )


async def measure(
    name: str,
    deliver,
    people: list[str],
    kafka: KafkaConfig,
    processes: dict[str, list[ServiceProcess]],
    broker: Broker,
) -> Run:
    settlements = Settlements(kafka)
    await settlements.start()
    try:
        await caught_up(processes)
        sql_before = await scraped(processes, STATEMENTS)
        cpu_before, machine, started = cpu_seconds(processes, broker), machine_cpu(), time.time()
        await deliver(people)
        last = await settlements.until(len(people) * len(MAANDEN), timeout=3600)
        cpu_after, machine, load = cpu_seconds(processes, broker), machine_cpu() - machine, os.getloadavg()[0]
        await caught_up(processes)
        sql_after = await scraped(processes, STATEMENTS)
    finally:
        await settlements.stop()
    return Run(
        name,
        len(people),
        len(people) * len(MAANDEN),
        last - started,
        {s: cpu_after[s] - cpu_before[s] for s in cpu_after},
        {s: sql_after[s] - sql_before[s] for s in processes},
        machine,
        load,
    )


def start_services(
    broker: Broker, tmp: Path, urls: dict[str, str], instances: int, profiles: Path | None, **extra: str
) -> dict[str, list[ServiceProcess]]:
    """`instances` of each service `urls` names a database for; `extra` settings for all."""
    processes: dict[str, list[ServiceProcess]] = {}
    for name in urls:
        env = {
            "SCHAKEL_ENVIRONMENT": "development",
            **(broker.security.environment(service_principal(name)) if broker.security else {}),
            "SCHAKEL_KAFKA_BOOTSTRAP": broker.bootstrap,
            "SCHAKEL_DATA_DIR": str(tmp),
            "SCHAKEL_TODAY": TODAY,
            "SCHAKEL_RATE_LIMIT_PER_MINUTE": "1000000",
            f"{name.upper()}_DATABASE_URL": urls[name],
            "INCOME_LEVERANCIERS": json.dumps({PROVIDER: [GEMEENTE]}),
            **extra,
        }
        processes[name] = [
            ServiceProcess(
                name,
                free_port(),
                env,
                tmp / f"{name}-{i}.log",
                profile=profiles / f"{name}-{i}.prof" if profiles else None,
            ).start()
            for i in range(instances)
        ]
    for instances_of in processes.values():
        for p in instances_of:
            p.wait_ready(timeout=180)
    return processes


async def main(mensen: int, instances: int, postgres: str | None, profiles: Path | None) -> list[Run]:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        broker = Broker(tmp / "kafka", free_port(), free_port(), kafka_security.ensure(tmp / "security")).start()
        processes: dict[str, list[ServiceProcess]] = {}
        try:
            await broker.provision()
            kafka = broker.client(client_id="schakel-bench")
            urls = {name: await new_database(tmp, name, postgres) for name in SERVICES}
            processes = await asyncio.to_thread(start_services, broker, tmp, urls, instances, profiles)
            income = processes["income"][0].url
            via_http, via_kafka = bsns(mensen, 10_000_000), bsns(mensen, 60_000_000)
            await open_cases(kafka, via_http + via_kafka, income, 2 * mensen)
            return [
                await measure("HTTP", lambda p: over_http(income, p), via_http, kafka, processes, broker),
                await measure("Kafka", lambda p: over_kafka(kafka, p), via_kafka, kafka, processes, broker),
            ]
        finally:
            for instances_of in processes.values():
                for p in instances_of:
                    p.stop(timeout=120)  # a profiled one writes its statistics as it ends
            broker.stop()


def table(runs: list[Run], instances: int, storage: str) -> str:
    services, users = list(runs[0].statements), list(runs[0].cpu)
    lines = [
        f"Monthly delivery end to end: {instances} instance(s) per service, {storage}, one local broker "
        "(TLS, SASL SCRAM, ACLs), this machine's cores shared with other work (indicative figures)",
        "| channel | people | declarations | seconds | declarations/s | "
        + " | ".join(f"CPU s {s}" for s in users)
        + "".join(f" | SQL/decl. {s}" for s in services)
        + f" | machine CPU s (of {os.cpu_count()} cores × seconds) | load average |",
        "|---|---:|---:|---:|---:|" + "---:|" * (len(users) + len(services)) + "---:|---:|",
    ]
    for r in runs:
        cells = [f"{r.cpu[s]:.0f}" for s in users] + [f"{r.statements[s] / r.aangiften:.2f}" for s in services]
        lines.append(
            f"| {r.kanaal} | {r.mensen} | {r.aangiften} | {r.seconden:.1f} | {r.per_seconde:.0f} | "
            + " | ".join(cells)
            + f" | {r.machine:.0f} of {(os.cpu_count() or 1) * r.seconden:.0f} | {r.load:.1f} |"
        )
    return "\n".join(lines)


def parsed(parser: argparse.ArgumentParser, instances: str, profiled: str) -> argparse.Namespace:
    """The options every service benchmark takes, after its own: instances, the database, profiles."""
    parser.add_argument("--instanties", type=int, default=1, help=instances)
    parser.add_argument(
        "--postgres",
        default=os.environ.get("SCHAKEL_TEST_POSTGRES_URL"),
        help="a PostgreSQL server URL (default: SCHAKEL_TEST_POSTGRES_URL; else SQLite)",
    )
    parser.add_argument("--profiel", type=Path, help=f"a folder: {profiled} (read with `python -m pstats`)")
    args = parser.parse_args()
    if args.profiel:
        args.profiel.mkdir(parents=True, exist_ok=True)
    return args


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mensen", type=int, default=10_000, help="people per channel (each: ten declarations)")
    args = parsed(
        parser, "instances of every service", "run every service under cProfile and write <service>-<i>.prof there"
    )
    runs = asyncio.run(main(args.mensen, args.instanties, args.postgres, args.profiel))
    print(table(runs, args.instanties, "PostgreSQL" if args.postgres else "SQLite"))

"""A typical write over HTTP: opening a case (`POST /api/v1/uitkeringen`) in the decisions service,
next to a bare FastAPI endpoint measured in the same run. Both are served by uvicorn with the same
settings (`schakel.runtime.service.serve`); the bare one parses a body of the same shape into a
pydantic model and answers 201 with a Location, and does nothing else (no token, no database).

decisions runs as a process as `make run` starts it: a local broker (TLS, SASL SCRAM, ACLs), its
own database (SQLite, or PostgreSQL with `--postgres`), the BRP stand-in (each request asks it
where the person lives). Every request carries a municipality's token, a new Idempotency-Key and
a new BSN. `--clients` concurrent clients (16) run in a process of their own, so they do not
share the server's event loop; the first `--opwarmen` requests of each endpoint are not counted.
Prints requests/s, p50 and p99 latency, the CPU time per request of the server, the clients, the BRP
stand-in and the whole machine (PostgreSQL, the broker and the kernel included), SQL statements per request, and the
load average (the machine's cores are shared: the ratio of the two is the figure that holds). On
PostgreSQL it also prints what one statement costs the caller's CPU through the SQL layer the
services use (SQLAlchemy Core on asyncpg; the statement built per call or once) and through asyncpg
alone, on the same server: the floor under a write of that many statements.
    python -m deploy.bench_http [--verzoeken 4000] [--clients 16] [--instanties 1] [--postgres URL] [--profiel DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.engine import make_url

from deploy import kafka_security
from deploy.bench_levering import (
    GEMEENTE,
    STATEMENTS,
    bsns,
    cpu_of,
    machine_cpu,
    parsed,
    postgres_cpu,
    scraped,
    start_services,
)
from deploy.brp_standin import BrpStandIn
from deploy.databases import new_database
from deploy.kafka_broker import Broker, free_port
from deploy.services import ServiceProcess
from deploy.token import mint
from schakel.api import Rol

PAD = "/api/v1/uitkeringen"


class Aanvraag(BaseModel):
    """The bare endpoint's body: the fields of a case being opened, as decisions takes them."""

    bsn: str = Field(pattern=r"^[0-9]{9}$")
    geboortedatum: date
    startdatum: date
    huishouden: Literal["alleenstaand", "alleenstaande-ouder", "gehuwd"]


def kaal() -> FastAPI:
    app = FastAPI()

    @app.post(PAD, status_code=201)
    async def open_kaal(aanvraag: Aanvraag) -> JSONResponse:
        uitkering = str(uuid.uuid4())
        return JSONResponse(
            {"uitkeringId": uitkering, "startdatum": aanvraag.startdatum.isoformat(), "status": "lopend"},
            status_code=201,
            headers={"Location": f"{PAD}/{uitkering}"},
        )

    return app


@dataclass(frozen=True)
class Run:
    naam: str
    verzoeken: int
    seconden: float
    latencies: list[float]  # seconds, per request
    cpu: float  # CPU seconds of the server process(es) during the run
    client_cpu: float  # CPU seconds of the clients' process
    brp_cpu: float  # CPU seconds of this process: the BRP stand-in (http.server), which decisions asks
    machine_cpu: float  # CPU seconds of the whole machine (the database and the kernel too)
    postgres_cpu: float  # CPU seconds of every PostgreSQL process on this machine
    statements: float | None  # SQL statements during the run (None: the bare endpoint has no database)
    load: float

    @property
    def per_seconde(self) -> float:
        return self.verzoeken / self.seconden

    def ms(self, p: int) -> float:
        return 1000 * statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


def body(bsn: str) -> dict[str, str]:
    return {"bsn": bsn, "geboortedatum": "1990-05-01", "startdatum": "2026-01-01", "huishouden": "alleenstaand"}


async def _drive(urls: list[str], token: str, people: list[str], clients: int) -> tuple[float, list[float], dict]:
    import aiohttp  # lighter than httpx: the clients share the machine's two cores with the server

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    todo = iter(enumerate(people))

    async def client(http: aiohttp.ClientSession) -> None:
        for i, bsn in todo:
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"bench-{uuid.uuid4()}"}
            begin = time.perf_counter()
            async with http.post(urls[i % len(urls)], json=body(bsn), headers=headers) as answer:
                await answer.read()
            latencies.append(time.perf_counter() - begin)
            statuses[answer.status] = statuses.get(answer.status, 0) + 1

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as http:
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        return time.perf_counter() - started, latencies, statuses


def drive(urls: list[str], token: str, people: list[str], clients: int) -> tuple[float, list[float], dict, float]:
    """In the clients' process: posts one request per person, `clients` at a time; returns the
    seconds, each request's latency, the count per status and the CPU seconds the clients used."""
    cpu = time.process_time()
    seconds, latencies, statuses = asyncio.run(_drive(urls, token, people, clients))
    return seconds, latencies, statuses, time.process_time() - cpu


def serve_kaal(port: int) -> None:
    from schakel.runtime.service import serve

    serve(kaal(), "127.0.0.1", port)


class Kaal:
    """The bare app as a process of its own, as decisions is one."""

    def __init__(self, log: Path) -> None:
        self.port, self._log = free_port(), log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PAD}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> Kaal:
        code = f"from deploy.bench_http import serve_kaal; serve_kaal({self.port})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], stdout=open(self._log, "ab"), stderr=subprocess.STDOUT
        )
        return self

    def wait_ready(self) -> None:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/docs", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"the bare app did not start; see {self._log}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


async def measure(
    pool: Executor,
    naam: str,
    urls: list[str],
    pids: list[int],
    people: list[str],
    warm: int,
    clients: int,
    sql: Callable[[], Awaitable[float]] | None = None,
) -> Run:
    """Warms the endpoint up with the first `warm` people, then measures the rest."""
    token = mint(Rol.municipality, gemeente=GEMEENTE)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(pool, drive, urls, token, people[:warm], clients)
    statements = await sql() if sql else 0.0
    cpu, machine, own, database = sum(cpu_of(p) for p in pids), machine_cpu(), cpu_of(os.getpid()), postgres_cpu()
    seconds, latencies, statuses, client_cpu = await loop.run_in_executor(
        pool, drive, urls, token, people[warm:], clients
    )
    used, load = sum(cpu_of(p) for p in pids) - cpu, os.getloadavg()[0]
    machine, own, database = machine_cpu() - machine, cpu_of(os.getpid()) - own, postgres_cpu() - database
    if set(statuses) != {201}:
        raise SystemExit(f"{naam}: answers other than 201: {statuses}")
    return Run(
        naam,
        len(latencies),
        seconds,
        latencies,
        used,
        client_cpu,
        own,
        machine,
        database,
        await sql() - statements if sql else None,
        load,
    )


async def main(verzoeken: int, warm: int, clients: int, instances: int, postgres: str | None, profiles: Path | None):
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        broker = Broker(tmp / "kafka", free_port(), free_port(), kafka_security.ensure(tmp / "security")).start()
        brp = BrpStandIn(free_port()).start()
        bare = [Kaal(tmp / f"kaal-{i}.log").start() for i in range(instances)]
        services: list[ServiceProcess] = []
        # the clients in a process of their own (spawned: no copy of this one's broker or threads)
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        try:
            await broker.provision()
            database = await new_database(tmp, "decisions", postgres)
            started = await asyncio.to_thread(
                start_services, broker, tmp, {"decisions": database}, instances, profiles, SCHAKEL_BRP_URL=brp.url
            )
            services = started["decisions"]
            for b in bare:
                b.wait_ready()
            people = bsns(verzoeken + warm, 20_000_000)
            brp.personen.update(dict.fromkeys(people, GEMEENTE))

            async def sql() -> float:
                return sum((await scraped({"decisions": services}, STATEMENTS)).values())

            kaal_urls, kaal_pids = [b.url for b in bare], [b.pid for b in bare]
            urls, pids = [s.url + "/uitkeringen" for s in services], [s.process.pid for s in services]
            return [
                await measure(pool, "bare FastAPI", kaal_urls, kaal_pids, bsns(len(people), 30_000_000), warm, clients),
                await measure(pool, "decisions: open a case", urls, pids, people, warm, clients, sql),
            ]
        finally:
            pool.shutdown()
            for s in services:
                s.stop(timeout=120)  # a profiled one writes its statistics as it ends
            for b in bare:
                b.stop()
            brp.stop()
            broker.stop()


async def per_statement(url: str, clients: int, rounds: int = 200) -> dict[str, float]:
    """CPU ms per statement in this process, `clients` tasks at a time, each an insert and a read by
    key in autocommit, as a write's statements are: through `schakel.persistence.Database` with the
    statement built per call (as most repositories build theirs) and built once, and asyncpg alone."""
    import asyncpg
    import sqlalchemy as sa

    from schakel.persistence import Database

    t = sa.Table(
        "bench_statements", sa.MetaData(), sa.Column("id", sa.String(40), primary_key=True), sa.Column("n", sa.Integer)
    )
    once = (t.insert(), sa.select(t.c.n).where(t.c.id == sa.bindparam("k")))
    db, keys = Database(url), (f"{uuid.uuid4()}" for _ in itertools.count())
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    raw = await asyncpg.create_pool(plain, min_size=clients, max_size=clients)

    async def per_call() -> None:
        async with db.alone() as conn:
            k = next(keys)
            await conn.execute(t.insert().values(id=k, n=1))
            (await conn.execute(sa.select(t.c.n).where(t.c.id == k))).first()

    async def built_once() -> None:
        async with db.alone() as conn:
            k = next(keys)
            await conn.execute(once[0], {"id": k, "n": 1})
            (await conn.execute(once[1], {"k": k})).first()

    async def alone() -> None:
        async with raw.acquire() as conn:
            k = next(keys)
            await conn.execute("INSERT INTO bench_statements (id, n) VALUES ($1, $2)", k, 1)
            await conn.fetchrow("SELECT n FROM bench_statements WHERE id = $1", k)

    async def cost(pair: Callable[[], Awaitable[None]]) -> float:
        async def client() -> None:
            for _ in range(rounds):
                await pair()

        await asyncio.gather(*(client() for _ in range(clients)))  # warm: connections, prepared statements
        cpu = time.process_time()
        await asyncio.gather(*(client() for _ in range(clients)))
        return 1000 * (time.process_time() - cpu) / (2 * rounds * clients)

    try:
        async with db.transaction() as conn:
            await conn.run_sync(t.metadata.create_all)
        return {
            "SQLAlchemy Core, built per call": await cost(per_call),
            "SQLAlchemy Core, built once": await cost(built_once),
            "asyncpg alone": await cost(alone),
        }
    finally:
        await raw.close()
        await db.dispose()


def table(runs: list[Run], clients: int, instances: int, storage: str) -> str:
    lines = [
        f"HTTP write: {clients} concurrent clients (one process), {instances} server instance(s) each, "
        f"decisions on {storage}, this machine's cores shared with other work (indicative figures)",
        "| endpoint | requests | seconds | requests/s | p50 ms | p99 ms | server CPU ms/request "
        "| client CPU ms/request | BRP stand-in CPU ms/request | PostgreSQL CPU ms/request | machine CPU ms/request "
        "| SQL/request | load average |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        sql = f"{r.statements / r.verzoeken:.1f}" if r.statements is not None else "-"
        lines.append(
            f"| {r.naam} | {r.verzoeken} | {r.seconden:.1f} | {r.per_seconde:.0f} | {r.ms(50):.1f} | {r.ms(99):.1f} "
            f"| {1000 * r.cpu / r.verzoeken:.2f} | {1000 * r.client_cpu / r.verzoeken:.2f} "
            f"| {1000 * r.brp_cpu / r.verzoeken:.2f} | {1000 * r.postgres_cpu / r.verzoeken:.2f} "
            f"| {1000 * r.machine_cpu / r.verzoeken:.2f} | {sql} | {r.load:.1f} |"
        )
    bare, case = runs
    lines.append(
        f"| decisions / bare | | | {case.per_seconde / bare.per_seconde:.2f} | {case.ms(50) / bare.ms(50):.1f} "
        f"| {case.ms(99) / bare.ms(99):.1f} | {case.cpu / bare.cpu:.1f} | | | | {case.machine_cpu / bare.machine_cpu:.1f} | | |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verzoeken", type=int, default=4000, help="requests measured per endpoint")
    parser.add_argument("--opwarmen", type=int, default=400, help="requests per endpoint before the measurement")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    args = parsed(parser, "server processes per endpoint", "decisions under cProfile, decisions-<i>.prof there")
    runs = asyncio.run(main(args.verzoeken, args.opwarmen, args.clients, args.instanties, args.postgres, args.profiel))
    print(table(runs, args.clients, args.instanties, "PostgreSQL" if args.postgres else "SQLite"))
    if args.postgres:
        url = asyncio.run(new_database(Path(tempfile.gettempdir()), "statements", args.postgres))
        print("\nOne SQL statement on the same PostgreSQL, in this process, 16 tasks at a time")
        print("| through | CPU ms per statement |\n|---|---:|")
        for naam, ms in asyncio.run(per_statement(url, args.clients)).items():
            print(f"| {naam} | {ms:.3f} |")

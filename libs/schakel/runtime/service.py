from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import asynccontextmanager, nullcontext
from datetime import timedelta
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from fastapi import APIRouter, FastAPI
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel import logboek, telemetry
from schakel.api import Authenticator, create_app
from schakel.api.app import NotReady
from schakel.api.edge import MiB
from schakel.api.idempotency import IdempotencyStore, claim_in
from schakel.api.jwks import Jwks
from schakel.api.logboek import Logboek, onbeschikbaar
from schakel.bron import Bron
from schakel.brp import HaalCentraalBrp
from schakel.clock import SYSTEM, SystemClock
from schakel.events import Pseudonymiser, load_contract
from schakel.events.pseudonym import derived_fernet
from schakel.logboek import ERROR, OK, Verwerking
from schakel.messaging import BatchHandler, ConsumerRunner, Handler, Outbox, OutboxRelay, Undecoded, inbox, inspection
from schakel.messaging.kafka import reachable
from schakel.messaging.timing import wait_any
from schakel.persistence import Database, PersistenceError, indexes, is_unavailable, migrate
from schakel.persistence.database import idle
from schakel.persistence.migrate import Behind, verify
from schakel.persistence.programmacijfers import VastgesteldeCijfers
from schakel.runtime import periodic, verwerkingen
from schakel.runtime.settings import PlatformSettings, ServiceSettings
from schakel.runtime.uow import Transactional
from schakel.telemetry import metrics
from schakel.telemetry.health import TaskHealth, where

log = logging.getLogger(__name__)
# how often each instance looks whether the indexes built concurrently are there (a catalogue lookup)
INDEXES_SECONDS = 300.0


def authenticator(platform: PlatformSettings) -> Authenticator:
    """Tokens as the platform is configured: the identity provider's JWKS, or the development secret."""
    return Authenticator(
        audience=platform.jwt_audience,
        issuer=platform.jwt_issuer,
        jwks=Jwks(platform.jwks_url, ttl=platform.jwks_cache_seconds) if platform.jwks_url else None,
        secret=platform.jwt_secret.get_secret_value() if platform.jwt_secret else None,
        max_age=platform.jwt_max_age_seconds,
    )


class Service:
    """Everything a service's bootstrap needs, built once at start-up."""

    def __init__(self, name: str, platform: PlatformSettings, settings: ServiceSettings, migrations: Path) -> None:
        self.name, self.platform, self.settings, self._migrations = name, platform, settings, migrations
        settings.refuse_development_secrets(platform)
        self.clock = SystemClock(platform.today)
        # a transaction left idle longer is ended by the server (PostgreSQL), above the relay's sends
        self.db = Database(settings.database(name, platform), idle_in_transaction_seconds=idle(platform.kafka_timeout))
        self.contract = load_contract()
        self.kafka = platform.kafka(f"schakel-{name}")
        self._readers = inspection.Readers(self.kafka)  # the measurements' readers, kept open
        self.outbox = Outbox(self.contract, f"urn:nld:oin:{platform.oin}:systeem:{name}", name)
        self.relay = OutboxRelay(self.db, self.kafka)
        # the pseudonym's key, and the one every other key of the service is derived from (`derived_key`)
        self.pseudonym_key = platform.pseudonym_key.get_secret_value().encode()
        self.pseudonym = Pseudonymiser(self.pseudonym_key)
        api_key = platform.brp_api_key.get_secret_value() if platform.brp_api_key else None
        self.brp = HaalCentraalBrp(platform.brp_url, api_key)
        self._bronnen: list[Bron] = []
        self.authenticator = authenticator(platform)
        self.runners: list[ConsumerRunner] = []
        self._periodic: list[tuple[float, Callable[[], Awaitable[object]], TaskHealth]] = []
        self._at_stop: list[Callable[[], Awaitable[object]]] = []
        self._migrated = False  # readiness waits for it (`_lifespan`)
        self.idempotency = IdempotencyStore(self.db, timedelta(hours=platform.idempotency_key_hours))
        # a remembered answer holds what the request answered, a BSN often: kept encrypted, under a key of
        # the service's own (a copy of one service's database opens none of another's)
        self.idempotency.cipher = derived_fernet(self.pseudonym_key, f"idempotency: {name}")
        self.register = logboek.register()
        self._operaties, self._gebeurtenissen = self.register.van_dienst(name)
        self.every(6 * 3600, self._purge_log, name="logboek-purge", one_instance=True)
        self.every(3600, self._purge_inbox, name="inbox-purge", one_instance=True)
        self.every(3600, self.idempotency.purge, name="idempotency-purge", one_instance=True)
        self.every(platform.dlq_metrics_seconds, self._measure_dead_letters, name="dlq-depth")
        # every instance: the rule takes the highest of them, and one that stopped measuring holds none
        self.every(platform.dlq_metrics_seconds, self._measure_groups, name="group-offsets")
        self.every(INDEXES_SECONDS, self._measure_indexes, name="indexes")

    def bron(self, naam: str, url: str, onbereikbaar: str) -> Bron:
        """A source this service asks when it needs the answer; its connections close with the service."""
        bron = Bron(naam, url, onbereikbaar)
        self._bronnen.append(bron)
        return bron

    def lezer(self) -> Transactional:
        """For what a request reads before it asks another service: its `transaction` takes no
        Idempotency-Key claim and writes no processing record (the request's own transaction after the
        answer does both: a claim commits with the change or not at all), and holds no transaction open
        on PostgreSQL (`Database.alone`), so no connection waits on the other service."""
        return SimpleNamespace(transaction=self.db.alone, outbox=self.outbox)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A request's or a job's transaction; once it commits, the relay publishes its outbox rows. It
        holds the request's Idempotency-Key claim, so the key commits with the change or not at all."""
        verwerking = logboek.huidige()
        if verwerking is not None and verwerking.per_transactie:
            verwerking = verwerking.voor_transactie()
        with logboek.binnen(verwerking) if verwerking else nullcontext():
            async with self.db.transaction() as conn:
                claim = await claim_in(conn)
                yield conn
                vastgelegd = await self._log_in(conn, verwerking) if verwerking else []
        if claim is not None:
            claim.committed = True
        if verwerking:
            verwerking.vastgelegd.update(vastgelegd)
        self.relay.wake()

    async def _log_in(self, conn: AsyncConnection, verwerking: Verwerking) -> list[str]:
        """The request's processing on record in the transaction of its change: if it cannot be
        written, the change is not made either."""
        try:
            return await logboek.schrijf(conn, verwerking)
        except SQLAlchemyError as exc:
            raise onbeschikbaar() from exc

    async def _log_alone(self, verwerking: Verwerking, antwoord: int) -> None:
        """A request's processing on record in a transaction of its own (a read, a refusal; a read
        refused once it was read: its records say so), by the answer's HTTP status."""
        async with self.db.transaction() as conn:
            if 400 <= antwoord < 500:
                await logboek.geweigerd(conn, verwerking)
            vastgelegd = await logboek.schrijf(conn, verwerking, OK if antwoord < 400 else ERROR)
        verwerking.vastgelegd.update(vastgelegd)

    def _processing(self, activiteiten: Mapping[str, str], naam: str = "") -> Verwerking:
        return Verwerking(self.name, self.pseudonym, self.platform.oin, activiteiten, naam)

    async def _purge_log(self) -> None:
        async with self.db.transaction() as conn:
            await logboek.ruim_op(conn, self.register.bewaard_vanaf(SYSTEM.now()))  # records keep real time

    def consume(
        self, handlers: dict[str, Handler | BatchHandler], max_records: int = 500, undecoded: Undecoded | None = None
    ) -> None:
        """One consumer group per service over the topics that carry the handled event types;
        `undecoded` takes the records refused before a handler saw them (see ConsumerRunner)."""
        topics = sorted({self.contract.topic_of(t) for t in handlers})
        self.runners.append(
            ConsumerRunner(
                db=self.db,
                kafka=self.kafka,
                contract=self.contract,
                group_id=f"schakel-{self.name}",
                handlers=handlers,
                topics=topics,
                after_commit=self.relay.wake,
                max_records=max_records,
                health=TaskHealth("consumer"),
                verwerking=partial(self._processing, self._gebeurtenissen),
                undecoded=undecoded,
            )
        )

    def every(
        self, seconds: float, job: Callable[[], Awaitable[object]], *, name: str, one_instance: bool = False
    ) -> None:
        """Runs `job` at start-up and then every `seconds` while the service runs (housekeeping);
        `schakel_task_up` names it `name` when it fails. With `one_instance` the service's instances
        take turns (`periodic.turn`): the job runs once per interval for the database. A job the
        register names under an activity runs as a processing of Schakel's own: each of its
        transactions writes the records of the persons it noted (an event it made names them)."""
        if activiteit := self.register.taken.get((self.name, name)):
            job = partial(self._als_verwerking, name, activiteit, job)
        if one_instance:
            job = partial(periodic.in_turn, self.db, name, seconds, self.clock, job)
            metrics.HOUSEKEEPING_INTERVAL.labels(name).set(seconds)
        self._periodic.append((seconds, job, TaskHealth(name)))

    async def _als_verwerking(self, naam: str, activiteit: str, job: Callable[[], Awaitable[object]]) -> object:
        verwerking = Verwerking(
            self.name, self.pseudonym, self.platform.oin, {naam: activiteit}, naam, per_transactie=True
        )
        with logboek.binnen(verwerking):
            return await job()

    def at_stop(self, action: Callable[[], Awaitable[object]]) -> None:
        """Awaited when the service stops, alongside its background tasks and within their time: work
        one of them started that runs on by itself (webhook deliveries under way)."""
        self._at_stop.append(action)

    async def _measure_dead_letters(self) -> None:
        dlqs = sorted({dlq for r in self.runners for t in r.topics if (dlq := self.contract.topic(t).dlq)})
        if dlqs:
            for topic, depth in (await inspection.unreplayed(self._readers, self.contract, dlqs)).items():
                metrics.DLQ_RECORDS.labels(topic).set(depth)

    async def _measure_indexes(self) -> None:
        metrics.INDEXES_NOT_READY.set(await indexes.not_ready(self.db))

    async def _measure_groups(self) -> None:
        for runner in self.runners:
            kanaal = await inspection.physical(self._readers, self.contract, runner.topics)
            partities = {t: self.contract.topic(k).partitions for t, k in kanaal.items()}
            for tp, stand in (await inspection.stand(self._readers, runner.group_id, partities)).items():
                metrics.GROUP_COMMITTED.labels(runner.group_id, tp.topic, str(tp.partition)).set(stand.committed)
                metrics.GROUP_END.labels(runner.group_id, tp.topic, str(tp.partition)).set(stand.end)

    async def _purge_inbox(self) -> None:
        await inbox.purge(self.db, timedelta(days=self.platform.inbox_retention_days))

    def app(self, *, title: str, version: str, description: str, routers: Iterable[APIRouter]) -> FastAPI:
        app = create_app(
            title=title,
            version=version,
            description=description,
            routers=[*routers, verwerkingen.router(self)],
            checks={
                "database": self.db.ping,
                "broker": self._broker_reachable,
                "migraties": self._migrations_done,
                "achtergrondtaken": self._tasks_healthy,
            },
            lifespan=self._lifespan,
            cors_origins=self.platform.cors_origins,
            rate_limit=self.platform.rate_limit_per_minute,
            large_bodies=self.platform.large_bodies_mib * MiB,
            logboek=Logboek(self._operaties, partial(self._processing, self._operaties), self._log_alone),
        )
        app.state.authenticator = self.authenticator
        app.state.idempotency = self.idempotency
        app.state.programmacijfers = VastgesteldeCijfers(self.db)
        telemetry.instrument_app(app)
        return app

    async def migrate(self) -> None:
        """Brings the database to this version's tables (Alembic): at start, or as a deployment's
        job before the new version starts (`python -m <service> migrate`)."""
        await migrate(self.db, self._migrations, settings=self.settings)

    @asynccontextmanager
    async def _lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        stop, tasks = asyncio.Event(), list[asyncio.Task[None]]()
        try:
            await self._prepare()
            self._start(stop, tasks)
        except Exception as exc:
            if not await self._waits(exc):
                raise  # a migration that fails by itself fails the start
            # the database is away (or its job has not migrated it yet): answer meanwhile (not ready),
            # migrate and start once it is back, instead of exiting into a restart loop that waits out
            # the platform's back-off
            log.warning("migration: database not ready (%s); tried again until it is", where(exc))
            tasks.append(asyncio.create_task(self._migrate_then_start(stop, tasks), name=f"{self.name}-start"))
        try:
            yield
        finally:
            # graceful: stop taking work, let the current batch finish and commit, flush the outbox
            stop.set()
            stopping = [asyncio.ensure_future(action()) for action in self._at_stop]  # alongside the tasks
            _, pending = await asyncio.wait([*tasks, *stopping], timeout=self.kafka.timeout + 5)
            for task in pending:
                task.cancel()
            if pending:  # their rollbacks end before the connections close
                await asyncio.wait(pending, timeout=5)
            for action in stopping:
                if action.done() and not action.cancelled() and (error := action.exception()) is not None:
                    log.warning("stopping: %s", where(error))
            await self.brp.close()
            await self._readers.close()
            for bron in self._bronnen:
                await bron.close()
            await self.db.dispose()

    async def _migrate_then_start(self, stop: asyncio.Event, tasks: list[asyncio.Task[None]]) -> None:
        backoff = 1.0
        while True:
            await wait_any(stop, timeout=backoff)
            if stop.is_set():
                return
            try:
                await self._prepare()
            except Exception as exc:  # noqa: BLE001 - readiness says `migraties` until it succeeds
                if not await self._waits(exc):  # the database answers: the migration itself fails
                    log.error("migration failed: %s; the service stays not ready", where(exc))
                    return
                log.warning("migration: database not ready (%s); retrying in %.0fs", where(exc), backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            if not stop.is_set():
                self._start(stop, tasks)
            return

    async def _prepare(self) -> None:
        """This version's tables: migrated at start, or (`migrate_at_start` off) checked to be there."""
        if self.platform.migrate_at_start:
            await self.migrate()
        else:
            await verify(self.db, self._migrations)

    async def _waits(self, exc: Exception) -> bool:
        """Whether the start waits for the database rather than fail: it is away, or behind while a
        deployment's job migrates it."""
        return isinstance(exc, Behind) or await self._database_away(exc)

    async def _database_away(self, exc: Exception) -> bool:
        """Whether a failed migration met a database that is away (SQLite calls a locked database and
        a wrong statement both OperationalError): asked once more."""
        if not is_unavailable(exc):
            return False
        try:
            await self.db.ping()
        except PersistenceError:
            return True
        return False

    def _start(self, stop: asyncio.Event, tasks: list[asyncio.Task[None]]) -> None:
        """The background work, once the database has this version's tables."""
        stall = self.platform.task_stall_seconds
        work: list[tuple[TaskHealth, Callable[[asyncio.Event], Awaitable[None]], float | None]] = (
            [(self.relay.health, self.relay.run, stall)] if self.platform.outbox_relay else []
        )
        work += [(r.health, r.run, stall) for r in self.runners]
        work += [(health, partial(_repeat, seconds, job, health), None) for seconds, job, health in self._periodic]
        for health, run, limit in work:
            health.task = asyncio.create_task(_supervised(run, health, stop, limit), name=f"{self.name}-{health.name}")
            tasks.append(health.task)
        self._migrated = True

    async def _migrations_done(self) -> None:
        if not self._migrated:
            raise NotReady("de database is nog niet bijgewerkt naar deze versie")

    def health(self) -> list[TaskHealth]:
        """The tasks that move events, which readiness waits for. A housekeeping job that fails shows
        in `schakel_task_up` and its alert instead: one failed in an outage, or a bug in one, kept
        every instance out of service."""
        return ([self.relay.health] if self.platform.outbox_relay else []) + [r.health for r in self.runners]

    async def _tasks_healthy(self) -> None:
        problems = [p for h in self.health() if (p := h.problem(self.platform.task_failure_seconds))]
        if problems:
            raise NotReady("; ".join(problems))

    async def _broker_reachable(self) -> None:
        await reachable(self.kafka)


# a task that ran this long before it failed starts its backoff afresh (one that fails soon after each
# start, e.g. on a commit the broker keeps refusing, backs off further)
HEALTHY_RUN = 60.0


class Stalled(RuntimeError):
    """A background task stopped going round its loop (a call that hung past its own timeout)."""


async def _supervised(
    run: Callable[[asyncio.Event], Awaitable[None]], health: TaskHealth, stop: asyncio.Event, stall: float | None = None
) -> None:
    """Runs a background task until the service stops. An exception that escapes it is logged
    (class and place), shown by `schakel_task_up` (and readiness), and the task starts again after a backoff; a task that
    beats (relay, consumers) and stops beating for `stall` seconds is cancelled and started again."""
    backoff = 0.5
    while not stop.is_set():
        health.beat()
        began = time.monotonic()
        inner = asyncio.ensure_future(run(stop))
        try:
            while not inner.done():
                await asyncio.wait({inner}, timeout=1.0)
                if stall is not None and not inner.done() and health.stalled(stall):
                    inner.cancel()
                    await asyncio.wait({inner}, timeout=5.0)  # one that ignores cancelling is left behind
                    raise Stalled(f"no progress for {stall:.0f} s")
            inner.result()
            continue
        except asyncio.CancelledError as exc:
            inner.cancel()
            task = asyncio.current_task()
            if task is not None and task.cancelling():  # the service stops
                raise
            # aiokafka lets the CancelledError of its own closed tasks out of a call (a commit while
            # the broker restarts): that is the task failing, not the service stopping
            failure: BaseException = exc
        except Exception as exc:  # noqa: BLE001 - a background task never dies quietly
            failure = exc
        if time.monotonic() - began >= HEALTHY_RUN:  # it went well for a while: a new failure
            backoff = 0.5
        health.failing(failure)
        log.error("background task %s failed: %s; restarting in %.1fs", health.name, where(failure), backoff)
        await wait_any(stop, timeout=backoff)
        backoff = min(backoff * 2, 30.0)


async def _repeat(
    seconds: float, job: Callable[[], Awaitable[object]], health: TaskHealth, stop: asyncio.Event
) -> None:
    failures = 0
    while not stop.is_set():
        try:
            await job()
            health.ok()
            failures = 0
        except Exception as exc:  # noqa: BLE001 - housekeeping retries with backoff; schakel_task_up shows it
            health.failing(exc)
            failures += 1
            log.warning("periodic job %s failed: %s", health.name, where(exc))
        # a failed run is tried again soon (an hourly job waited an hour after an outage), backing off
        # to its own interval (a job that keeps failing does not run more often than it would)
        retry = min(min(seconds, 5.0) * 2 ** (failures - 1), max(seconds, 60.0))
        await wait_any(stop, timeout=retry if failures else seconds)


def run(name: str, build: Callable[[], tuple[Service, FastAPI]]) -> None:
    """Entry point of `python -m <service>`: `build()` returns (service, app). With the argument
    `migrate` it only migrates the database and stops."""
    telemetry.setup(name)
    service, app = build()
    if sys.argv[1:] == ["migrate"]:
        sys.exit(asyncio.run(_migrate_only(service)))
    serve(app, service.settings.host, service.settings.port)


# how long a stop lets the requests under way finish: the largest, a delivery of 50.000 declarations,
# takes 10 to 20 s on two busy cores; one cut off is answered 500 (the deployment's grace period
# allows for it: tests/test_chart.py)
REQUESTS_AT_STOP_SECONDS = 30


def serve(app: FastAPI, host: str, port: int) -> None:
    """The HTTP server every service runs in (and `make bench` measures a bare app in)."""
    import uvicorn

    # what start-up built (modules, the app, the contract) lives as long as the process: frozen, the
    # collector's full passes no longer scan it; they ran every batch or so of a busy consumer, and
    # cost decisions a quarter of its CPU in a monthly delivery. A young generation of 10.000 objects
    # (700 by default) is collected less often, and a consumer batch's objects, alive until it is
    # committed, are promoted and scanned again less often (a tenth of decisions' CPU)
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000)
    # asyncio's own loop: under uvloop aiokafka's consumer never finished stopping on a TLS broker (the
    # console's dead-letter reads hung); httptools parses HTTP when installed
    uvicorn.run(
        app, host=host, port=port, log_config=None, timeout_graceful_shutdown=REQUESTS_AT_STOP_SECONDS, loop="asyncio"
    )


async def _migrate_only(service: Service) -> int:
    """The migration job; its exit code. SIGTERM (the Job deleted, or past its deadline) cancels the
    migration, whose transaction rolls back: as its container's PID 1 the process has no default
    action for the signal, and unhandled the kernel dropped it (the job ran on until the database's
    timeouts ended it)."""
    migration = asyncio.ensure_future(service.migrate())
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, migration.cancel)
    try:
        await asyncio.wait([migration])
    finally:
        await service.db.dispose()
    if migration.cancelled():
        log.error("migration: stopped (SIGTERM); not migrated")
        return 128 + signal.SIGTERM
    migration.result()  # a migration that failed fails the job
    return 0

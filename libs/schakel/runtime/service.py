from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable, Iterable

from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel import telemetry
from schakel.api import Authenticator, create_app
from schakel.api.idempotency import IdempotencyStore, claim_in
from schakel.events import Pseudonymiser, load_contract
from schakel.messaging import BatchHandler, ConsumerRunner, Handler, KafkaConfig, Outbox, OutboxRelay
from schakel.messaging.timing import wait_any
from schakel.persistence import Database, migrate
from schakel.runtime.settings import PlatformSettings, ServiceSettings

log = logging.getLogger(__name__)


class Service:
    """Everything a service's bootstrap needs, built once at start-up."""

    def __init__(self, name: str, platform: PlatformSettings, settings: ServiceSettings,
                 migrations: Path) -> None:
        self.name, self.platform, self.settings, self._migrations = name, platform, settings, migrations
        self.db = Database(settings.database(name, platform))
        self.contract = load_contract()
        self.kafka = KafkaConfig(platform.kafka_bootstrap, f"schakel-{name}", platform.kafka_timeout)
        self.outbox = Outbox(self.contract, f"urn:nld:oin:{platform.oin}:systeem:{name}", name)
        self.relay = OutboxRelay(self.db, self.kafka)
        self.pseudonym = Pseudonymiser(platform.pseudonym_key.get_secret_value().encode())
        self.authenticator = Authenticator(
            audience=platform.jwt_audience, issuer=platform.jwt_issuer, jwks_url=platform.jwks_url,
            secret=platform.jwt_secret.get_secret_value() if platform.jwt_secret else None)
        self.runners: list[ConsumerRunner] = []
        self._periodic: list[tuple[float, Callable[[], Awaitable[object]]]] = []
        self.idempotency = IdempotencyStore(self.db, timedelta(hours=platform.idempotency_key_hours))
        self.every(3600, self.idempotency.purge)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A request's transaction; once it commits, the relay publishes its outbox rows. It holds
        the request's Idempotency-Key claim, so the key commits with the change or not at all."""
        async with self.db.transaction() as conn:
            claim = await claim_in(conn)
            yield conn
        if claim is not None:
            claim.committed = True
        self.relay.wake()

    def consume(self, handlers: dict[str, Handler | BatchHandler], max_records: int = 500) -> None:
        """One consumer group per service over the topics that carry the handled event types."""
        topics = sorted({self.contract.topic_of(t) for t in handlers})
        self.runners.append(ConsumerRunner(
            db=self.db, kafka=self.kafka, contract=self.contract, group_id=f"schakel-{self.name}",
            handlers=handlers, topics=topics, after_commit=self.relay.wake, max_records=max_records))

    def every(self, seconds: float, job: Callable[[], Awaitable[object]]) -> None:
        """Runs `job` at start-up and then every `seconds` while the service runs (housekeeping)."""
        self._periodic.append((seconds, job))

    def app(self, *, title: str, version: str, description: str, routers: Iterable[APIRouter]) -> FastAPI:
        app = create_app(title=title, version=version, description=description, routers=routers,
                         checks={"database": self.db.ping, "broker": self._broker_reachable},
                         lifespan=self._lifespan)
        app.state.authenticator = self.authenticator
        app.state.idempotency = self.idempotency
        telemetry.instrument_app(app)
        return app

    @asynccontextmanager
    async def _lifespan(self, app: FastAPI):
        await migrate(self.db, self._migrations)
        stop = asyncio.Event()
        tasks = [asyncio.create_task(self.relay.run(stop), name=f"{self.name}-relay")] if self.platform.outbox_relay else []
        tasks += [asyncio.create_task(r.run(stop), name=f"{self.name}-consumer") for r in self.runners]
        tasks += [asyncio.create_task(_repeat(seconds, job, stop)) for seconds, job in self._periodic]
        try:
            yield
        finally:
            # graceful: stop taking work, let the current batch finish and commit, flush the outbox
            stop.set()
            _, pending = await asyncio.wait(tasks, timeout=self.kafka.timeout + 5)
            for task in pending:
                task.cancel()
            await self.db.dispose()

    async def _broker_reachable(self) -> None:
        host, port = self.kafka.bootstrap.split(",")[0].rsplit(":", 1)
        _, writer = await asyncio.open_connection(host, int(port))
        writer.close()
        await writer.wait_closed()


async def _repeat(seconds: float, job: Callable[[], Awaitable[object]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await job()
        except Exception as exc:  # noqa: BLE001 - housekeeping retries next round
            log.warning("periodic job %s failed: %s", getattr(job, "__name__", job), exc.__class__.__name__)
        await wait_any(stop, timeout=seconds)


def run(name: str, build) -> None:
    """Entry point of `python -m <service>`: `build()` returns (service, app)."""
    import uvicorn

    telemetry.setup(name)
    service, app = build()
    uvicorn.run(app, host=service.settings.host, port=service.settings.port, log_config=None,
                timeout_graceful_shutdown=10)

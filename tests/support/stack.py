"""Fixtures: a real Kafka broker on free ports (TLS, SASL SCRAM and the contract's ACLs, with the
certificates and users made once per test session), real databases (PostgreSQL when
SCHAKEL_TEST_POSTGRES_URL is set, as in CI; SQLite files otherwise), the BRP stand-in with the
tests' own test persons (builders.bsn registers each in its municipality) and the services as real
processes exporting their traces to an in-test collector."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
import pytest

from deploy import kafka_security, volume
from deploy.brp_standin import BrpStandIn
from deploy.databases import new_database_sync
from deploy.kafka_broker import Broker, Cluster, free_port
from deploy.services import SERVICES, ServiceProcess
from deploy.token import DEFAULT_OIN, development, mint
from schakel.api import Rol
from schakel.events import Pseudonymiser
from schakel.messaging import KafkaConfig
from schakel.messaging.acls import CONSOLE, service_principal
from tests.support import builders
from tests.support.collector import Collector

# the day the services live on in these tests, whatever the calendar says (SCHAKEL_TODAY)
TODAY = date(2026, 11, 30)
OINS = DEFAULT_OIN
# a second data provider, contracted for Rotterdam only (the provider's scope is configuration)
ROTTERDAMSE_LEVERANCIER = "00000001805160327001"
LEVERANCIERS = {
    OINS[Rol.data_provider]: ["GM0014", "GM0200", "GM0307", "GM0344", "GM0363", "GM0392", "GM0518", "GM0546", "GM0599"],
    ROTTERDAMSE_LEVERANCIER: ["GM0599"],
}
# the development parties' own topics (one per OIN: deploy/kafka_security.DEVELOPMENT_PARTIES)
PROVIDER, UWV = kafka_security.DEVELOPMENT_PARTIES
POLISAANGIFTEN = f"polisaangiften.{PROVIDER.oin}"
DOELGROEPREGISTER = f"doelgroepregister.{UWV.oin}"


def eventually(check: Callable[[], object], timeout: float = 30.0, interval: float = 0.05):
    """Polls until `check` returns something truthy (and returns it) or fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s: {check}")
        time.sleep(interval)


async def eventually_async(read: Callable[[], Awaitable[list]], count: int = 1, timeout: float = 30.0) -> list:
    """Reads until `read` returns at least `count` items (and returns them) or fails after `timeout`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await read()
        if len(result) >= count:
            return result
        assert asyncio.get_running_loop().time() < deadline, f"not within {timeout}s"
        await asyncio.sleep(0.1)


CLOSED = "http://127.0.0.1:9/api/v1"  # the discard port: nothing listens


def new_database_url(tmp: Path, name: str) -> str:
    return new_database_sync(tmp, name, os.environ.get("SCHAKEL_TEST_POSTGRES_URL"))


@dataclass
class Stack:
    tmp: Path
    broker: Broker | Cluster
    collector: Collector
    brp: BrpStandIn
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    @property
    def kafka(self) -> KafkaConfig:
        """The tests' own broker access (a super user: any topic, any group)."""
        return self.broker.client(client_id="schakel-tests", timeout=15.0)

    def kafka_as(self, principal: str) -> KafkaConfig:
        return self.broker.client(principal, timeout=15.0)

    def env(self, name: str | None = None) -> dict[str, str]:
        assert self.broker.security is not None
        return {
            "SCHAKEL_ENVIRONMENT": "development",
            **(self.broker.security.environment(service_principal(name)) if name else {}),
            "SCHAKEL_KAFKA_BOOTSTRAP": self.broker.bootstrap,
            "SCHAKEL_DATA_DIR": str(self.tmp),
            "SCHAKEL_KAFKA_TIMEOUT": "10",
            "OTEL_EXPORTER_OTLP_ENDPOINT": self.collector.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "100",
            "SCHAKEL_LOG_LEVEL": "INFO",
            "SCHAKEL_TODAY": TODAY.isoformat(),
            "SCHAKEL_DLQ_METRICS_SECONDS": "1",
            "SCHAKEL_TASK_STALL_SECONDS": "30",
            # the tests poll (eventually) at 20 requests a second per operation, one OIN per role
            "SCHAKEL_RATE_LIMIT_PER_MINUTE": "1000000",
            # retention runs at start and then daily: a test's person already past retention on TODAY
            # (a case that ended in 2025) is not forgotten halfway through its test
            "DECISIONS_OPSCHONEN_INTERVAL_SECONDEN": "86400",
            "REAPPLICATION_OPSCHONEN_INTERVAL_SECONDEN": "86400",
            "DECISIONS_WEBHOOK_LOKAAL_TOESTAAN": "true",  # the test receivers listen on 127.0.0.1
            # one version of every service, as in `make run`
            "DECISIONS_TERUGBETALINGEN": "true",
            "DECISIONS_TERUGGAVEN": "true",
            "DECISIONS_STORNERINGEN": "true",
            "SCHAKEL_BRP_URL": self.brp.url,
            "INCOME_LEVERANCIERS": json.dumps(LEVERANCIERS),
        }

    def start(self, name: str, wait: bool = True, **extra_env: str) -> ServiceProcess:
        """Starts (or restarts, keeping its database and port) one service process; `wait=False`
        leaves waiting until it is ready to the caller (`wait_ready`), to start several at once."""
        previous = self.services.get(name)
        database = previous.env[f"{name.upper()}_DATABASE_URL"] if previous else new_database_url(self.tmp, name)
        port = previous.port if previous else free_port()
        # reapplication asks income (started before it) whether a job ended; without one, a closed port
        # (never the 8081 of a developer's `make run`)
        income = {"REAPPLICATION_INCOME_URL": self.services["income"].url if "income" in self.services else CLOSED}
        process = ServiceProcess(
            name,
            port,
            {**self.env(name), **income, f"{name.upper()}_DATABASE_URL": database, **extra_env},
            self.tmp / f"{name}.log",
        ).start()
        self.services[name] = process
        if wait:
            process.wait_ready()
        return process

    def start_console(self, **extra_env: str) -> ServiceProcess:
        """The operations console over the services started so far (it has no database of its own)."""
        diensten = {name: p.url.removesuffix("/api/v1") for name, p in self.services.items()}
        env = {
            **self.env(),
            **self.broker.security.environment(CONSOLE),  # it reads positions and dead letters, and replays
            "CONSOLE_DIENSTEN": json.dumps(diensten),
            **extra_env,
        }
        process = ServiceProcess("console", free_port(), env, self.tmp / "console.log").start()
        self.services["console"] = process
        process.wait_ready()
        return process

    def client(
        self, name: str, role: Rol | None = None, gemeente: str | None = "GM0363", bsn: str = "999993653"
    ) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token(role, gemeente, bsn=bsn)}"} if role else {}
        return httpx.Client(base_url=self.services[name].url, headers=headers, timeout=30)

    def close(self) -> None:
        for process in self.services.values():
            process.stop()
        self.brp.stop()
        self.broker.kill()  # its data goes with the test: no controlled shutdown to wait for (a cluster's took 35 s)


def pseudonym(bsn: str) -> str:
    """The message key the services give this person (development pseudonym key)."""
    return Pseudonymiser(development().pseudonym_key.get_secret_value().encode())(bsn)


def token(role: Rol, gemeente: str | None = "GM0363", oin: str | None = None, bsn: str = "999993653") -> str:
    """A development token; a citizen's (`burger`) is for `bsn`, their own."""
    return mint(role, oin=oin or OINS[role], gemeente=gemeente, bsn=bsn)


def start_stack(tmp: Path, services: list[str], brokers: int = 1) -> Stack:
    """The services on a broker of their own, or on a cluster of `brokers` brokers."""
    # tmp is a test's folder under the session's base folder: certificates and users are made once there
    security = kafka_security.ensure(tmp.parent / "kafka-security")
    broker = (
        Broker(tmp / "kafka", free_port(), free_port(), security).start()
        if brokers == 1
        else Cluster.on(tmp / "kafka", [(free_port(), free_port()) for _ in range(brokers)], security).start()
    )
    stack = Stack(tmp, broker, Collector(), BrpStandIn(personen=builders.INGESCHREVEN).start())
    try:
        asyncio.run(broker.provision())
        for name in services:
            stack.start(name)
    except BaseException:
        stack.close()
        raise
    return stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory) -> Stack:
    """The whole platform, shared by the tests that do not disturb it (use unique BSNs)."""
    stack = start_stack(tmp_path_factory.mktemp("stack"), list(SERVICES))
    yield stack
    stack.close()
    stack.collector.close()


def population(stack: Stack, peildatum: str) -> set[str]:
    """The BSNs in income's population on a date, as a data provider sees them."""
    with stack.client("income", Rol.data_provider) as client:
        return volume.populatie(client, peildatum)

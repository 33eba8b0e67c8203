"""A real single-node Apache Kafka broker (KRaft, combined mode) on loopback, from Maven jars.

Used by `make run` (deploy/run.py), by the test suite and by the benchmark. See shared KAFKA.md:
there is no Docker engine and no tarball download here, so the broker runs from the jars that
Maven Central publishes, resolved once into `.cache/kafka/<version>/`.
"""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from deploy.kafka_security import DEVELOPMENT_PARTIES, Security
from schakel.events import load_contract
from schakel.messaging import KafkaConfig, create_topics
from schakel.messaging.acls import ADMIN, BROKER, acls, grant

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "deploy" / "kafka" / "pom.xml"
LOG4J = ROOT / "deploy" / "kafka" / "log4j2.yaml"
CACHE = ROOT / ".cache" / "kafka"

JVM_OPTS = [
    "-server",
    "-Xmx512m",
    "-Xms512m",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-Djava.awt.headless=true",
]


class BrokerError(RuntimeError):
    pass


def kafka_version() -> str:
    match = re.search(r"<kafka.version>([^<]+)</kafka.version>", POM.read_text())
    assert match, "deploy/kafka/pom.xml names no kafka.version"
    return match.group(1)


def ensure_jars() -> Path:
    """Resolves the broker jars once per version; later calls return the cached folder."""
    target = CACHE / kafka_version()
    marker = target / ".complete"
    if marker.exists():
        return target
    if not shutil.which("mvn"):
        raise BrokerError("Maven (mvn) is required to resolve the Kafka broker jars")
    tmp = target.with_suffix(".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run(
        [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={tmp}",
        ],
        check=True,
    )
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    marker.touch()
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Broker:
    """One KRaft broker+controller JVM. `data_dir` holds its log dirs, config and server.log.

    With `security` its clients connect over TLS and authenticate with SASL SCRAM-SHA-512, the
    controller listener takes only the broker's own certificate (mutual TLS), and the
    StandardAuthorizer allows what the ACLs say (`schakel.messaging.acls`); without it (the
    benchmark's comparison) it listens in plaintext."""

    data_dir: Path
    port: int = 9092
    controller_port: int = 9093
    security: Security | None = None
    process: subprocess.Popen | None = None
    jvm_options: tuple[str, ...] = ()  # for the broker's JVM only, e.g. the metrics agent (deploy/broker_metrics.py)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "broker.pid"

    def client(self, principal: str = ADMIN, client_id: str | None = None, timeout: float = 30.0) -> KafkaConfig:
        """A client configuration for this broker as `principal` (any client on a plaintext broker)."""
        if self.security is None:
            return KafkaConfig(self.bootstrap, client_id or principal, timeout)
        return self.security.client(self.bootstrap, principal, client_id, timeout)

    async def provision(self) -> None:
        """Creates the contract's topics (each outside party's own ones too) and, when secured, its ACLs."""
        contract, parties = load_contract(), self.security.parties if self.security else DEVELOPMENT_PARTIES
        admin = self.client(client_id="schakel-provision")
        await create_topics(admin, contract, {p.role: [p.oin] for p in parties})
        if self.security:
            await grant(admin, acls(contract, parties))

    def _write_config(self) -> Path:
        listener = "SASL_SSL" if self.security else "PLAINTEXT"
        listeners = f"{listener}://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}"
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.bootstrap.servers": f"127.0.0.1:{self.controller_port}",
            "listeners": listeners,
            "advertised.listeners": listeners,
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": listener,
            "listener.security.protocol.map": f"CONTROLLER:{'SSL' if self.security else 'PLAINTEXT'},{listener}:{listener}",
            **(self._security_config() if self.security else {}),
            "log.dirs": str(self.data_dir / "logs"),
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            # topics come from contracts/asyncapi.yaml: a typo must fail, not create a topic
            "auto.create.topics.enable": "false",
        }
        path = self.data_dir / "server.properties"
        path.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
        return path

    def _security_config(self) -> dict[str, str]:
        assert self.security is not None
        password = self.security.passwords[BROKER]
        return {
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": str(self.security.keystore),
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": str(self.security.ca),
            # the controller listener takes the broker's own certificate only (mutual TLS); its CN is its principal
            "listener.name.controller.ssl.client.auth": "required",
            "ssl.principal.mapping.rules": "RULE:^CN=([a-zA-Z0-9.-]+).*$/$1/,DEFAULT",
            "sasl.enabled.mechanisms": "SCRAM-SHA-512",
            "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
            "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config": (
                "org.apache.kafka.common.security.scram.ScramLoginModule required "
                f'username="{BROKER}" password="{password}";'
            ),
            "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "allow.everyone.if.no.acl.found": "false",
            "super.users": f"User:{BROKER};User:{ADMIN}",
        }

    def _java(self, main: str, *args: str, options: tuple[str, ...] = ()) -> list[str]:
        jars = ensure_jars()
        return [
            "java",
            *JVM_OPTS,
            *options,
            f"-Dkafka.logs.dir={self.data_dir}",
            f"-Dlog4j2.configurationFile={LOG4J}",
            "-cp",
            f"{jars}/*",
            main,
            *args,
        ]

    def start(self, timeout: float = 60.0) -> Broker:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self._write_config()
        users = self.data_dir / "users-stored"  # the SCRAM users are stored when the log is formatted
        if (self.data_dir / "logs" / "meta.properties").exists() and self.security and not users.exists():
            raise BrokerError(f"{self.data_dir} was formatted without users; remove it (`make clean`) and start again")
        if not (self.data_dir / "logs" / "meta.properties").exists():
            subprocess.run(
                self._java(
                    "kafka.tools.StorageTool",
                    "format",
                    "-c",
                    str(config),
                    "-t",
                    str(uuid.uuid4().hex[:22]),
                    "--standalone",
                    *(self.security.scram_arguments() if self.security else []),
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
            if self.security:
                users.touch()
        server_log = self.data_dir / "server.log"
        seen = server_log.stat().st_size if server_log.exists() else 0
        log = open(self.data_dir / "broker.out", "ab")
        self.process = subprocess.Popen(
            self._java("kafka.Kafka", str(config), options=self.jvm_options),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid_file.write_text(str(self.process.pid))
        self._wait_ready(server_log, seen, timeout)
        return self

    def _wait_ready(self, log: Path, seen: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise BrokerError(f"Kafka broker exited; see {self.data_dir / 'broker.out'}")
            if log.exists():
                with log.open("rb") as f:
                    f.seek(seen)
                    if b"Kafka Server started" in f.read():
                        return
            time.sleep(0.1)
        raise BrokerError(f"Kafka broker not ready after {timeout}s; see {log}")

    def stop(self, timeout: float = 30.0) -> None:
        """Controlled shutdown (SIGTERM); a broker that does not stop in time is killed."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.pid_file.unlink(missing_ok=True)

"""A real Apache Kafka broker (KRaft, combined mode) on loopback, from Maven jars: one node, or a
cluster of three (`Cluster`) whose topics are replicated as the contract says.

Used by `make run` (deploy/run.py), by the test suite and by the benchmark. See shared KAFKA.md:
there is no Docker engine and no tarball download here, so the broker runs from the jars that
Maven Central publishes, resolved once into `.cache/kafka/<version>/`.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from deploy import cache
from deploy.kafka_security import DEVELOPMENT_PARTIES, Security
from schakel.events import load_contract
from schakel.messaging import KafkaConfig, create_topics
from schakel.messaging.acls import ADMIN, BROKER, acls, grant

ROOT = Path(__file__).resolve().parent.parent
POM = ROOT / "deploy" / "kafka" / "pom.xml"
LOG4J = ROOT / "deploy" / "kafka" / "log4j2.yaml"
CACHE = cache.CACHE / "kafka"

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
    goal = ("-f", str(POM), "dependency:copy-dependencies", "-DincludeScope=runtime")
    return cache.maven(CACHE / kafka_version(), "the Kafka broker jars", *goal)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kafka:
    """What a single broker and a cluster share: client configurations and provisioning."""

    security: Security | None
    size: int  # the number of brokers: the contract's replication factor is capped to it

    @property
    def bootstrap(self) -> str:
        raise NotImplementedError

    def client(self, principal: str = ADMIN, client_id: str | None = None, timeout: float = 30.0) -> KafkaConfig:
        """A client configuration for this broker as `principal` (any client on a plaintext broker)."""
        if self.security is None:
            return KafkaConfig(self.bootstrap, client_id or principal, timeout)
        return self.security.client(self.bootstrap, principal, client_id, timeout)

    async def provision(self) -> None:
        """Creates the contract's topics (each outside party's own ones too) and, when secured, its ACLs."""
        contract, parties = load_contract(), self.security.parties if self.security else DEVELOPMENT_PARTIES
        admin = self.client(client_id="schakel-provision")
        await create_topics(admin, contract, {p.role: [p.oin] for p in parties}, brokers=self.size)
        if self.security:
            await grant(admin, acls(contract, parties))


@dataclass
class Broker(Kafka):
    """One KRaft broker+controller JVM. `data_dir` holds its log dirs, config and server.log.

    With `security` its clients connect over TLS and authenticate with SASL SCRAM-SHA-512, the
    controller listener takes only the broker's own certificate (mutual TLS), and the
    StandardAuthorizer allows what the ACLs say (`schakel.messaging.acls`); without it (the
    benchmark's comparison) it listens in plaintext. In a `Cluster` it is one of the voters of the
    controller quorum (`voters`), formatted with the cluster's id."""

    data_dir: Path
    port: int = 9092
    controller_port: int = 9093
    security: Security | None = None
    process: subprocess.Popen | None = None
    jvm_options: tuple[str, ...] = ()  # for the broker's JVM only, e.g. the metrics agent (deploy/broker_metrics.py)
    node_id: int = 1
    voters: str | None = None  # a cluster's controller quorum, `<id>@<host>:<port>,...`; None: this node alone
    cluster_id: str | None = None  # the cluster's id, the same on every node; None: a new one
    size: int = 1  # the cluster's brokers: the replication of the broker's internal topics

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "broker.pid"

    def _write_config(self) -> Path:
        listener = "SASL_SSL" if self.security else "PLAINTEXT"
        listeners = f"{listener}://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}"
        # the internal topics (offsets, transactions) are replicated as Schakel's own: 3 with 2 in sync
        replicas, min_isr = str(min(self.size, 3)), str(min(self.size, 2))
        quorum = (
            {"controller.quorum.voters": self.voters}
            if self.voters
            else {"controller.quorum.bootstrap.servers": f"127.0.0.1:{self.controller_port}"}
        )
        props = {
            "process.roles": "broker,controller",
            "node.id": str(self.node_id),
            **quorum,
            "listeners": listeners,
            "advertised.listeners": listeners,
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": listener,
            "listener.security.protocol.map": f"CONTROLLER:{'SSL' if self.security else 'PLAINTEXT'},{listener}:{listener}",
            **(self._security_config() if self.security else {}),
            "log.dirs": str(self.data_dir / "logs"),
            "offsets.topic.replication.factor": replicas,
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": min_isr,
            "transaction.state.log.num.partitions": "1",
            "share.coordinator.state.topic.replication.factor": replicas,
            "share.coordinator.state.topic.min.isr": min_isr,
            "min.insync.replicas": min_isr,
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
        self.wait_ready(self.launch(), timeout)
        return self

    def launch(self) -> int:
        """Formats the log once and starts the JVM; returns where this start's server.log begins."""
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
                    self.cluster_id or new_cluster_id(),
                    *([] if self.voters else ["--standalone"]),
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
        return seen

    def wait_ready(self, seen: int, timeout: float = 60.0) -> None:
        log = self.data_dir / "server.log"
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

    def kill(self) -> None:
        """SIGKILL: no controlled shutdown, as when a machine is lost."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None
            self.pid_file.unlink(missing_ok=True)


def new_cluster_id() -> str:
    return uuid.uuid4().hex[:22]


@dataclass
class Cluster(Kafka):
    """Three KRaft nodes on loopback, each a broker and a controller voter, with one security: the
    topics get the contract's replication (3, with 2 in sync), so the loss of one node loses
    nothing and stops nothing. Node i listens on `port + 2i` (its controller on the next port)."""

    nodes: list[Broker]
    security: Security | None = None

    @classmethod
    def on(
        cls,
        data_dir: Path,
        ports: list[tuple[int, int]],
        security: Security | None,
        jvm_options: list[tuple[str, ...]] | None = None,
    ) -> Cluster:
        """A cluster of one node per (client port, controller port), its data under `data_dir/node-<id>`."""
        data_dir.mkdir(parents=True, exist_ok=True)
        id_file = data_dir / "cluster.id"  # every node is formatted with it, also one added later
        if not id_file.exists():
            id_file.write_text(new_cluster_id())
        voters = ",".join(f"{i}@127.0.0.1:{controller}" for i, (_, controller) in enumerate(ports, 1))
        nodes = [
            Broker(
                data_dir / f"node-{i}",
                port,
                controller,
                security,
                jvm_options=jvm_options[i - 1] if jvm_options else (),
                node_id=i,
                voters=voters,
                cluster_id=id_file.read_text(),
                size=len(ports),
            )
            for i, (port, controller) in enumerate(ports, 1)
        ]
        return cls(nodes, security)

    @property
    def size(self) -> int:
        return len(self.nodes)

    @property
    def bootstrap(self) -> str:
        return ",".join(node.bootstrap for node in self.nodes)

    def start(self, timeout: float = 120.0) -> Cluster:
        """Starts every node, then waits for all: a node is ready only once the quorum stands."""
        for node, seen in [(node, node.launch()) for node in self.nodes]:
            node.wait_ready(seen, timeout)
        return self

    def kill(self) -> None:
        """SIGKILL to every node: for data that goes anyway (a test's), without waiting out a controlled
        shutdown that waits for a quorum the others are leaving too."""
        for node in self.nodes:
            node.kill()

    def stop(self, timeout: float = 30.0) -> None:
        """Stops every node at once: one by one, the last ones would wait for a quorum that is gone."""
        for node in self.nodes:
            if node.process is not None and node.process.poll() is None:
                node.process.send_signal(signal.SIGTERM)
        for node in self.nodes:
            node.stop(timeout)

"""`make run`: a local Kafka broker, the contract's topics, a BRP stand-in with test persons and the
four services.

Foreground by default (Ctrl-C stops everything); `--background` detaches and `--stop` ends a
background start. State lives under SCHAKEL_DATA_DIR (default ./data), so a second start reuses
the formatted broker and the databases and is up in seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from deploy import broker_metrics, kafka_security
from deploy.brp_standin import BrpStandIn
from deploy.kafka_broker import Broker, Cluster
from deploy.services import CONSOLE_PORT, SERVICES, ServiceProcess
from deploy.token import DEFAULT_OIN
from deploy.zipkin import Zipkin
from schakel.caller import Rol
from schakel.messaging.acls import CONSOLE, OPERATOR, service_principal

DATA = Path(os.environ.get("SCHAKEL_DATA_DIR", "data")).resolve()
PID_FILE = DATA / "run.pid"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--background", action="store_true")
    parser.add_argument("--stop", action="store_true")
    args = parser.parse_args()
    if args.stop:
        return stop_background()
    if args.background:
        return start_background()
    run_foreground()


def run_foreground() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("SCHAKEL_KAFKA_PORT", "9092"))
    metrics = os.environ.get("SCHAKEL_BROKER_METRICS", "true") != "false"
    brokers = int(os.environ.get("SCHAKEL_KAFKA_BROKERS", "1"))
    security = kafka_security.ensure(DATA / "kafka" / "security")
    # node i (from 0) serves clients on port + 2i, its controller on the port after, its metrics on 9404 + i
    agents = [(broker_metrics.java_agent(broker_metrics.PORT + i),) if metrics else () for i in range(brokers)]
    broker: Broker | Cluster = (
        Broker(DATA / "kafka", port, port + 1, security, jvm_options=agents[0])
        if brokers == 1
        else Cluster.on(
            DATA / "kafka-cluster", [(port + 2 * i, port + 2 * i + 1) for i in range(brokers)], security, agents
        )
    )
    stopping = False

    def on_signal(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(f"Starting Kafka on {broker.bootstrap} ...", flush=True)
    broker.start()
    processes, prometheus, zipkin = [], None, None
    brp = BrpStandIn(int(os.environ.get("SCHAKEL_BRP_PORT", "8090"))).start()
    try:
        clients = secure_broker(broker)
        (DATA / "logs").mkdir(exist_ok=True)
        if os.environ.get("SCHAKEL_ZIPKIN", "true") != "false":
            print("Starting Zipkin (the trace UI) ...", flush=True)
            zipkin = Zipkin(log=DATA / "logs" / "zipkin.log").start()
        # a developer's webhook receiver listens on this machine
        env = {
            "SCHAKEL_ENVIRONMENT": "development",  # the development secrets, on this machine only
            "SCHAKEL_KAFKA_BOOTSTRAP": broker.bootstrap,
            "SCHAKEL_DATA_DIR": str(DATA),
            "DECISIONS_WEBHOOK_LOKAAL_TOESTAAN": os.environ.get("DECISIONS_WEBHOOK_LOKAAL_TOESTAAN", "true"),
            # one version of every service here, never a rolling deploy
            "DECISIONS_TERUGBETALINGEN": "true",
            "DECISIONS_TERUGGAVEN": "true",
            "DECISIONS_STORNERINGEN": "true",
            "SCHAKEL_BRP_URL": brp.url,
            "REAPPLICATION_INCOME_URL": f"http://127.0.0.1:{os.environ.get('INCOME_PORT', SERVICES['income'])}/api/v1",
            # the development provider (`make token ROLE=data-provider`) delivers for the four largest cities
            "INCOME_LEVERANCIERS": os.environ.get(
                "INCOME_LEVERANCIERS", json.dumps({DEFAULT_OIN[Rol.data_provider]: ONTWIKKEL_GEMEENTEN})
            ),
        }
        if zipkin:
            env["OTEL_EXPORTER_ZIPKIN_ENDPOINT"] = zipkin.spans_endpoint
        processes = [
            ServiceProcess(
                name,
                int(os.environ.get(f"{name.upper()}_PORT", port_)),
                {**env, **broker.security.environment(service_principal(name))},
                DATA / "logs" / f"{name}.log",
            ).start()
            for name, port_ in SERVICES.items()
        ]
        for p in processes:
            p.wait_ready()
        # the console reads positions, the newest records' headers and dead letters, and replays
        console = start_console({**env, **broker.security.environment(CONSOLE)}, processes, zipkin)
        processes.append(console)
        console.wait_ready()
        prometheus = start_prometheus()
        print("\nSchakel is running (logs in data/logs/):", flush=True)
        for p in processes[:-1]:
            print(f"  {p.name:<14} {p.url}   docs: {p.url}/docs   metrics: {p.url.removesuffix('/api/v1')}/metrics")
        print(f"  console        {console.url.removesuffix('/api/v1')}/ (token: make token ROLE=operator)", flush=True)
        print(f"  kafka          {broker.bootstrap} (TLS, SASL SCRAM-SHA-512); client configurations:", flush=True)
        for who, path in clients.items():
            print(f"    {who:<12} {path}", flush=True)
        print(f"  brp stand-in   {brp.url} (test persons: POST {brp.basis}/testpersonen)", flush=True)
        if metrics:
            for i in range(brokers):
                print(f"  kafka metrics  http://127.0.0.1:{broker_metrics.PORT + i}/metrics", flush=True)
        if prometheus:
            # Debian's build has only the classic pages
            print(f"  prometheus     {PROMETHEUS_URL} (alerts: {PROMETHEUS_URL}/classic/alerts)", flush=True)
        if zipkin:
            print(f"  traces         {zipkin.url}/zipkin/", flush=True)
        print("Get a token: make token ROLE=municipality GEMEENTE=GM0363\nPress Ctrl-C to stop.", flush=True)
        (DATA / "run.ready").touch()
        while not stopping and all(p.process.poll() is None for p in processes):
            time.sleep(0.2)
    finally:
        (DATA / "run.ready").unlink(missing_ok=True)
        print("Stopping ...", flush=True)
        if prometheus:
            prometheus.terminate()
            prometheus.wait(10)
        for p in processes:
            p.stop()
        if zipkin:
            zipkin.stop()
        brp.stop()
        broker.stop()
        print("Stopped.", flush=True)


def secure_broker(broker: Broker | Cluster) -> dict[str, Path]:
    """Creates the contract's topics (the development parties' own ones too) and ACLs, and writes a
    librdkafka-style client configuration for a data provider, UWV and the operator."""
    security = broker.security
    assert security is not None
    asyncio.run(broker.provision())
    folder = DATA / "kafka" / "clients"
    folder.mkdir(exist_ok=True)
    clients = {}
    for who, principal in [*((p.role, p.principal) for p in security.parties), ("operator", OPERATOR)]:
        clients[who] = folder / f"{who}.properties"
        clients[who].write_text(security.properties(broker.bootstrap, principal))
        clients[who].chmod(0o600)
    return clients


PROMETHEUS_URL = "http://127.0.0.1:9090"
ONTWIKKEL_GEMEENTEN = ["GM0344", "GM0363", "GM0518", "GM0599"]


def start_console(env: dict[str, str], services: list[ServiceProcess], zipkin: Zipkin | None) -> ServiceProcess:
    """The operations console over the services just started, linking each event to Zipkin's trace page."""
    console_env = {
        **env,
        "CONSOLE_DIENSTEN": json.dumps({p.name: p.url.removesuffix("/api/v1") for p in services}),
        "CONSOLE_TRACE_URL": f"{zipkin.url}/zipkin/traces/{{traceId}}" if zipkin else "",
    }
    port = int(os.environ.get("CONSOLE_PORT", CONSOLE_PORT))
    return ServiceProcess("console", port, console_env, DATA / "logs" / "console.log").start()


def start_prometheus() -> subprocess.Popen | None:
    """Prometheus with Schakel's scrape targets and alerting rules, where it is installed (a Debian
    package); SCHAKEL_PROMETHEUS=false leaves it off."""
    if not shutil.which("prometheus") or os.environ.get("SCHAKEL_PROMETHEUS", "true") == "false":
        return None
    config = Path(__file__).resolve().parent / "prometheus" / "prometheus.yml"
    log = open(DATA / "logs" / "prometheus.log", "ab")
    return subprocess.Popen(
        [
            "prometheus",
            f"--config.file={config}",
            f"--storage.tsdb.path={DATA / 'prometheus'}",
            "--web.listen-address=127.0.0.1:9090",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def start_background() -> None:
    # a second stack beside a running one fails on its ports, and its pid would stand in for the first's
    if (running := _running()) is not None:
        sys.exit(f"Schakel runs in the background already (pid {running}); `make stop` ends it.")
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "run.ready").unlink(missing_ok=True)
    log = open(DATA / "run.log", "ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "deploy.run"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    PID_FILE.write_text(str(process.pid))
    deadline = time.monotonic() + 180
    while not (DATA / "run.ready").exists():
        if process.poll() is not None:
            PID_FILE.unlink(missing_ok=True)
            sys.exit(f"start failed; see {DATA / 'run.log'}")
        if time.monotonic() > deadline:  # still running: `make stop` ends it
            sys.exit(f"not started within 3 minutes; see {DATA / 'run.log'}")
        time.sleep(0.2)
    print((DATA / "run.log").read_text().rsplit("Starting Kafka", 1)[-1].split("Press Ctrl-C")[0])
    print("Running in the background; `make stop` ends it.")


def stop_background() -> None:
    pid = _running()
    if pid is None:
        PID_FILE.unlink(missing_ok=True)
        print("Nothing to stop.")
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    while _running() == pid:
        time.sleep(0.2)
    PID_FILE.unlink(missing_ok=True)
    print("Stopped.")


def _running() -> int | None:
    """The process `make start` runs the stack in, while it runs: not a pid left in the file by one that
    ended, nor (where /proc tells) one the system has given to another process since."""
    try:
        pid = int(PID_FILE.read_text())
        os.kill(pid, 0)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes() if Path("/proc/self").exists() else b"deploy.run"
    except (OSError, ValueError):
        return None
    return pid if b"deploy.run" in cmdline else None  # not: another process, or ours ended and not yet reaped


if __name__ == "__main__":
    main()

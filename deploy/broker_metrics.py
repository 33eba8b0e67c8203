"""The Kafka broker's own metrics for Prometheus: the Prometheus JMX exporter java agent
(io.prometheus.jmx:jmx_prometheus_javaagent from Maven Central, resolved once into
`.cache/jmx-exporter/` like the broker's jars) runs inside the broker's JVM and serves
`/metrics` with the rules in deploy/kafka/jmx-exporter.yaml."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "1.0.1"
JAR = ROOT / ".cache" / "jmx-exporter" / VERSION / f"jmx_prometheus_javaagent-{VERSION}.jar"
CONFIG = ROOT / "deploy" / "kafka" / "jmx-exporter.yaml"
PORT = 9404  # the exporter's usual port; `make run` and deploy/prometheus/prometheus.yml use it


def ensure_agent() -> Path:
    if not JAR.exists():
        if not shutil.which("mvn"):
            raise RuntimeError("Maven (mvn) is required to resolve the JMX exporter agent")
        subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "dependency:copy",
                f"-Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:{VERSION}",
                f"-DoutputDirectory={JAR.parent}",
            ],
            check=True,
        )
    return JAR


def java_agent(port: int = PORT) -> str:
    """The JVM option that makes a broker serve its metrics at http://127.0.0.1:<port>/metrics."""
    return f"-javaagent:{ensure_agent()}=127.0.0.1:{port}:{CONFIG}"

"""The Kafka broker's own metrics for Prometheus: the Prometheus JMX exporter java agent
(io.prometheus.jmx:jmx_prometheus_javaagent from Maven Central, resolved once into
`.cache/jmx-exporter/` like the broker's jars) runs inside the broker's JVM and serves
`/metrics` with the rules in deploy/kafka/jmx-exporter.yaml."""

from __future__ import annotations

from pathlib import Path

from deploy import cache

ROOT = Path(__file__).resolve().parent.parent
VERSION = "1.0.1"
JAR = cache.CACHE / "jmx-exporter" / VERSION / f"jmx_prometheus_javaagent-{VERSION}.jar"
CONFIG = ROOT / "deploy" / "kafka" / "jmx-exporter.yaml"
PORT = 9404  # the exporter's usual port; `make run` and deploy/prometheus/prometheus.yml use it


def ensure_agent() -> Path:
    cache.maven_artifact(JAR.parent, f"io.prometheus.jmx:jmx_prometheus_javaagent:{VERSION}", "the JMX exporter agent")
    return JAR


def java_agent(port: int = PORT) -> str:
    """The JVM option that makes a broker serve its metrics at http://127.0.0.1:<port>/metrics."""
    return f"-javaagent:{ensure_agent()}=127.0.0.1:{port}:{CONFIG}"

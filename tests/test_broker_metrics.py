"""The Kafka broker's own metrics, as `make run` starts it for Prometheus: the JMX exporter agent in
the broker's JVM serves traffic and size per topic in the Prometheus format, with no personal data
(topics and partitions only)."""

import asyncio

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from deploy.broker_metrics import java_agent
from deploy.kafka_broker import Broker, free_port
from schakel.events import load_contract
from schakel.messaging import KafkaConfig, create_topics
from tests.support import builders, kafka
from tests.support.stack import DOELGROEPREGISTER, UWV, eventually

pytestmark = pytest.mark.integration


def test_the_broker_serves_its_metrics_per_topic(tmp_path):
    port = free_port()
    broker = Broker(tmp_path / "kafka", free_port(), free_port(), jvm_options=(java_agent(port),)).start()
    try:
        config = KafkaConfig(broker.bootstrap, "schakel-tests", 15.0)
        asyncio.run(create_topics(config, load_contract(), {UWV.role: [UWV.oin]}, brokers=1))
        kafka.produce_events(
            config, DOELGROEPREGISTER, [builders.registratie(builders.bsn(), "beeindigd", einddatum="2026-08-31")]
        )

        def samples() -> dict:
            text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
            return {
                (s.name, s.labels.get("topic")): s.value
                for f in text_string_to_metric_families(text)
                for s in f.samples
            }

        found = eventually(
            lambda: (s := samples()).get(("kafka_server_brokertopicmetrics_messagesin_total", DOELGROEPREGISTER)) and s
        )
        assert found[("kafka_server_brokertopicmetrics_messagesin_total", DOELGROEPREGISTER)] == 1
        assert any(name == "kafka_log_size_bytes" and topic == DOELGROEPREGISTER for name, topic in found)
        assert any(name.startswith("jvm_") for name, _ in found)
    finally:
        broker.stop()

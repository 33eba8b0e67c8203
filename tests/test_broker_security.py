"""The broker as any peer on the network meets it: only TLS clients that authenticate get in, and
each principal may do only what the contract's operations give it (schakel.messaging.acls); the
operations console reads positions and headers but cannot move a service's offsets."""

import asyncio
import json
import uuid
from dataclasses import replace

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import GroupAuthorizationFailedError, KafkaConnectionError, TopicAuthorizationFailedError

from schakel.events import load_contract
from schakel.messaging import BrokerUnavailable, KafkaConfig, inspection
from schakel.messaging.acls import CONSOLE, OPERATOR
from tests.support import builders, kafka
from tests.support.polis import WERKGEVER_A, aangifte, months, open_case
from tests.support.stack import DOELGROEPREGISTER, POLISAANGIFTEN, PROVIDER, eventually

pytestmark = pytest.mark.integration

AUTHORIZATION_FAILED = 29  # Kafka's TOPIC_AUTHORIZATION_FAILED


def described(config: KafkaConfig, topics: list[str]) -> dict[str, int]:
    """The broker's error code per topic when this principal asks for its metadata (0: visible)."""

    async def run():
        admin = AIOKafkaAdminClient(**config.connection())
        await admin.start()
        try:
            return {t["topic"]: t["error_code"] for t in await admin.describe_topics(topics)}
        finally:
            await admin.close()

    return asyncio.run(run())


def test_a_plaintext_or_unauthenticated_client_is_refused(stack):
    provider = stack.kafka_as(PROVIDER.principal)
    refused = {
        "plaintext": replace(provider, security_protocol="PLAINTEXT"),
        "TLS without SASL": replace(provider, security_protocol="SSL"),
        "a wrong password": replace(provider, password="ontwikkeling-not-the-password"),
        "a broker certificate it does not trust": replace(provider, ca_file=None),
    }
    for why, config in refused.items():
        with pytest.raises(KafkaConnectionError):
            kafka.produce(config, POLISAANGIFTEN, [])
            pytest.fail(f"connected with {why}")
    kafka.produce(provider, POLISAANGIFTEN, [])  # the same client with its own credentials gets in


def test_a_provider_writes_only_its_own_topic_and_reads_nothing(stack):
    provider = stack.kafka_as(PROVIDER.principal)
    for topic in ("uitkeringen", DOELGROEPREGISTER, "polisaangiften.dlq"):
        with pytest.raises(TopicAuthorizationFailedError):
            kafka.produce(provider, topic, [(b"123456782L01:1", b"{}", [])])
    seen = described(provider, ["maandinkomens", "uitkeringen", "polisaangiften.dlq", POLISAANGIFTEN])
    assert seen == {
        "maandinkomens": AUTHORIZATION_FAILED,
        "uitkeringen": AUTHORIZATION_FAILED,
        "polisaangiften.dlq": AUTHORIZATION_FAILED,
        POLISAANGIFTEN: 0,
    }
    assert described(stack.kafka, ["maandinkomens"]) == {"maandinkomens": 0}, "the topic is there"


def test_only_the_dead_letter_tooling_reads_a_dead_letter_topic(stack):
    kafka.produce(stack.kafka, "polisaangiften.dlq", [(b"123456782L01:1", b"{}", [])])
    with pytest.raises(TopicAuthorizationFailedError):
        kafka.read(stack.kafka_as("schakel-income"), "polisaangiften.dlq")  # it may only write there
    assert kafka.read(stack.kafka_as(OPERATOR), "polisaangiften.dlq")


def test_the_console_measures_a_services_lag_and_reads_headers_but_cannot_move_its_offsets(stack):
    kafka.produce_events(
        stack.kafka, DOELGROEPREGISTER, [builders.registratie(builders.bsn(), "beeindigd", einddatum="2026-08-31")]
    )
    console, operator = stack.kafka_as(CONSOLE), stack.kafka_as(OPERATOR)
    topics = {DOELGROEPREGISTER: load_contract().topic(DOELGROEPREGISTER).partitions}
    assert set(asyncio.run(inspection.lag(console, "schakel-registration", topics))) == {DOELGROEPREGISTER}
    assert asyncio.run(inspection.latest(console, topics))[DOELGROEPREGISTER].headers["ce_type"]
    for look in (inspection.lag(operator, "schakel-registration", topics), inspection.latest(operator, topics)):
        with pytest.raises(BrokerUnavailable, match="AuthorizationFailed"):  # the replay tool sees no more
            asyncio.run(look)

    async def commit_as_registration() -> None:
        client = AIOKafkaConsumer(**console.connection(), group_id="schakel-registration", enable_auto_commit=False)
        await client.start()
        try:  # a topic registration does not read: nothing is disturbed should the broker allow it
            client.assign([TopicPartition("uitkeringen", 0)])
            await client.commit({TopicPartition("uitkeringen", 0): 0})
        finally:
            await client.stop()

    with pytest.raises(GroupAuthorizationFailedError):
        asyncio.run(commit_as_registration())


def test_a_provider_delivers_a_declaration_with_librdkafka_and_its_client_configuration(stack, tmp_path):
    """The README's example: an ordinary librdkafka client (confluent-kafka) with the file `make run` writes."""
    from confluent_kafka import Producer

    bsn = builders.bsn()
    open_case(stack, bsn)
    path = tmp_path / "leverancier.properties"
    path.write_text(stack.broker.security.properties(stack.broker.bootstrap, PROVIDER.principal))
    record = {"leveringId": f"librdkafka-{uuid.uuid4()}", **aangifte(bsn)}

    producer = Producer(dict(line.split("=", 1) for line in path.read_text().splitlines()))
    producer.produce(
        POLISAANGIFTEN,
        json.dumps(record).encode(),
        key=f"{WERKGEVER_A}:1",
        headers={
            "ce_id": f"{record['leveringId']}-1",
            "ce_source": f"urn:nld:oin:{PROVIDER.oin}:systeem:polisleveringen",
            "ce_specversion": "1.0",
            "ce_type": "nl.polis.aangifte.aangeleverd",
            "content-type": "application/json",
        },
    )
    assert producer.flush(30) == 0
    assert eventually(lambda: "2026-01" in months(stack, bsn))

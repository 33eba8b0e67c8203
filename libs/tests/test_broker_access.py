"""Broker access: a client configuration file gives TLS and SCRAM, a cluster is reachable while
one broker is away, and the ACLs follow from the contract: who sends writes, who receives reads,
nobody but the dead-letter tooling and the console reads a dead-letter topic, the console only
describes the services' groups, and an outside party writes only its own topic."""

import asyncio
import socket
import ssl

import pytest

from schakel.events import load_contract
from schakel.messaging import KafkaConfig
from schakel.messaging.acls import (
    CONSOLE,
    DESCRIBE,
    GROUP,
    OPERATOR,
    READ,
    TOPIC,
    WRITE,
    Party,
    acls,
    principals,
    service_principal,
)
from schakel.messaging.kafka import reachable

PARTIES = PROVIDER, OTHER, UWV = Party("leverancier", "0" * 20), Party("leverancier", "1" * 20), Party("uwv", "2" * 20)
CONTRACT = load_contract()
RULES = acls(CONTRACT, PARTIES)


def topics(principal: str, operation: int) -> set[str]:
    return {a.name for a in RULES if a.principal == principal and a.resource == TOPIC and a.operation == operation}


def addresses(channel: str) -> list[str]:
    """The topics of a channel: one per organisation where outside parties write it."""
    topic = CONTRACT.topic(channel)
    return [topic.address(p.oin) for p in PARTIES if p.role == topic.party] if topic.party else [channel]


def test_each_service_writes_what_it_sends_and_reads_what_it_receives():
    for service in CONTRACT.services:
        me = service_principal(service)
        sends = {o.topic for o in CONTRACT.operations if o.service == service and o.action == "send"}
        receives = set(CONTRACT.receives(service))
        assert topics(me, WRITE) == sends | {CONTRACT.topics[t].dlq for t in receives}, service
        assert topics(me, READ) == {a for t in receives for a in addresses(t)}, service


def test_an_outside_party_writes_only_its_own_topic():
    assert topics(PROVIDER.principal, WRITE) == {"polisaangiften.00000000000000000000"}
    assert topics(OTHER.principal, WRITE) == {"polisaangiften.11111111111111111111"}
    assert topics(PROVIDER.principal, READ) == set()
    assert topics(UWV.principal, WRITE) == {"doelgroepregister.22222222222222222222"}
    # beschut werk vastgesteld, a job without a registration; what became of its Max-WW handovers
    assert topics(UWV.principal, READ) == {"deelnamestatussen", "overdrachtuitkomsten"}


def test_only_the_dead_letter_tooling_and_the_console_read_a_dead_letter_topic():
    readers = {a.principal for a in RULES if a.name.endswith(".dlq") and a.operation == READ}
    assert readers == {OPERATOR, CONSOLE}
    assert {a.principal for a in RULES} <= set(principals(CONTRACT, PARTIES))


def test_the_console_reads_every_topic_describes_the_services_groups_and_replays_as_the_operator():
    every = {a for t in CONTRACT.topics for a in addresses(t)}
    assert topics(CONSOLE, READ) == every
    assert {"polisaangiften.11111111111111111111", "doelgroepregister.22222222222222222222"} <= every
    assert topics(CONSOLE, WRITE) == topics(OPERATOR, WRITE) == every - {t for t in every if t.endswith(".dlq")}
    groups = {(a.name, a.operation) for a in RULES if a.principal == CONSOLE and a.resource == GROUP}
    receivers = {o.service for o in CONTRACT.operations if o.action == "receive"} & CONTRACT.services
    assert groups == {("schakel-dlq-replay", READ)} | {(service_principal(s), DESCRIBE) for s in receivers}
    assert topics(OPERATOR, READ) == {t for t in every if t.endswith(".dlq")}, "the replay tool reads no more"


def test_a_party_topic_names_the_organisation_that_writes_it():
    topic = CONTRACT.topic("polisaangiften.00000001805160327000")
    assert topic.party == "leverancier" and topic.dlq == "polisaangiften.dlq"
    assert topic.writer("polisaangiften.00000001805160327000") == "00000001805160327000"
    assert CONTRACT.topic("polisaangiften.dlq").dlq is None
    assert CONTRACT.topic("uitkeringen").writer("uitkeringen") is None


def test_a_client_configuration_file_gives_tls_and_scram():
    config = KafkaConfig.from_properties(
        "# operator\nbootstrap.servers=127.0.0.1:9092\nsecurity.protocol=sasl_ssl\nsasl.mechanisms=SCRAM-SHA-512\n"
        "sasl.username=schakel-operator\nsasl.password=geheim\n",
        "schakel-dlq-replay",
    )
    args = config.connection()
    assert args["security_protocol"] == "SASL_SSL" and args["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    assert (args["sasl_mechanism"], args["sasl_plain_username"], args["sasl_plain_password"]) == (
        "SCRAM-SHA-512",
        "schakel-operator",
        "geheim",
    )
    assert "geheim" not in repr(config)
    assert "ssl_context" not in KafkaConfig("127.0.0.1:9092", "x").connection()


async def test_a_cluster_is_reachable_while_one_of_its_brokers_is_away():
    async def accept(reader, writer):
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        away = f"127.0.0.1:{closed.getsockname()[1]}"
        up = f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
        try:
            await reachable(KafkaConfig(f"{away},{up}", "t"))
            with pytest.raises(OSError):
                await reachable(KafkaConfig(f"{away},{away}", "t"))
        finally:
            server.close()
            await server.wait_closed()

"""The console's broker side against a real broker (TLS, SCRAM, the contract's ACLs), as its own
principal: a record another client wrote with a header name that is not UTF-8 (aiokafka cannot read
it) is shown as unreadable and the rest of the overview answers; a replay skips a dead letter whose
topic is gone, and one of a record that could not be read, and sends the others back to the
partition they came from; the page names how many records its button replays, also beyond the 100
it lists per partition."""

import asyncio
import json

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.producer import message_accumulator
from aiokafka.producer import producer as aiokafka_producer
from aiokafka.record.default_records import _DefaultRecordBatchBuilderPy
from pydantic import SecretStr

from console import bootstrap
from console.settings import Settings
from deploy.token import development
from schakel.api import Rol
from schakel.events import load_contract
from schakel.messaging import KafkaConfig
from schakel.messaging.acls import CONSOLE
from schakel.messaging.kafka import partition_of
from tests.support import kafka
from tests.support.browser import Browser
from tests.support.stack import DOELGROEPREGISTER, POLISAANGIFTEN, eventually_async, start_stack, token

pytestmark = pytest.mark.integration
GONE = "polisaangiften.00000000000000000099"  # a provider no longer contracted: its topic and ACLs are gone


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = start_stack(tmp_path_factory.mktemp("console-dead-letters"), [])
    yield stack
    stack.close()
    stack.collector.close()


def console(stack) -> httpx.AsyncClient:
    """The console's app in-process, reading the broker as the console principal."""
    env = stack.broker.security.environment(CONSOLE)
    platform = development().model_copy(
        update={
            "kafka_bootstrap": stack.broker.bootstrap,
            "kafka_security_protocol": "SASL_SSL",
            "kafka_ca_file": env["SCHAKEL_KAFKA_CA_FILE"],
            "kafka_username": CONSOLE,
            "kafka_password": SecretStr(env["SCHAKEL_KAFKA_PASSWORD"]),
            "kafka_timeout": 10.0,
        }
    )
    app = bootstrap.build(platform, Settings(diensten={}))[1]
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    operator = {"Authorization": f"Bearer {token(Rol.operator)}"}
    return httpx.AsyncClient(transport=transport, base_url="http://console/api/v1", headers=operator, timeout=60)


class NotUtf8(str):
    """A header name that encodes to bytes that are not UTF-8, as any client but aiokafka may write."""

    def encode(self, *args, **kwargs):
        return b"\xff\xfe-not-utf8"


async def produce_unreadable(config: KafkaConfig, topic: str, monkeypatch) -> None:
    # aiokafka's pure-Python batch builder takes the name's encode() as it is
    for module in (message_accumulator, aiokafka_producer):
        monkeypatch.setattr(module, "DefaultRecordBatchBuilder", _DefaultRecordBatchBuilderPy)
    producer = AIOKafkaProducer(**config.connection(), acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, key=b"k", value=b"{}", headers=[(NotUtf8("x"), b"v")])
    finally:
        await producer.stop()


def dead_letter(source: str, n: int, partition: int = 0, key: bytes | None = b"k") -> tuple:
    return (
        key,
        b'{"n": %d}' % n,
        [
            ("ce_type", b"nl.test"),
            ("dlq-reden", b"onverwerkbaar: test"),
            ("dlq-bron-topic", source.encode()),
            ("dlq-bron-partitie", str(partition).encode()),
            ("dlq-bron-offset", str(n).encode()),
            ("dlq-consumer", b"schakel-income"),
        ],
    )


async def test_a_record_that_cannot_be_read_is_shown_as_such_and_the_overview_answers(stack, monkeypatch):
    await produce_unreadable(stack.kafka, DOELGROEPREGISTER, monkeypatch)  # as UWV may, on its own topic
    await asyncio.to_thread(kafka.produce, stack.kafka, "heraanvragen.dlq", [dead_letter("heraanvragen", 1)])
    await produce_unreadable(stack.kafka, "heraanvragen.dlq", monkeypatch)  # a broken dead letter, say
    async with console(stack) as client:

        async def shown() -> list[dict]:
            overview = await client.get("/overzicht")
            assert overview.status_code == 200, overview.text
            [flow] = [s for s in overview.json()["stromen"] if s["topic"] == "doelgroepregister"]
            return [flow] if flow["laatsteEvent"] else []  # a partition whose leader moves answers next time

        [flow] = await eventually_async(shown)
        assert flow["laatsteEvent"]["type"] == "onleesbaar" and flow["laatsteEvent"]["tijd"] is None
        assert flow["laatsteEvent"]["offset"] == 0
        letters = await client.get("/dode-brieven")
        assert letters.status_code == 200, letters.text
        listed = [(d["type"], d["offset"]) for d in letters.json() if d["topic"] == "heraanvragen.dlq"]
        assert listed == [("onbekend", 0), ("onleesbaar", 1)], "the readable one first, with its time"
        # a dead letter that cannot be read failed every fetch of a replay: it is named and moved past
        replay = await client.post("/dode-brieven/heraanvragen.dlq/_herhaal")
        assert replay.status_code == 200, replay.text
        assert (replay.json()["aantal"], replay.json()["overgeslagen"]) == (
            1,
            ["heraanvragen.dlq[0]@1: the dead letter itself cannot be read; it stays on the topic"],
        )


async def test_a_replay_skips_what_cannot_go_back_and_sends_the_rest_to_the_partition_it_came_from(stack):
    partitions = load_contract().topic(POLISAANGIFTEN).partitions
    key = b"123456782L01:1"
    # not the partition the key's hash picks: another partitioner put the record there
    elders = (partition_of(key, list(range(partitions)), []) + 1) % partitions
    unreadable = (
        None,
        b"",  # aiokafka sends no record without a key and a value
        [
            ("dlq-reden", b"onleesbaar-record: the record could not be read"),
            ("dlq-bron-topic", POLISAANGIFTEN.encode()),
            ("dlq-bron-partitie", b"0"),
            ("dlq-bron-offset", b"3"),
        ],
    )
    letters = [dead_letter(GONE, 0), unreadable, dead_letter(POLISAANGIFTEN, 1, elders, key)]
    await asyncio.to_thread(kafka.produce, stack.kafka, "polisaangiften.dlq", letters)
    async with console(stack) as client:
        shown = [d for d in (await client.get("/dode-brieven")).json() if d["topic"] == "polisaangiften.dlq"]
        assert {d["reden"] for d in shown} == {"onverwerkbaar: test", "onleesbaar-record: the record could not be read"}
        answer = await client.post("/dode-brieven/polisaangiften.dlq/_herhaal")
        assert answer.status_code == 200, answer.text
    assert (answer.json()["aantal"], answer.json()["aantalOvergeslagen"]) == (1, 2)
    gone, empty = answer.json()["overgeslagen"]
    assert gone.startswith("polisaangiften.dlq[0]@0: ") and "not on the broker" in gone
    assert empty.startswith("polisaangiften.dlq[0]@1: ") and "nothing to replay" in empty
    [back] = [r for r in await asyncio.to_thread(kafka.read, stack.kafka, POLISAANGIFTEN) if r.value == b'{"n": 1}']
    assert (back.partition, back.key) == (elders, key)


async def test_the_page_names_how_many_the_replay_sends_beyond_the_newest_it_lists(stack):
    letters = [dead_letter("maandinkomens", i) for i in range(150)]
    await asyncio.to_thread(kafka.produce, stack.kafka, "maandinkomens.dlq", letters)
    async with console(stack) as client:
        listed = [d for d in (await client.get("/dode-brieven")).json() if d["topic"] == "maandinkomens.dlq"]
    assert len(listed) == 100 and {d["aantalOpTopic"] for d in listed} == {150}

    process = stack.start_console()
    browser = Browser()
    try:
        browser.open(process.url.removesuffix("/api/v1") + "/")
        browser.js(f"document.getElementById('token').value = {json.dumps(token(Rol.operator))}")
        browser.js("document.getElementById('tokenformulier').requestSubmit()")
        knop = "document.querySelector('button[data-herhaal=\"maandinkomens.dlq\"]')"
        assert browser.wait(f"{knop}?.textContent") == "maandinkomens.dlq: 150 opnieuw aanbieden"
        assert "de nieuwste 100 van 150" in browser.js("document.getElementById('herhaalknoppen').textContent")
    finally:
        browser.close()


async def test_the_operator_leaves_out_dead_letters_that_must_never_be_applied(stack):
    """An old grant on heraanvragen.dlq would open a case: named in `overslaan`, it stays where it is
    (shown on verrekeningen.dlq: another test replays heraanvragen.dlq)."""
    letters = [dead_letter("verrekeningen", 7001), dead_letter("verrekeningen", 7002)]
    await asyncio.to_thread(kafka.produce, stack.kafka, "verrekeningen.dlq", letters)
    async with console(stack) as client:
        shown = [d for d in (await client.get("/dode-brieven")).json() if d["topic"] == "verrekeningen.dlq"]
        [oud] = [d for d in shown if d["bronOffset"] == "7002"]
        positie = f"{oud['partitie']}@{oud['offset']}"
        answer = await client.post(
            "/dode-brieven/verrekeningen.dlq/_herhaal", json={"overslaan": [positie, "0@999999999"]}
        )
        assert answer.status_code == 200, answer.text
        fout = await client.post("/dode-brieven/verrekeningen.dlq/_herhaal", json={"overslaan": ["0-12"]})
        assert fout.status_code == 400, "not partition@offset"
    assert (
        f"verrekeningen.dlq[{positie.replace('@', ']@')}: left out by the operator (--overslaan)"
        in answer.json()["overgeslagen"]
    )
    assert answer.json()["nietGevonden"] == ["verrekeningen.dlq[0]@999999999"], "a position never met is named"
    values = [r.value for r in await asyncio.to_thread(kafka.read, stack.kafka, "verrekeningen")]
    assert b'{"n": 7001}' in values and b'{"n": 7002}' not in values

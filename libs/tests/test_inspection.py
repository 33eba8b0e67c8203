"""What the console reads of a topic's positions: a dead-letter topic's depth is what the replay has
not taken and retention has not deleted (a dead letter older than the topic's retention is gone,
and no longer waits for anyone)."""

from contextlib import asynccontextmanager

from aiokafka import ConsumerRecord, TopicPartition

from schakel.events import load_contract
from schakel.messaging import KafkaConfig, inspection

DLQ = "deelnamestatussen.dlq"


class Positions:
    """A dead-letter topic's partitions: where they begin (retention) and end, and what the replay took."""

    def __init__(self, begin: dict[int, int], end: dict[int, int], taken: dict[int, int | None]) -> None:
        self._begin, self._end, self._taken = begin, end, taken

    async def beginning_offsets(self, tps):
        return {tp: self._begin.get(tp.partition, 0) for tp in tps}

    async def end_offsets(self, tps):
        return {tp: self._end.get(tp.partition, 0) for tp in tps}

    async def committed(self, tp: TopicPartition):
        return self._taken.get(tp.partition)


async def test_dead_letters_retention_deleted_are_not_counted_as_waiting(monkeypatch):
    client = Positions(begin={0: 40}, end={0: 50}, taken={0: 10})  # 30 taken by retention, not replayed

    @asynccontextmanager
    async def reader(kafka, group=None):
        yield client

    monkeypatch.setattr(inspection, "_reader", reader)
    kafka = KafkaConfig(bootstrap="localhost:9092", client_id="test")
    assert await inspection.unreplayed(kafka, load_contract(), [DLQ]) == {DLQ: 10}
    client._taken = {0: None}  # never replayed
    assert await inspection.unreplayed(kafka, load_contract(), [DLQ]) == {DLQ: 10}


class OneRecord(Positions):
    """A dead-letter topic of one partition holding one record."""

    def __init__(self, record) -> None:
        super().__init__(begin={0: 0}, end={0: 1}, taken={0: None})
        self._record, self._at = record, 0

    def assign(self, tps):
        pass

    def seek(self, tp, offset):
        self._at = offset

    async def getmany(self, timeout_ms):
        self._at = 1
        return {TopicPartition(DLQ, 0): [self._record]}

    async def position(self, tp):
        return self._at


async def test_a_header_is_read_at_most_a_kibibyte_long_whatever_the_sender_put_there(monkeypatch):
    record = ConsumerRecord(
        DLQ, 0, 0, 1_700_000_000_000, 0, None, b"", 0, 0, 0,
        [("ce_type", b"x" * 1_000_000), ("ce_id", b"a" + "é".encode() * 600), ("dlq-reden", b"onverwerkbaar")],
    )  # fmt: skip

    @asynccontextmanager
    async def reader(kafka, group=None):
        yield OneRecord(record)

    monkeypatch.setattr(inspection, "_reader", reader)
    kafka = KafkaConfig(bootstrap="localhost:9092", client_id="test")
    [found] = await inspection.dead_letters(kafka, DLQ, 1)
    assert found.headers["ce_type"] == "x" * 1024
    assert found.headers["ce_id"] == "a" + "é" * 511 + "\ufffd", "a character cut in two is a replacement character"
    assert found.headers["dlq-reden"] == "onverwerkbaar"

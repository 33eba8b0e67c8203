"""What the console reads of a topic's positions: a dead-letter topic's depth is what the replay has
not taken and retention has not deleted (a dead letter older than the topic's retention is gone,
and no longer waits for anyone). A record aiokafka cannot read is listed as such, and the others
are read around it."""

from contextlib import asynccontextmanager

import pytest
from aiokafka import ConsumerRecord, TopicPartition
from aiokafka.errors import CorruptRecordException

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


async def test_where_a_group_stands_per_partition_as_the_broker_has_it(monkeypatch):
    # partition 0: committed 7 of 10; partition 1: never committed, retention took its first 3 of 5
    client = Positions(begin={0: 0, 1: 3}, end={0: 10, 1: 5}, taken={0: 7, 1: None})

    @asynccontextmanager
    async def reader(kafka, group=None):
        yield client

    monkeypatch.setattr(inspection, "_reader", reader)
    kafka = KafkaConfig(bootstrap="localhost:9092", client_id="test")
    stand = await inspection.stand(kafka, "schakel-decisions", {"maandinkomens": 2})
    assert stand == {
        TopicPartition("maandinkomens", 0): inspection.Stand(committed=7, end=10),
        TopicPartition("maandinkomens", 1): inspection.Stand(committed=3, end=5),
    }
    assert await inspection.lag(kafka, "schakel-decisions", {"maandinkomens": 2}) == {"maandinkomens": 3 + 2}


class OneRecord(Positions):
    """A dead-letter topic of one partition holding one record."""

    def __init__(self, record) -> None:
        super().__init__(begin={0: 0}, end={0: 1}, taken={0: None})
        self._record, self._at = record, 0

    def assign(self, tps):
        pass

    def seek(self, tp, offset):
        self._at = offset

    async def getmany(self, *tps, timeout_ms, max_records=None):
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


class Partitions(Positions):
    """A topic's partitions as aiokafka reads them: a fetch of several partitions fails as a whole on
    one record it cannot parse (what it took of the partitions before is lost, their positions moved
    on), a fetch of one partition fails when its next record is that one."""

    def __init__(self, topic: str, records: dict[int, list], unreadable: dict[int, set[int]], error: Exception):
        super().__init__(begin={}, end={p: len(rs) for p, rs in records.items()}, taken={})
        self._topic, self._records, self._unreadable, self._error = topic, records, unreadable, error
        self._at: dict[int, int] = {}

    def assign(self, tps):
        pass

    def seek(self, tp, offset):
        self._at[tp.partition] = offset

    async def position(self, tp):
        return self._at[tp.partition]

    async def getmany(self, *tps, timeout_ms, max_records=None):
        batch = {}
        for p in [tp.partition for tp in tps] or sorted(self._at):
            rs = self._records[p][self._at[p] :][:max_records]
            if any(r.offset in self._unreadable.get(p, set()) for r in rs):
                raise self._error
            self._at[p] += len(rs)
            if rs:
                batch[TopicPartition(self._topic, p)] = rs
        return batch


def record(topic: str, partition: int, offset: int, when: int, ce_type: str = "nl.x"):
    return ConsumerRecord(topic, partition, offset, when, 0, None, b"", 0, 0, 0, [("ce_type", ce_type.encode())])


@pytest.mark.parametrize("error", [UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid"), CorruptRecordException()])
async def test_a_record_that_cannot_be_read_is_listed_as_unreadable_and_the_others_are_read(monkeypatch, error):
    """A header name that is not UTF-8 (any client but aiokafka may write one), a checksum that fails."""
    records = {
        0: [record(DLQ, 0, i, 1_700_000_000_000 + i) for i in range(4)],
        1: [record(DLQ, 1, i, 1_700_000_001_000 + i) for i in range(3)],
    }
    client = Partitions(DLQ, records, {1: {0, 2}}, error)

    @asynccontextmanager
    async def reader(kafka, group=None):
        yield client

    monkeypatch.setattr(inspection, "_reader", reader)
    kafka = KafkaConfig(bootstrap="localhost:9092", client_id="test")
    found = await inspection.dead_letters(kafka, DLQ, 2)
    assert [(r.partition, r.offset, r.unreadable) for r in found] == [
        (1, 1, False), (0, 3, False), (0, 2, False), (0, 1, False), (0, 0, False), (1, 2, True), (1, 0, True)
    ], "newest first, those of unknown time last; partition 0's records, lost with the failed fetch, read again"  # fmt: skip
    assert [r.headers for r in found if r.unreadable] == [{}, {}]

    records[0].append(record(DLQ, 0, 4, 1_600_000_000_000))  # partition 0's newest is readable, if old
    client._end = {0: 5, 1: 3}
    newest = await inspection.latest(kafka, {DLQ: 2})
    assert (newest[DLQ].partition, newest[DLQ].offset) == (0, 4), "a record of known time before one of none"
    client._end = {0: 0, 1: 3}
    unread = (await inspection.latest(kafka, {DLQ: 2}))[DLQ]
    assert (unread.partition, unread.offset, unread.produced) == (1, 2, None)


async def test_readers_kept_open_serve_the_next_look_and_one_that_failed_is_closed(monkeypatch):
    started, closed = [], []

    async def start(kafka, group):
        started.append(group)
        return Positions(begin={0: 0}, end={0: 4}, taken={0: len(started)})

    async def close(client):
        closed.append(client)

    monkeypatch.setattr(inspection, "_started", start)
    monkeypatch.setattr(inspection, "close", close)
    readers = inspection.Readers(KafkaConfig(bootstrap="localhost:9092", client_id="test"))
    for _ in range(3):
        assert await inspection.lag(readers, "schakel-decisions", {"maandinkomens": 1}) == {"maandinkomens": 3}
    assert started == ["schakel-decisions"] and closed == [], "one reader, kept open between looks"

    async with readers.reader("schakel-decisions") as first, readers.reader("schakel-decisions") as second:
        assert first is not second  # two looks at once each have their own
    assert started == ["schakel-decisions"] * 2 and closed == [first], "one of the two is kept"

    with pytest.raises(TimeoutError):
        async with readers.reader("schakel-decisions") as failing:
            raise TimeoutError
    assert failing is second and closed == [first, second], "a reader that met an error is not kept"
    assert await inspection.lag(readers, "schakel-decisions", {"maandinkomens": 1}) == {"maandinkomens": 1}
    await readers.close()
    assert len(started) == 3 and len(closed) == 3, "the new one is closed at the end"


async def test_a_look_under_way_when_the_readers_close_closes_its_reader_when_it_ends(monkeypatch):
    closed = []

    async def start(kafka, group):
        return Positions(begin={0: 0}, end={0: 4}, taken={0: 0})

    async def close(client):
        closed.append(client)

    monkeypatch.setattr(inspection, "_started", start)
    monkeypatch.setattr(inspection, "close", close)
    readers = inspection.Readers(KafkaConfig(bootstrap="localhost:9092", client_id="test"))
    async with readers.reader("schakel-decisions") as client:
        await readers.close()  # the service stops while a measurement reads
    assert closed == [client], "not kept after the close, where nothing would close it"

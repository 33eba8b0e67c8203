"""What the console reads of a topic's positions: a dead-letter topic's depth is what the replay has
not taken and retention has not deleted (a dead letter older than the topic's retention is gone,
and no longer waits for anyone)."""

from contextlib import asynccontextmanager

from aiokafka import TopicPartition

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

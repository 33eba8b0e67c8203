"""The lag an instance reports is of the partitions it holds: after a rebalance the partitions another
instance took over leave its metrics, or their last lag would stand for ever (a phantom backlog on the
dashboard, and its alert, after every scale-out or restart). A partition it has not committed on yet
shows where the group stands, from the first fetch on."""

import asyncio

from aiokafka import TopicPartition
from aiokafka.errors import KafkaTimeoutError
from prometheus_client import REGISTRY

from schakel.errors import Unavailable
from schakel.events import load_contract
from schakel.messaging import KafkaConfig
from schakel.messaging.consumer import ConsumerRunner
from schakel.persistence import Database

GROUP, TOPIC = "schakel-lagtest", "maandinkomens"


class Holding:
    """A consumer as the runner measures it: the partitions it holds now and their high-water marks."""

    def __init__(
        self, *partitions: int, committed: dict[int, int] | None = None, fetched: bool = True, fails: bool = False
    ) -> None:
        self.partitions = {TopicPartition(TOPIC, p) for p in partitions}
        self.group_committed = committed or {}  # the group's committed offsets at the broker
        self.fetched = fetched  # a fetch told the high-water marks
        self.fails = fails
        self.taken_while_asked: set[TopicPartition] = set()  # a rebalance that ends during the lookup

    async def committed(self, tp: TopicPartition) -> int | None:
        if self.fails:
            raise KafkaTimeoutError()
        self.partitions = self.partitions - self.taken_while_asked
        return self.group_committed.get(tp.partition)

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {tp: 100 for tp in partitions}

    async def beginning_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {tp: 10 for tp in partitions}  # what retention left

    def assignment(self) -> set[TopicPartition]:
        return self.partitions

    def highwater(self, tp: TopicPartition) -> int | None:
        assert tp in self.partitions, "Partition is not assigned"  # as aiokafka asserts
        return 100 if self.fetched else None


def lag(partition: int, group: str = GROUP) -> float | None:
    labels = {
        "messaging_consumer_group_name": group,
        "messaging_destination_name": TOPIC,
        "messaging_destination_partition_id": str(partition),
    }
    return REGISTRY.get_sample_value("messaging_kafka_consumer_lag", labels)


def runner(group: str = GROUP) -> ConsumerRunner:
    return ConsumerRunner(
        db=Database("sqlite+aiosqlite:///:memory:"),
        kafka=KafkaConfig(bootstrap="localhost:9092", client_id="lagtest"),
        contract=load_contract(),
        group_id=group,
        handlers={},
        topics=[TOPIC],
    )


async def test_a_partition_taken_over_by_another_instance_leaves_this_ones_lag():
    instance, consumer = runner(), Holding(0, 1)
    instance._committed = {TopicPartition(TOPIC, 0): 40, TopicPartition(TOPIC, 1): 70}
    await instance._measure_lag(consumer, {})
    assert (lag(0), lag(1)) == (60, 30)

    consumer.partitions = {TopicPartition(TOPIC, 0)}  # partition 1 went to another instance
    await instance._measure_lag(consumer, {})
    assert (lag(0), lag(1)) == (60, None)


async def test_before_its_first_commit_an_instance_reports_the_groups_lag_a_new_group_from_the_beginning():
    """An instance started on a backlog whose first batch waits (the database away) commits nothing for
    as long: the backlog shows all the same."""
    instance = runner()
    await instance._measure_lag(Holding(0, 1, committed={0: 25}, fetched=False), {})
    assert (lag(0), lag(1)) == (75, 90)


async def test_a_lag_lookup_that_fails_or_meets_a_rebalance_leaves_the_batch_alone():
    """Only a metric: a broker that does not answer, or a partition taken over while it was asked,
    neither fails the consumer (a restart and a rejoin that rebalance the whole group again)."""
    group = "schakel-lagtest-lookup"
    instance, consumer = runner(group), Holding(0, 1, fails=True)
    await instance._measure_lag(consumer, {})
    assert (lag(0, group), lag(1, group)) == (None, None), "measured once the broker answers"
    consumer.fails = False
    consumer.taken_while_asked = {TopicPartition(TOPIC, 1)}
    await instance._measure_lag(consumer, {})
    assert lag(0, group) == 90
    await instance._measure_lag(consumer, {})
    assert lag(1, group) is None, "another instance's to report"


class Past(Holding):
    """A consumer whose fetches moved it past what it committed without handing records out."""

    def __init__(self, positions: dict[int, int]) -> None:
        super().__init__(*positions)
        self.positions, self.commits = positions, []

    async def position(self, tp: TopicPartition) -> int:
        return self.positions[tp.partition]

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append({tp.partition: offset for tp, offset in offsets.items()})


async def test_a_consumer_with_nothing_to_apply_commits_past_markers_and_aborted_records():
    """A transaction's commit marker (or an aborted transaction's records) is never handed out: the
    group would stand behind it for ever, and look like one that stopped."""
    instance, consumer = runner(), Past({0: 41, 1: 70, 2: 5})
    instance._committed = {TopicPartition(TOPIC, 0): 40, TopicPartition(TOPIC, 1): 70}  # 2: not measured yet
    await instance._commit_past_markers(consumer)
    assert consumer.commits == [{0: 41}]
    assert instance._committed[TopicPartition(TOPIC, 0)] == 41
    await instance._commit_past_markers(consumer)
    assert consumer.commits == [{0: 41}], "once"


class Silent(Holding):
    """A broker that takes the ask for the partitions' ends and does not answer (away, or under load)."""

    def __init__(self, *partitions: int, stop: asyncio.Event) -> None:
        super().__init__(*partitions)
        self.stop = stop

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        self.stop.set()  # the service stops while the broker is asked
        await asyncio.Event().wait()
        raise AssertionError("never answers")


async def test_a_stop_while_a_waiting_batch_asks_the_broker_for_the_lag_is_not_held_up_by_it():
    """The wait it replaces ends at a stop; the ask is bounded by the wait a source told (here 20 s)
    or the broker's timeout, which a stop must not sit out."""
    stop = asyncio.Event()
    instance = runner("schakel-lagtest-stop")
    instance._reader = Silent(0, stop=stop)
    instance._committed = {TopicPartition(TOPIC, 0): 40}
    async with asyncio.timeout(5):  # a quarter of what the ask may take; it ends at once
        assert not await instance._wait_out(Unavailable("wacht", retry_after=60), 1, stop)

"""The lag an instance reports is of the partitions it holds: after a rebalance the partitions another
instance took over leave its metrics, or their last lag would stand for ever (a phantom backlog on the
dashboard, and its alert, after every scale-out or restart). A partition it has not committed on yet
shows where the group stands, from the first fetch on."""

from aiokafka import TopicPartition
from prometheus_client import REGISTRY

from schakel.events import load_contract
from schakel.messaging import KafkaConfig
from schakel.messaging.consumer import ConsumerRunner
from schakel.persistence import Database

GROUP, TOPIC = "schakel-lagtest", "maandinkomens"


class Holding:
    """A consumer as the runner measures it: the partitions it holds now and their high-water marks."""

    def __init__(self, *partitions: int, committed: dict[int, int] | None = None) -> None:
        self.partitions = {TopicPartition(TOPIC, p) for p in partitions}
        self.group_committed = committed or {}  # the group's committed offsets at the broker

    async def committed(self, tp: TopicPartition) -> int | None:
        return self.group_committed.get(tp.partition)

    async def beginning_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        return {tp: 10 for tp in partitions}  # what retention left

    def assignment(self) -> set[TopicPartition]:
        return self.partitions

    def highwater(self, tp: TopicPartition) -> int | None:
        return 100


def lag(partition: int) -> float | None:
    labels = {
        "messaging_consumer_group_name": GROUP,
        "messaging_destination_name": TOPIC,
        "messaging_destination_partition_id": str(partition),
    }
    return REGISTRY.get_sample_value("messaging_kafka_consumer_lag", labels)


def runner() -> ConsumerRunner:
    return ConsumerRunner(
        db=Database("sqlite+aiosqlite:///:memory:"),
        kafka=KafkaConfig(bootstrap="localhost:9092", client_id="lagtest"),
        contract=load_contract(),
        group_id=GROUP,
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
    await instance._measure_lag(Holding(0, 1, committed={0: 25}), {})
    assert (lag(0), lag(1)) == (75, 90)

"""Broker access with the settings Schakel needs, and a timeout around every broker call
(aiokafka can hang while the broker is away)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.structs import TopicPartition

from schakel.events import Contract
from schakel.messaging.errors import BrokerUnavailable

T = TypeVar("T")
# how long a topic keeps records (dead-letter topics too). Kafka deletes whole segments, so a record
# lives at most retention + one segment: 8 days. The inbox remembers applied ids for longer.
TOPIC_RETENTION = timedelta(days=7)
TOPIC_SEGMENT = timedelta(days=1)


@dataclass(frozen=True)
class KafkaConfig:
    bootstrap: str
    client_id: str
    timeout: float = 30.0


# aiokafka has no type hints: what Schakel uses of its clients, typed here
class Record(Protocol):
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes | None]]
    timestamp: int  # milliseconds since the epoch, when it was produced


class Client(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Producer(Client, Protocol):
    async def send(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        headers: Sequence[tuple[str, bytes | None]] | None = None,
    ) -> Awaitable[object]:
        """Queues the record; the awaitable it returns completes when the broker has it."""
        ...


class Consumer(Client, Protocol):
    async def getmany(
        self, *, timeout_ms: int, max_records: int | None = None
    ) -> dict[TopicPartition, list[Record]]: ...

    def assignment(self) -> set[TopicPartition]: ...

    def highwater(self, partition: TopicPartition) -> int | None: ...

    async def commit(self, offsets: dict[TopicPartition, int]) -> None: ...

    # reading positions and chosen records (schakel.messaging.inspection)
    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]: ...

    async def beginning_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]: ...

    async def committed(self, partition: TopicPartition) -> int | None: ...

    async def position(self, partition: TopicPartition) -> int: ...

    def assign(self, partitions: list[TopicPartition]) -> None: ...

    def seek(self, partition: TopicPartition, offset: int) -> None: ...


async def bounded(call: Awaitable[T], timeout: float, what: str) -> T:
    try:
        return await asyncio.wait_for(call, timeout)
    except (TimeoutError, KafkaError, OSError) as exc:
        raise BrokerUnavailable(f"{what}: {exc.__class__.__name__} {exc}") from exc


def producer(config: KafkaConfig) -> Producer:
    # aiokafka defaults are acks=1 without idempotence; Schakel needs no loss and no doubles
    client: Producer = AIOKafkaProducer(
        bootstrap_servers=config.bootstrap,
        client_id=config.client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=int(config.timeout * 1000),
    )
    return client


def consumer(config: KafkaConfig, group_id: str | None, topics: list[str]) -> Consumer:
    client: Consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=config.bootstrap,
        client_id=config.client_id,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_records=1000,
        request_timeout_ms=int(config.timeout * 1000),
    )
    return client


async def create_topics(config: KafkaConfig, contract: Contract, replication: int = 1) -> list[str]:
    """Creates every topic the contract declares (dead-letter topics included); existing ones
    are left as they are. Returns the names it created."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=config.bootstrap, client_id=config.client_id, request_timeout_ms=int(config.timeout * 1000)
    )
    await bounded(admin.start(), config.timeout, "admin start")
    try:
        existing = set(await bounded(admin.list_topics(), config.timeout, "list topics"))
        retention = {
            "retention.ms": str(int(TOPIC_RETENTION.total_seconds() * 1000)),
            "segment.ms": str(int(TOPIC_SEGMENT.total_seconds() * 1000)),
        }
        wanted = [
            NewTopic(t.name, t.partitions, replication, topic_configs=retention)
            for t in contract.topics.values()
            if t.name not in existing
        ]
        if wanted:
            try:
                await bounded(admin.create_topics(wanted), config.timeout, "create topics")
            except BrokerUnavailable as exc:
                if not isinstance(exc.__cause__, TopicAlreadyExistsError):
                    raise
        return [t.name for t in wanted]
    finally:
        await asyncio.wait_for(admin.close(), config.timeout)

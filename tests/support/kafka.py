"""Direct broker access for tests: produce raw records, read a whole topic."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from schakel.events import Event, encode, load_contract
from schakel.messaging import KafkaConfig


def produce(kafka: KafkaConfig, topic: str, records: list[tuple[bytes, bytes, list]]) -> None:
    async def run():
        producer = AIOKafkaProducer(**kafka.connection(), acks="all", enable_idempotence=True)
        await producer.start()
        try:
            for key, value, headers in records:
                await producer.send_and_wait(topic, value=value, key=key, headers=headers)
        finally:
            await producer.stop()

    asyncio.run(run())


def produce_events(kafka: KafkaConfig, topic: str, events: list[Event]) -> None:
    produce(kafka, topic, [encode(e) for e in events])


def read(kafka: KafkaConfig, topic: str, key: str | None = None) -> list:
    """Every record now on the topic (optionally only one key), oldest first per partition."""

    async def run():
        consumer = AIOKafkaConsumer(**kafka.connection(), enable_auto_commit=False)
        await consumer.start()
        try:
            partitions = [TopicPartition(topic, p) for p in range(load_contract().topic(topic).partitions)]
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            end = await consumer.end_offsets(partitions)
            records = []
            while [tp for tp in partitions if await consumer.position(tp) < end[tp]]:
                for batch in (await consumer.getmany(timeout_ms=500)).values():
                    records.extend(batch)
            return records
        finally:
            await consumer.stop()

    records = asyncio.run(run())
    return [r for r in records if key is None or r.key == key.encode()]

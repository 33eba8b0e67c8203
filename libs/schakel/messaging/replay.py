"""Replays a dead-letter topic after a fix: every record goes back, unchanged, to the topic it
came from (its `dlq-bron-topic` header), and the replay's own offsets are committed only after
the broker acknowledged the republished records. Consumers that already applied an event skip
it through their inbox, so a replay can be repeated safely.

    python -m schakel.messaging.replay uitkeringen.dlq --config operator.properties

`--config` is a librdkafka-style client configuration of the operator principal (the only one that
reads dead-letter topics); without it the SCHAKEL_KAFKA_* settings apply.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from schakel.messaging.acls import REPLAY_GROUP
from schakel.messaging.consumer import DLQ_PREFIX
from schakel.messaging.kafka import KafkaConfig, bounded, consumer, producer
from schakel.runtime.settings import PlatformSettings


async def replay(kafka: KafkaConfig, dlq_topic: str, idle_seconds: float = 2.0) -> int:
    """Republishes what the dead-letter topic holds beyond the replay group's committed offset;
    returns how many records it replayed."""
    source = consumer(kafka, REPLAY_GROUP, [dlq_topic])
    target = producer(kafka)
    await bounded(source.start(), kafka.timeout, "consumer start")
    await bounded(target.start(), kafka.timeout, "producer start")
    replayed = 0
    try:
        while True:
            batch = await bounded(source.getmany(timeout_ms=int(idle_seconds * 1000)), kafka.timeout, "getmany")
            if not batch:
                return replayed
            deliveries = []
            for records in batch.values():
                for r in records:
                    topic = (dict(r.headers).get("dlq-bron-topic") or b"").decode(errors="replace")
                    if not topic:
                        print(f"skipped {r.topic}[{r.partition}]@{r.offset}: no dlq-bron-topic header")
                        continue
                    original = [h for h in r.headers if not h[0].startswith(DLQ_PREFIX)]
                    deliveries.append(
                        await bounded(
                            target.send(topic, value=r.value, key=r.key, headers=original), kafka.timeout, "send"
                        )
                    )
            await bounded(asyncio.gather(*deliveries), kafka.timeout, "delivery")
            await bounded(source.commit({tp: rs[-1].offset + 1 for tp, rs in batch.items()}), kafka.timeout, "commit")
            replayed += len(deliveries)
    finally:
        await asyncio.wait_for(source.stop(), kafka.timeout)
        await asyncio.wait_for(target.stop(), kafka.timeout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dlq_topic")
    parser.add_argument("--config", type=Path, help="librdkafka-style client properties (make run writes one)")
    args = parser.parse_args()
    kafka = (
        KafkaConfig.from_properties(args.config.read_text(), REPLAY_GROUP)
        if args.config
        else PlatformSettings().kafka(REPLAY_GROUP)  # type: ignore[call-arg]  # its fields come from the environment
    )
    count = asyncio.run(replay(kafka, args.dlq_topic))
    print(f"replayed {count} record(s) from {args.dlq_topic}")


if __name__ == "__main__":
    main()

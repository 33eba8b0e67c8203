"""Replays a dead-letter topic after a fix: every record goes back, unchanged, to the topic it
came from (its `dlq-bron-topic` header, when the contract sends that topic's dead letters to the
dead-letter topic replayed), and the replay's own offsets are committed only after
the broker acknowledged the republished records. Consumers that already applied an event skip
it through their inbox, so a replay can be repeated safely.

    python -m schakel.messaging.replay uitkeringen.dlq --config operator.properties

`--config` is a librdkafka-style client configuration of the operator principal (the only one that
reads dead-letter topics); without it the SCHAKEL_KAFKA_* settings apply.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from aiokafka.structs import TopicPartition

from schakel.events import Contract, load_contract
from schakel.messaging.acls import REPLAY_GROUP
from schakel.messaging.consumer import DLQ_PREFIX
from schakel.messaging.kafka import KafkaConfig, bounded, close, consumer, producer
from schakel.runtime.settings import PlatformSettings

log = logging.getLogger(__name__)


def destination(contract: Contract, dlq_topic: str, headers: dict[str, bytes | None]) -> tuple[str | None, str | None]:
    """The topic a dead letter goes back to, or None and why it stays."""
    topic = (headers.get("dlq-bron-topic") or b"").decode(errors="replace")
    if not topic:
        return None, "no dlq-bron-topic"
    try:
        dlq = contract.topic(topic).dlq
    except KeyError:
        dlq = None
    if dlq != dlq_topic:
        # whoever may write a dead-letter topic chose the header: taken as it is, the operator's replay
        # would write where it points, on another organisation's topic too
        return None, f"its dlq-bron-topic is no topic whose dead letters go to {dlq_topic}"
    if "dlq-waarde-weggelaten" in headers:
        # one without its value (too large to send on) would go back empty, fail again as such, and
        # its new dead letter would point at the empty copy, not where it stays
        return None, "its value was left out; it stays where dlq-bron-* say"
    return topic, None


@dataclass(frozen=True)
class Outcome:
    """How many records went back, and the ones left where they are (`topic[partition]@offset: why`):
    the replay moves past those too, so it names them for the operator to follow."""

    replayed: int
    skipped: list[str]


async def replay(
    kafka: KafkaConfig, dlq_topic: str, idle_seconds: float = 2.0, contract: Contract | None = None
) -> Outcome:
    """Republishes what the dead-letter topic holds beyond the replay group's committed offset, up to
    its end when the replay began: a record that fails again comes back behind that end and waits
    for the next replay, so a replay always ends."""
    contract = contract or load_contract()
    source = consumer(kafka, REPLAY_GROUP, [dlq_topic])
    target = producer(kafka)
    await bounded(source.start(), kafka.timeout, "consumer start")
    await bounded(target.start(), kafka.timeout, "producer start")
    replayed, skipped, ends = 0, list[str](), dict[TopicPartition, int]()
    try:
        while True:
            batch = await bounded(source.getmany(timeout_ms=int(idle_seconds * 1000)), kafka.timeout, "getmany")
            for tp in source.assignment() - ends.keys():  # before anything of this replay came back
                ends |= await bounded(source.end_offsets([tp]), kafka.timeout, "end offsets")
            taken = {tp: [r for r in rs if r.offset < ends[tp]] for tp, rs in batch.items()}
            deliveries = []
            for r in (r for rs in taken.values() for r in rs):
                topic, why = destination(contract, dlq_topic, dict(r.headers))
                if topic is None:
                    skipped.append(f"{r.topic}[{r.partition}]@{r.offset}: {why}")
                    log.warning("replay skipped %s", skipped[-1])  # the replay moves past it: where it is, on record
                    continue
                original = [h for h in r.headers if not h[0].startswith(DLQ_PREFIX)]
                deliveries.append(
                    await bounded(target.send(topic, value=r.value, key=r.key, headers=original), kafka.timeout, "send")
                )
            await bounded(asyncio.gather(*deliveries), kafka.timeout, "delivery")
            done = {tp: rs[-1].offset + 1 for tp, rs in taken.items() if rs}
            if done:
                await bounded(source.commit(done), kafka.timeout, "commit")
            replayed += len(deliveries)
            positions = [await bounded(source.position(tp), kafka.timeout, "position") for tp in ends]
            if not batch or all(at >= ends[tp] for tp, at in zip(ends, positions, strict=True)):
                return Outcome(replayed, skipped)
    finally:  # what was replayed is committed: the consumer's close cannot change the answer
        await close(source)
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
    outcome = asyncio.run(replay(kafka, args.dlq_topic))
    for record in outcome.skipped:
        print(f"skipped {record}")
    print(f"replayed {outcome.replayed} record(s) from {args.dlq_topic}, skipped {len(outcome.skipped)}")


if __name__ == "__main__":
    main()

"""Replays a dead-letter topic after a fix: every record goes back, unchanged, to the topic it
came from (its `dlq-bron-topic` header, when the contract sends that topic's dead letters to the
dead-letter topic replayed) and to its partition there (`dlq-bron-partitie`, when the topic has
it), and the replay's own offsets are committed only after the broker acknowledged the
republished records. Consumers that already applied an event skip it through their inbox, so a
replay can be repeated safely.

    python -m schakel.messaging.replay uitkeringen.dlq --config operator.properties [--overslaan 0@12,3@7]

`--config` is a librdkafka-style client configuration of the operator principal (the only one that
reads dead-letter topics); without it the SCHAKEL_KAFKA_* settings apply. `--overslaan` names dead
letters (partition@offset on the dead-letter topic) the replay moves past without sending back: ones
the operator judged must not be applied (they stay on the topic, and on the replay's list).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from aiokafka.errors import TopicAuthorizationFailedError, UnknownTopicOrPartitionError
from aiokafka.structs import TopicPartition

from schakel.events import Contract, load_contract
from schakel.messaging.acls import REPLAY_GROUP
from schakel.messaging.consumer import DLQ_PREFIX
from schakel.messaging.kafka import (
    UNREADABLE,
    KafkaConfig,
    Producer,
    Record,
    Unreadable,
    bounded,
    close,
    committed_or_beginning,
    consumer,
    producer,
    read_each_around,
    stop_quietly,
    within,
)
from schakel.runtime.settings import PlatformSettings

log = logging.getLogger(__name__)
# what a dead letter's own topic may answer while the broker is fine: the topic is gone (a provider no
# longer contracted) or not the replaying principal's to write. That record stays, named; the others go
# back. Any other failure is the broker's: the replay stops and commits nothing it has not sent.
REFUSED = (TopicAuthorizationFailedError, UnknownTopicOrPartitionError)


def destination(contract: Contract, dlq_topic: str, record: Record, present: set[str]) -> tuple[str | None, str]:
    """The topic a dead letter goes back to, or None and why it stays (of the topics `present` on the
    broker as the principal sees them: one gone, or not its own, is not waited for)."""
    headers = dict(record.headers)
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
    if record.value is None or (headers.get("dlq-reden") or b"").startswith(b"onleesbaar-record"):
        # the dead letter of a record that could not be read holds nothing of it: sent back, it would be
        # an empty record on the topic, and its next dead letter would not say where the original stays
        return None, "the record could not be read: nothing to replay; it stays where dlq-bron-* say"
    if topic not in present:
        return None, "its dlq-bron-topic is not on the broker (or not the replay's to write)"
    return topic, ""


async def _send(target: Producer, topic: str, record: Record) -> Awaitable[object]:
    """Queues the record on its topic, on the partition it came from when the topic has that one: the
    key's other records are there, whatever partitioner their producer used (the key's order holds)."""
    source = (dict(record.headers).get("dlq-bron-partitie") or b"").decode(errors="replace")
    partition = int(source) if source.isascii() and source.isdigit() else None
    if partition not in await target.partitions_for(topic):
        partition = None
    original = [h for h in record.headers if not h[0].startswith(DLQ_PREFIX)]
    return await target.send(topic, value=record.value, key=record.key, headers=original, partition=partition)


@dataclass(frozen=True)
class Outcome:
    """How many records went back, and the ones left where they are (`topic[partition]@offset: why`):
    the replay moves past those too, so it names them for the operator to follow."""

    replayed: int
    skipped: list[str]
    # positions named to leave out that the replay never met (a typo, or already past): whatever the
    # operator meant to leave out may have been sent back, so they are named as well
    not_met: list[str] = field(default_factory=list)


async def replay(
    kafka: KafkaConfig,
    dlq_topic: str,
    idle_seconds: float = 2.0,
    contract: Contract | None = None,
    overslaan: frozenset[tuple[int, int]] = frozenset(),
) -> Outcome:
    """Republishes what the dead-letter topic holds beyond the replay group's committed offset, up to
    its end when the replay began: a record that fails again comes back behind that end and waits
    for the next replay, so a replay always ends. The dead letters `overslaan` names ((partition,
    offset)) are moved past, named, not sent back."""
    contract = contract or load_contract()
    source = consumer(kafka, REPLAY_GROUP, [dlq_topic])
    target = producer(kafka)
    await bounded(source.start(), kafka.timeout, "consumer start")
    await bounded(target.start(), kafka.timeout, "producer start")
    replayed, skipped, ends, met = 0, list[str](), dict[TopicPartition, int](), set[tuple[int, int]]()

    def skip(r: Record, why: str) -> None:
        skipped.append(f"{r.topic}[{r.partition}]@{r.offset}: {why}")
        log.warning("replay skipped %s", skipped[-1])  # the replay moves past it: where it is, on record

    try:
        present = await bounded(source.topics(), kafka.timeout, "topics")
        while True:
            try:
                batch = await bounded(source.getmany(timeout_ms=int(idle_seconds * 1000)), kafka.timeout, "getmany")
            except UNREADABLE:  # a dead letter that cannot be read fails the whole fetch, every time: read
                # around it from where the replay stands; it stands in the batch as unreadable, named, moved past
                batch = await read_each_around(
                    source, kafka.timeout, 500, partial(committed_or_beginning, source, kafka.timeout)
                )
            for tp in source.assignment() - ends.keys():  # before anything of this replay came back
                ends |= await bounded(source.end_offsets([tp]), kafka.timeout, "end offsets")
            taken = {tp: [r for r in rs if r.offset < ends[tp]] for tp, rs in batch.items()}
            deliveries: list[tuple[Record, Awaitable[object]]] = []
            for r in (r for rs in taken.values() for r in rs):
                if isinstance(r, Unreadable):
                    skip(r, "the dead letter itself cannot be read; it stays on the topic")
                    continue
                if (r.partition, r.offset) in overslaan:
                    met.add((r.partition, r.offset))
                    skip(r, "left out by the operator (--overslaan)")
                    continue
                topic, why = destination(contract, dlq_topic, r, present)
                if topic is None:
                    skip(r, why)
                    continue
                async with within(kafka.timeout, "send"):
                    try:
                        deliveries.append((r, await _send(target, topic, r)))
                    except REFUSED as exc:
                        skip(r, f"its topic refused it ({exc.__class__.__name__})")
            async with within(kafka.timeout, "delivery"):
                acknowledged = await asyncio.gather(*(d for _, d in deliveries), return_exceptions=True)
                for (r, _), result in zip(deliveries, acknowledged, strict=True):
                    if isinstance(result, REFUSED):
                        skip(r, f"its topic refused it ({result.__class__.__name__})")
                    elif isinstance(result, BaseException):
                        raise result
            done = {tp: rs[-1].offset + 1 for tp, rs in taken.items() if rs}
            if done:
                await bounded(source.commit(done), kafka.timeout, "commit")
            replayed += sum(not isinstance(result, BaseException) for result in acknowledged)
            positions = [await bounded(source.position(tp), kafka.timeout, "position") for tp in ends]
            if not batch or all(at >= ends[tp] for tp, at in zip(ends, positions, strict=True)):
                not_met = [f"{dlq_topic}[{p}]@{o}" for p, o in sorted(overslaan - met)]
                for position in not_met:
                    log.warning("replay never met %s, named to leave out", position)
                return Outcome(replayed, skipped, not_met)
    finally:  # what was replayed is committed: the consumer's close cannot change the answer
        await close(source)
        # a stop that times out must not replace the failure that ended the replay (BrokerUnavailable)
        await stop_quietly(target, kafka.timeout)


def posities(text: str) -> frozenset[tuple[int, int]]:
    """`0@12,3@7` as {(0, 12), (3, 7)}: dead letters by partition and offset (the replay's own notation)."""
    try:
        gelezen = frozenset(
            (int(partitie), int(offset))
            for partitie, _, offset in (p.strip().partition("@") for p in text.split(",") if p.strip())
        )
    except ValueError:
        raise argparse.ArgumentTypeError(f"not partition@offset, comma-separated: {text!r}") from None
    if any(partitie < 0 or offset < 0 for partitie, offset in gelezen):  # one that could never be met
        raise argparse.ArgumentTypeError(f"a partition or offset below 0: {text!r}")
    return gelezen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dlq_topic")
    parser.add_argument("--config", type=Path, help="librdkafka-style client properties (make run writes one)")
    parser.add_argument(
        "--overslaan",
        type=posities,
        default=frozenset(),
        help="dead letters to move past without sending them back: partition@offset, comma-separated",
    )
    args = parser.parse_args()
    kafka = (
        KafkaConfig.from_properties(args.config.read_text(), REPLAY_GROUP)
        if args.config
        else PlatformSettings().kafka(REPLAY_GROUP)  # type: ignore[call-arg]  # its fields come from the environment
    )
    outcome = asyncio.run(replay(kafka, args.dlq_topic, overslaan=args.overslaan))
    for record in outcome.skipped:
        print(f"skipped {record}")
    print(f"replayed {outcome.replayed} record(s) from {args.dlq_topic}, skipped {len(outcome.skipped)}")
    for position in outcome.not_met:
        print(f"NOT MET {position}: named in --overslaan, but no such dead letter was left to replay")
    if outcome.not_met:
        raise SystemExit(2)


if __name__ == "__main__":
    main()

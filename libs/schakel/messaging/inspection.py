"""What an operator reads of the broker: positions, lag and the headers of records (CloudEvents
attributes, `traceparent`, the `dlq-*` reasons), never a record's key or value, which concern a
person. The operations console shows these; none of them joins a group or moves an offset."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka.structs import TopicPartition

from schakel.events import Contract
from schakel.messaging.acls import REPLAY_GROUP
from schakel.messaging.kafka import Consumer, KafkaConfig, Record, bounded, close, consumer, readable

# how long the broker holds a reader's fetch when it has nothing new (500 ms by default): aiokafka
# fetches the next records as soon as it hands some out, and the reader's close waits for that fetch
FETCH_WAIT_MS = 100
# a header is read at most this long: a sender chooses most of them, and may make one up to a record's size
MAX_HEADER = 1024


@dataclass(frozen=True)
class RecordHeaders:
    topic: str
    partition: int
    offset: (
        int  # of one that could not be read, where the reading stood: its own, unless a transaction marker precedes it
    )
    produced: datetime | None  # None: the record could not be read, and neither its time nor its headers
    headers: dict[str, str]

    @property
    def unreadable(self) -> bool:
        return self.produced is None


def recency(record: RecordHeaders) -> datetime:
    """When the record was produced; one that could not be read counts as the oldest, its time unknown."""
    return record.produced or datetime.min.replace(tzinfo=UTC)


async def _started(kafka: KafkaConfig, group: str | None) -> Consumer:
    # a group id without a subscription only reads that group's committed offsets: it never joins
    client = consumer(kafka, group, [], fetch_max_wait_ms=FETCH_WAIT_MS)
    try:
        await bounded(client.start(), kafka.timeout, "consumer start")
    except BaseException:  # a start that fails halfway leaves connections open too
        await close(client)
        raise
    return client


class Readers:
    """Readers kept open from one look to the next, one per group, for what looks every few seconds
    (a service measuring its groups and dead letters): a new client costs it and the broker a TLS
    handshake and a SCRAM exchange each time, most of an idle service's CPU. A reader that met an
    error is closed, not kept. `close` at the end. For positions only: one that reads records is
    assigned partitions and would go on fetching them (`latest` and `dead_letters` read with their own)."""

    def __init__(self, kafka: KafkaConfig) -> None:
        self.kafka = kafka
        self._open: dict[str | None, Consumer] = {}
        self._closed = False  # a look still under way at `close` closes its reader when it ends

    @property
    def timeout(self) -> float:  # as KafkaConfig's: each step of a look is bounded by it
        return self.kafka.timeout

    @asynccontextmanager
    async def reader(self, group: str | None) -> AsyncIterator[Consumer]:
        client = self._open.pop(group, None) or await _started(self.kafka, group)
        try:
            yield client
        except BaseException:
            await close(client)
            raise
        if self._closed or group in self._open:  # closed meanwhile, or a look at the same group kept its own
            await close(client)
        else:
            self._open[group] = client

    async def close(self) -> None:
        self._closed = True
        clients, self._open = list(self._open.values()), {}
        for client in clients:
            await close(client)


Source = KafkaConfig | Readers  # a look of its own, or one through readers kept open


@asynccontextmanager
async def _reader(source: Source, group: str | None = None) -> AsyncIterator[Consumer]:
    if isinstance(source, Readers):
        async with source.reader(group) as client:
            yield client
        return
    client = await _started(source, group)
    try:
        yield client
    finally:
        await close(client)


async def topics(kafka: Source) -> set[str]:
    """The topics on the broker that the principal may describe."""
    async with _reader(kafka) as client:
        return await bounded(client.topics(), kafka.timeout, "topics")


async def physical(kafka: Source, contract: Contract, channels: Iterable[str]) -> dict[str, str]:
    """The topics on the broker of these channels, each with its channel: a channel with a topic per
    party (`polisaangiften.{oin}`) has one for every organisation that may write it."""
    found_channels = [contract.topic(c) for c in channels]
    found = {c.name: c.name for c in found_channels if not c.party}
    if len(found) < len(found_channels):
        found |= {
            t: c.name for t in await topics(kafka) for c in found_channels if c.party and re.fullmatch(c.pattern, t)
        }
    return found


@dataclass(frozen=True)
class Stand:
    """A group's position on a partition: where it stands (what it committed, or the oldest record
    still there where it never committed or retention passed it) and the partition's end."""

    committed: int
    end: int

    @property
    def behind(self) -> int:
        return self.end - self.committed


async def stand(kafka: Source, group: str, topics: dict[str, int]) -> dict[TopicPartition, Stand]:
    """Per partition of these topics (name: partitions), where the group stands, as the broker has it:
    also of a group whose consumers fetch nothing (hung, or none running)."""
    partitions = [TopicPartition(t, p) for t, n in topics.items() for p in range(n)]
    async with _reader(kafka, group) as client:
        ends = await bounded(client.end_offsets(partitions), kafka.timeout, "end offsets")
        starts = await bounded(client.beginning_offsets(partitions), kafka.timeout, "beginning offsets")
        done = await bounded(asyncio.gather(*(client.committed(tp) for tp in partitions)), kafka.timeout, "committed")
        return {tp: Stand(max(d or 0, starts[tp]), ends[tp]) for tp, d in zip(partitions, done, strict=True)}


async def lag(kafka: Source, group: str, topics: dict[str, int]) -> dict[str, int]:
    """Per topic (name: partitions), the records the group has not committed yet."""
    behind = dict.fromkeys(topics, 0)
    for tp, s in (await stand(kafka, group, topics)).items():
        behind[tp.topic] += s.behind
    return behind


async def unreplayed(kafka: Source, contract: Contract, dlq_topics: list[str]) -> dict[str, int]:
    """Per dead-letter topic, the records beyond what the replay has taken (its committed offsets)
    that retention has not deleted."""
    return await lag(kafka, REPLAY_GROUP, {t: contract.topics[t].partitions for t in dlq_topics})


async def latest(kafka: KafkaConfig, topics: dict[str, int]) -> dict[str, RecordHeaders]:
    """Per topic, the headers of the record produced last (of the newest per partition); a newest record
    that cannot be read stands as such when no other partition's newest can."""
    partitions = [TopicPartition(t, p) for t, n in topics.items() for p in range(n)]
    async with _reader(kafka) as client:
        ends = await bounded(client.end_offsets(partitions), kafka.timeout, "end offsets")
        starts = await bounded(client.beginning_offsets(partitions), kafka.timeout, "beginning offsets")
        wanted = {tp: (ends[tp] - 1, ends[tp]) for tp in partitions if ends[tp] > starts[tp]}
        newest: dict[str, RecordHeaders] = {}
        for record in await _read(kafka, client, wanted):
            if record.topic not in newest or recency(record) > recency(newest[record.topic]):
                newest[record.topic] = record
        return newest


async def dead_letters(kafka: KafkaConfig, topic: str, partitions: int, limit: int = 100) -> list[RecordHeaders]:
    """The records of a dead-letter topic that have not been replayed (beyond the replay group's
    committed offsets), at most `limit` per partition, newest first (one that cannot be read last)."""
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    async with _reader(kafka, REPLAY_GROUP) as client:
        ends = await bounded(client.end_offsets(tps), kafka.timeout, "end offsets")
        starts = await bounded(client.beginning_offsets(tps), kafka.timeout, "beginning offsets")
        wanted = {}
        for tp in tps:
            taken = await bounded(client.committed(tp), kafka.timeout, "committed") or 0
            first = max(taken, starts[tp], ends[tp] - limit)
            if first < ends[tp]:
                wanted[tp] = (first, ends[tp])
        records = await _read(kafka, client, wanted)
    return sorted(records, key=lambda r: (recency(r), r.offset), reverse=True)


async def _read(
    kafka: KafkaConfig, client: Consumer, wanted: dict[TopicPartition, tuple[int, int]]
) -> list[RecordHeaders]:
    """Reads each partition from the first offset up to (not including) the end it was given."""
    if not wanted:
        return []
    client.assign(list(wanted))
    for tp, (first, _) in wanted.items():
        client.seek(tp, first)
    found: list[RecordHeaders] = []
    deadline = asyncio.get_running_loop().time() + kafka.timeout
    remaining = dict(wanted)
    while remaining and asyncio.get_running_loop().time() < deadline:
        batch = await _fetch(kafka, client)
        if batch is None:
            # what the failed fetch had taken of other partitions is lost with it: each partition is
            # read again from its first record not found yet
            resume = {tp: (_after(found, tp, first), end) for tp, (first, end) in remaining.items()}
            return found + await _one_by_one(kafka, client, resume, deadline)
        for tp, records in batch.items():
            end = wanted[tp][1]
            found += [r for r in records if r.offset < end]
            if records and records[-1].offset >= end - 1:
                remaining.pop(tp, None)
        # a partition whose last records were removed (retention) or are transaction markers ends early
        for tp in list(remaining):
            if await bounded(client.position(tp), kafka.timeout, "position") >= remaining[tp][1]:
                remaining.pop(tp)
    return found


async def _fetch(
    kafka: KafkaConfig, client: Consumer, *partitions: TopicPartition, max_records: int | None = None
) -> dict[TopicPartition, list[RecordHeaders]] | None:
    """The next records' headers (of `partitions`, or of all assigned); None when one cannot be read."""
    batch = await readable(client, kafka.timeout, *partitions, max_records=max_records)
    return None if batch is None else {tp: [_headers(r) for r in records] for tp, records in batch.items()}


def _after(found: list[RecordHeaders], tp: TopicPartition, first: int) -> int:
    return max((r.offset + 1 for r in found if (r.topic, r.partition) == tp), default=first)


async def _one_by_one(
    kafka: KafkaConfig, client: Consumer, wanted: dict[TopicPartition, tuple[int, int]], deadline: float
) -> list[RecordHeaders]:
    """Each partition read a record at a time, so that one that cannot be read is known by where the
    reading stands: it is listed as unreadable (no time, no headers) and the partition goes on after it."""
    found: list[RecordHeaders] = []
    for tp, (first, end) in wanted.items():
        client.seek(tp, first)
        at = first
        while at < end and asyncio.get_running_loop().time() < deadline:
            batch = await _fetch(kafka, client, tp, max_records=1)
            if batch is None:
                found.append(RecordHeaders(tp.topic, tp.partition, at, None, {}))
                client.seek(tp, at + 1)
            else:
                found += [r for r in batch.get(tp, []) if r.offset < end]
            # past transaction markers too, and past records retention removed
            at = await bounded(client.position(tp), kafka.timeout, "position")
    return found


def _headers(record: Record) -> RecordHeaders:
    headers: dict[str, str] = {}
    for name, value in record.headers:
        # the first of a repeated header is the original one
        headers.setdefault(name, (value or b"")[:MAX_HEADER].decode(errors="replace"))
    return RecordHeaders(
        record.topic, record.partition, record.offset, datetime.fromtimestamp(record.timestamp / 1000, UTC), headers
    )

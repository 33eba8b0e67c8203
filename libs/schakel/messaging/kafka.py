"""Broker access with the settings Schakel needs, and a timeout around every broker call
(aiokafka can hang while the broker is away)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal, Protocol, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import CorruptRecordException, KafkaConnectionError, KafkaError, TopicAlreadyExistsError
from aiokafka.partitioner import murmur2
from aiokafka.structs import ConsumerRecord, TopicPartition

from schakel.events import Contract
from schakel.messaging.errors import BrokerUnavailable

T = TypeVar("T")
log = logging.getLogger(__name__)
# a client's stop closes its TLS connections and waits for the broker's side of each close, which the
# broker reads only once it has answered what is still in flight there (a consumer's next fetch, held
# up to fetch_max_wait_ms): a healthy close takes that and a round trip
CLOSE_WAIT = 1.0
_closing: set[asyncio.Future[None]] = set()
# how long a topic keeps records (dead-letter topics too). Kafka deletes whole segments, so a record
# lives at most retention + one segment: 8 days. The inbox remembers applied ids for longer.
TOPIC_RETENTION = timedelta(days=7)
TOPIC_SEGMENT = timedelta(days=1)
# the most a record may hold (key, value and headers): the producer's request limit (1 MiB) less room
# for the record batch's framing. Larger ones the producer refuses, on every try.
MAX_RECORD = 1_000_000


@dataclass(frozen=True)
class KafkaConfig:
    """Where the broker is and how a client proves who it is: TLS (`SSL`) with a CA bundle and
    optionally a client certificate (mutual TLS), or TLS with SASL SCRAM (`SASL_SSL`)."""

    bootstrap: str
    client_id: str
    timeout: float = 30.0
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_SSL"] = "PLAINTEXT"
    ca_file: str | None = None  # None: the system's CA bundle
    cert_file: str | None = None  # a client certificate (PEM), with its key in key_file
    key_file: str | None = None
    sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256"] = "SCRAM-SHA-512"
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_properties(cls, text: str, client_id: str, timeout: float = 30.0) -> KafkaConfig:
        """From a librdkafka-style client configuration (`key=value` lines), as `make run` writes."""
        props = dict(
            line.split("=", 1) for line in map(str.strip, text.splitlines()) if line and not line.startswith("#")
        )
        return cls(
            props["bootstrap.servers"],
            client_id,
            timeout,
            security_protocol=props.get("security.protocol", "PLAINTEXT").upper(),  # type: ignore[arg-type]
            ca_file=props.get("ssl.ca.location"),
            cert_file=props.get("ssl.certificate.location"),
            key_file=props.get("ssl.key.location"),
            sasl_mechanism=props.get("sasl.mechanisms", "SCRAM-SHA-512"),  # type: ignore[arg-type]
            username=props.get("sasl.username"),
            password=props.get("sasl.password"),
        )

    def connection(self) -> dict[str, Any]:
        """aiokafka's keyword arguments for reaching and authenticating to the broker."""
        args: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap,
            "client_id": self.client_id,
            "request_timeout_ms": int(self.timeout * 1000),
            "security_protocol": self.security_protocol,
        }
        if self.security_protocol != "PLAINTEXT":
            context = ssl.create_default_context(cafile=self.ca_file)
            if self.cert_file:
                context.load_cert_chain(self.cert_file, self.key_file)
            args["ssl_context"] = context
        if self.security_protocol == "SASL_SSL":
            args |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.username,
                "sasl_plain_password": self.password,
            }
        return args


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
        partition: int | None = None,
    ) -> Awaitable[object]:
        """Queues the record (on `partition`, else the partitioner's); the awaitable it returns
        completes when the broker has it."""
        ...

    async def partitions_for(self, topic: str) -> set[int]: ...


class Consumer(Client, Protocol):
    async def getmany(
        self, *partitions: TopicPartition, timeout_ms: int, max_records: int | None = None
    ) -> dict[TopicPartition, list[Record]]: ...

    def assignment(self) -> set[TopicPartition]: ...

    def highwater(self, partition: TopicPartition) -> int | None: ...

    async def commit(self, offsets: dict[TopicPartition, int]) -> None: ...

    # reading positions and chosen records (schakel.messaging.inspection)
    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]: ...

    async def beginning_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]: ...

    async def committed(self, partition: TopicPartition) -> int | None: ...

    async def position(self, partition: TopicPartition) -> int: ...

    async def topics(self) -> set[str]: ...

    def assign(self, partitions: list[TopicPartition]) -> None: ...

    def seek(self, partition: TopicPartition, offset: int) -> None: ...


async def bounded(call: Awaitable[T], timeout: float, what: str) -> T:
    async with within(timeout, what):
        return await call


@asynccontextmanager
async def within(timeout: float, what: str) -> AsyncIterator[None]:
    """A block of broker calls under one deadline, their failures as BrokerUnavailable: one timer
    for a batch's records instead of one each (a timer per send cost more than the send)."""
    try:
        async with asyncio.timeout(timeout):
            yield
    except (TimeoutError, KafkaError, OSError) as exc:
        raise BrokerUnavailable(f"{what}: {exc.__class__.__name__} {exc}") from exc


async def reachable(config: KafkaConfig) -> None:
    """Returns once any broker of the bootstrap list accepts a connection (tried at once), else
    raises an error of one: in a cluster, one broker away is no outage (readiness)."""

    async def connect(server: str) -> None:
        host, port = server.strip().rsplit(":", 1)
        _, writer = await asyncio.open_connection(host, int(port))
        writer.close()
        await writer.wait_closed()

    attempts = [asyncio.ensure_future(connect(server)) for server in config.bootstrap.split(",")]
    try:
        for attempt in asyncio.as_completed(attempts):
            try:
                return await attempt
            except OSError as exc:
                error = exc
        raise error
    finally:
        for attempt in attempts:
            attempt.cancel()


async def close(client: Client) -> None:
    """Stops a client whose work is done. What it read or wrote, or the error it met, is the answer:
    a close that is slow (the broker busy) or fails neither holds up nor changes that answer; it
    finishes in the background, and a broker that is really away fails the next call instead."""
    stopping = asyncio.ensure_future(client.stop())
    _closing.add(stopping)  # a task nothing refers to may be collected before it is done
    stopping.add_done_callback(_stopped)
    await asyncio.wait([stopping], timeout=CLOSE_WAIT)
    if not stopping.done():
        log.warning("a broker client's close takes longer than %s s; it finishes in the background", CLOSE_WAIT)


def _stopped(stopping: asyncio.Future[None]) -> None:
    _closing.discard(stopping)
    if not stopping.cancelled() and (exc := stopping.exception()) is not None:
        log.warning("a broker client's close failed: %s %s", exc.__class__.__name__, exc)


# what aiokafka raises while reading a record it cannot parse (a header name that is not UTF-8, which
# any other client may write; a batch whose checksum fails): the whole fetch fails on it, every time
UNREADABLE = (UnicodeDecodeError, CorruptRecordException)


async def readable(
    client: Consumer, timeout: float, *partitions: TopicPartition, max_records: int | None = None
) -> dict[TopicPartition, list[Record]] | None:
    """The next records (of `partitions`, or of all assigned); None when one of them cannot be read."""
    async with within(timeout, "getmany"):
        try:
            return await client.getmany(*partitions, timeout_ms=200, max_records=max_records)
        except UNREADABLE:
            return None


class Unreadable(ConsumerRecord):  # type: ignore[misc]  # aiokafka has no type hints
    """The stand-in of a record that could not be read (`read_around`): no key, headers or value."""


async def read_around(client: Consumer, timeout: float, tp: TopicPartition, limit: int) -> list[Record]:
    """`tp`'s records from where the client stands, one at a time, up to `limit` or a record that cannot
    be read, which ends the list as an `Unreadable`; the client then stands after it. A record that fails
    to read once is read again first (a fetch's checksum can fail in transit)."""
    records: list[Record] = []
    failed: int | None = None
    while len(records) < limit:
        got = await readable(client, timeout, tp, max_records=1)
        if got is not None:
            if not got.get(tp):
                break
            records += got[tp]
            continue
        offset = await bounded(client.position(tp), timeout, "position")
        if failed != offset:  # fetched again from there
            failed = offset
            client.seek(tp, offset)
            continue
        log.error("%s[%d]@%d cannot be read", tp.topic, tp.partition, offset)
        # an empty value: a record needs a key or a value, and nothing of this one could be read
        records.append(Unreadable(tp.topic, tp.partition, offset, 0, 0, None, b"", None, -1, 0, []))
        client.seek(tp, offset + 1)
        break
    return records


async def read_each_around(
    client: Consumer, timeout: float, limit: int, standing: Callable[[TopicPartition], Awaitable[int]]
) -> dict[TopicPartition, list[Record]]:
    """The batch when a record cannot be read: the failed fetch moved the partitions it had read before
    it failed, and lost their records, so each assigned partition is read again from where the reader
    stands (`standing`), one record at a time up to the one that cannot be read (`read_around`)."""
    batch: dict[TopicPartition, list[Record]] = {}
    for tp in sorted(client.assignment()):
        client.seek(tp, await standing(tp))
        if records := await read_around(client, timeout, tp, limit):
            batch[tp] = records
    return batch


async def committed_or_beginning(client: Consumer, timeout: float, tp: TopicPartition) -> int:
    """Where the client's group stands on a partition: its committed offset, or the beginning for a new group."""
    async with within(timeout, "committed offset"):
        committed = await client.committed(tp)
        return committed if committed is not None else (await client.beginning_offsets([tp]))[tp]


async def stop_quietly(client: Client, timeout: float) -> None:
    """Stops a client within `timeout`, never raising: a failed stop must not mask the failure that
    ended its use. A producer that cannot flush in time is closed anyway: aiokafka's idempotent
    producer never gives its batches up, and a stop cancelled while it waited for them left its sender
    running, which published them later, once for each producer so left behind (the relay's rows are
    sent again by the next one: one repeat, not one per try)."""
    try:
        await asyncio.wait_for(client.stop(), timeout)
    except Exception as exc:  # noqa: BLE001 - see above
        log.warning("kafka client did not stop cleanly: %s", exc.__class__.__name__)
        if isinstance(client, AIOKafkaProducer):
            # aiokafka's stop reaches these only after the flush it waits for; the batches it held are
            # failed, not kept by a flush that waits for ever
            for part in (client._sender, client.client):
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(part.close(), timeout)
            client._message_accumulator.fail_all(KafkaConnectionError("the producer was closed"))


# aiokafka's murmur2 is pure Python: 20 µs a key, more than the rest of a send. A person's key comes
# back with each of their events (a delivery's months, then their settlements), so the hashes of the
# persons last written about are kept (16.384 of them: about 4 MB)
_hash = functools.lru_cache(maxsize=16_384)(murmur2)


def partition_of(key: bytes | None, all_partitions: list[int], available: list[int]) -> int:
    """Kafka's default partitioner (murmur2 of the key, as the Java client), the hash cached."""
    if key is None:
        return random.choice(available or all_partitions)
    hashed: int = _hash(key)
    return all_partitions[(hashed & 0x7FFFFFFF) % len(all_partitions)]


def producer(config: KafkaConfig) -> Producer:
    # aiokafka defaults are acks=1 without idempotence; Schakel needs no loss and no doubles
    client: Producer = AIOKafkaProducer(
        **config.connection(),
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_batch_size=256 * 1024,
        partitioner=partition_of,
    )
    return client


def consumer(
    config: KafkaConfig,
    group_id: str | None,
    topics: list[str],
    contract: Contract | None = None,
    fetch_max_wait_ms: int = 500,
) -> Consumer:
    """A consumer of these topics; with the contract, a channel with a topic per party
    (`polisaangiften.{oin}`) subscribes to every such topic the principal may read.
    `fetch_max_wait_ms`: how long the broker holds a fetch when it has no new records."""
    per_party = contract is not None and any(contract.topic(t).party for t in topics)
    client = AIOKafkaConsumer(
        *([] if per_party else topics),
        **config.connection(),
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        max_poll_records=1000,
        fetch_max_wait_ms=fetch_max_wait_ms,
    )
    if per_party:
        assert contract is not None
        client.subscribe(pattern="^(" + "|".join(contract.topic(t).pattern for t in topics) + ")$")
    typed: Consumer = client
    return typed


async def create_topics(
    config: KafkaConfig, contract: Contract, writers: dict[str, list[str]] | None = None, brokers: int | None = None
) -> list[str]:
    """Creates every topic the contract declares (dead-letter topics included), for a channel
    with a topic per party one for each OIN in `writers[party]`, with the contract's replicas and
    minimum in sync (at most `brokers`, for a local broker smaller than a cluster); existing ones
    are left as they are. Returns the names it created."""
    admin = AIOKafkaAdminClient(**config.connection())
    await bounded(admin.start(), config.timeout, "admin start")
    try:
        existing = set(await bounded(admin.list_topics(), config.timeout, "list topics"))
        retention = {
            "retention.ms": str(int(TOPIC_RETENTION.total_seconds() * 1000)),
            "segment.ms": str(int(TOPIC_SEGMENT.total_seconds() * 1000)),
        }
        topics = {
            name: t
            for t in contract.topics.values()
            for name in ([t.address(oin) for oin in (writers or {}).get(t.party, [])] if t.party else [t.name])
        }
        wanted = []
        for name, t in topics.items():
            replicas = min(t.replicas, brokers or t.replicas)
            configs = retention | {"min.insync.replicas": str(min(t.min_insync, replicas))}
            if name not in existing:
                wanted.append(NewTopic(name, t.partitions, replicas, topic_configs=configs))
        if wanted:
            try:
                response = await bounded(admin.create_topics(wanted), config.timeout, "create topics")
            except BrokerUnavailable as exc:
                if not isinstance(exc.__cause__, TopicAlreadyExistsError):
                    raise
            else:
                # the broker answers per topic: one it refused (e.g. more replicas than brokers) is an error
                refused = [
                    f"{name}: {message or code}"
                    for name, code, *rest in response.topic_errors
                    if code not in (0, TopicAlreadyExistsError.errno)
                    for message in [rest[0] if rest else None]
                ]
                if refused:
                    raise RuntimeError(f"topics not created: {'; '.join(refused)}")
        return [t.name for t in wanted]
    finally:
        await asyncio.wait_for(admin.close(), config.timeout)

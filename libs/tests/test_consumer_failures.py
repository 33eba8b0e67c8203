"""The consumer runner tells a broken record from a broken dependency: the record is isolated and
dead-lettered while the rest is applied; a dependency is waited for and never dead-letters anything.
Against the real broker and a real database."""

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from aiokafka.admin import AIOKafkaAdminClient, RecordsToDelete
from aiokafka.errors import KafkaTimeoutError
from aiokafka.structs import ConsumerRecord, TopicPartition
from sqlalchemy.exc import OperationalError

from schakel import logboek
from schakel.errors import Unavailable
from schakel.events import encode, load_contract
from schakel.logboek import Verwerking
from schakel.messaging import BatchHandler, ConsumerRunner, PermanentError
from schakel.messaging import consumer as consumer_module
from schakel.messaging import inbox as inbox_store
from schakel.messaging.errors import BrokerUnavailable
from schakel.messaging.kafka import KafkaConfig
from schakel.messaging.replay import replay
from schakel.messaging.tables import inbox
from schakel.telemetry import metrics
from schakel.telemetry.health import TaskHealth
from tests.support import kafka
from tests.support.runner import TYPE, consume_until, platform_database, status_event
from tests.support.stack import eventually_async

pytestmark = pytest.mark.integration


async def applied_ids(db, events) -> set[str]:
    async with db.transaction() as conn:
        return set(
            (
                await conn.execute(sa.select(inbox.c.event_id).where(inbox.c.event_id.in_([e.id for e in events])))
            ).scalars()
        )


async def dead_letters(stack, events) -> dict[str, str]:
    ids = {e.id for e in events}
    records = await asyncio.to_thread(kafka.read, stack.kafka, "deelnamestatussen.dlq")
    return {
        h["ce_id"].decode(): h["dlq-reden"].decode()
        for h in (dict(r.headers) for r in records)
        if h.get("ce_id", b"").decode() in ids
    }


def verwerking(naam: str) -> Verwerking:
    return Verwerking("test", lambda bsn: f"p-{bsn}", "0" * 20, {TYPE: "urn:test:activiteit"}, naam)


async def on_record(db, events) -> dict[str, list[str]]:
    """The statuses of the processing log's records about each event's person (its key)."""
    async with db.transaction() as conn:
        rows = await conn.execute(
            sa.select(logboek.verwerkingen.c.betrokkene, logboek.verwerkingen.c.status).where(
                logboek.verwerkingen.c.betrokkene.in_([e.key for e in events])
            )
        )
    found: dict[str, list[str]] = {}
    for betrokkene, status in rows:
        found.setdefault(betrokkene, []).append(status)
    return found


async def test_a_record_that_keeps_failing_is_isolated_dead_lettered_and_replayed_after_a_fix(stack, tmp_path):
    db = await platform_database(tmp_path)
    events = [status_event("GM0014") for _ in range(40)]
    mine = {e.id for e in events}  # the topic holds other tests' events too
    bad = events[17]
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", events)
    fixed, handled = False, []

    async def handler(conn, event):
        if event.id not in mine:
            return
        if event.id == bad.id and not fixed:
            raise ValueError(f"cannot handle {event.data['bsn']}")  # a bug, quoting personal data
        handled.append(event.id)

    good = [e for e in events if e is not bad]

    async def settled() -> bool:
        # not what the handler saw: a try that failed at the bad one saw the others, then rolled back;
        # and the bad one may come last, retried alone after the others were committed
        return await applied_ids(db, good) == {e.id for e in good} and bool(await dead_letters(stack, [bad]))

    await consume_until(stack, db, handler, settled, verwerking=verwerking)

    assert await applied_ids(db, events) == {e.id for e in good}, "every other record is applied, the bad one not"
    reasons = await eventually_async(lambda: dead_letters(stack, [bad]))
    assert reasons[bad.id].startswith("onverwerkbaar: ValueError in tests/test_consumer_failures.py:")
    assert bad.data["bsn"] not in reasons[bad.id], "the reason names the class and place, never a value"
    # the person's processing log says the event about them was refused, as it says the others were applied
    assert await on_record(db, [bad]) == {bad.key: ["ERROR"]}
    assert await on_record(db, good) == {e.key: ["OK"] for e in good}

    fixed = True
    assert (await replay(stack.kafka, "deelnamestatussen.dlq")).replayed >= 1
    await consume_until(stack, db, handler, lambda: bad.id in handled)
    assert await applied_ids(db, events) == {e.id for e in events}
    await db.dispose()


async def test_a_dead_letter_keyed_by_no_pseudonym_is_on_no_one_s_record_and_the_rest_flows(stack, tmp_path):
    """A key of another shape (too long for the log's column on PostgreSQL, or a BSN) names no person:
    the dead letter goes without a record, and the partition does not stall on it."""
    db = await platform_database(tmp_path)
    bad, good = (replace(status_event("GM0014"), key=k) for k in ("f" * 65, uuid.uuid4().hex * 2))
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", [bad, good])
    applied = []

    async def handler(conn, event):
        if event.id == bad.id:
            raise PermanentError("onmogelijk")
        if event.id == good.id:
            applied.append(event.id)

    await consume_until(stack, db, handler, lambda: applied, verwerking=verwerking)
    reasons = await eventually_async(lambda: dead_letters(stack, [bad]))
    assert reasons == {bad.id: "ongeldig-bericht: the key is no person's pseudonym"}, "refused before any handler"
    assert await on_record(db, [bad, good]) == {good.key: ["OK"]}
    await db.dispose()


async def test_a_batch_handlers_permanent_error_dead_letters_its_event_with_the_rule_and_no_retries(stack, tmp_path):
    """A batch handler that meets an event it can never apply raises PermanentError: the batch is split
    down to that event at once (retrying cannot help), which goes with the rule as its reason."""
    db = await platform_database(tmp_path)
    events = [status_event("GM0014") for _ in range(20)]
    mine = {e.id for e in events}
    bad = events[11]
    # repeats beside the bad event: a redelivered record is no work, so it never takes a try's place
    repeated = events[:12] + [events[10], events[12]] + events[12:]
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", repeated)
    handled, tries = [], []

    async def handle(conn, batch):
        if bad.id in {e.id for e in batch}:
            tries.append(len(batch))
            raise PermanentError("een uitkering zonder begin")
        handled.extend(e.id for e in batch if e.id in mine)
        return {}

    good = {e.id for e in events if e is not bad}
    await consume_until(stack, db, BatchHandler(handle), lambda: good <= set(handled))

    reasons = await eventually_async(lambda: dead_letters(stack, [bad]))
    assert reasons == {bad.id: "onverwerkbaar-bericht: een uitkering zonder begin"}
    assert tries[-1] == 1 and tries == sorted(set(tries), reverse=True), "halved at once, each size tried once"
    assert sorted(handled) == sorted(good), "a repeated record is applied once"
    assert await applied_ids(db, events) == good
    await db.dispose()


async def test_a_batch_handler_prepares_before_the_transaction_and_a_source_away_is_waited_for(stack, tmp_path):
    """`prepare` asks elsewhere (the BRP) with no connection held; the source away is an outage."""
    db = await platform_database(tmp_path)
    event = status_event("GM0014")
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", [event])
    held, applied = [], []

    async def prepare(events):
        if event.id in {e.id for e in events}:
            held.append(db.engine.pool.checkedout())
            if len(held) == 1:
                raise Unavailable("De bron is nu niet bereikbaar.")

    async def handle(conn, events):
        applied.extend(e.id for e in events if e.id == event.id)
        return {}

    await consume_until(stack, db, BatchHandler(handle, prepare), lambda: applied)
    assert applied == [event.id] and held == [0, 0], "asked twice, no connection held either time"
    assert not await dead_letters(stack, [event])
    await db.dispose()


async def test_a_dead_letter_the_broker_did_not_take_is_put_on_record_and_counted_once(tmp_path):
    """A dead-letter send that fails (the broker away) leaves the batch to be tried again: what refusing
    its records writes (the person's ERROR record, the service's count of records refused at decode)
    is written once the dead letters are on their topic, not once per try."""
    db = await platform_database(tmp_path)
    refused = status_event("GM0014")
    counted = []

    async def handler(conn, event):
        raise PermanentError("nooit")

    async def undecoded(conn, records):
        counted.extend(records)

    runner = ConsumerRunner(
        db=db,
        kafka=KafkaConfig(bootstrap="b:9092", client_id="t", timeout=5),
        contract=load_contract(),
        group_id="g",
        handlers={TYPE: handler},
        topics=["deelnamestatussen"],
        verwerking=verwerking,
        undecoded=undecoded,
    )
    k, v, h = encode(refused)

    def batch():
        return [
            consumer_module._Item(ConsumerRecord("deelnamestatussen", 0, 7, 1, 0, k, v, None, 1, 1, h)),
            consumer_module._Item(ConsumerRecord("deelnamestatussen", 0, 8, 1, 0, k, b"{", None, 1, 1, [])),
        ]

    class Broker:
        """Takes dead letters from its second try on."""

        sent: list[str] = []
        tries = 0

        async def send(self, topic, value=None, key=None, headers=None):
            self.tries += 1
            if self.tries == 1:
                raise KafkaTimeoutError()
            self.sent.append(topic)
            return asyncio.sleep(0)

    broker, stop = Broker(), asyncio.Event()
    with pytest.raises(BrokerUnavailable):
        await runner.process(batch(), broker, stop)
    assert await runner.process(batch(), broker, stop)
    assert broker.sent == ["deelnamestatussen.dlq"] * 2
    [onleesbaar] = counted
    assert (onleesbaar.writer, onleesbaar.value, onleesbaar.partition, onleesbaar.offset) == (None, b"{", 0, 8), "once"
    assert onleesbaar.reason.startswith("ongeldig-bericht: "), "with the dead letter's reason"
    assert await on_record(db, [refused]) == {refused.key: ["ERROR"]}, "on record once"
    await db.dispose()


async def test_a_database_outage_is_waited_for_and_never_dead_letters(stack, tmp_path):
    db = await platform_database(tmp_path)
    event = status_event("GM0014")
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", [event])
    failing_while_down, applied = [], []
    health = TaskHealth("consumer")

    async def handler(conn, received):
        if received.id != event.id:
            return
        if len(failing_while_down) < 4:  # more tries than a broken record gets (3)
            failing_while_down.append(health.failing_since)
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        applied.append(received.id)

    await consume_until(stack, db, handler, lambda: applied, health=health)

    assert applied == [event.id]
    assert failing_while_down[0] is None and all(failing_while_down[1:]), "readiness saw the outage"
    assert health.failing_since is None, "and sees it pass"
    assert not await dead_letters(stack, [event])
    await db.dispose()


async def test_the_lag_grows_while_a_batch_waits_for_the_database(stack, tmp_path):
    """The operator watching an outage sees the backlog grow on the dashboard, not its size before it."""
    db = await platform_database(tmp_path)
    group, held = f"test-{uuid.uuid4()}", status_event("GM0014")
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", [held])
    lags, applied = [], []

    def lag() -> float:
        [gauge] = metrics.LAG.collect()
        return sum(s.value for s in gauge.samples if s.labels["messaging_consumer_group_name"] == group)

    async def handler(conn, received):
        if received.id != held.id:
            return
        if len(lags) < 3:
            lags.append(lag())
            if len(lags) == 1:  # five more arrive while the batch waits
                later = [status_event("GM0014") for _ in range(5)]
                await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", later)
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        applied.append(received.id)

    await consume_until(stack, db, handler, lambda: applied, group_id=group)

    assert lags[0] >= 1 and lags[2] >= lags[0] + 5, lags
    await db.dispose()


async def test_records_that_cannot_be_decoded_go_to_the_dead_letter_topic_and_the_rest_flows(stack, tmp_path):
    db = await platform_database(tmp_path)
    good = [status_event("GM0014") for _ in range(3)]
    nested = status_event("GM0014")
    other_source, bad_time, null_trace = (status_event("GM0014") for _ in range(3))
    mine = {e.id for e in good + [nested, other_source, bad_time, null_trace]}
    records = []
    k, v, h = encode(nested)
    records.append((k, b'{"bsn": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", h))
    k, v, h = encode(other_source)
    records.append((k, v, [(n, b"x" if n == "ce_source" else x) for n, x in h]))
    k, v, h = encode(bad_time)
    records.append((k, v, [(n, b"gisteren" if n == "ce_time" else x) for n, x in h]))
    k, v, h = encode(null_trace)
    records.append((k, v, h + [("traceparent", None)]))  # a broken trace header does not stop an event
    records += [encode(e) for e in good]
    await asyncio.to_thread(kafka.produce, stack.kafka, "deelnamestatussen", records)
    handled = []

    async def handler(conn, event):
        if event.id in mine:
            handled.append(event.id)

    expected = {e.id for e in good} | {null_trace.id}
    await consume_until(stack, db, handler, lambda: expected <= set(handled))

    reasons = await eventually_async(lambda: dead_letters(stack, [nested, other_source, bad_time]), count=3)
    assert reasons == {
        nested.id: "ongeldig-bericht: RecursionError",
        other_source.id: "ongeldig-bericht: ce_source is not urn:nld:oin:<OIN>:systeem:<naam>",
        bad_time.id: "ongeldig-bericht: ce_time is not an RFC 3339 timestamp",
    }
    assert await applied_ids(db, good + [null_trace]) == expected
    await db.dispose()


def produce_raw(stack, topic: str, batches: list[tuple[int, list[tuple[bytes, bytes, list]]]]) -> list[list[int]]:
    """Batches of records (partition, records), each in one batch and in this order, as another client may
    write them (tests.support.raw_records): a header's name given as (name, its bytes as hex or None for the
    name's UTF-8); returns their offsets per batch."""
    order = {
        "kafka": dataclasses.asdict(stack.kafka),
        "topic": topic,
        "batches": [
            {
                "partition": partition,
                "records": [
                    {"key": k.hex(), "value": v.hex(), "headers": [[n, raw, x.hex()] for (n, raw), x in h]}
                    for k, v, h in records
                ],
            }
            for partition, records in batches
        ],
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.raw_records"],
        input=json.dumps(order),
        env={**os.environ, "AIOKAFKA_NO_EXTENSIONS": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


async def test_a_record_that_cannot_be_read_is_dead_lettered_and_its_partition_flows_on(stack, tmp_path):
    """aiokafka fails the whole fetch on a header name that is not UTF-8 (any other client can write
    one): the records before it are applied and those after it, in order; it is dead-lettered as
    unreadable, with where it was, and so is a record batched after it, which aiokafka cannot read past
    it either (the sender must send it again)."""
    db = await platform_database(tmp_path)
    before, unreadable, trailing, after = (status_event("GM0014") for _ in range(4))
    # on the other partitions, fetched with it: a failed fetch loses what it read of them too
    elsewhere = [status_event("GM0014") for _ in range(5)]

    def raw(event, extra=()):
        k, v, h = encode(event)
        return k, v, [((n, None), x) for n, x in h] + list(extra)

    batches = [
        (2, [raw(before), raw(unreadable, [(("x", "fffe"), b"v")]), raw(trailing)]),
        (2, [raw(after)]),
        *((partition, [raw(event)]) for partition, event in zip((0, 1, 3, 4, 5), elsewhere, strict=True)),
    ]
    written = await asyncio.to_thread(produce_raw, stack, "deelnamestatussen", batches)
    offsets = written[0] + written[1]
    try:
        await _consumed_around(stack, db, before, unreadable, trailing, after, offsets, elsewhere)
    finally:  # the topic's other readers in this test session (the stack's services, the tests' own) read on
        admin = AIOKafkaAdminClient(**stack.kafka.connection())
        await admin.start()
        try:
            await admin.delete_records({TopicPartition("deelnamestatussen", 2): RecordsToDelete(offsets[3])})
        finally:
            await admin.close()
        await db.dispose()


async def _consumed_around(stack, db, before, unreadable, trailing, after, offsets, elsewhere) -> None:
    handled = []
    theirs = {e.id for e in elsewhere}

    async def handler(conn, event):
        if event.id in {before.id, unreadable.id, trailing.id, after.id} | theirs:
            handled.append(event.id)

    runner = await consume_until(stack, db, handler, lambda: after.id in handled and theirs <= set(handled))
    assert [i for i in handled if i not in theirs] == [before.id, after.id]
    assert sorted(i for i in handled if i in theirs) == sorted(theirs), "each once"
    assert await applied_ids(db, elsewhere) == theirs
    assert await applied_ids(db, [before, unreadable, trailing, after]) == {before.id, after.id}

    async def dead_letters_of_them() -> list[dict]:
        records = await asyncio.to_thread(kafka.read, stack.kafka, "deelnamestatussen.dlq")
        return [
            dict(r.headers) | {"value": r.value, "key": r.key}
            for r in records
            if dict(r.headers).get("dlq-bron-offset") in {str(o).encode() for o in offsets[1:3]}
            and dict(r.headers).get("dlq-bron-partitie") == b"2"
            # the stack's services consume the topic too, and dead-letter it as well
            and dict(r.headers).get("dlq-consumer") == runner.group_id.encode()
        ]

    letters = await eventually_async(dead_letters_of_them, count=2)
    assert sorted(int(letter["dlq-bron-offset"]) for letter in letters) == offsets[1:3]
    for letter in letters:
        assert letter["dlq-reden"].decode().startswith("onleesbaar-record: ")
        assert (letter["value"], letter["key"], letter["dlq-bron-topic"]) == (b"", None, b"deelnamestatussen")


async def test_a_record_too_large_to_send_on_is_dead_lettered_without_its_value_and_the_rest_flows(stack, tmp_path):
    """The broker took it compressed; read, it is larger than a producer may send: its value alone is
    just under the limit, with its headers over. Its dead letter names where it stays (topic,
    partition, offset) instead of failing the partition for good, and keeps the small headers."""
    from aiokafka import AIOKafkaProducer

    db = await platform_database(tmp_path)
    groot, good = status_event("GM0014"), status_event("GM0014")
    k, _, h = encode(groot)
    producer = AIOKafkaProducer(
        **stack.kafka.connection(), acks="all", compression_type="gzip", max_request_size=5 << 20
    )
    await producer.start()
    try:  # not the schema either: it belongs on the dead-letter topic
        waarde, extra = b'{"x": "' + b"a" * 990_000 + b'"}', ("x-bijlage", b"b" * 80_000)
        await producer.send_and_wait("deelnamestatussen", value=waarde, key=k, headers=[*h, extra])
        _, gv, gh = encode(good)  # behind it on its partition: seen, it was read
        await producer.send_and_wait("deelnamestatussen", value=gv, key=k, headers=gh)
    finally:
        await producer.stop()
    handled = []

    async def handler(conn, event):
        if event.id in (groot.id, good.id):
            handled.append(event.id)

    runner = await consume_until(stack, db, handler, lambda: good.id in handled)

    async def zijne() -> list:  # the stack's services consume the topic too, and dead-letter it as well
        records = await asyncio.to_thread(kafka.read, stack.kafka, "deelnamestatussen.dlq", k.decode())
        return [r for r in records if dict(r.headers)["dlq-consumer"] == runner.group_id.encode()]

    [dood] = await eventually_async(zijne)
    headers = dict(dood.headers)
    assert (
        dood.value in (b"", None) and int(headers["dlq-waarde-weggelaten"].removesuffix(b" bytes")) > 1_048_576
    )  # more than the producer sends
    assert headers["ce_id"] == groot.id.encode() and headers["dlq-bron-offset"].isdigit()
    assert "x-bijlage" not in headers and dood.key == k
    assert handled == [good.id]
    # a replay leaves it where it is: sent back empty, it would fail again and lose where it stays
    await asyncio.wait_for(replay(stack.kafka, "deelnamestatussen.dlq"), 60)
    terug = await asyncio.to_thread(kafka.read, stack.kafka, "deelnamestatussen", k.decode())
    assert [r.offset for r in terug if dict(r.headers).get("ce_id") == groot.id.encode()] == [
        int(headers["dlq-bron-offset"])
    ]
    await db.dispose()


async def test_a_type_the_sender_made_up_is_dead_lettered_unquoted_and_uncounted_and_the_rest_flows(stack, tmp_path):
    """A provider chooses its records' headers. A type of a megabyte (the broker took it compressed)
    once went into the dead letter's reason, which then could not be sent: the partition stopped for
    good, blamed on the broker. A type that names a person must not reach a reason, a log line or a
    metric label either."""
    from aiokafka import AIOKafkaProducer
    from prometheus_client import REGISTRY

    db = await platform_database(tmp_path)
    groot, persoonlijk, good = (status_event("GM0014") for _ in range(3))
    producer = AIOKafkaProducer(
        **stack.kafka.connection(), acks="all", compression_type="gzip", max_request_size=5 << 20
    )
    await producer.start()
    try:
        for event, soort in ((groot, "nl." + "a" * 1_200_000), (persoonlijk, "nl.bsn999993653.status")):
            k, v, h = encode(event)
            await producer.send_and_wait(
                "deelnamestatussen",
                value=v,
                key=k,
                headers=[(n, soort.encode() if n == "ce_type" else x) for n, x in h],
            )
        k, v, h = encode(good)  # behind them on their partition
        await producer.send_and_wait("deelnamestatussen", value=v, key=k, headers=h)
    finally:
        await producer.stop()
    handled = []

    async def handler(conn, event):
        if event.id == good.id:
            handled.append(event.id)

    runner = await consume_until(stack, db, handler, lambda: handled == [good.id])

    reasons = await eventually_async(lambda: dead_letters(stack, [groot, persoonlijk]), count=2)
    assert reasons == {
        groot.id: "ongeldig-bericht: ce_type is not an event type: a dotted lower-case name of at most 100 characters",
        persoonlijk.id: "ongeldig-bericht: the event type is not in the contract",
    }
    labels = [
        s.labels
        for m in REGISTRY.collect()
        if m.name == "schakel_events_processed"
        for s in m.samples
        if s.labels.get("messaging_consumer_group_name") == runner.group_id
    ]
    assert {(x["cloudevents_event_type"], x["outcome"]) for x in labels} >= {("onbekend", "dead_lettered")}
    assert not [
        x for x in labels if "999993653" in x["cloudevents_event_type"] or "aaaa" in x["cloudevents_event_type"]
    ]
    await db.dispose()


async def test_the_inbox_forgets_ids_after_its_window_and_still_drops_a_redelivery_inside_it(stack, tmp_path):
    db = await platform_database(tmp_path)
    old, recent, sentinel = status_event("GM0014"), status_event("GM0014"), status_event("GM0014")
    mine = {old.id, recent.id, sentinel.id}  # the topic holds other tests' events too
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", [old, recent])
    handled = []

    async def handler(conn, event):
        if event.id in mine:
            handled.append(event.id)

    await consume_until(stack, db, handler, lambda: len(handled) >= 2)
    async with db.transaction() as conn:  # the old one was applied 15 days ago
        await conn.execute(
            inbox.update().where(inbox.c.event_id == old.id).values(processed_at=datetime.now(UTC) - timedelta(days=15))
        )
    assert await inbox_store.purge(db, timedelta(days=14)) == 1
    assert await applied_ids(db, [old, recent]) == {recent.id}

    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", [recent])  # redelivered
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", [sentinel])
    handled.clear()
    await consume_until(stack, db, handler, lambda: sentinel.id in handled)
    assert recent.id not in handled, "an id inside the window is still recognised after the purge"
    await db.dispose()


async def test_a_replay_ends_at_the_topics_end_while_records_that_fail_again_keep_coming_back(stack):
    """A record that still fails after a replay comes back to the dead-letter topic behind the
    replay's end: it waits for the next replay instead of going round for ever."""

    def dead_letter():
        k, v, h = encode(status_event("GM0014"))
        return (k, v, h + [("dlq-bron-topic", b"deelnamestatussen"), ("dlq-reden", b"onverwerkbaar: test")])

    await asyncio.to_thread(kafka.produce, stack.kafka, "deelnamestatussen.dlq", [dead_letter() for _ in range(3)])
    stop = asyncio.Event()

    async def failing_again():  # what a consumer does with a replayed record that still fails
        while not stop.is_set():
            await asyncio.to_thread(kafka.produce, stack.kafka, "deelnamestatussen.dlq", [dead_letter()])

    returning = asyncio.create_task(failing_again())
    try:
        replayed = (await asyncio.wait_for(replay(stack.kafka, "deelnamestatussen.dlq"), 60)).replayed
    finally:
        stop.set()
        await returning
    assert replayed >= 3, "what was there when the replay began went back"

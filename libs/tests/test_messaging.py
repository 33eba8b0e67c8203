"""The outbox relay and the consumer runner against the real broker and a real database."""

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from schakel.events import load_contract
from schakel.messaging import BatchHandler, ConsumerRunner, Outbox, OutboxRelay
from schakel.messaging.kafka import producer, stop_quietly
from schakel.messaging.tables import inbox, outbox
from tests.support import kafka
from tests.support.runner import TYPE, consume_until, platform_database, status, status_event

pytestmark = pytest.mark.integration


async def test_the_consumer_applies_a_getmany_batch_in_one_transaction(stack, tmp_path):
    db = await platform_database(tmp_path)
    events = [status_event("GM0014") for _ in range(300)]
    mine = {e.id for e in events}  # the topic holds other tests' events too
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", events)

    transactions, handled = set(), []

    async def handler(conn, event):
        if event.id in mine:
            transactions.add(id(conn))
            handled.append(event.id)

    await consume_until(stack, db, handler, lambda: len(handled) >= len(events))

    assert sorted(handled) == sorted(e.id for e in events), "each event applied exactly once"
    assert len(transactions) <= 12, f"{len(transactions)} transactions for 300 events: consumers must batch"
    async with db.transaction() as conn:
        recorded = (
            await conn.execute(
                sa.select(sa.func.count()).select_from(inbox).where(inbox.c.event_id.in_([e.id for e in events]))
            )
        ).scalar_one()
    assert recorded == 300
    await db.dispose()


async def test_a_batch_handler_gets_whole_runs_and_its_refusals_go_to_the_dead_letter_topic(stack, tmp_path):
    db = await platform_database(tmp_path)
    events = [status_event("GM0014") for _ in range(200)]
    ids = {e.id for e in events}
    refused = {e.id for e in events[::10]}
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", events)
    calls, handled = [], []

    async def handle(conn, batch):
        mine = [e for e in batch if e.id in ids]
        calls.append(len(mine))
        handled.extend(e.id for e in mine)
        return {e.id: "past niet" for e in mine if e.id in refused}

    await consume_until(stack, db, BatchHandler(handle), lambda: len(handled) >= len(events))

    assert sorted(handled) == sorted(e.id for e in events)
    assert len([c for c in calls if c]) <= 12, "the handler sees runs of events, not one at a time"
    for _ in range(100):  # dead letters are written after the batch's commit
        dead = [dict(r.headers) for r in await asyncio.to_thread(kafka.read, stack.kafka, "deelnamestatussen.dlq")]
        reasons = {h.get("ce_id", b"").decode(): h.get("dlq-reden", b"").decode() for h in dead}
        if refused <= reasons.keys():
            break
        await asyncio.sleep(0.1)
    assert {i: reasons.get(i) for i in refused} == {i: "geweigerd: past niet" for i in refused}
    async with db.transaction() as conn:
        recorded = {
            r.event_id
            for r in await conn.execute(sa.select(inbox.c.event_id).where(inbox.c.event_id.in_([e.id for e in events])))
        }
    assert recorded == {e.id for e in events} - refused, "a refused event stays replayable"
    await db.dispose()


async def test_the_relay_publishes_in_outbox_order_and_deletes_what_it_published(stack, tmp_path):
    db = await platform_database(tmp_path)
    box = Outbox(load_contract(), "urn:nld:oin:00000001003214345000:systeem:registration", "registration")
    person = uuid.uuid4().hex * 2
    events = [box.event(person, status("GM0363", date(2026, 1, d))) for d in range(1, 29)]
    async with db.transaction() as conn:
        for event in events:
            await box.add(conn, event)

    relay = OutboxRelay(db, stack.kafka)
    assert await relay.publish_pending() == 28
    assert await relay.publish_pending() == 0
    await relay.close()

    published = await asyncio.to_thread(kafka.read, stack.kafka, "deelnamestatussen", person)
    assert [dict(r.headers)["ce_id"].decode() for r in published] == [e.id for e in events]
    async with db.transaction() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(outbox))).scalar_one() == 0
    await db.dispose()


async def test_rows_an_earlier_version_marked_sent_go_after_seven_days_and_are_not_published_again(stack, tmp_path):
    db = await platform_database(tmp_path)
    box = Outbox(load_contract(), "urn:nld:oin:00000001003214345000:systeem:registration", "registration")
    events = [box.event(uuid.uuid4().hex * 2, status("GM0363")) for _ in range(4)]
    async with db.transaction() as conn:
        await box.add(conn, *events)
        for event, days in zip(events, (8, 8, 1, 1), strict=True):  # as an earlier relay left them
            marked = datetime.now(UTC) - timedelta(days=days)
            await conn.execute(outbox.update().where(outbox.c.event_id == event.id).values(sent_at=marked))
    relay = OutboxRelay(db, stack.kafka)
    assert await relay.publish_pending() == 0
    assert await relay.purge_sent() == 2
    await relay.close()
    async with db.transaction() as conn:
        left = set((await conn.execute(sa.select(outbox.c.event_id))).scalars())
    assert left == {e.id for e in events[2:]}
    await db.dispose()


async def test_a_failing_batch_is_rolled_back_and_retried_until_it_applies(stack, tmp_path):
    db = await platform_database(tmp_path)
    event = status_event("GM0014")
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", [event])
    attempts, applied = [], []

    async def flaky(conn, received):
        if received.id != event.id:
            return
        attempts.append(1)
        await conn.execute(sa.text("SELECT 1"))
        if len(attempts) < 3:
            raise ConnectionError("database went away")  # transient: retried, not dead-lettered
        applied.append(received.id)

    await consume_until(stack, db, flaky, lambda: applied)
    assert len(attempts) == 3 and applied == [event.id]
    dead = await asyncio.to_thread(kafka.read, stack.kafka, "deelnamestatussen.dlq", event.key)
    assert not dead
    await db.dispose()


async def test_stopping_finishes_the_batch_in_hand_and_commits_its_offsets(stack, tmp_path):
    from aiokafka.admin import AIOKafkaAdminClient

    db = await platform_database(tmp_path)
    events = [status_event("GM0014") for _ in range(50)]
    mine = {e.id for e in events}
    await asyncio.to_thread(kafka.produce_events, stack.kafka, "deelnamestatussen", events)
    stop, handled = asyncio.Event(), []

    async def slow(conn, event):
        if event.id in mine:
            stop.set()  # shutdown is asked for while the batch is being applied
            await asyncio.sleep(0.01)
            handled.append(event.id)

    group = f"test-{uuid.uuid4()}"
    runner = ConsumerRunner(
        db=db,
        kafka=stack.kafka,
        contract=load_contract(),
        group_id=group,
        handlers={TYPE: slow},
        topics=["deelnamestatussen"],
        max_records=10_000,
    )
    await asyncio.wait_for(runner.run(stop), 60)

    assert handled and len(handled) == len(set(handled))
    admin = AIOKafkaAdminClient(**stack.kafka.connection())
    await admin.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    async with db.transaction() as conn:
        recorded = set(
            (
                await conn.execute(sa.select(inbox.c.event_id).where(inbox.c.event_id.in_([e.id for e in events])))
            ).scalars()
        )
    assert recorded == set(handled), "the batch in hand was committed whole"
    assert committed and all(meta.offset > 0 for meta in committed.values()), "its offsets were committed"
    await db.dispose()


async def test_a_producer_that_cannot_flush_in_time_is_closed_not_left_sending(stack):
    """aiokafka's idempotent producer never gives its batches up, and its stop waits for them: stopped
    within a time, its sender and connections are closed as well, so what it held is not published
    later by a producer left behind (the relay sends those rows again with its next one, once)."""
    client = producer(stack.kafka)
    await client.start()
    await client.send_and_wait("deelnamestatussen", key=b"k" * 64, value=b"{}")  # connected
    flushed = asyncio.Event()

    async def flush_never() -> None:
        await flushed.wait()  # as batches for a partition without its in-sync replicas

    client._message_accumulator.close = flush_never
    await stop_quietly(client, 0.5)
    assert client._sender.sender_task.done()
    assert client.client._sync_task is None
    assert not any(connection.connected() for connection in client.client._conns.values())

"""Several instances on one database: the outbox numbers each person's events in commit order, and
one relay at a time relays a database (a real database: SQLite here, PostgreSQL in CI)."""

import asyncio
import dataclasses
import sqlite3
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import partial

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from schakel.clock import FixedClock
from schakel.events import InvalidEvent, load_contract
from schakel.messaging import Outbox, OutboxRelay, relay
from schakel.messaging.kafka import MAX_RECORD, KafkaConfig
from schakel.messaging.outbox import forget, numbered
from schakel.messaging.tables import outbox, outbox_relay, outbox_sequences
from tests.support.runner import platform_database, status

pytestmark = pytest.mark.integration
SOURCE = "urn:nld:oin:00000001003214345000:systeem:registration"
WRITTEN = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


def writer() -> Outbox:
    return Outbox(load_contract(), SOURCE, "registration")


async def test_one_person_s_events_are_numbered_and_ordered_as_their_transactions_commit(tmp_path):
    db, box = await platform_database(tmp_path), writer()
    person, other = uuid.uuid4().hex * 2, uuid.uuid4().hex * 2
    first_open, first_done = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with db.transaction() as conn:
            await box.add(conn, box.event(person, status("GM0014")), box.event(other, status("GM0014")))
            first_open.set()
            await first_done.wait()  # still uncommitted while the second writes about the same person

    async def second() -> None:
        await first_open.wait()
        async with db.transaction() as conn:
            await box.add(conn, box.event(person, status("GM0014")))

    one, two = asyncio.create_task(first()), asyncio.create_task(second())
    await first_open.wait()
    done, _ = await asyncio.wait({two}, timeout=1.0)
    assert not done, "a writer about the same person waits for the one before it to commit"
    first_done.set()
    await asyncio.gather(one, two)

    async with db.engine.connect() as conn:
        rows = (await conn.execute(sa.select(outbox.c.key, outbox.c.headers).order_by(outbox.c.id))).all()
    numbers = [(r.key, int(r.headers["ce_sequence"])) for r in rows]
    assert [key for key, _ in numbers] == [person, other, person]
    assert numbers[0][1] < numbers[2][1], "id order is sequence order is commit order, per person"
    await db.dispose()


async def test_an_event_larger_than_a_record_may_hold_is_refused_when_written_not_left_for_the_relay(tmp_path):
    """The producer refuses such a record on every try: in the outbox it would hold up every event
    behind it. Its transaction fails instead, where the cause is (a request, or a consumed event that
    goes to the dead-letter topic)."""
    db, box = await platform_database(tmp_path), writer()
    person = uuid.uuid4().hex * 2
    data = status("GM0014").as_json() | {"terugvalopties": ["dagbesteding"] * (MAX_RECORD // 15)}
    large = dataclasses.replace(box.event(person, status("GM0014")), data=data)
    with pytest.raises(InvalidEvent, match=rf"deelnamestatus.* bytes, more than a record may hold \({MAX_RECORD}\)"):
        async with db.transaction() as conn:
            await box.add(conn, box.event(person, status("GM0014")), large)
    async with db.engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(outbox))).scalar() == 0
    await db.dispose()


async def test_a_forgotten_person_s_next_number_is_still_higher(tmp_path):
    db, box = await platform_database(tmp_path), writer()
    person = uuid.uuid4().hex * 2
    async with db.transaction() as conn:
        [before] = await numbered(conn, (box.event(person, status("GM0014")),))
    async with db.transaction() as conn:
        await forget(conn, [person])
        assert not (await conn.execute(sa.select(outbox_sequences))).all(), "retention leaves no row"
    async with db.transaction() as conn:
        [after] = await numbered(conn, (box.event(person, status("GM0014")),))
    assert after.sequence > before.sequence, "state a consumer kept of them cannot look newer"
    await db.dispose()


async def test_a_delivery_s_persons_are_numbered_in_one_statement(tmp_path):
    db, box = await platform_database(tmp_path), writer()
    persons = [uuid.uuid4().hex * 2 for _ in range(1500)]
    async with db.transaction() as conn:
        before = REGISTRY.get_sample_value("schakel_db_statements_total") or 0
        events = await numbered(conn, tuple(box.event(p, status("GM0014")) for p in persons * 2))
        sent = (REGISTRY.get_sample_value("schakel_db_statements_total") or 0) - before
    assert sent == 1, "one round trip for the delivery, not one per person"
    first, second = events[: len(persons)], events[len(persons) :]
    assert all(b.sequence == a.sequence + 1 for a, b in zip(first, second, strict=True)), "each person counts on"
    await db.dispose()


async def test_while_one_relay_relays_a_database_another_publishes_nothing(tmp_path):
    db, box = await platform_database(tmp_path), writer()
    async with db.transaction() as conn:
        await box.add(conn, box.event(uuid.uuid4().hex * 2, status("GM0014")))
    unreachable = KafkaConfig("127.0.0.1:9", "schakel-tests", timeout=1.0)  # it never gets as far as the broker
    holder, other = OutboxRelay(db, unreachable), OutboxRelay(db, unreachable)
    if db.is_sqlite:  # a lease that its holder renews every round and gives back when it stops
        assert await holder._renew_lease()
        assert await other.publish_pending() == 0
        await holder.close(flush=False)  # stopping without a flush still hands the lease on
        assert await other._renew_lease()
    else:  # the lock on the relay's row, held in the transaction of the batch being published
        async with db.transaction() as conn:
            await conn.execute(sa.select(outbox_relay).with_for_update())
            assert await other.publish_pending() == 0
    async with db.engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).where(outbox.c.sent_at.is_(None)))).scalar_one() == 1
    await db.dispose()


async def until(holds, what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not await holds():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.01)


@pytest.fixture
def lease_clock(monkeypatch) -> FixedClock:
    """The relay's time, moved by the test only: a lease runs out when the test says, not when a
    loaded machine happens to hold the loop up."""
    clock = FixedClock(date.today(), datetime.now(UTC))
    monkeypatch.setattr(relay, "SYSTEM", clock)
    return clock


async def a_slow_holder(tmp_path):
    db, box = await platform_database(tmp_path, sqlite=True), writer()
    async with db.transaction() as conn:
        await box.add(conn, box.event(uuid.uuid4().hex * 2, status("GM0014")))
    lease, unreachable = timedelta(seconds=0.4), KafkaConfig("127.0.0.1:9", "schakel-tests", timeout=1.0)
    holder, other = OutboxRelay(db, unreachable, lease=lease), OutboxRelay(db, unreachable, lease=lease)
    sending, sent, published = asyncio.Event(), asyncio.Event(), []

    async def slow_send(rows):  # a broker that takes its time to acknowledge
        sending.set()
        await sent.wait()
        published.extend(r.event_id for r in rows)

    async def send(rows):
        published.extend(r.event_id for r in rows)

    holder._send, other._send = slow_send, send
    relaying = asyncio.create_task(holder.publish_pending())
    await sending.wait()
    return db, holder, other, relaying, sent, published


async def lease_until(db) -> datetime:
    async with db.engine.connect() as conn:
        return (await conn.execute(sa.select(outbox_relay.c.expires_at))).scalar_one()


async def test_a_relay_keeps_its_turn_while_it_sends_a_batch_for_longer_than_its_lease(tmp_path, lease_clock):
    """A send may take twice the broker's timeout, longer than SQLite's lease: renewed meanwhile, so
    no other instance takes the turn and publishes the same rows again."""
    db, holder, other, relaying, sent, published = await a_slow_holder(tmp_path)
    for _ in range(3):  # three leases long
        taken = await lease_until(db)
        lease_clock.advance(timedelta(seconds=0.2))  # half of it gone
        await until(partial(_later, db, taken), "the lease is renewed while the holder sends")
        lease_clock.advance(timedelta(seconds=0.25))  # past the lease as it was
        assert await other.publish_pending() == 0, "the holder's turn lasts as long as its send"
    sent.set()
    assert await relaying == 1 and len(published) == 1
    await db.dispose()


async def _later(db, than: datetime) -> bool:
    return await lease_until(db) > than


async def test_a_lease_renewed_behind_another_writer_runs_from_when_it_is_written(tmp_path, lease_clock):
    """SQLite's writers queue for its lock (up to the busy timeout, 30 s): a renewal that waited behind
    one longer than the lease still holds the lease for its length once written."""
    db, holder, other, relaying, sent, published = await a_slow_holder(tmp_path)
    release, writing = threading.Event(), asyncio.Event()

    def another_writer() -> None:
        conn = sqlite3.connect(db.engine.url.database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        asyncio.run_coroutine_threadsafe(_set(writing), loop)
        release.wait(30)
        conn.execute("ROLLBACK")
        conn.close()

    loop, taken, renew = asyncio.get_running_loop(), await lease_until(db), holder._renew_lease
    writer_done = asyncio.ensure_future(asyncio.to_thread(another_writer))
    asking = asyncio.Event()

    async def renewal(*args, **kwargs):
        asking.set()
        return await renew(*args, **kwargs)

    try:
        await asyncio.wait_for(writing.wait(), 10)
        lease_clock.advance(timedelta(seconds=0.2))  # the holder renews now, and waits for the lock
        holder._renew_lease = renewal
        await asyncio.wait_for(asking.wait(), 10)  # the holder renews while it sends
        lease_clock.advance(timedelta(seconds=1))  # it waited longer than the lease
    finally:
        release.set()
        await writer_done
    await until(partial(_later, db, taken), "the renewal is written once the lock is free")
    assert await other.publish_pending() == 0, "renewed from when it was written, not from before the wait"
    sent.set()
    assert await relaying == 1 and len(published) == 1
    await db.dispose()


async def _set(event: asyncio.Event) -> None:
    event.set()


@pytest.fixture
def host_not_on_utc(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


async def test_the_backlog_gauges_count_the_unsent_rows_and_date_the_oldest_in_utc(tmp_path, host_not_on_utc):
    """SQLite hands timestamps back naive: read as local time, the oldest row's age would be off by
    the host's offset from UTC, and `SchakelOutboxBacklogOld` would fire early or late."""
    db, box = await platform_database(tmp_path), writer()
    older, newer = (box.event(uuid.uuid4().hex * 2, status("GM0014")) for _ in range(2))
    async with db.transaction() as conn:
        await box.add(conn, older, newer)
    async with db.transaction() as conn:  # a known moment for the oldest, as an aware UTC time
        await conn.execute(outbox.update().where(outbox.c.event_id == older.id).values(created_at=WRITTEN))
    await OutboxRelay(db, KafkaConfig("127.0.0.1:9", "schakel-tests", timeout=1.0)).measure_backlog()
    assert REGISTRY.get_sample_value("schakel_outbox_backlog_events") == 2
    assert REGISTRY.get_sample_value("schakel_outbox_oldest_unsent_timestamp_seconds") == WRITTEN.timestamp()
    await db.dispose()


async def test_a_relay_that_lost_its_turn_deletes_what_it_read_never_a_newer_row_with_the_same_id(tmp_path):
    """SQLite gives a deleted row's id to the next row: a relay whose lease ran out while it sent must
    not delete, by that id, an event written after another relay published and deleted the first."""
    db, box = await platform_database(tmp_path), writer()
    first, second = (box.event(uuid.uuid4().hex * 2, status("GM0014")) for _ in range(2))
    async with db.transaction() as conn:
        await box.add(conn, first)
    unreachable = KafkaConfig("127.0.0.1:9", "schakel-tests", timeout=1.0)  # nothing is sent here
    late, other = OutboxRelay(db, unreachable), OutboxRelay(db, unreachable)
    async with db.engine.connect() as conn:
        read = await late._unsent(conn)
    async with db.transaction() as conn:  # the other relay took over, published it and deleted it
        await other._forget_sent(conn, read)
    async with db.transaction() as conn:
        await box.add(conn, second)
    async with db.transaction() as conn:  # the late one's send ends: it deletes what it read
        await late._forget_sent(conn, read)
    async with db.engine.connect() as conn:
        assert set((await conn.execute(sa.select(outbox.c.event_id))).scalars()) == {second.id}
    await db.dispose()

"""Housekeeping once per interval for a database, whatever the number of instances: of instances
asking at once one gets the turn; the next turn comes when the asker's interval has passed, on a new
day of the service's clock, or when a wrong clock left a start in the future; a job that fails gives
its turn back; at midnight, whose clocks differ by seconds, one still on the old day never takes the
turn back from one on the new day (a real database: SQLite here, PostgreSQL in CI)."""

import asyncio
import uuid
from datetime import UTC, date, timedelta

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY
from sqlalchemy.ext.asyncio import create_async_engine

from schakel.clock import SYSTEM, FixedClock
from schakel.persistence import Database
from schakel.runtime.periodic import in_turn, metadata, periodic_jobs, turn
from schakel.telemetry import metrics
from tests.support.stack import new_database_url

DAG = date(2027, 3, 1)
OUD = DAG
NIEUW = OUD + timedelta(days=1)


async def instances(tmp_path, n: int) -> list[Database]:
    """`n` instances' connections to one database (the table as platform_0006 and 0007 build it)."""
    url = await asyncio.to_thread(new_database_url, tmp_path, f"periodic-{uuid.uuid4().hex[:8]}")
    dbs = [Database(url) for _ in range(n)]
    async with dbs[0].transaction() as conn:
        await conn.run_sync(metadata.create_all)
    return dbs


async def test_one_of_the_instances_asking_at_once_gets_the_turn_until_it_is_due_again(tmp_path):
    dbs = await instances(tmp_path, 2)
    try:
        turns = await asyncio.gather(*(turn(db, "retention", 3600, DAG) for db in dbs for _ in range(4)))
        assert sum(t is not None for t in turns) == 1
        assert await turn(dbs[1], "retention", 3600, DAG) is None, "not due again within the hour"
        assert await turn(dbs[1], "inbox-purge", 3600, DAG), "each job has its own turn"
        assert await turn(dbs[0], "nu", 0, DAG) and await turn(dbs[1], "nu", 0, DAG), "due once the interval passed"
        assert await turn(dbs[0], "retention", 0, DAG), "an instance restarted with a shorter interval goes by its own"
        assert await turn(dbs[0], "inbox-purge", 3600, DAG + timedelta(days=1)), "a new day of the service's clock"
        assert await turn(dbs[1], "inbox-purge", 3600, DAG) is None, "an earlier day does not take the turn"
    finally:
        for db in dbs:
            await db.dispose()


async def test_a_start_left_in_the_future_by_a_wrong_clock_does_not_stop_the_job(tmp_path):
    [db] = await instances(tmp_path, 1)
    try:
        async with db.transaction() as conn:
            ahead = SYSTEM.now() + timedelta(days=2)
            await conn.execute(periodic_jobs.insert().values(name="retention", started_at=ahead, day=DAG))
        assert await turn(db, "retention", 3600, DAG)
        assert await turn(db, "retention", 3600, DAG) is None
    finally:
        await db.dispose()


async def test_a_job_runs_once_for_the_database_and_one_that_fails_gives_its_turn_back(tmp_path):
    dbs = await instances(tmp_path, 3)
    runs = []

    async def job():
        runs.append(1)

    async def failing():
        raise ConnectionError("the database went away")

    try:
        await asyncio.gather(*(in_turn(db, "advance-proposal", 3600, FixedClock(DAG), job) for db in dbs))
        assert runs == [1]
        with pytest.raises(ConnectionError):
            await in_turn(dbs[0], "instalments", 3600, FixedClock(DAG), failing)
        await in_turn(dbs[1], "instalments", 3600, FixedClock(DAG), job)
        assert runs == [1, 1], "the next instance to ask runs what failed"
        async with dbs[0].transaction() as conn:
            assert (await conn.execute(sa.select(sa.func.count()).select_from(periodic_jobs))).scalar() == 2
    finally:
        for db in dbs:
            await db.dispose()


async def test_a_job_the_database_outage_failed_gets_its_turn_back_once_the_database_is_back(tmp_path, monkeypatch):
    """The usual reason a job fails is the database going away while it runs: then the turn cannot be
    given back at once either. It is given back at the next ask, so the job runs again once the
    database is back rather than an interval later (an hour; registration's retention a day)."""
    [db] = await instances(tmp_path, 1)
    there = db.engine
    away = create_async_engine(f"sqlite+aiosqlite:///{tmp_path}/away/schakel.db")  # a folder that is not there
    runs = []

    async def hit_by_the_outage():
        runs.append("cut off")
        monkeypatch.setattr(db, "engine", away)  # the database is away from here on
        raise ConnectionError("the database went away")

    async def job():
        runs.append("ran")

    try:
        with pytest.raises(ConnectionError):
            await in_turn(db, "retention", 3600, FixedClock(DAG), hit_by_the_outage)
        monkeypatch.setattr(db, "engine", there)  # back
        await in_turn(db, "retention", 3600, FixedClock(DAG), job)
        assert runs == ["cut off", "ran"], "not an hour later"
        await in_turn(db, "retention", 3600, FixedClock(DAG), job)
        assert runs == ["cut off", "ran"], "and then once per interval again"
    finally:
        await away.dispose()
        await db.dispose()


async def test_every_instance_reports_when_a_job_last_finished_not_only_the_one_that_ran_it(tmp_path):
    """After a rollout none of the new instances ran a job yet: the overdue alert still needs the time."""
    ran, new = await instances(tmp_path, 2)
    samples = []

    async def job():
        pass

    try:
        await in_turn(ran, "retention-test", 3600, FixedClock(DAG), job)
        async with ran.transaction() as conn:
            finished = (await conn.execute(sa.select(periodic_jobs.c.finished_at))).scalar_one()
        metrics.HOUSEKEEPING_LAST_RUN.labels("retention-test").set(0)  # the new instance's own gauge
        await in_turn(new, "retention-test", 3600, FixedClock(DAG), job)  # not its turn
        samples.append(
            REGISTRY.get_sample_value(
                "schakel_housekeeping_last_run_timestamp_seconds", {"periodic_job": "retention-test"}
            )
        )
        assert samples == [pytest.approx(finished.replace(tzinfo=finished.tzinfo or UTC).timestamp())]
    finally:
        for db in (ran, new):
            await db.dispose()


async def test_an_instance_still_on_the_old_day_does_not_take_the_turn_after_one_on_the_new_day(tmp_path):
    dbs = await instances(tmp_path, 3)
    try:
        assert await turn(dbs[0], "aankondiging", 3600, OUD), "yesterday's run"
        assert await turn(dbs[1], "aankondiging", 3600, NIEUW), "the new day's run"
        assert await turn(dbs[2], "aankondiging", 3600, OUD) is None, "a clock seconds behind, still on yesterday"
        assert await turn(dbs[0], "aankondiging", 3600, NIEUW) is None, "the new day's run goes on: no second one"
        async with dbs[0].transaction() as conn:
            day = (await conn.execute(sa.select(periodic_jobs.c.day))).scalar_one()
        assert day == NIEUW, "the old day is not written back"
    finally:
        for db in dbs:
            await db.dispose()


async def test_a_job_runs_once_around_midnight_whatever_order_the_instances_ask_in(tmp_path):
    dbs = await instances(tmp_path, 3)
    runs: list[date] = []

    def job(day: date):
        async def run():
            runs.append(day)

        return run

    try:
        await in_turn(dbs[0], "aankondiging", 3600, FixedClock(OUD), job(OUD))
        for db, day in ((dbs[1], NIEUW), (dbs[2], OUD), (dbs[0], NIEUW), (dbs[2], OUD), (dbs[1], NIEUW)):
            await in_turn(db, "aankondiging", 3600, FixedClock(day), job(day))
        assert runs == [OUD, NIEUW], "one run on each day"
    finally:
        for db in dbs:
            await db.dispose()

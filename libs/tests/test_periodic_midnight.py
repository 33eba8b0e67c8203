"""At midnight the instances' clocks differ by seconds: one on the new day takes the housekeeping turn,
and one still on the old day must not take it back (it would write the old day back, and the next
instance on the new day would get the turn again while the first run still goes). A real database:
SQLite here, PostgreSQL with SCHAKEL_TEST_POSTGRES_URL."""

import asyncio
import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from schakel.clock import FixedClock
from schakel.persistence import Database
from schakel.runtime.periodic import in_turn, metadata, periodic_jobs, turn
from tests.support.stack import new_database_url

OUD = date(2027, 3, 1)
NIEUW = OUD + timedelta(days=1)


async def instances(tmp_path, n: int) -> list[Database]:
    url = await asyncio.to_thread(new_database_url, tmp_path, f"middernacht-{uuid.uuid4().hex[:8]}")
    dbs = [Database(url) for _ in range(n)]
    async with dbs[0].transaction() as conn:
        await conn.run_sync(metadata.create_all)
    return dbs


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

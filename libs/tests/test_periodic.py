"""Housekeeping once per interval for a database, whatever the number of instances: of instances
asking at once one gets the turn, and the next turn comes when the interval has passed (a real
database: SQLite here, PostgreSQL in CI)."""

import asyncio
import uuid

from schakel.persistence import Database
from schakel.runtime.periodic import metadata, turn
from schakel.runtime.service import _in_turn
from tests.support.stack import new_database_url


async def instances(tmp_path, n: int) -> list[Database]:
    """`n` instances' connections to one database (the table as platform_0006 builds it)."""
    url = await asyncio.to_thread(new_database_url, tmp_path, f"periodic-{uuid.uuid4().hex[:8]}")
    dbs = [Database(url) for _ in range(n)]
    async with dbs[0].transaction() as conn:
        await conn.run_sync(metadata.create_all)
    return dbs


async def test_one_of_the_instances_asking_at_once_gets_the_turn_until_the_interval_passed(tmp_path):
    dbs = await instances(tmp_path, 2)
    try:
        turns = await asyncio.gather(*(turn(db, "retention", 3600) for db in dbs for _ in range(4)))
        assert sorted(turns) == [False] * 7 + [True]
        assert not await turn(dbs[1], "retention", 3600), "not due again within the hour"
        assert await turn(dbs[1], "inbox-purge", 3600), "each job has its own turn"
        assert await turn(dbs[0], "nu", 0) and await turn(dbs[1], "nu", 0), "due again once the interval passed"
        assert await turn(dbs[0], "retention", 0), "an instance restarted with a shorter interval goes by its own"
    finally:
        for db in dbs:
            await db.dispose()


async def test_a_job_in_turns_runs_once_for_the_database(tmp_path):
    dbs = await instances(tmp_path, 3)
    runs = []

    async def job():
        runs.append(1)

    try:
        await asyncio.gather(*(_in_turn(db, "advance-proposal", 3600, job) for db in dbs))
        assert runs == [1]
    finally:
        for db in dbs:
            await db.dispose()

"""Each service's housekeeping runs in one instance per interval (schakel.runtime.periodic): the
jobs a service registers that way take their turn in its database, as bootstrap builds it, and the
instance that ran one reports when (the alert SchakelHousekeepingOverdue watches it)."""

import importlib

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from deploy.token import development
from schakel.clock import SYSTEM
from schakel.runtime.periodic import periodic_jobs

LAST_RUN = "schakel_housekeeping_last_run_timestamp_seconds"
PLATFORM = {"logboek-purge", "inbox-purge", "idempotency-purge", "retention"}
IN_TURN = {
    "income": PLATFORM,
    "decisions": PLATFORM | {"advance-proposal", "instalments"},
    "reapplication": PLATFORM,
    "registration": PLATFORM,
}


@pytest.mark.parametrize("name", sorted(IN_TURN))
async def test_housekeeping_takes_its_turn_in_the_database(name, tmp_path):
    bootstrap = importlib.import_module(f"{name}.bootstrap")
    service, _ = bootstrap.build(development().model_copy(update={"data_dir": tmp_path}))
    try:
        await service.migrate()
        jobs = {health.name: job for _, job, health in service._periodic}
        begin = SYSTEM.now().timestamp()
        for job in IN_TURN[name]:
            await jobs[job]()
            assert REGISTRY.get_sample_value(LAST_RUN, {"job": job}) >= begin, "the instance that ran it says when"
            assert REGISTRY.get_sample_value("schakel_housekeeping_interval_seconds", {"job": job}) > 0
        async with service.db.transaction() as conn:
            turns = set((await conn.execute(sa.select(periodic_jobs.c.name))).scalars())
        assert turns == IN_TURN[name]
    finally:
        await service.db.dispose()

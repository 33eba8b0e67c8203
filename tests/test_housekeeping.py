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
            assert REGISTRY.get_sample_value(LAST_RUN, {"periodic_job": job}) >= begin, (
                "the instance that ran it says when"
            )
            assert REGISTRY.get_sample_value("schakel_housekeeping_interval_seconds", {"periodic_job": job}) > 0
        async with service.db.transaction() as conn:
            turns = set((await conn.execute(sa.select(periodic_jobs.c.name))).scalars())
        assert turns == IN_TURN[name]
    finally:
        await service.db.dispose()


async def test_a_job_that_changes_a_person_s_data_leaves_their_record(tmp_path):
    """Registration announces a status whose day came: a processing of Schakel's own, on the person's
    record as an event's is (the job is the register's, `huishouding` jobs are not)."""
    from datetime import UTC, datetime, timedelta

    from registration import bootstrap
    from registration.domain.deelname import Feit, Soort
    from schakel import logboek

    service, app = bootstrap.build(development().model_copy(update={"data_dir": tmp_path}))
    try:
        await service.migrate()
        bsn, ports = "999993653", app.state.ports
        persoon, gisteren = ports.pseudonym(bsn), service.clock.today() - timedelta(days=1)
        feit = Feit(Soort.dagbesteding_gestart, gisteren, "GM0363", {"indicatie": "wmo"})
        async with ports.uow() as uow:  # reported ahead, its day come: announced by the job
            await uow.feiten.voeg_toe(persoon, bsn, feit, "test", service.clock.now(), gisteren)
        await {health.name: job for _, job, health in service._periodic}["announcements"]()
        async with service.db.transaction() as conn:
            records = await logboek.van(conn, persoon, datetime(2000, 1, 1, tzinfo=UTC), SYSTEM.now(), 10)
        assert [(r["naam"], r["status"], r["gebruiker"]) for r in records] == [("announcements", "OK", None)]
        assert records[0]["activiteit"] == logboek.register().taken[("registration", "announcements")]
    finally:
        await service.db.dispose()


async def test_a_job_s_transaction_that_rolls_back_leaves_no_record_for_the_next_one(tmp_path):
    """A job's transactions are processings of their own: a person noted in one that rolled back (a
    month closing's page that failed) is not written as OK by the next."""
    from datetime import UTC, datetime

    from registration import bootstrap
    from schakel import logboek

    service, _ = bootstrap.build(development().model_copy(update={"data_dir": tmp_path}))
    try:
        await service.migrate()

        async def job() -> None:
            with pytest.raises(RuntimeError):
                async with service.transaction():
                    logboek.noteer("teruggedraaid")
                    raise RuntimeError("the page failed")
            async with service.transaction():
                logboek.noteer("vastgelegd")

        await service._als_verwerking("announcements", "urn:test", job)
        async with service.db.transaction() as conn:
            found = {
                p: [r["status"] for r in await logboek.van(conn, p, datetime(2000, 1, 1, tzinfo=UTC), SYSTEM.now(), 9)]
                for p in ("teruggedraaid", "vastgelegd")
            }
        assert found == {"teruggedraaid": [], "vastgelegd": ["OK"]}
    finally:
        await service.db.dispose()


async def test_a_service_that_leaves_migrating_to_its_job_is_not_ready_until_the_job_ran(tmp_path):
    import asyncio

    from registration import bootstrap
    from schakel.api.app import NotReady

    platform = development().model_copy(update={"data_dir": tmp_path, "migrate_at_start": False})
    service, app = bootstrap.build(platform)
    async with service._lifespan(app):
        with pytest.raises(NotReady, match="niet bijgewerkt"):
            await service._migrations_done()
        await service.migrate()  # the deployment's job
        async with asyncio.timeout(30):  # the start tries again (after 1 s, then longer)
            while not service._migrated:
                await asyncio.sleep(0.05)
        await service._migrations_done()

"""No background task dies quietly: a task whose exception escapes is restarted and shown, and
readiness names a task that ended or has been failing past the threshold (class, never message)."""

import asyncio
import time

import pytest

from schakel.runtime import service
from schakel.runtime.service import _supervised
from schakel.telemetry.health import TaskHealth, where


def test_a_task_failing_past_the_threshold_or_ended_is_named_with_its_error_class_only():
    health = TaskHealth("outbox-relay")
    assert health.problem(threshold=30) is None
    health.failing(ConnectionRefusedError("127.0.0.1:5432 refused for 999993653"))
    assert health.problem(threshold=30) is None, "a short hiccup is not yet a problem"
    health.failing_since = time.monotonic() - 31
    assert health.problem(threshold=30) == "outbox-relay faalt al 31 s (ConnectionRefusedError)"
    health.ok()
    assert health.problem(threshold=30) is None


async def test_an_ended_task_is_a_problem():
    health = TaskHealth("consumer")
    health.task = asyncio.create_task(asyncio.sleep(0))
    await health.task
    assert health.problem(threshold=30) == "consumer is gestopt"


def test_where_names_the_class_and_the_line_of_own_code_never_the_message():
    try:
        int("999993653x")
    except ValueError as exc:
        described = where(exc)
    assert described.startswith("ValueError in tests/test_health.py:") and "999993653" not in described


async def test_a_task_whose_exception_escapes_is_restarted_and_shown_until_it_recovers():
    health, stop, runs = TaskHealth("consumer"), asyncio.Event(), []

    async def run(stop_event):
        runs.append(health.failing_since)
        if len(runs) == 1:
            raise RuntimeError("bug")
        health.ok()
        stop_event.set()

    await asyncio.wait_for(_supervised(run, health, stop), 10)
    assert runs[0] is None and runs[1] is not None, "restarted, and failing while it was down"
    assert health.failing_since is None


async def test_a_task_that_ran_well_for_a_while_and_fails_restarts_after_the_first_wait_not_the_grown_one(
    caplog, monkeypatch
):
    health, stop, runs = TaskHealth("relay"), asyncio.Event(), []
    monkeypatch.setattr(service, "HEALTHY_RUN", 1.0)  # a second's margin for a stall in a run that fails at once

    async def run(stop_event):
        runs.append(1)
        if len(runs) == 3:
            await asyncio.sleep(1.1)  # ran well for a while; the two before failed at once
        if len(runs) == 4:
            stop_event.set()
            return
        raise RuntimeError("bug")

    await asyncio.wait_for(_supervised(run, health, stop), 10)
    waits = [line.rsplit("restarting in ", 1)[1] for line in caplog.messages if "restarting in" in line]
    assert waits == ["0.5s", "1.0s", "0.5s"]


async def test_a_task_that_stops_going_round_its_loop_is_cancelled_and_started_again():
    health, stop, runs = TaskHealth("consumer"), asyncio.Event(), []

    async def run(stop_event):
        runs.append(health.failing_since)
        if len(runs) == 1:
            await asyncio.Event().wait()  # hangs, as a broker call past its own timeout can
        stop_event.set()

    await asyncio.wait_for(_supervised(run, health, stop, stall=1.0), 15)
    assert len(runs) == 2 and runs[1] is not None, "restarted, and shown as failing meanwhile"
    assert health.error == "Stalled"


async def test_a_cancelled_error_out_of_the_task_restarts_it_while_cancelling_the_service_stops_it():
    health, stop, runs = TaskHealth("consumer"), asyncio.Event(), []

    async def run(stop_event):
        runs.append(health.failing_since)
        if len(runs) == 1:
            raise asyncio.CancelledError  # as aiokafka raises from a call whose own task it closed
        await asyncio.Event().wait()

    async def restarted():
        while len(runs) < 2 and not supervisor.done():
            await asyncio.sleep(0.05)

    supervisor = asyncio.create_task(_supervised(run, health, stop))
    await asyncio.wait_for(restarted(), 10)
    assert runs[1] is not None and health.error == "CancelledError", "restarted, and shown as failing meanwhile"
    supervisor.cancel()
    await asyncio.wait({supervisor}, timeout=5)
    assert supervisor.cancelled(), "the service stopping still stops it"


async def test_a_housekeeping_job_that_failed_is_tried_again_soon_backing_off_not_after_its_interval(monkeypatch):
    health, stop, waits, runs = TaskHealth("retention"), asyncio.Event(), [], []

    async def waiting(*events, timeout):
        waits.append(timeout)
        if len(waits) == 6:
            stop.set()

    async def job():
        runs.append(1)
        if len(runs) in (2, 3, 4, 5):  # an outage of four runs
            raise ConnectionRefusedError()

    monkeypatch.setattr(service, "wait_any", waiting)
    await service._repeat(3600, job, health, stop)
    assert waits == [3600, 5.0, 10.0, 20.0, 40.0, 3600]


def test_readiness_waits_for_the_tasks_that_move_events_not_for_housekeeping(tmp_path):
    from deploy.token import development
    from registration import bootstrap

    built, _ = bootstrap.build(development().model_copy(update={"data_dir": tmp_path}))
    names = {h.name for h in built.health()}
    assert names == {"outbox-relay", *(r.health.name for r in built.runners)} and built.runners
    assert not names & {"retention", "logboek-purge", "inbox-purge", "idempotency-purge", "dlq-depth", "group-offsets"}


async def test_a_service_started_while_its_database_is_away_answers_not_ready_and_starts_once_it_is_back(tmp_path):
    """It does not exit into the platform's restart loop (whose back-off outlasts the outage)."""
    from deploy.token import development
    from registration import bootstrap
    from schakel.api.app import NotReady
    from schakel.persistence import PersistenceError

    built, app = bootstrap.build(development().model_copy(update={"data_dir": tmp_path}))
    attempts, started = [], asyncio.Event()

    async def migrate():
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionRefusedError("the database is away")

    async def ping():
        if len(attempts) < 3:
            raise PersistenceError("ConnectionRefusedError")

    def start(stop, tasks):
        built._migrated = True
        started.set()

    built.migrate, built._start, built.db.ping = migrate, start, ping
    async with app.router.lifespan_context(app):
        with pytest.raises(NotReady, match="nog niet bijgewerkt"):
            await built._migrations_done()
        await asyncio.wait_for(started.wait(), 10)
        await built._migrations_done()
    assert len(attempts) == 3


async def test_a_migration_that_fails_while_the_database_answers_still_stops_the_start(tmp_path):
    from sqlalchemy.exc import OperationalError

    from deploy.token import development
    from registration import bootstrap

    built, app = bootstrap.build(development().model_copy(update={"data_dir": tmp_path}))

    async def migrate():  # SQLite names a wrong statement as it names a locked database
        raise OperationalError("ALTER TABLE", {}, Exception("duplicate column name: later"))

    built.migrate = migrate
    with pytest.raises(OperationalError):
        async with app.router.lifespan_context(app):
            pass

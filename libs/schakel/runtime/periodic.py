"""Housekeeping that is due once per interval for a service's database, not once per instance
(purges, retention, the month's proposals): the instances take turns through one row per job that
says when it last started, and on which day of the service's clock. Work every instance shares
out itself (webhook deliveries, a queue) does not need it."""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from functools import cache

import sqlalchemy as sa

from schakel.clock import SYSTEM, Clock
from schakel.persistence import Database
from schakel.persistence.types import UtcDateTime
from schakel.persistence.upsert import dialect_insert
from schakel.telemetry import metrics

metadata = sa.MetaData()

# turns this process took for a job that failed, whose giving back failed too (the database was away:
# the usual reason a job fails): given back at its next ask, or the turn would wait out the interval
_owed: weakref.WeakKeyDictionary[Database, dict[str, datetime]] = weakref.WeakKeyDictionary()

periodic_jobs = sa.Table(
    "periodic_jobs",
    metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("finished_at", UtcDateTime),  # the last run that succeeded
)


async def in_turn(db: Database, name: str, seconds: float, clock: Clock, job: Callable[[], Awaitable[object]]) -> None:
    """Runs `job` if it is this instance's turn (`turn`). Every instance reports when it last
    finished, whoever ran it: after a rollout the new instances report it too. A job that fails or is
    cancelled gives its turn back, so the next instance to ask runs it rather than waiting out the
    interval; where the database that failed it is still away, this instance gives it back at its
    next ask."""
    owed = _owed.setdefault(db, {})
    if name in owed and await _give_back(db, name, owed[name]):
        del owed[name]
    started = await turn(db, name, seconds, clock.today())
    if started is None:
        async with db.alone() as conn:
            finished = (
                await conn.execute(sa.select(periodic_jobs.c.finished_at).where(periodic_jobs.c.name == name))
            ).scalar()
        if finished is not None:
            metrics.HOUSEKEEPING_LAST_RUN.labels(name).set(finished.timestamp())
        return
    try:
        await job()
    except BaseException:
        if not await _give_back(db, name, started):
            owed[name] = started
        raise
    async with db.transaction() as conn:
        await conn.execute(periodic_jobs.update().where(periodic_jobs.c.name == name).values(finished_at=SYSTEM.now()))
    metrics.HOUSEKEEPING_LAST_RUN.labels(name).set_to_current_time()


async def turn(db: Database, name: str, seconds: float, today: date) -> datetime | None:
    """The start recorded when this instance takes the turn, None when it is not its turn. It is its
    turn when the job never ran, last started at least `seconds` ago (this instance's interval, so
    a changed setting counts at once), last ran on an earlier day of the service's clock (a new
    day, or `SCHAKEL_TODAY` moved forward), or last started more than an interval ahead of this
    instance's clock (a clock that was wrong must not stop the job). An earlier day does not take
    it: at midnight an instance a few seconds behind would hand the turn out twice. A clock set back
    (`SCHAKEL_TODAY` in development) waits out the interval, or deletes the job's row. One statement: of instances asking at once
    one gets the turn (on PostgreSQL the others wait for its row and find it started just now)."""
    now = SYSTEM.now()  # real time, as the instances share it
    interval = timedelta(seconds=seconds)
    async with db.transaction() as conn:
        taken = await conn.execute(
            _statement(conn.dialect.name),
            {"name": name, "started_at": now, "day": today, "since": now - interval, "ahead": now + interval},
        )
        return now if taken.first() is not None else None


async def _give_back(db: Database, name: str, started: datetime) -> bool:
    """Whether the turn went back (or was no longer this one's: another instance took it since). The job's
    own failure is what `schakel_task_up` shows; one that could not be given back is tried again."""
    try:
        async with db.transaction() as conn:
            await conn.execute(
                periodic_jobs.delete().where(periodic_jobs.c.name == name, periodic_jobs.c.started_at == started)
            )
    except Exception:  # noqa: BLE001 - the database is away: given back at the next ask
        return False
    return True


@cache
def _statement(dialect: str) -> sa.Insert:
    insert = dialect_insert(dialect, periodic_jobs)
    job = periodic_jobs.c
    statement: sa.Insert = insert.on_conflict_do_update(
        index_elements=[job.name],
        set_={"started_at": insert.excluded.started_at, "day": insert.excluded.day},
        where=sa.or_(
            job.started_at <= sa.bindparam("since"),
            job.started_at > sa.bindparam("ahead"),
            # only a later day: an instance whose clock is still on yesterday (seconds behind at
            # midnight) must not take the turn back from one on the new day and hand it out again
            job.day < insert.excluded.day,
        ),
    ).returning(job.name)
    return statement

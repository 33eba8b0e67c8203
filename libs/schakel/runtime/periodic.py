"""Housekeeping that is due once per interval for a service's database, not once per instance
(purges, retention, the month's proposals): the instances take turns through one row per job that
says when it last started. Work every instance shares out itself (webhook deliveries, a queue)
does not need it."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from schakel.clock import SYSTEM
from schakel.persistence import Database

metadata = sa.MetaData()

periodic_jobs = sa.Table(
    "periodic_jobs",
    metadata,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
)


async def turn(db: Database, name: str, seconds: float) -> bool:
    """Whether this instance runs the job now: it never ran, or last started at least `seconds` ago
    (this instance's interval, so a changed setting counts at once), and this instance recorded its
    start, in one statement: of instances asking at once, one gets the turn (on PostgreSQL the
    others wait for its row and then find it started just now). An instance that dies while running
    the job leaves it until the next interval."""
    now = SYSTEM.now()  # real time, as the instances share it
    async with db.transaction() as conn:
        taken = await conn.execute(
            _statement(conn.dialect.name), {"name": name, "started_at": now, "since": now - timedelta(seconds=seconds)}
        )
        return taken.first() is not None


@cache
def _statement(dialect: str) -> sa.Insert:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(periodic_jobs)
    statement: sa.Insert = insert.on_conflict_do_update(
        index_elements=[periodic_jobs.c.name],
        set_={"started_at": insert.excluded.started_at},
        where=periodic_jobs.c.started_at <= sa.bindparam("since"),
    ).returning(periodic_jobs.c.name)
    return statement

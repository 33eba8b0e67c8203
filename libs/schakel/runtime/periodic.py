"""Housekeeping that is due once per interval for a service's database, not once per instance
(purges, retention, the month's proposals): the instances take turns through one row per job that
says when it is next due. Work every instance shares out itself (webhook deliveries, a queue)
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
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
)


async def turn(db: Database, name: str, seconds: float) -> bool:
    """Whether this instance runs the job now. It is due (or never ran) and this instance moved its
    next turn `seconds` on, in one statement: of instances asking at once, one gets the turn (on
    PostgreSQL the others wait for its row and then find it no longer due). An instance that dies
    while running the job leaves the turn taken until the next one is due."""
    now = SYSTEM.now()  # real time, as the instances share it
    async with db.transaction() as conn:
        taken = await conn.execute(
            _statement(conn.dialect.name), {"name": name, "due_at": now + timedelta(seconds=seconds), "now": now}
        )
        return taken.first() is not None


@cache
def _statement(dialect: str) -> sa.Insert:
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(periodic_jobs)
    return insert.on_conflict_do_update(
        index_elements=[periodic_jobs.c.name],
        set_={"due_at": insert.excluded.due_at},
        where=periodic_jobs.c.due_at <= sa.bindparam("now"),
    ).returning(periodic_jobs.c.name)

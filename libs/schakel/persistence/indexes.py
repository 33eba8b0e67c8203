"""Indexes a migration asks PostgreSQL to build CONCURRENTLY, which cannot run inside the migrations'
transaction: writes to the table go on while it builds. `migrate` builds them after the migrations
(the deployment's migration job, or an instance that migrates at start); every instance checks them
(`schakel_database_indexes_not_ready`), and a read that needs one checks it first (`ready`). SQLite
builds them in their migration."""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.persistence.database import Database

log = logging.getLogger(__name__)

# name: table and columns (platform_0011)
CONCURRENT = {"verwerkingen_eigen": "verwerkingen (betrokkene, organisatie, gemeente, begin)"}
LOCK = 0x5C4A4B454D  # the advisory lock one builder holds ("SCHAKEL" + 1, beside the migrations' own)
# PostgreSQL: true when built, false when left invalid (a build cut off: updated, never read), no row when
# missing (to_regclass follows the search path); SQLite: a row when there
_VALID = {
    "postgresql": text("SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass(:name)"),
    "sqlite": text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name"),
}


async def ready(conn: AsyncConnection, name: str) -> bool:
    """Whether the index is there and valid: one catalogue lookup."""
    return bool((await conn.execute(_VALID[conn.dialect.name], {"name": name})).scalar())


async def not_ready(db: Database) -> int:
    """How many of CONCURRENT are missing or not valid (a build cut off, or under way)."""
    async with db.alone() as conn:
        return sum([not await ready(conn, name) for name in CONCURRENT])


async def build_concurrently(db: Database) -> None:
    """Builds each index of CONCURRENT that is missing, or invalid. One builder at a time; one that
    finds another building goes on without waiting (reads that need the index wait for it: `ready`)."""
    async with db.alone() as conn:
        if not (await conn.execute(text("SELECT pg_try_advisory_lock(:lock)"), {"lock": LOCK})).scalar():
            log.info("indexes: another instance builds them")
            return
        try:
            # a timeout the role or database sets is meant for requests and for migrations that lock a table;
            # a build on a large table takes long, and waits (a lock on each older transaction's id, holding
            # up no one) until every transaction older than its snapshots has ended: a pg_dump, a report
            await conn.execute(text("SET statement_timeout = 0"))
            await conn.execute(text("SET lock_timeout = 0"))
            for name, on in CONCURRENT.items():
                valid = (await conn.execute(_VALID["postgresql"], {"name": name})).scalar()
                if valid:
                    continue
                if valid is False:
                    await conn.execute(text(f"DROP INDEX CONCURRENTLY {name}"))
                log.info("index %s: building", name)
                try:
                    await conn.execute(text(f"CREATE INDEX CONCURRENTLY {name} ON {on}"))
                except BaseException as exc:  # the migrations stand: the job's log must not say "not migrated" only
                    log.warning(
                        "index %s: build stopped (%s), left invalid; built again at the next migration",
                        name,
                        type(exc).__name__,
                    )
                    raise
                log.info("index %s: built", name)
        finally:
            # a session that ended (the database away, the build cancelled) took its lock with it; asking
            # it to unlock then failed with SQLAlchemy's PendingRollbackError in place of the error itself,
            # so a start whose build met a database gone away failed (not "unavailable") instead of waiting
            if not conn.invalidated:
                await conn.execute(text("RESET statement_timeout"))
                await conn.execute(text("RESET lock_timeout"))
                await conn.execute(text("SELECT pg_advisory_unlock(:lock)"), {"lock": LOCK})

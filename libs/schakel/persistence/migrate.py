"""Alembic migrations per service, applied at start. One shared env.py (alembic/ beside this
file); the platform tables (versions/ beside this file, branch "platform") and each service's own
versions folder are two branches migrated to their heads in the service's own database."""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command, op
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from schakel.clock import SYSTEM
from schakel.persistence import indexes
from schakel.persistence.database import Database
from schakel.persistence.types import UtcDateTime

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SCRIPT_LOCATION = HERE / "alembic"
PLATFORM_VERSIONS = HERE / "versions"
MIGRATION_LOCK = 0x5C4A4B454C  # "SCHAKEL": the advisory lock that migrations of one database take


async def migrate(
    db: Database, versions: Path, target: str = "heads", downgrade: bool = False, settings: object = None
) -> None:
    """Upgrades the database to `target` (every branch's head by default), or downgrades to it. A
    migration that needs configuration (a key) finds the service's `settings` in
    `context.config.attributes`."""

    def run(sync_connection: Connection) -> None:
        config = _config(versions, sync_connection, settings)
        if not downgrade and (newer := _newer(config, sync_connection)):
            # a later version migrated this database: an instance of this one still running, restarted
            # during a rolling upgrade, or brought back by a rollback, works with the tables as they are
            # (each migration keeps the version before it working: columns are added, not taken away)
            log.warning("database at revision(s) %s, newer than this version knows: not migrated", ", ".join(newer))
            return
        (command.downgrade if downgrade else command.upgrade)(config, target)

    async with db.transaction() as conn:
        if not db.is_sqlite:  # instances starting together migrate one after the other (SQLite: BEGIN IMMEDIATE)
            await conn.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": MIGRATION_LOCK})
        await conn.run_sync(run)
    if not downgrade and target == "heads" and not db.is_sqlite:
        await indexes.build_concurrently(db)


class Behind(Exception):
    """The database is not yet at this version's tables: its migrations have not run."""


async def verify(db: Database, versions: Path) -> None:
    """Raises Behind unless the database is at this version's heads (or a later version's): for a
    service that does not migrate at start (its role may not change tables), the deployment's job does."""

    def run(sync_connection: Connection) -> None:
        config = _config(versions, sync_connection, None)
        heads = set(ScriptDirectory.from_config(config).get_heads())
        current = set(MigrationContext.configure(sync_connection).get_current_heads())
        if not heads <= current and not _newer(config, sync_connection):
            raise Behind(f"database at {sorted(current) or 'no revision'}, this version needs {sorted(heads)}")

    async with db.transaction() as conn:
        await conn.run_sync(run)


def _config(versions: Path, connection: Connection, settings: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(map(str, (PLATFORM_VERSIONS, versions))))
    config.attributes["connection"] = connection
    config.attributes["settings"] = settings
    return config


def _newer(config: Config, connection: Connection) -> list[str]:
    """The revisions a later version wrote, when the database is otherwise at this version's heads
    (every branch there, each at its head or past it); empty otherwise, and the upgrade runs (and
    fails on a revision it cannot place, as a database of another line or service should)."""
    script = ScriptDirectory.from_config(config)
    known, heads = {s.revision for s in script.walk_revisions()}, set(script.get_heads())
    current = set(MigrationContext.configure(connection).get_current_heads())
    newer = current - known
    branches = {_branch(r) for r in heads}
    if newer and current & known <= heads and {_branch(r) for r in current} == branches:
        return sorted(newer)
    return []


def _branch(revision: str) -> str:
    return revision.rsplit("_", 1)[0]  # platform_0007, registration_0002


def wis_vooruit(tabel: str, kolom: str, speling: timedelta) -> None:
    """In a migration: clears the moments in `tabel.kolom` past the upgrade's own moment and `speling`.
    A party's moment that lies ahead (a year typed wrong) outranked every later one it sent; cleared, it
    orders nothing, as a row from before such moments were kept."""
    rijen = sa.table(tabel, sa.column(kolom, UtcDateTime))
    op.execute(sa.update(rijen).where(rijen.c[kolom] > SYSTEM.now() + speling).values({kolom: None}))

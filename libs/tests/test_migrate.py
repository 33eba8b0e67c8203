"""An instance of the version before a migration starts against the migrated database: during a
rolling upgrade an old instance that restarts, and after a rollback every instance, works with the
tables as they are instead of failing its start (a real database: SQLite here, PostgreSQL in CI)."""

import asyncio
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from schakel.persistence import Database, indexes, migrate
from tests.support.stack import new_database_url

REGISTRATION = Path(__file__).resolve().parents[2] / "services" / "registration" / "migrations"
LATER = '''"""A later version's migration: a nullable column."""

import pytest
import sqlalchemy as sa
from alembic import op

revision = "registration_9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feiten", sa.Column("later", sa.String(10)))


def downgrade() -> None:
    op.drop_column("feiten", "later")
'''


async def migrated_by_a_later_version(tmp_path) -> Database:
    """A database registration's next version migrated: this version's migrations and one more."""
    head = sorted(REGISTRATION.glob("[0-9]*.py"))[-1].stem.split("_")[0]
    later = tmp_path / "later"
    shutil.copytree(REGISTRATION, later, ignore=shutil.ignore_patterns("__pycache__"))
    (later / "9999_later.py").write_text(LATER.format(head=f"registration_{head}"))
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"migrate-{uuid.uuid4().hex[:8]}"))
    await migrate(db, later)
    return db


async def test_the_version_before_starts_against_a_database_a_later_version_migrated(tmp_path, caplog):
    db = await migrated_by_a_later_version(tmp_path)
    try:
        await migrate(db, REGISTRATION)  # the version before: no error
        assert "newer than this version knows: not migrated" in caplog.text
        async with db.engine.connect() as conn:
            versions = set((await conn.execute(sa.text("SELECT version_num FROM alembic_version"))).scalars())
            assert "registration_9999" in versions, "the later version's tables stand"
    finally:
        await db.dispose()


async def test_a_database_behind_on_one_branch_and_ahead_on_another_is_not_skipped(tmp_path):
    """Not a rollback: a hotfix line or another service's database. It fails as before instead of
    starting without the tables this version needs."""
    db = await migrated_by_a_later_version(tmp_path)
    try:
        async with db.transaction() as conn:  # the platform branch one revision behind its head
            platform = (
                await conn.execute(
                    sa.text("SELECT version_num FROM alembic_version WHERE version_num LIKE 'platform_%'")
                )
            ).scalar_one()
            behind = f"platform_{int(platform.rsplit('_', 1)[1]) - 1:04d}"
            await conn.execute(
                sa.text("UPDATE alembic_version SET version_num = :b WHERE version_num = :p"),
                {"b": behind, "p": platform},
            )
        with pytest.raises(Exception, match="registration_9999"):
            await migrate(db, REGISTRATION)
    finally:
        await db.dispose()


async def test_a_service_that_does_not_migrate_checks_the_tables_are_at_its_version(tmp_path):
    """With the deployment's job migrating (its role may change tables, the service's not), a service
    only checks: behind, it waits; at its version or a later one's, it starts."""
    from schakel.persistence.migrate import Behind, verify

    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"verify-{uuid.uuid4().hex[:8]}"))
    try:
        with pytest.raises(Behind, match="no revision"):
            await verify(db, REGISTRATION)
        await migrate(db, REGISTRATION)
        await verify(db, REGISTRATION)
    finally:
        await db.dispose()
    later = await migrated_by_a_later_version(tmp_path)
    try:
        await verify(later, REGISTRATION)  # the version before, after a later one migrated: it starts
    finally:
        await later.dispose()


async def test_an_index_build_cut_off_by_the_database_going_away_says_so(tmp_path):
    """A start whose index build met the database going away (a restart, a failover: here its session
    ended) waits for the database and tries again (`is_unavailable`), as any start does; the build's
    cleanup must not put an error of its own (SQLAlchemy's PendingRollbackError) in the place of that one.
    A build cancelled (SIGTERM to the migration job) ends as cancelled."""
    from schakel.persistence.database import is_unavailable

    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"concurrently-{uuid.uuid4().hex[:8]}"))
    try:
        await migrate(db, REGISTRATION)
        assert await indexes.not_ready(db) == 0, "built by the migration"
        if db.is_sqlite:
            return  # SQLite builds it in its migration's transaction: nothing to cut off

        async def building(stop: str) -> BaseException:
            """A build held back by a transaction with an older snapshot, then `stop`ped while it waits."""
            async with db.alone() as conn:
                await conn.execute(sa.text("DROP INDEX verwerkingen_eigen"))
            async with db.engine.connect() as older:
                await older.execute(sa.text("SELECT 1"))  # its snapshot: the build waits for it to end
                build = asyncio.ensure_future(migrate(db, REGISTRATION))
                async with db.alone() as conn:
                    pid = None
                    for _ in range(10_000):  # until the build waits (each round trip yields to it)
                        pid = (
                            await conn.execute(
                                sa.text(
                                    "SELECT pid FROM pg_stat_activity WHERE wait_event = 'virtualxid' "
                                    "AND query LIKE 'CREATE INDEX CONCURRENTLY%'"
                                )
                            )
                        ).scalar()
                        if pid:
                            break
                    assert pid, "the build waits for the older transaction"
                    if stop == "terminate":
                        await conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                    else:
                        build.cancel()
                try:
                    await build
                except BaseException as exc:  # noqa: BLE001 - what the build ended with
                    return exc
            raise AssertionError("the build was stopped")

        ended = await building("terminate")
        assert is_unavailable(ended), f"the database went away, not {type(ended).__name__}"
        assert isinstance(await building("cancel"), asyncio.CancelledError)
        await migrate(db, REGISTRATION)  # and the next start builds it
        async with db.alone() as conn:
            assert await indexes.ready(conn, "verwerkingen_eigen")
    finally:
        await db.dispose()


async def test_an_index_build_waits_for_older_transactions_whatever_lock_timeout_the_database_sets(tmp_path):
    """A build waits for every transaction older than its snapshots (a lock on each one's id): a
    `lock_timeout` the role or database sets for migrations (so that one queued behind a long
    transaction does not hold up the requests behind it) failed it (55P03, not "unavailable": the job
    failed, an instance that migrates at start did not start) and left the index invalid."""
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"locktimeout-{uuid.uuid4().hex[:8]}"))
    try:
        await migrate(db, REGISTRATION)
        if db.is_sqlite:
            return  # SQLite builds it in its migration's transaction
        async with db.alone() as conn:
            await conn.execute(sa.text("DROP INDEX verwerkingen_eigen"))
            database = (await conn.execute(sa.text("SELECT current_database()"))).scalar()
            await conn.execute(sa.text(f"ALTER DATABASE \"{database}\" SET lock_timeout = '1ms'"))
        await db.dispose()  # sessions opened from now on take the database's setting
        async with db.engine.connect() as older:
            await older.execute(sa.text("SELECT 1"))  # its snapshot: the build waits for it to end
            build = asyncio.ensure_future(migrate(db, REGISTRATION))
            async with db.alone() as conn:
                waiting = False
                while not build.done() and not waiting:  # each round trip yields to the build
                    waiting = bool(
                        (
                            await conn.execute(
                                sa.text(
                                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'virtualxid' "
                                    "AND query LIKE 'CREATE INDEX CONCURRENTLY%'"
                                )
                            )
                        ).scalar()
                    )
            assert not build.done(), f"the build gave up waiting: {build.exception()!r}"
            await older.rollback()
        await build
        async with db.alone() as conn:
            assert await indexes.ready(conn, "verwerkingen_eigen")
    finally:
        await db.dispose()

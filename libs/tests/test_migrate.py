"""An instance of the version before a migration starts against the migrated database: during a
rolling upgrade an old instance that restarts, and after a rollback every instance, works with the
tables as they are instead of failing its start (a real database: SQLite here, PostgreSQL in CI)."""

import asyncio
import shutil
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from schakel.persistence import Database, migrate
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

"""A handler's work set apart in a consumer batch's transaction (`apart`): a refusal or a failed
statement takes back only that work, the batch goes on; and the savepoint has one name, so a batch of
many handlers sends the same few statement texts (a real database: SQLite here, PostgreSQL in CI)."""

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from schakel.persistence import Database
from schakel.runtime.uow import apart
from tests.support.stack import new_database_url

rijen = sa.Table("apart_rijen", sa.MetaData(), sa.Column("naam", sa.String(20), primary_key=True))


async def test_only_the_failed_work_is_taken_back_and_the_savepoint_keeps_one_name(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"apart-{uuid.uuid4().hex[:8]}"))
    teksten: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: teksten.append(a[2]))
    try:
        async with db.transaction() as conn:
            await conn.run_sync(rijen.metadata.create_all)
            await conn.execute(rijen.insert(), [{"naam": "voor"}])
            for i in range(5):
                async with apart(conn):
                    await conn.execute(rijen.insert(), [{"naam": f"goed {i}"}])
                with pytest.raises(ValueError):
                    async with apart(conn):
                        await conn.execute(rijen.insert(), [{"naam": f"geweigerd {i}"}])
                        raise ValueError("a refusal")
                with pytest.raises(IntegrityError):  # PostgreSQL: the transaction goes on after it
                    async with apart(conn):
                        await conn.execute(rijen.insert(), [{"naam": "voor"}])
            await conn.execute(rijen.insert(), [{"naam": "na"}])
        async with db.transaction() as conn:
            namen = set((await conn.execute(sa.select(rijen.c.naam))).scalars())
        assert namen == {"voor", "na"} | {f"goed {i}" for i in range(5)}
        savepoints = {t for t in teksten if "SAVEPOINT" in t.upper()}
        assert savepoints == {"SAVEPOINT apart", "RELEASE SAVEPOINT apart", "ROLLBACK TO SAVEPOINT apart"}
    finally:
        await db.dispose()

"""A handler's work set apart in a consumer batch's transaction (`apart`): a refusal or a failed
statement takes back only that work, the batch goes on, also with one set apart inside another; the
savepoint has one name, so a batch of many handlers sends the same few statement texts; and a
cancellation stays a cancellation (a real database: SQLite here, PostgreSQL in CI)."""

import asyncio
import contextlib
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from schakel.persistence import Database
from schakel.runtime.uow import apart
from tests.support.stack import new_database_url

rijen = sa.Table("apart_rijen", sa.MetaData(), sa.Column("naam", sa.String(20), primary_key=True))


async def nieuwe_database(tmp_path) -> Database:
    return Database(await asyncio.to_thread(new_database_url, tmp_path, f"apart-{uuid.uuid4().hex[:8]}"))


async def test_only_the_failed_work_is_taken_back_and_the_savepoint_keeps_one_name(tmp_path):
    db = await nieuwe_database(tmp_path)
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


async def test_one_set_apart_inside_another_takes_back_both_and_a_handled_inner_refusal_only_its_own(tmp_path):
    db = await nieuwe_database(tmp_path)
    try:
        async with db.transaction() as conn:
            await conn.run_sync(rijen.metadata.create_all)
            with contextlib.suppress(ValueError):
                async with apart(conn):
                    await conn.execute(rijen.insert(), [{"naam": "buiten"}])
                    async with apart(conn):
                        await conn.execute(rijen.insert(), [{"naam": "binnen"}])
                        raise ValueError("a refusal")
            async with apart(conn):
                await conn.execute(rijen.insert(), [{"naam": "buiten 2"}])
                with contextlib.suppress(ValueError):
                    async with apart(conn):
                        await conn.execute(rijen.insert(), [{"naam": "binnen 2"}])
                        raise ValueError("a refusal, handled")
        async with db.transaction() as conn:
            assert set((await conn.execute(sa.select(rijen.c.naam))).scalars()) == {"buiten 2"}
    finally:
        await db.dispose()


async def test_a_cancelled_handler_is_cancelled_not_a_failed_statement(tmp_path):
    db = await nieuwe_database(tmp_path)
    lang = (
        "SELECT pg_sleep(30)"
        if not db.is_sqlite
        else "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) SELECT count(*) FROM c"
    )
    bezig = asyncio.Event()

    async def handler() -> None:
        async with db.transaction() as conn, apart(conn):
            bezig.set()
            await conn.exec_driver_sql(lang)

    try:
        taak = asyncio.create_task(handler())
        await bezig.wait()  # the handler now waits on its statement
        taak.cancel()
        with pytest.raises(asyncio.CancelledError):
            await taak
    finally:
        await db.dispose()

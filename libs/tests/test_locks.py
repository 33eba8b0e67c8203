"""Holding keys (persons) until commit: a transaction about more keys than PostgreSQL's lock table
holds (a delivery of 50.000 persons) goes through, and excludes every other about any of them
(a real database: SQLite here, one writer at a time; PostgreSQL in CI)."""

import asyncio
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from schakel.persistence import Database
from schakel.persistence.locks import hold
from tests.support.stack import new_database_url


async def ongeduldig(db: Database, keys: list[str]) -> None:
    """Holds the keys, giving up after a fifth of a second of waiting."""
    async with db.transaction() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(sa.text("SET LOCAL lock_timeout = '200ms'"))
        await hold(conn, keys)


def wacht(db: Database):
    """What giving up looks like: PostgreSQL's lock_not_available, SQLite's busy writer lock."""
    return pytest.raises(DBAPIError, match="lock timeout" if not db.is_sqlite else "database is locked")


async def test_a_transaction_about_more_keys_than_the_lock_table_holds_excludes_the_others_on_them(tmp_path):
    url = await asyncio.to_thread(new_database_url, tmp_path, f"locks-{uuid.uuid4().hex[:8]}")
    db = Database(url)
    # SQLite: a writer waits for the one before it as long as the URL says
    ander = Database(url + "?timeout=0.2" if db.is_sqlite else url)
    veel = [f"persoon {i}" for i in range(50_000)]
    try:
        async with db.transaction() as conn:
            await hold(conn, veel)
            with wacht(db):
                await ongeduldig(ander, ["persoon 17"])
            with wacht(db):
                await ongeduldig(ander, ["een ander"])  # all of them: the others wait whatever their keys
        await ongeduldig(ander, ["persoon 17"])  # after the commit
    finally:
        await db.dispose()
        await ander.dispose()


async def test_transactions_about_other_keys_go_side_by_side_and_about_the_same_key_in_turn(tmp_path):
    url = await asyncio.to_thread(new_database_url, tmp_path, f"locks-{uuid.uuid4().hex[:8]}")
    db = Database(url)
    ander = Database(url + "?timeout=0.2" if db.is_sqlite else url)
    try:
        async with db.transaction() as conn:
            await hold(conn, ["a", "b"])
            with wacht(db):
                await ongeduldig(ander, ["b", "c"])
            if not db.is_sqlite:  # SQLite has one writer at a time, whatever it holds
                await ongeduldig(ander, ["c", "d"])
    finally:
        await db.dispose()
        await ander.dispose()

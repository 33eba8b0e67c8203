"""A statement built once over many keys (`one_of_keys`, `rows_of_keys`) reads every key's rows, across
the bounded lists, on a real database (SQLite, or PostgreSQL with SCHAKEL_TEST_POSTGRES_URL)."""

import asyncio
import uuid

import sqlalchemy as sa

from schakel.persistence import Database
from schakel.persistence.batches import CHUNK, one_of_keys, rows_of_keys
from tests.support.stack import new_database_url

T = sa.Table("batch_rijen", sa.MetaData(), sa.Column("k", sa.String(20), primary_key=True), sa.Column("n", sa.Integer))


async def test_a_statement_built_once_reads_every_key_across_the_bounded_lists(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"batches-{uuid.uuid4().hex[:8]}"))
    try:
        keys = [f"k{i:05d}" for i in range(2 * CHUNK + 7)]
        async with db.transaction() as conn:
            await conn.run_sync(T.metadata.create_all)
            await conn.execute(T.insert(), [{"k": k, "n": i % 3} for i, k in enumerate(keys)])
            query = sa.select(T).where(one_of_keys(conn.dialect.name, T.c.k, "sleutels"), T.c.n == sa.bindparam("n"))
            rows = await rows_of_keys(conn, query, "sleutels", [*keys, *keys[:10], "onbekend"], n=1)
        assert sorted(r.k for r in rows) == [k for i, k in enumerate(keys) if i % 3 == 1], "each once, none missed"
    finally:
        await db.dispose()

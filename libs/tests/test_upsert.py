"""The shared inserts: a batch of rows inserted as given and in its order; the upsert, where a new
key is inserted and an existing one has its columns replaced, or added to where they are counts; and
an insert of a new key only, which says whether it inserted (a real database: SQLite here,
PostgreSQL in CI)."""

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import sqlalchemy as sa

from schakel.persistence import Database
from schakel.persistence.types import UtcDateTime
from schakel.persistence.upsert import insert_all, insert_new, upsert
from tests.support.stack import new_database_url

tellingen = sa.Table(
    "upsert_tellingen",
    sa.MetaData(),
    sa.Column("sleutel", sa.String(8), primary_key=True),
    sa.Column("dag", sa.Integer, primary_key=True),
    sa.Column("naam", sa.String(8), nullable=False),
    sa.Column("aantal", sa.Integer, nullable=False),
)

regels = sa.Table(
    "insert_regels",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("naam", sa.String(8)),
    sa.Column("bedrag", sa.BigInteger, nullable=False),
    sa.Column("dag", sa.Date),
    sa.Column("op", UtcDateTime),
    sa.Column("inhoud", sa.JSON),
    sa.Column("ruw", sa.LargeBinary),
    sa.Column("actueel", sa.Boolean, nullable=False),
    sa.Column("n", sa.Integer),  # the name the ordinality could have had
)


async def test_a_batch_is_inserted_as_given_and_in_its_order(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"insert-{uuid.uuid4().hex[:8]}"))
    op = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)
    batch = [
        {
            "naam": f"r{i}" if i % 3 else None,
            "bedrag": 10**12 + i,
            "dag": date(2026, 1, 1 + i) if i % 2 else None,
            "op": op,
            "inhoud": [[i], {"€": "é"}] if i % 3 == 0 else {"i": i} if i % 3 == 1 else None,
            "ruw": bytes([i, 0, 255]),
            "actueel": i % 2 == 0,
            "n": i,
        }
        for i in range(7)
    ]
    try:
        async with db.transaction() as conn:
            await conn.run_sync(regels.metadata.create_all)
            await insert_all(conn, regels, batch[:2])
            await insert_all(conn, regels, [])
            await insert_all(conn, regels, batch[2:])
            rows = (await conn.execute(sa.select(regels).order_by(regels.c.id))).all()
        assert [{k: v for k, v in r._mapping.items() if k != "id"} for r in rows] == batch
    finally:
        await db.dispose()


async def test_a_moment_with_another_offset_is_stored_as_the_same_moment(tmp_path):
    """SQLite drops the offset of what it stores: a moment is stored as UTC, so `09:30+02:00` reads back
    as `07:30Z`, not `09:30Z`, and compares in SQL with moments stored from the UTC clock."""
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"insert-{uuid.uuid4().hex[:8]}"))
    zomer = datetime(2026, 6, 5, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    try:
        async with db.transaction() as conn:
            await conn.run_sync(regels.metadata.create_all)
            await conn.execute(regels.insert().values(bedrag=1, actueel=True, op=zomer))
            await insert_all(conn, regels, [{"bedrag": 2, "actueel": True, "op": zomer}])
            gelezen = (await conn.execute(sa.select(regels.c.op).order_by(regels.c.id))).scalars().all()
            na_utc = sa.select(sa.func.count()).where(regels.c.op > datetime(2026, 6, 5, 8, 0, tzinfo=UTC))
            later = (await conn.execute(na_utc)).scalar()
        assert gelezen == [datetime(2026, 6, 5, 7, 30, tzinfo=UTC)] * 2
        assert [g.tzinfo for g in gelezen] == [UTC, UTC] and later == 0
    finally:
        await db.dispose()


async def test_text_longer_than_its_column_is_refused_on_postgresql_not_cut_short(tmp_path):
    """As a row at a time was: PostgreSQL refuses it; SQLite, which has no lengths, keeps it whole."""
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"insert-{uuid.uuid4().hex[:8]}"))
    lang = {"naam": "negen-tekens", "bedrag": 1, "actueel": True}
    try:
        async with db.transaction() as conn:
            await conn.run_sync(regels.metadata.create_all)
            postgresql = conn.dialect.name == "postgresql"
        try:
            async with db.transaction() as conn:
                await insert_all(conn, regels, [lang])
        except sa.exc.DBAPIError as refused:
            assert postgresql and "too long" in str(refused)
        else:
            async with db.transaction() as conn:
                assert not postgresql and (await conn.execute(sa.select(regels.c.naam))).scalar_one() == lang["naam"]
    finally:
        await db.dispose()


async def test_existing_keys_are_replaced_or_added_to(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"upsert-{uuid.uuid4().hex[:8]}"))
    try:
        async with db.transaction() as conn:
            await conn.run_sync(tellingen.metadata.create_all)
            await upsert(conn, tellingen, [{"sleutel": "a", "dag": 1, "naam": "een", "aantal": 2}])
            await upsert(
                conn,
                tellingen,
                [
                    {"sleutel": "a", "dag": 1, "naam": "twee", "aantal": 3},
                    {"sleutel": "a", "dag": 2, "naam": "drie", "aantal": 4},
                    {"sleutel": "a", "dag": 1, "naam": "vier", "aantal": 5},
                ],
                add=("aantal",),
            )
            await upsert(conn, tellingen, [{"sleutel": "a", "dag": 2, "naam": "vijf", "aantal": 7}])
            await upsert(conn, tellingen, [])
            rows = (await conn.execute(sa.select(tellingen).order_by(tellingen.c.dag))).all()
        assert [tuple(r) for r in rows] == [("a", 1, "vier", 10), ("a", 2, "vijf", 7)]
    finally:
        await db.dispose()


async def test_a_known_key_is_not_inserted_again_and_the_answer_says_so(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"upsert-{uuid.uuid4().hex[:8]}"))
    try:
        async with db.transaction() as conn:
            await conn.run_sync(tellingen.metadata.create_all)
            eerste = await insert_new(conn, tellingen, {"sleutel": "b", "dag": 1, "naam": "een", "aantal": 1})
            tweede = await insert_new(conn, tellingen, {"sleutel": "b", "dag": 1, "naam": "twee", "aantal": 2})
            rows = (await conn.execute(sa.select(tellingen))).all()
        assert (eerste, tweede, [tuple(r) for r in rows]) == (True, False, [("b", 1, "een", 1)])
    finally:
        await db.dispose()

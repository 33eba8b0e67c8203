"""The queue of recomputations after a municipality's policy changed is shared out by income's
instances: each takes persons no other instance is working on (a real database: SQLite here,
PostgreSQL in CI)."""

import asyncio
import uuid
from pathlib import Path
from types import SimpleNamespace

from income.adapters.repository import UnitOfWork
from income.adapters.tables import herberekeningen
from schakel.persistence import Database, migrate
from tests.support.stack import new_database_url


async def test_an_instance_takes_the_next_persons_while_another_works_on_the_first(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"income-{uuid.uuid4().hex[:8]}"))
    await migrate(db, Path(__file__).parents[1] / "migrations")

    def uow() -> UnitOfWork:
        return UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None))

    async def neem() -> list[str]:
        async with uow() as tweede:
            personen = await tweede.herberekeningen.volgende(2)
            await tweede.herberekeningen.klaar(personen)
            return personen

    try:
        async with db.transaction() as conn:
            await conn.execute(herberekeningen.insert(), [{"persoon": p} for p in "dcba"])
        async with uow() as eerste:
            genomen = await eerste.herberekeningen.volgende(2)
            # PostgreSQL: the other instance works at the same time, on the persons not taken (SKIP
            # LOCKED); SQLite: one writer at a time (BEGIN IMMEDIATE), so it waits for this one
            tegelijk = await asyncio.wait_for(neem(), 10) if not db.is_sqlite else None
            await eerste.herberekeningen.klaar(genomen)
        daarna = tegelijk or await neem()
        assert (genomen, daarna) == (["a", "b"], ["c", "d"])
        assert await neem() == [], "each person recomputed once"
    finally:
        await db.dispose()

"""The queue of recomputations after a municipality's policy changed is shared out by income's
instances: each takes persons no other instance is working on; a policy changed while a person is
being recomputed queues them again, and two municipalities queueing one person at once both succeed
(a real database: SQLite here, PostgreSQL in CI)."""

import asyncio
from datetime import date
from types import SimpleNamespace

from income.adapters.repository import UnitOfWork
from income.adapters.tables import herberekeningen, partners, populatie
from tests.support.opslag import op_revisie


async def test_an_instance_takes_the_next_persons_while_another_works_on_the_first(tmp_path):
    db = await op_revisie(tmp_path, "income")

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


async def test_a_policy_changed_while_a_person_is_recomputed_queues_them_again(tmp_path):
    db = await op_revisie(tmp_path, "income")

    def uow() -> UnitOfWork:
        return UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None))

    async def plan(gemeentecode: str) -> None:
        async with uow() as beleid:
            await beleid.herberekeningen.plan(gemeentecode)

    try:
        async with db.transaction() as conn:
            rij = {"uitkering_id": "u1", "persoon": "p", "bsn": "999990019", "sinds": date(2026, 1, 1)}
            await conn.execute(populatie.insert(), [rij | {"gemeentecode": "GM0363"}])
            await conn.execute(partners.insert(), [rij | {"gemeentecode": "GM0599"}])  # a partner elsewhere
        await asyncio.gather(plan("GM0363"), plan("GM0599"))  # both municipalities at once: neither fails
        async with uow() as werker:
            assert await werker.herberekeningen.volgende(10) == ["p"]  # read the policy before the change
            nieuw = asyncio.create_task(plan("GM0363"))
            if not db.is_sqlite:  # PostgreSQL: the change waits for the recompute that holds the person
                done, _ = await asyncio.wait({nieuw}, timeout=1.0)
                assert not done
            await werker.herberekeningen.klaar(["p"])
        await nieuw
        async with uow() as daarna:
            assert await daarna.herberekeningen.volgende(10) == ["p"], "recomputed again under the new policy"
    finally:
        await db.dispose()

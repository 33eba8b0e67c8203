"""Retention's selection (AVG art. 5(1)(e)): a person is forgotten once every record of theirs ended
before the day, never while one runs; the database selects the same persons as the rule (a real
database: SQLite here, PostgreSQL in CI)."""

import asyncio
import random
import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from schakel.persistence import Database
from schakel.persistence import bewaring as sql
from schakel.primitives.bewaring import bewaren_tot, uitgestroomd, vastgehouden
from schakel.primitives.periode import plus_maanden
from tests.support.stack import new_database_url

TOT = date(2027, 7, 1)
records = sa.Table(
    "bewaring_records",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("persoon", sa.String(64), nullable=False),
    sa.Column("einde", sa.Date),
)


def test_a_person_goes_once_every_record_ended_before_the_day():
    einden = {
        "lang-geleden": [date(2026, 1, 31), date(2026, 6, 30)],
        "op-de-dag": [TOT],
        "een-loopt": [date(2026, 1, 31), None],
        "niets": [],
    }
    assert uitgestroomd(einden, TOT) == ["lang-geleden"]


def test_what_ended_is_kept_through_the_same_day_the_retention_later_never_shorter_nor_longer():
    assert bewaren_tot(date(2027, 7, 1), 12) == date(2026, 7, 1)
    assert bewaren_tot(date(2026, 3, 31), 1) == date(2026, 3, 1), "28 February was kept through 28 March"
    dag = date(2023, 1, 1)
    while dag < date(2029, 1, 1):  # leap years, every month's end
        for maanden in (1, 3, 6, 12, 18, 24):
            tot = bewaren_tot(dag, maanden)
            # the direct definition: kept while today is on or before its end plus the retention
            for einde in (tot - timedelta(days=n) for n in range(-4, 5)):
                assert (einde < tot) == (plus_maanden(einde, maanden) < dag), (dag, maanden, einde)
        dag += timedelta(days=1)


async def test_the_database_selects_the_persons_the_rule_selects(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"bewaring-{uuid.uuid4().hex[:8]}"))
    try:
        kies = random.Random(5)
        ends = [None, TOT, TOT - timedelta(days=1), TOT + timedelta(days=1), date(2025, 3, 31)]
        einden = {uuid.uuid4().hex: [kies.choice(ends) for _ in range(kies.randint(1, 4))] for _ in range(400)}
        async with db.transaction() as conn:
            await conn.run_sync(records.metadata.create_all)
            rows = [{"persoon": p, "einde": e} for p, es in einden.items() for e in es]
            kies.shuffle(rows)
            await conn.execute(records.insert(), rows)
            selectie = sa.select(records.c.persoon, records.c.einde)
            verwacht = uitgestroomd(einden, TOT)
            assert await sql.uitgestroomd(conn, selectie, TOT) == verwacht
            assert await sql.uitgestroomd(conn, sa.union_all(selectie, selectie), TOT) == verwacht
        assert 20 < len(verwacht) < 380, "some go, some stay"
    finally:
        await db.dispose()


class Tussendoor:
    """A unit of work whose lock on the persons is granted only after another instance committed a
    new case for one of them (what a delete on PostgreSQL would see)."""

    def __init__(self) -> None:
        self.lopend: set[str] = set()
        self.gehouden: list[str] = []

    async def vergrendel(self, *personen: str) -> None:
        self.gehouden += personen
        self.lopend.add("terug")  # committed while this round waited for the lock

    async def uitgestroomd(self) -> list[str]:
        return [p for p in ("klaar", "terug") if p not in self.lopend]


async def test_retention_holds_the_persons_and_asks_again_so_a_change_made_meanwhile_keeps_them():
    uow = Tussendoor()
    assert await vastgehouden(uow, uow.uitgestroomd) == ["klaar"]
    assert uow.gehouden == ["klaar", "terug"], "held before asked again"

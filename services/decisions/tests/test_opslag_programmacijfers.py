"""The outflow records' SQL adapter on a migrated database: the counts come from SQL aggregates
(kept records and counted ones together, a window only over its countable months), and retention
counts a record once, even when two instances run it."""

import asyncio
from datetime import date

from decisions.domain.programmacijfers import Uitstroomtelling
from decisions.tests.opslag import sql_ports
from schakel.primitives import Maand

MEETBAAR = {12: Maand(2025, 10), 36: Maand(2023, 10)}  # as in November 2026


async def test_the_sql_outflow_records_count_in_sql_and_fold_once(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 11, 2))
    uow = p.uow

    try:
        async with uow() as u:
            for n, maand in enumerate([Maand(2023, 5)] * 3 + [Maand(2025, 6)] * 4 + [Maand(2026, 6)]):
                await u.uitstroom.voeg_toe(f"p{n}", "GM0363", maand)
            await u.uitstroom.voeg_toe("q", "GM0599", Maand(2025, 6))
            [(id_, maand)] = await u.uitstroom.open_van("p0")
            await u.uitstroom.keer_terug(id_, 30)  # within 36, not 12
            for p in ("p3", "p4"):
                [(id_, _)] = await u.uitstroom.open_van(p)
                await u.uitstroom.keer_terug(id_, 12)
            assert await u.uitstroom.open_van("p0") == []
        alles = (Maand(2023, 1), Maand(2026, 12))
        verwacht = {
            "GM0363": Uitstroomtelling(8, meetbaar_12=7, terug_12=2, meetbaar_36=3, terug_36=1),
            "GM0599": Uitstroomtelling(1, 1, 0, 0, 0),
        }
        async with uow() as u:
            assert await u.uitstroom.tellingen(None, *alles, MEETBAAR) == verwacht
            assert await u.uitstroom.tellingen("GM0599", *alles, MEETBAAR) == {"GM0599": verwacht["GM0599"]}
            assert await u.uitstroom.tellingen(None, Maand(2025, 1), Maand(2025, 12), MEETBAAR) == {
                "GM0363": Uitstroomtelling(4, 4, 2, 0, 0),
                "GM0599": Uitstroomtelling(1, 1, 0, 0, 0),
            }

        async def tel_af() -> int:
            async with uow() as u:
                return await u.uitstroom.tel_af(Maand(2023, 10))

        assert sorted(await asyncio.gather(tel_af(), tel_af())) == [0, 3], "two instances: counted once"
        async with uow() as u:
            assert await u.uitstroom.tellingen(None, *alles, MEETBAAR) == verwacht, "the same figures, no person"
            assert await u.uitstroom.open_van("p1") == []
    finally:
        await db.dispose()


async def test_an_outflow_record_moves_with_a_corrected_end_and_one_with_a_return_stays(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 11, 2))
    try:
        async with p.uow() as u:
            await u.uitstroom.voeg_toe("p", "GM0363", Maand(2026, 3))
            await u.uitstroom.voeg_toe("p", "GM0363", Maand(2026, 6))
            await u.uitstroom.voeg_toe("q", "GM0363", Maand(2026, 6))
            [(id_, _), _] = sorted(await u.uitstroom.open_van("p"))
            await u.uitstroom.keer_terug(id_, 2)  # left in March, back in May
            await u.uitstroom.verplaats("p", Maand(2026, 6), Maand(2026, 4))
            await u.uitstroom.verplaats("p", Maand(2026, 3), Maand(2026, 2))  # returned since: not this case's
        async with p.uow() as u:
            assert await u.uitstroom.open_van("p") == [(2, Maand(2026, 4))]
            assert await u.uitstroom.open_van("q") == [(3, Maand(2026, 6))], "another person's record stays"
            alles = await u.uitstroom.tellingen(None, Maand(2026, 1), Maand(2026, 12), MEETBAAR)
            assert alles["GM0363"].uitgestroomd == 3, "moved, not doubled"
            maart = await u.uitstroom.tellingen(None, Maand(2026, 3), Maand(2026, 3), MEETBAAR)
            assert maart["GM0363"].uitgestroomd == 1
    finally:
        await db.dispose()

"""Migrations on a real database (SQLite here, PostgreSQL in CI): 0005, a settlement stored the old
way, as the public explanation, reads back after the upgrade as the same settlement, so the API
answers what it answered before, and a downgrade writes the explanation back; 0021, a payout of
holiday allowance announced before its months were kept is marked to be looked at."""

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from decisions.adapters.kalender import SqlKalender
from decisions.adapters.repository import SqlVerrekeningen
from decisions.domain import vakantietoeslag as vt
from decisions.service.verrekeningen import inhoud
from decisions.tests.test_opslag import settled
from schakel.persistence import migrate
from tests.support.opslag import op_revisie

MIGRATIONS = Path(__file__).parents[1] / "migrations"


async def test_a_settlement_stored_as_its_explanation_reads_back_the_same_after_the_upgrade(tmp_path):
    db = await op_revisie(tmp_path, "decisions", "decisions_0004")
    oud = sa.table(
        "verrekeningen",
        *[sa.column(c) for c in ("uitkering_id", "maand", "versie", "te_betalen", "betaald", "vastgesteld_op")],
        sa.column("inhoud", sa.JSON),
    )
    op = datetime(2026, 4, 2, 8, tzinfo=UTC)
    # as stored then: before the reason for no vrijlating was kept (an older row shows none)
    voor = [replace(v, geen_vrijlating=None) for v in settled()]
    assert any(v.geen_vrijlating for v in settled()), "a month without vrijlating on work income is among them"
    async with db.transaction() as conn:
        await conn.execute(
            oud.insert(),
            [
                {
                    "uitkering_id": "u-1",
                    "maand": str(v.maand),
                    "versie": 2,
                    "te_betalen": v.te_betalen,
                    "betaald": v.betaald,
                    "vastgesteld_op": op,
                    "inhoud": inhoud(v),
                }
                for v in voor
            ],
        )

    await migrate(db, MIGRATIONS)

    async with db.transaction() as conn:
        gelezen = await SqlVerrekeningen(conn).van("u-1")
    assert [inhoud(g.verrekening) for g in gelezen.values()] == [inhoud(v) for v in voor]
    assert {(g.versie, g.vastgesteld_op) for g in gelezen.values()} == {(2, op)}

    await migrate(db, MIGRATIONS, "decisions_0004", downgrade=True)
    async with db.transaction() as conn:
        terug = [r.inhoud for r in await conn.execute(sa.select(oud).order_by(oud.c.maand))]
    assert terug == [inhoud(v) for v in voor], "a downgrade writes the explanation back"
    await db.dispose()


async def test_a_payout_announced_before_its_months_were_kept_is_marked_to_be_looked_at_once(tmp_path):
    db = await op_revisie(tmp_path, "decisions", "decisions_0020")
    oud = sa.table("vakantietoeslagen", *[sa.column(c) for c in ("uitkering_id", "jaar", "bedrag", "vastgesteld_op")])
    async with db.transaction() as conn:
        rij = {
            "uitkering_id": "u-1",
            "jaar": 2027,
            "bedrag": 63_072,
            "vastgesteld_op": datetime(2027, 6, 1, tzinfo=UTC),
        }
        await conn.execute(oud.insert(), [rij])

    await migrate(db, MIGRATIONS)

    async with db.transaction() as conn:
        kalender = SqlKalender(conn)
        assert await kalender.aangekondigd(["u-1"], gemarkeerd=True) == [
            vt.Aangekondigd("u-1", 2027, 63_072, None, True)
        ]
        assert await kalender.te_herzien(date(2027, 6, 2), None, 10) == ["u-1"]
    await db.dispose()

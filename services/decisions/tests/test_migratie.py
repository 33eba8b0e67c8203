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
from schakel.persistence.types import UtcDateTime
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


async def test_the_booked_difference_of_a_month_on_stable_income_is_rebased_so_it_raises_no_claim(tmp_path):
    """0022: until 0.11 a month on stable income booked what was payable minus what was paid; its bijstand
    went into the account, so from 0.11 its difference is minus an advance paid on top. Rebased, the
    months settle again without a claim of their whole bijstand; other cases and months stay."""
    db = await op_revisie(tmp_path, "decisions", "decisions_0021")
    t = {
        naam: sa.table(naam, *[sa.column(c) for c in kolommen])
        for naam, kolommen in {
            "uitkeringen": ("uitkering_id", "bsn", "persoon", "gemeentecode", "geboortedatum", "startdatum", "status"),
            "situaties": (
                *("uitkering_id", "ingangsdatum", "huishouden", "kostendelers", "medisch_urenbeperkt"),
                *("loonkostensubsidie", "meer_uren_niet_mogelijk", "regime", "betaalmodel"),
            ),
            "vorderingsverschillen": ("uitkering_id", "maand", "verschil", "versie"),
            "betalingen": ("uitkering_id", "maand", "bedrag", "vastgelegd_op"),
        }.items()
    }
    situatie = {"huishouden": "alleenstaand", "kostendelers": 1, "medisch_urenbeperkt": False}
    situatie |= {"loonkostensubsidie": False, "meer_uren_niet_mogelijk": False, "regime": "per-datum"}
    async with db.transaction() as conn:
        for uitkering_id, bsn in (("stabiel", "999993653"), ("voorschot", "999990019")):
            zaak = {"uitkering_id": uitkering_id, "bsn": bsn, "persoon": f"p-{bsn}", "gemeentecode": "GM0363"}
            zaak |= {"geboortedatum": date(1990, 5, 1), "startdatum": date(2026, 3, 10), "status": "lopend"}
            await conn.execute(t["uitkeringen"].insert(), [zaak])
        await conn.execute(
            t["situaties"].insert(),
            [
                # stable income from the start (its first day before the first of April: March is on it too)
                {"uitkering_id": "stabiel", "ingangsdatum": date(2026, 3, 10), "betaalmodel": "stabiel-inkomen"}
                | situatie,
                {"uitkering_id": "stabiel", "ingangsdatum": date(2026, 5, 15), "betaalmodel": "voorschot"} | situatie,
                {"uitkering_id": "voorschot", "ingangsdatum": date(2026, 3, 10), "betaalmodel": "voorschot"} | situatie,
            ],
        )
        await conn.execute(
            t["vorderingsverschillen"].insert(),
            [
                {"uitkering_id": "stabiel", "maand": "2026-03", "verschil": 61_892, "versie": 1},
                {"uitkering_id": "stabiel", "maand": "2026-04", "verschil": -71_250, "versie": 2},
                {"uitkering_id": "stabiel", "maand": "2026-05", "verschil": 61_892, "versie": 1},  # stable on the 1st
                {"uitkering_id": "stabiel", "maand": "2026-06", "verschil": 61_892, "versie": 1},
                {"uitkering_id": "voorschot", "maand": "2026-03", "verschil": 61_892, "versie": 1},
            ],
        )
        betaald = datetime(2026, 4, 1, tzinfo=UTC)
        await conn.execute(
            t["betalingen"].insert(),
            [{"uitkering_id": "stabiel", "maand": "2026-04", "bedrag": 133_142, "vastgelegd_op": betaald}],
        )

    async def geboekt():
        async with db.transaction() as conn:
            rijen = await conn.execute(sa.select(t["vorderingsverschillen"]).order_by("uitkering_id", "maand"))
            return [(r.uitkering_id, r.maand, r.verschil, r.versie) for r in rijen]

    voor = await geboekt()
    await migrate(db, MIGRATIONS)
    assert await geboekt() == [
        ("stabiel", "2026-03", 0, 1),
        ("stabiel", "2026-04", -133_142, 2),
        ("stabiel", "2026-05", 0, 1),
        ("stabiel", "2026-06", 61_892, 1),
        ("voorschot", "2026-03", 61_892, 1),
    ]
    await migrate(db, MIGRATIONS, "decisions_0021", downgrade=True)
    # down again: what was payable minus what was paid (no settlement stored here: payable counts as 0)
    assert [r[2] for r in await geboekt()] == [0, -133_142, 0, 61_892, 61_892]
    assert len(voor) == 5
    await db.dispose()


async def test_a_judgement_of_an_income_kind_from_before_stays_with_everyone_it_applied_to(tmp_path):
    """0026: a judgement became one person's. One from before applied to the applicant's relationships and
    to every partner's: it is kept for each of them, so nothing settles otherwise; a downgrade keeps the
    applicant's."""
    db = await op_revisie(tmp_path, "decisions", "decisions_0025")
    kolommen = ("uitkering_id", "loonheffingennummer", "inkomstenverhouding", "soort", "reden", "vastgelegd_op")
    oordelen = sa.table("inkomstensoorten", *[sa.column(c) for c in (*kolommen, "persoon")])
    op = datetime(2026, 4, 2, 8, tzinfo=UTC)
    zaak = {"geboortedatum": date(1990, 5, 1), "startdatum": date(2026, 1, 1), "status": "lopend"}
    situatie = {"huishouden": "gehuwd", "kostendelers": 1, "medisch_urenbeperkt": False}
    situatie |= {"loonkostensubsidie": False, "meer_uren_niet_mogelijk": False, "regime": "per-datum"}
    situatie |= {"betaalmodel": "voorschot"}
    async with db.transaction() as conn:
        for uitkering_id, bsn in (("stel", "999993653"), ("alleen", "999990019")):
            await conn.execute(
                sa.table(
                    "uitkeringen", *[sa.column(c) for c in ("uitkering_id", "bsn", "persoon", "gemeentecode", *zaak)]
                ).insert(),
                [{"uitkering_id": uitkering_id, "bsn": bsn, "persoon": f"p-{bsn}", "gemeentecode": "GM0363"} | zaak],
            )
        await conn.execute(
            sa.table(
                "situaties", *[sa.column(c) for c in ("uitkering_id", "ingangsdatum", "partner_persoon", *situatie)]
            ).insert(),
            [
                {"uitkering_id": "stel", "ingangsdatum": date(2026, 1, 1), "partner_persoon": "p-b"} | situatie,
                {"uitkering_id": "stel", "ingangsdatum": date(2026, 5, 1), "partner_persoon": "p-c"} | situatie,
                {"uitkering_id": "alleen", "ingangsdatum": date(2026, 1, 1), "partner_persoon": None} | situatie,
            ],
        )
        await conn.execute(
            sa.table("inkomstensoorten", *[sa.column(c) for c in kolommen]).insert(),
            [
                {"uitkering_id": u, "loonheffingennummer": "123456782L01", "inkomstenverhouding": 1}
                | {"soort": "arbeid", "reden": "loonstrook", "vastgelegd_op": op}
                for u in ("stel", "alleen")
            ],
        )
    await migrate(db, MIGRATIONS, "decisions_0026")

    async def kept() -> list[tuple[str, str]]:
        async with db.transaction() as conn:
            rijen = await conn.execute(
                sa.select(oordelen.c.uitkering_id, oordelen.c.persoon).order_by("uitkering_id", "persoon")
            )
            return [tuple(r) for r in rijen]

    assert await kept() == [("alleen", "p-999990019"), ("stel", "p-999993653"), ("stel", "p-b"), ("stel", "p-c")]
    await migrate(db, MIGRATIONS, "decisions_0025", downgrade=True)
    async with db.transaction() as conn:
        terug = (await conn.execute(sa.select(sa.table("inkomstensoorten", sa.column("uitkering_id"))))).all()
    assert sorted(r.uitkering_id for r in terug) == ["alleen", "stel"]
    await db.dispose()


async def test_rules_recorded_with_their_release_go_back_to_long_ago_on_a_downgrade(tmp_path):
    """0027 down: the fingerprint alone, as of long ago, so the earlier release (which orders rules by that
    day against its own start) takes its own rules over; the day far ahead would keep it off for ever."""
    from decisions.service.verrekeningen import OUDE_ORDE

    db = await op_revisie(tmp_path, "decisions", "decisions_0027")
    regelversie = sa.table("regelversie", sa.column("versie"), sa.column("vastgesteld_op", UtcDateTime))
    async with db.transaction() as conn:
        await conn.execute(regelversie.update().values(versie=f"0.16.0 {'a' * 64}", vastgesteld_op=OUDE_ORDE))
    await migrate(db, MIGRATIONS, "decisions_0026", downgrade=True)
    async with db.transaction() as conn:
        [rij] = (await conn.execute(sa.select(regelversie))).all()
    assert (rij.versie, rij.vastgesteld_op) == ("a" * 64, datetime(1970, 1, 1, tzinfo=UTC))
    await db.dispose()

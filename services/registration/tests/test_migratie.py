"""Migrations 0003, 0004 and 0005 on a real database (SQLite here, PostgreSQL in CI): which facts they mark
to be announced (kondig_aan announces those whose date has come at its next run)."""

from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from schakel.persistence import migrate
from tests.support.opslag import op_revisie

MIGRATIONS = Path(__file__).parents[1] / "migrations"
feiten = sa.table(
    "feiten",
    *(sa.column(c) for c in ("id", "persoon", "bsn", "soort", "gemeentecode", "bron")),
    sa.column("datum", sa.Date),
    sa.column("gegevens", sa.JSON),
    sa.column("ontvangen_op", sa.DateTime(timezone=True)),
    sa.column("aankondigen_op", sa.Date),
)


async def test_0003_marks_the_facts_that_arrived_ahead_of_their_date(tmp_path):
    """One that arrived on or after its date is not marked."""
    db = await op_revisie(tmp_path, "registration", "registration_0002")
    ontvangen = datetime(2026, 3, 10, 9, tzinfo=UTC)
    rijen = {1: date(2026, 3, 20), 2: date(2026, 3, 10), 3: date(2026, 2, 1)}  # ahead, on the day, before
    try:
        async with db.transaction() as conn:
            await conn.execute(
                feiten.insert(),
                [
                    {
                        "id": i,
                        "persoon": f"p-{i}",
                        "bsn": "999993653",
                        "soort": "dagbesteding-gestart",
                        "gemeentecode": "GM0363",
                        "bron": "gemeente",
                        "datum": datum,
                        "gegevens": {"indicatie": "wmo"},
                        "ontvangen_op": ontvangen,
                    }
                    for i, datum in rijen.items()
                ],
            )
        await migrate(db, MIGRATIONS, "registration_0003")
        async with db.transaction() as conn:
            gemarkeerd = dict((await conn.execute(sa.select(feiten.c.id, feiten.c.aankondigen_op))).all())
        assert gemarkeerd == {1: date(2026, 3, 20), 2: None, 3: None}
    finally:
        await db.dispose()


async def test_0004_marks_the_earliest_fact_of_whom_a_school_registration_put_to_sleep(tmp_path):
    """Registration 0.7.4: a school leaver's registration (vso-pro) leaves the advice awake, and a place
    ends a registration that runs. Whose advice a school registration put to sleep (registered on or
    after it), or who had a place start on or after a registration, may have a new status: their
    earliest fact is marked, so the task's next run announces today's status whatever it was before;
    other timelines changed nothing and are not marked."""
    db = await op_revisie(tmp_path, "registration", "registration_0003")
    advies, eerder, later = date(2026, 3, 10), date(2026, 3, 1), date(2026, 4, 1)
    tijdlijnen = {  # person: (advice, registration ground and date)
        "p-slapend": ("positief", "vso-pro", later),
        "p-baan": ("positief", "vso-pro", later),
        "p-zelfde-dag": ("positief", "vso-pro", advies),
        "p-eerder-geregistreerd": ("positief", "vso-pro", eerder),
        "p-indicatie": ("positief", "participatiewet", later),
        "p-negatief": ("negatief", "vso-pro", later),
        "p-plek": ("positief", "participatiewet", eerder),  # and a place after it: it ends the registration now
    }
    baan = ("banenafspraakbaan-gestart", date(2026, 2, 1), {"werkgever": "X"})  # before the advice
    plek = ("beschutte-plek-gestart", date(2026, 5, 1), {"werkgever": "SW", "urenPerWeek": 24, "vorm": "regulier"})
    rijen = []
    for persoon, (uitkomst, grond, geregistreerd) in tijdlijnen.items():
        for soort, datum, gegevens in (
            ("advies-uitgebracht", advies, {"uitkomst": uitkomst}),
            ("doelgroepregistratie-gestart", geregistreerd, {"grond": grond}),
            *([baan] if persoon in ("p-baan", "p-indicatie") else []),
            *([plek] if persoon == "p-plek" else []),
        ):
            rijen.append(
                {
                    "id": len(rijen) + 1,
                    "persoon": persoon,
                    "bsn": "999993653",
                    "soort": soort,
                    "gemeentecode": "GM0363",
                    "bron": "uwv",
                    "datum": datum,
                    "gegevens": gegevens,
                    "ontvangen_op": datetime(2026, 5, 1, 9, tzinfo=UTC),
                }
            )
    try:
        async with db.transaction() as conn:
            await conn.execute(feiten.insert(), rijen)
        await migrate(db, MIGRATIONS)
        async with db.transaction() as conn:
            query = sa.select(feiten.c.persoon, feiten.c.soort, feiten.c.aankondigen_op)
            gemarkeerd = {(r.persoon, r.soort, r.aankondigen_op) for r in await conn.execute(query) if r.aankondigen_op}
        assert gemarkeerd == {
            ("p-slapend", "advies-uitgebracht", advies),
            ("p-zelfde-dag", "advies-uitgebracht", advies),
            ("p-zelfde-dag", "doelgroepregistratie-gestart", advies),  # both facts of the earliest day
            ("p-baan", "banenafspraakbaan-gestart", date(2026, 2, 1)),
            ("p-plek", "doelgroepregistratie-gestart", eerder),
        }
    finally:
        await db.dispose()


async def test_0005_marks_the_newest_fact_of_whom_a_fallback_may_end_with_the_day_after_their_last_fact(tmp_path):
    """A fallback ending was not announced before: whoever has a fact that gives one with a last day is
    marked the day after their latest fact announced, on their newest (the task compares from there), or
    keep that one's own mark where it is earlier (a fact dated ahead, announced on its date); others are not."""
    db = await op_revisie(tmp_path, "registration", "registration_0004")
    tijdlijnen = {
        "p-dagbesteding": [
            ("dagbesteding-gestart", date(2026, 1, 5), {"indicatie": "wmo", "geldigTot": "2026-12-31"}, None),
            ("dagbesteding-beeindigd", date(2026, 6, 30), {}, None),
            ("advies-aangevraagd", date(2026, 5, 1), {"aanvrager": "gemeente"}, None),  # newest, an earlier date
        ],
        "p-wia": [("wia-recht-beeindigd", date(2026, 2, 28), {}, None)],
        "p-vooruit": [("wajong-recht-beeindigd", date(2026, 3, 1), {"aowDatum": "2060-01-01"}, date(2026, 9, 1))],
        "p-advies": [("advies-uitgebracht", date(2026, 3, 1), {"uitkomst": "positief"}, None)],
        # a fact dated ahead and still marked was not announced: the day after the one before it counts
        "p-later": [
            ("dagbesteding-gestart", date(2026, 1, 5), {"indicatie": "wmo", "geldigTot": "2026-12-31"}, None),
            ("dagbesteding-beeindigd", date(2026, 6, 30), {}, None),
            ("advies-aangevraagd", date(2027, 3, 1), {"aanvrager": "gemeente"}, date(2027, 3, 1)),
            ("advies-aangevraagd", date(2026, 6, 1), {"aanvrager": "gemeente"}, None),
        ],
        # the newest fact dated ahead, its mark later than the fallback's end: the earlier day replaces it
        "p-beide": [
            ("dagbesteding-gestart", date(2026, 1, 5), {"indicatie": "wmo", "geldigTot": "2026-12-31"}, None),
            ("dagbesteding-beeindigd", date(2026, 6, 30), {}, None),
            ("advies-aangevraagd", date(2027, 3, 1), {"aanvrager": "gemeente"}, date(2027, 3, 1)),
        ],
    }
    rijen = [
        {
            "persoon": persoon,
            "bsn": "999993653",
            "soort": soort,
            "gemeentecode": "GM0363",
            "bron": "gemeente",
            "datum": datum,
            "gegevens": gegevens,
            "ontvangen_op": datetime(2026, 7, 1, 9, tzinfo=UTC),
            "aankondigen_op": gemarkeerd,
        }
        for persoon, tijdlijn in tijdlijnen.items()
        for soort, datum, gegevens, gemarkeerd in tijdlijn
    ]
    try:
        async with db.transaction() as conn:
            await conn.execute(feiten.insert(), [r | {"id": i} for i, r in enumerate(rijen, 1)])
        await migrate(db, MIGRATIONS)
        async with db.transaction() as conn:
            query = sa.select(feiten.c.persoon, feiten.c.soort, feiten.c.aankondigen_op)
            gemarkeerd = {(r.persoon, r.soort, r.aankondigen_op) for r in await conn.execute(query) if r.aankondigen_op}
        assert gemarkeerd == {
            ("p-dagbesteding", "advies-aangevraagd", date(2026, 7, 1)),
            ("p-wia", "wia-recht-beeindigd", date(2026, 3, 1)),
            ("p-vooruit", "wajong-recht-beeindigd", date(2026, 9, 1)),
            ("p-later", "advies-aangevraagd", date(2027, 3, 1)),
            ("p-later", "advies-aangevraagd", date(2026, 7, 1)),
            ("p-beide", "advies-aangevraagd", date(2026, 7, 1)),
        }
    finally:
        await db.dispose()

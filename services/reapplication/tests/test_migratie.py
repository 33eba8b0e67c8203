"""Migration 0011 on a real database (SQLite here, PostgreSQL in CI): the cases known before it are
filled in from what was kept (every window an ended case; a re-application decisions confirmed
without a window since, a running one), and a grant decisions had not opened an hour after it was
made (it refused it: the double grants before it) is marked as not reopened, so it no longer holds
the person; a grant of a minute ago is still on its way. And the later ones, each its own test."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from reapplication.adapters.repository import UnitOfWork
from reapplication.adapters.tables import heraanvragen, overdrachten
from reapplication.domain.fouten import HeraanvraagLoopt, UitkeringLoopt
from reapplication.domain.heraanvraag import weiger_dubbel
from reapplication.domain.termijn import Heraanvraagtermijn
from reapplication.tests.test_bewaring import heraanvraag
from schakel.persistence import migrate
from tests.support.opslag import op_revisie

MIGRATIONS = Path(__file__).parents[1] / "migrations"
BESLOTEN = datetime(2025, 3, 1, 9, tzinfo=UTC)


async def test_the_cases_known_before_are_filled_in_and_a_double_grant_of_before_no_longer_holds(tmp_path):
    db = await op_revisie(tmp_path, "reapplication", "reapplication_0010")
    lopend, beeindigd, dubbel, later = "p-lopend", "p-beeindigd", "p-dubbel", "p-later"
    net = datetime.now(UTC) - timedelta(minutes=1)  # the upgrade runs on the real clock
    grants = {  # (person, case it opened, when decided)
        "a": (lopend, "u-1", BESLOTEN),
        "b": (beeindigd, "u-2", BESLOTEN),
        "eerste": (dubbel, "u-3", BESLOTEN),
        "tweede": (dubbel, None, BESLOTEN + timedelta(minutes=1)),  # dead-lettered in decisions: u-3 ran
        "oud": (later, "u-4", BESLOTEN),
        "nieuw": (later, None, net),  # on its way
    }
    ids = {naam: str(uuid.uuid4()) for naam in grants}
    async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
        for uitkering_id, persoon in (("u-2", beeindigd), ("u-4", later)):
            termijn = Heraanvraagtermijn(uitkering_id, "GM0363", date(2025, 2, 28), date(2026, 2, 28))
            await uow.termijnen.zet(persoon, termijn)
        for naam, (persoon, uitkering_id, besloten) in grants.items():
            h = replace(heraanvraag(persoon, date(2025, 3, 1), besloten), heraanvraag_id=ids[naam], status="toegekend")
            await uow.heraanvragen.voeg_toe(h)
            await uow.conn.execute(
                heraanvragen.update()
                .where(heraanvragen.c.heraanvraag_id == ids[naam])
                .values(uitkering_id=uitkering_id)
            )

    await migrate(db, MIGRATIONS)

    async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
        bekend = {p: await uow.uitkeringen.van(p) for p in (lopend, beeindigd, dubbel, later)}
        rijen = (await uow.conn.execute(sa.select(heraanvragen.c.heraanvraag_id, heraanvragen.c.niet_geopend))).all()
        await uow.uitkeringen.beeindigd(dubbel, "u-3", date(2025, 6, 30), None)
        na_einde = await uow.uitkeringen.van(dubbel)
        eerdere = {p: await uow.heraanvragen.van_persoon(p, "GM0363") for p in (dubbel, later)}
    await db.dispose()
    assert {p: [(u.uitkering_id, u.einddatum) for u in us] for p, us in bekend.items()} == {
        lopend: [("u-1", None)],
        beeindigd: [("u-2", date(2025, 2, 28))],
        dubbel: [("u-3", None)],
        later: [("u-4", date(2025, 2, 28))],
    }
    assert {i: n["code"] for i, n in rijen if n} == {ids["tweede"]: "niet-geopend"}
    with pytest.raises(UitkeringLoopt):
        weiger_dubbel(eerdere[dubbel], bekend[dubbel], True, date(2025, 7, 1))
    weiger_dubbel(eerdere[dubbel], na_einde, True, date(2025, 7, 1))  # the grant decisions never opened holds nobody
    with pytest.raises(UitkeringLoopt):
        weiger_dubbel(eerdere[dubbel], na_einde, True, date(2025, 6, 30))  # it pays the start day
    with pytest.raises(HeraanvraagLoopt):
        weiger_dubbel(eerdere[later], bekend[later], True, date(2025, 7, 1))


async def test_0013_lengthens_a_window_after_a_months_last_day_to_whole_months(tmp_path):
    """Migration 0013: stored by the old rule, a window after a benefit that ended on 28 February ran
    to 28 August; it now runs to 31 August (Heraanvraagtermijn.na). Others stay as they were."""
    db = await op_revisie(tmp_path, "reapplication", "reapplication_0012")
    termijnen = sa.table(
        "heraanvraagtermijnen",
        *(sa.column(c) for c in ("uitkering_id", "persoon", "gemeentecode")),
        sa.column("einddatum", sa.Date),
        sa.column("geldig_tot", sa.Date),
    )
    rijen = {  # id: (end, stored until, until after the upgrade)
        "februari": (date(2026, 2, 28), date(2026, 8, 28), date(2026, 8, 31)),
        "april": (date(2026, 4, 30), date(2027, 4, 30), date(2027, 4, 30)),  # already a month's last day
        "midden": (date(2026, 3, 15), date(2027, 3, 15), date(2027, 3, 15)),
        "beleid": (date(2026, 2, 28), date(2026, 9, 30), date(2026, 9, 30)),  # not by the old rule: as it is
    }
    try:
        async with db.transaction() as conn:
            await conn.execute(
                termijnen.insert(),
                [
                    {"uitkering_id": k, "persoon": f"p-{k}", "gemeentecode": "GM0363", "einddatum": e, "geldig_tot": t}
                    for k, (e, t, _) in rijen.items()
                ],
            )
        await migrate(db, MIGRATIONS)
        async with db.transaction() as conn:
            na = dict((await conn.execute(sa.select(termijnen.c.uitkering_id, termijnen.c.geldig_tot))).all())
        assert na == {k: tot for k, (_, _, tot) in rijen.items()}
        assert Heraanvraagtermijn.na("u", "GM0363", date(2026, 2, 28), 6).geldig_tot == date(2026, 8, 31), "the rule"
    finally:
        await db.dispose()


async def test_0015_lets_a_person_have_a_handover_per_ww_and_its_downgrade_keeps_the_latest(tmp_path):
    db = await op_revisie(tmp_path, "reapplication", "reapplication_0014")
    o = sa.table(
        "overdrachten",
        *(sa.column(c) for c in ("overdracht_id", "persoon", "bsn", "gemeentecode", "grondslag", "stappen")),
        sa.column("ww_einddatum", sa.Date),
    )

    def rij(overdracht_id: str, einde: date) -> dict:
        vast = {"persoon": "p-1", "bsn": "999993653", "gemeentecode": "GM0363", "grondslag": "{}", "stappen": "[]"}
        return vast | {"overdracht_id": overdracht_id, "ww_einddatum": einde}

    try:
        async with db.transaction() as conn:
            await conn.execute(o.insert(), [rij("eerste", date(2027, 3, 31))])
        with pytest.raises(sa.exc.IntegrityError):  # before: one per person
            async with db.transaction() as conn:
                await conn.execute(o.insert(), [rij("tweede", date(2029, 1, 31))])
        await migrate(db, MIGRATIONS)
        async with db.transaction() as conn:
            await conn.execute(o.insert(), [rij("tweede", date(2029, 1, 31))])
        async with db.transaction() as conn:
            assert {r[0] for r in await conn.execute(sa.select(o.c.overdracht_id))} == {"eerste", "tweede"}
        await migrate(db, MIGRATIONS, "reapplication_0014", downgrade=True)
        async with db.transaction() as conn:
            assert [r[0] for r in await conn.execute(sa.select(o.c.overdracht_id))] == ["tweede"]
    finally:
        await db.dispose()


async def test_0016_keeps_a_long_explanation_and_its_downgrade_cuts_it_to_the_column_it_had(tmp_path):
    db = await op_revisie(tmp_path, "reapplication")
    lang = replace(heraanvraag("p-1", date(2026, 3, 2)), status="toegekend", besluit_reden="x" * 600)
    try:
        async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
            await uow.heraanvragen.voeg_toe(lang)
        async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
            assert (await uow.heraanvragen.lees(lang.heraanvraag_id)).besluit_reden == "x" * 600
        await migrate(db, MIGRATIONS, "reapplication_0015", downgrade=True)
        async with db.transaction() as conn:
            assert (await conn.execute(sa.text("SELECT besluit_reden FROM heraanvragen"))).scalar() == "x" * 500
    finally:
        await db.dispose()


async def test_0020_clears_a_notification_moment_ahead_and_keeps_the_others(tmp_path):
    """A year typed wrong, kept before such a moment was refused (0.13.2), froze the handover."""
    db = await op_revisie(tmp_path, "reapplication", "reapplication_0019")
    nu = datetime.now(UTC)  # the upgrade judges by its own moment
    momenten = {"getypt": nu.replace(year=nu.year + 36), "gisteren": nu - timedelta(days=1), "geen": None}
    rij = {
        "persoon": "p",
        "bsn": "999993653",
        "gemeentecode": "GM0363",
        "ww_einddatum": date(2027, 1, 20),
        "grondslag": {},
        "stappen": [],
    }
    async with db.transaction() as conn:
        await conn.execute(
            overdrachten.insert(), [rij | {"overdracht_id": naam, "melding_op": m} for naam, m in momenten.items()]
        )

    await migrate(db, MIGRATIONS)

    async with db.transaction() as conn:
        rijen = dict((await conn.execute(sa.select(overdrachten.c.overdracht_id, overdrachten.c.melding_op))).all())
    assert rijen == {"getypt": None, "gisteren": momenten["gisteren"], "geen": None}
    await db.dispose()

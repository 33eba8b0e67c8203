"""Migration 0011 on a real database (SQLite here, PostgreSQL in CI): the cases known before it are
filled in from what was kept. Every window is an ended case; a re-application decisions confirmed
without a window since is a running one. Both count as known from the upgrade on, so a grant that
decisions never opened (a double grant of before) no longer holds the person."""

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from reapplication.adapters.repository import UnitOfWork
from reapplication.domain.fouten import UitkeringLoopt
from reapplication.domain.heraanvraag import weiger_dubbel
from reapplication.domain.termijn import Heraanvraagtermijn
from reapplication.tests.test_bewaring import heraanvraag
from schakel.persistence import migrate
from schakel.persistence.database import Database
from tests.support.stack import new_database_url

MIGRATIONS = Path(__file__).parents[1] / "migrations"
BESLOTEN = datetime(2025, 3, 1, 9, tzinfo=UTC)  # before any day the upgrade runs


async def test_the_cases_known_before_are_filled_in_from_the_windows_and_the_confirmed_grants(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"reapplication-{uuid.uuid4().hex[:8]}"))
    await migrate(db, MIGRATIONS, "reapplication_0010")
    lopend, beeindigd, dubbel = "p-lopend", "p-beeindigd", "p-dubbel"

    def toegekend(persoon: str, uitkering_id: str | None):
        return replace(heraanvraag(persoon, date(2025, 3, 1), BESLOTEN), status="toegekend", uitkering_id=uitkering_id)

    async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
        await uow.termijnen.voeg_toe(
            beeindigd, Heraanvraagtermijn("u-2", "GM0363", date(2025, 2, 28), date(2026, 2, 28))
        )
        for h in (
            toegekend(lopend, "u-1"),
            toegekend(beeindigd, "u-2"),
            toegekend(dubbel, "u-3"),
            toegekend(dubbel, None),
        ):
            await uow.heraanvragen.voeg_toe(h)
            await uow.heraanvragen.werk_bij(h)

    await migrate(db, MIGRATIONS)

    async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
        bekend = {p: await uow.uitkeringen.van(p) for p in (lopend, beeindigd, dubbel)}
        await uow.uitkeringen.beeindigd(dubbel, "u-3", date(2025, 6, 30), datetime.now(UTC))
        na_einde = await uow.uitkeringen.van(dubbel)
        eerdere = await uow.heraanvragen.van_persoon(dubbel, "GM0363")
    await db.dispose()
    assert {p: [(u.uitkering_id, u.einddatum) for u in us] for p, us in bekend.items()} == {
        lopend: [("u-1", None)],
        beeindigd: [("u-2", date(2025, 2, 28))],
        dubbel: [("u-3", None)],
    }
    assert all(u.bekend_sinds > BESLOTEN for us in bekend.values() for u in us), "known from the upgrade on"
    with pytest.raises(UitkeringLoopt):
        weiger_dubbel(eerdere, bekend[dubbel], True)
    weiger_dubbel(eerdere, na_einde, True)  # the grant decisions never opened holds the person no longer

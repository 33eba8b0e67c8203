"""The rules every case was last settled whole under, and the cases in pages, on a migrated
database (SQLite; PostgreSQL when SCHAKEL_TEST_POSTGRES_URL names one); and a round of the task after
a deploy with other rules on it: the months it changes revised, on the rules recorded, each case once
also when instances run the round at once."""

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import uuid4

import sqlalchemy as sa

from decisions.adapters.tables import regelversie as regelversie_tabel
from decisions.service import verrekeningen
from decisions.service.ports import Regelstand
from decisions.tests.opslag import sql_ports
from decisions.tests.test_opslag_verrekeningen import open_cases, settle
from decisions.tests.test_service_regelversie import B, hogere_norm_vanaf
from schakel.events.models import VerrekeningHerzien
from schakel.messaging.tables import outbox as outbox_tabel
from tests.support.builders import bsn


async def test_the_rules_recorded_read_back_and_stay_one_row(tmp_path):
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    try:
        async with sql.uow() as uow:
            assert await uow.regelversie.lees() == Regelstand("", datetime(1970, 1, 1, tzinfo=UTC)), "none yet"
            await uow.regelversie.zet(Regelstand("a" * 64, datetime(2026, 11, 2, 8, tzinfo=UTC), na=str(uuid4())))
        async with sql.uow() as uow:
            assert (await uow.regelversie.lees()).versie == "a" * 64
            # as recorded: the release and the fingerprint (a sha256 in hex)
            await uow.regelversie.zet(Regelstand("10.100.1000 " + "b" * 64, datetime(2026, 11, 2, 9, tzinfo=UTC)))
        async with db.transaction() as conn:
            rijen = (await conn.execute(sa.select(regelversie_tabel))).all()
        assert [(r.versie, r.vastgesteld_op, r.na) for r in rijen] == [
            ("10.100.1000 " + "b" * 64, datetime(2026, 11, 2, 9, tzinfo=UTC), None)
        ]
    finally:
        await db.dispose()


async def test_instances_running_a_round_at_once_settle_each_case_once(tmp_path):
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    personen = [bsn() for _ in range(7)]
    try:
        await open_cases(sql, personen, [])
        await settle(sql, {b: 50_000 for b in personen})
        b = replace(sql, regelversie="B", parameters=hogere_norm_vanaf(date(2026, 3, 1), 1_000))

        rondes = await asyncio.gather(*(verrekeningen.herbereken_na_nieuwe_regels(b, B, per=2) for _ in range(3)))

        assert sum(zaken for zaken, _ in rondes) == 7 and sum(events for _, events in rondes) == 7
        async with db.transaction() as conn:
            headers = (await conn.execute(sa.select(outbox_tabel.c.headers))).scalars().all()
        assert sum(h["ce_type"] == VerrekeningHerzien.TYPE for h in headers) == 7, "March of each, once"
        async with sql.uow() as uow:
            assert await uow.regelversie.lees() == Regelstand(f"{B} B", verrekeningen.OUDE_ORDE)
    finally:
        await db.dispose()


async def test_the_cases_come_in_pages_by_id_and_a_round_revises_what_new_rules_change(tmp_path):
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    personen = [bsn() for _ in range(5)]
    try:
        ids = await open_cases(sql, personen, [])
        await settle(sql, {b: 50_000 for b in personen[:3]})  # two cases have no settlement
        alle = sorted(ids.values())
        pagina, na = [], None
        while True:
            async with sql.uow() as uow:
                deel = [u.uitkering_id for u in await uow.uitkeringen.pagina(na, 2)]
            if not deel:
                break
            pagina.append(deel)
            na = deel[-1]
        assert pagina == [alle[:2], alle[2:4], alle[4:]]

        b = replace(sql, regelversie="B", parameters=hogere_norm_vanaf(date(2026, 3, 1), 1_000))
        assert await verrekeningen.herbereken_na_nieuwe_regels(b, B, per=2) == (5, 3)
        async with db.transaction() as conn:
            headers = (await conn.execute(sa.select(outbox_tabel.c.headers))).scalars().all()
        assert sum(h["ce_type"] == VerrekeningHerzien.TYPE for h in headers) == 3, "March of each"
        assert await verrekeningen.herbereken_na_nieuwe_regels(b, B, per=2) == (0, 0)
        async with sql.uow() as uow:
            assert await uow.regelversie.lees() == Regelstand(f"{B} B", verrekeningen.OUDE_ORDE)
    finally:
        await db.dispose()

"""The payment calendar's SQL adapter on a migrated database: the dated policy, the cases still
without an advance for a month, and the count of the months first settled."""

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from decisions.adapters import tables
from decisions.adapters.kalender import SqlKalender
from decisions.domain import vakantietoeslag as vt
from decisions.domain.kalender import Voorschotbeleid
from decisions.domain.situatie import Huishouden, Situatie
from decisions.entrypoints import consumers
from decisions.service import kalender, uitkeringen, verrekeningen
from decisions.tests.opslag import sql_ports
from schakel.caller import Caller, Rol
from schakel.clock import FixedClock
from schakel.events.models import VerrekeningHerzien, VerrekeningVastgesteld
from schakel.persistence import Database, migrate
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received
from tests.support.stack import new_database_url

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
START = date(2026, 9, 1)
MIGRATIONS = Path(__file__).parents[1] / "migrations"
VASTGESTELD, HERZIEN = VerrekeningVastgesteld.TYPE, VerrekeningHerzien.TYPE


async def test_the_sql_calendar_keeps_policies_proposals_and_first_settlements(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 11, 2))
    try:
        ids = [
            (
                await uitkeringen.open_uitkering(
                    p, AMSTERDAM, bsn, date(1990, 5, 1), START, Situatie(START, Huishouden.alleenstaand)
                )
            ).uitkering.uitkering_id
            for bsn in ("999993653", "999990019")
        ]
        await verrekeningen.betaal(p, AMSTERDAM, ids[1], Maand(2026, 11), 100_000)
        later = Voorschotbeleid(date(2026, 12, 1), percentage=95)
        for versie in (later, Voorschotbeleid(date(2026, 10, 1)), replace(later, maanden=6)):
            await kalender.zet_beleid(p, AMSTERDAM, versie)
        assert await kalender.beleid(p, AMSTERDAM) == [Voorschotbeleid(date(2026, 10, 1)), replace(later, maanden=6)]

        async with p.uow() as uow:
            assert await uow.kalender.zonder_voorschot(Maand(2026, 11)) == [ids[0]], "the other is paid"
        assert await kalender.stel_voorschotten_voor(p) == 1
        assert await kalender.stel_voorschotten_voor(p) == 0
        async with p.uow() as uow:
            assert await uow.kalender.zonder_voorschot(Maand(2026, 11)) == []
            assert list(await uow.kalender.voorgesteld(ids[0])) == [Maand(2026, 11)]

        await consumers.on_maandinkomens(lambda conn: p).handle(
            None, [received("p-999993653", maandinkomen("999993653", "2026-09", 60_000))]
        )
        async with p.uow() as uow:
            vandaag = p.clock.today()
            eerste = ("GM0363", Maand(2026, 9), vandaag, 1)
            assert await uow.kalender.eerste_verrekeningen("GM0363") == [eerste]
            assert await uow.kalender.eerste_verrekeningen(None, vandaag, vandaag) == [eerste]
            assert await uow.kalender.eerste_verrekeningen(None, vandaag + timedelta(days=1)) == []
            assert await uow.kalender.eerste_verrekeningen(None, None, vandaag - timedelta(days=1)) == []
            assert await uow.kalender.eerste_verrekeningen("GM0599") == []

        await consumers.on_maandinkomens(lambda conn: p).handle(
            None, [received("p-999990019", maandinkomen("999990019", "2026-09", 60_000))]
        )
        async with p.uow() as uow:
            assert await uow.kalender.eerste_verrekeningen("GM0363") == [("GM0363", Maand(2026, 9), vandaag, 2)]
    finally:
        await db.dispose()


async def test_the_first_settlements_are_counted_from_the_case_history_on_the_upgrade(tmp_path):
    """Migration 0017 counts the months first settled so far from the case histories: each case's
    month once, on the UTC day of its first settlement; revisions and repeats do not count."""
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"decisions-{uuid.uuid4().hex[:8]}"))
    try:
        await migrate(db, MIGRATIONS, "decisions_0016")
        laat = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # already 1 November in the Netherlands
        async with db.transaction() as conn:
            await conn.execute(
                tables.uitkeringen.insert(),
                [
                    {"uitkering_id": i, "bsn": f"99999{n:04d}", "persoon": f"p-{i}", "gemeentecode": g}
                    | {"geboortedatum": date(1990, 5, 1), "startdatum": START, "status": "lopend"}
                    for n, (i, g) in enumerate([("a", "GM0363"), ("b", "GM0363"), ("c", "GM0599")])
                ],
            )
            await conn.execute(
                tables.gebeurtenissen.insert(),
                [
                    {"uitkering_id": i, "event_id": str(uuid.uuid4()), "type": soort, "maand": m, "tijdstip": op}
                    for i, soort, m, op in [
                        ("a", VASTGESTELD, "2026-09", laat),
                        ("a", VASTGESTELD, "2026-09", laat + timedelta(days=2)),  # a repeat: the first counts
                        ("a", HERZIEN, "2026-09", laat + timedelta(days=3)),
                        ("b", VASTGESTELD, "2026-09", laat + timedelta(hours=1)),
                        ("b", VASTGESTELD, "2026-10", laat + timedelta(hours=1)),
                        ("c", VASTGESTELD, "2026-09", laat),
                        ("c", "nl.participatiewet.uitkering.geopend", None, laat),
                    ]
                ],
            )
        await migrate(db, MIGRATIONS)
        async with db.transaction() as conn:
            geteld = await SqlKalender(conn).eerste_verrekeningen(None)
        oktober, november = date(2026, 10, 31), date(2026, 11, 1)
        assert sorted(geteld) == [
            ("GM0363", Maand(2026, 9), oktober, 1),
            ("GM0363", Maand(2026, 9), november, 1),
            ("GM0363", Maand(2026, 10), november, 1),
            ("GM0599", Maand(2026, 9), oktober, 1),
        ]
    finally:
        await db.dispose()


async def test_the_sql_calendar_finds_the_cases_whose_holiday_allowance_is_due_and_records_each_once(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 12, 20))
    try:
        situatie = Situatie(START, Huishouden.alleenstaand)
        lopend, geeindigd, later = [
            (await uitkeringen.open_uitkering(p, AMSTERDAM, bsn, date(1990, 5, 1), start, situatie)).uitkering
            for bsn, start in (("999993653", START), ("999990019", START), ("999991905", date(2027, 6, 1)))
        ]
        await uitkeringen.beeindig(p, AMSTERDAM, geeindigd.uitkering_id, date(2026, 12, 15), uitkeringen.Reden.werk)
        async with p.uow() as uow:
            k = uow.kalender
            # the June of 2027: the cases that ran from June 2026 to May 2027 (not the one starting later)
            juni = await k.zonder_vakantietoeslag(2027, date(2026, 6, 1), date(2027, 5, 31), False)
            assert juni == sorted([lopend.uitkering_id, geeindigd.uitkering_id])
            # ended in December 2026: only the case that ended then
            december = await k.zonder_vakantietoeslag(2027, date(2026, 12, 1), date(2026, 12, 31), True)
            assert december == [geeindigd.uitkering_id]
            december_ = vt.Opbouw((vt.Reservering(Maand(2026, 12), 1_234, False, False),), date(2027, 3, 15), None)
            assert await k.stel_vakantietoeslag_vast(geeindigd.uitkering_id, december_, p.clock.now())
            assert not await k.stel_vakantietoeslag_vast(geeindigd.uitkering_id, december_, p.clock.now())
            assert await k.zonder_vakantietoeslag(2027, date(2026, 12, 1), date(2026, 12, 31), True) == []
            assert await k.zonder_vakantietoeslag(2027, date(2026, 6, 1), date(2027, 5, 31), False) == [
                lopend.uitkering_id
            ]
            volgend = await k.zonder_vakantietoeslag(2028, date(2027, 6, 1), date(2028, 5, 31), False)
            assert volgend == sorted([lopend.uitkering_id, later.uitkering_id]), "the ended case ran in none of it"
    finally:
        await db.dispose()


async def test_the_sql_calendar_keeps_an_announced_payout_marks_it_when_a_month_changes_and_finds_it_due(tmp_path):
    db, p = await sql_ports(tmp_path, date(2027, 6, 1))
    try:
        situatie = Situatie(START, Huishouden.alleenstaand)
        ids = sorted(
            [
                (
                    await uitkeringen.open_uitkering(p, AMSTERDAM, bsn, date(1990, 5, 1), START, situatie)
                ).uitkering.uitkering_id
                for bsn in ("999993653", "999990019")
            ]
        )
        assert await kalender.stel_vakantietoeslagen_vast(p) == 2
        async with p.uow() as uow:
            [a, b] = await uow.kalender.aangekondigd(ids, gemarkeerd=False)
            assert (a.uitkering_id, b.uitkering_id, a.jaar) == (*ids, 2027)
            assert [r.maand for r in a.stand.maanden] == [Maand(2026, m) for m in range(9, 13)] + [
                Maand(2027, m) for m in range(1, 6)
            ]
            assert a.stand.uiterlijk == date(2027, 6, 30) and a.bedrag == a.stand.bedrag
            assert await uow.kalender.aangekondigd(ids, gemarkeerd=False, jaren=[2028]) == []
            assert await uow.kalender.te_herzien(p.clock.today(), None, 10) == []

        # April's wage for one of them, after the announcement: that payout is marked in the settlement's
        # transaction, checked, announced again and kept as announced
        juni = replace(p, clock=FixedClock(date(2027, 6, 10)))
        bsn = "999993653"
        await consumers.on_maandinkomens(lambda conn: juni).handle(
            None, [received(f"p-{bsn}", maandinkomen(bsn, "2027-04", 100_000))]
        )
        async with p.uow() as uow:
            gemarkeerd = await uow.kalender.aangekondigd(ids, gemarkeerd=True)
            assert len(gemarkeerd) == 1
            assert await uow.kalender.te_herzien(juni.clock.today(), None, 10) == [gemarkeerd[0].uitkering_id]
            assert await uow.kalender.te_herzien(juni.clock.today(), gemarkeerd[0].uitkering_id, 10) == []
        assert await kalender.herzie_vakantietoeslagen(juni) == 1
        async with p.uow() as uow:
            [nu] = [
                x
                for x in await uow.kalender.aangekondigd(ids, gemarkeerd=False)
                if x.uitkering_id == gemarkeerd[0].uitkering_id
            ]
            # May stays provisional below the whole norm until its polis is due on 15 July
            assert await uow.kalender.te_herzien(juni.clock.today(), None, 10) == []
            assert await uow.kalender.te_herzien(date(2027, 7, 16), None, 10) == [nu.uitkering_id]
            assert nu.bedrag < gemarkeerd[0].bedrag and nu.stand.bedrag == nu.bedrag
            assert (nu.te_controleren, nu.voorlopig_tot) == (False, date(2027, 7, 15))
            assert [r.maand for r in nu.stand.maanden if r.verrekend] == [Maand(2027, 4)]
        assert await kalender.herzie_vakantietoeslagen(replace(p, clock=FixedClock(date(2027, 7, 16)))) == 1
        async with p.uow() as uow:
            assert await uow.kalender.aangekondigd(ids, gemarkeerd=True) == []
            assert [x.voorlopig_tot for x in await uow.kalender.aangekondigd(ids)] == [None, None]
            assert await uow.kalender.te_herzien(date(2030, 1, 1), None, 10) == []
    finally:
        await db.dispose()

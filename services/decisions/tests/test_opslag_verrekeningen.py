"""Settling a consumer batch on a migrated database: what the cases need is read, and their
settlements written, in the same few statements however many cases the batch holds (the national
monthly delivery is bound by round trips, not by the rules), and the settlements are the ones the
in-memory store gives, to the cent."""

from dataclasses import replace
from datetime import date

import sqlalchemy as sa

from decisions.adapters.tables import verrekeningen as verrekeningen_tabel
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.verrekening import Beweging
from decisions.entrypoints import consumers
from decisions.service import uitkeringen, verrekeningen
from decisions.service.ports import Ports
from decisions.tests.fakes import ports
from decisions.tests.opslag import sql_ports
from schakel.caller import Caller, Rol
from schakel.events.models import VerrekeningVastgesteld
from schakel.messaging.tables import outbox as outbox_tabel
from tests.support.builders import bsn
from tests.support.events import maandinkomen, received

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
START = date(2026, 1, 1)
MAANDEN = ["2026-01", "2026-02", "2026-03"]


async def open_cases(p: Ports, alleen: list[str], paren: list[tuple[str, str]]) -> dict[str, str]:
    """Single people and couples; returns the case id per applicant."""
    ids = {}
    for aanvrager, partner in [(b, None) for b in alleen] + paren:
        situatie = (
            Situatie(START, Huishouden.alleenstaand)
            if partner is None
            else Situatie(START, Huishouden.gehuwd, Partner(partner, date(1988, 3, 1)))
        )
        weergave = await uitkeringen.open_uitkering(p, AMSTERDAM, aanvrager, date(1990, 5, 1), START, situatie)
        ids[aanvrager] = weergave.uitkering.uitkering_id
    return ids


async def settle(p: Ports, inkomens: dict[str, int]) -> None:
    """One consumer batch: every month of `MAANDEN` of these persons (BSN: net income)."""
    await consumers.on_maandinkomens(lambda conn: p).handle(
        None, [received(f"p-{b}", maandinkomen(b, m, netto)) for b, netto in inkomens.items() for m in MAANDEN]
    )


async def test_a_batch_of_cases_costs_the_statements_of_one_and_settles_them_alike(tmp_path):
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    in_geheugen, _ = ports(date(2026, 11, 2))
    statements: list[str] = []
    sa.event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    alleen, paren = [bsn() for _ in range(12)], [(bsn(), bsn()) for _ in range(4)]
    try:
        ids = {naam: await open_cases(p, alleen, paren) for naam, p in (("sql", sql), ("geheugen", in_geheugen))}
        aantallen = []
        for inkomens in (
            {alleen[0]: 90_000},  # one case
            {b: 60_000 + 1_000 * i for i, b in enumerate(alleen[1:])}  # the other single people
            | {b: 50_000 for paar in paren for b in paar},  # and the couples, both partners earning
            {b: 30_000 for b in alleen} | {a: 20_000 for a, _ in paren},  # corrections: revisions
        ):
            voor = len(statements)
            await settle(sql, inkomens)
            aantallen.append(len(statements) - voor)
            await settle(in_geheugen, inkomens)
        # revisions only: no first settlement to count, so one statement fewer
        assert aantallen[0] == aantallen[1] == aantallen[2] + 1, f"statements per batch: {aantallen}"

        async def maanden(naam: str, p: Ports, aanvrager: str) -> list[tuple[int, dict]]:
            lijst = await verrekeningen.lijst(p, AMSTERDAM, ids[naam][aanvrager])
            return [(v.versie, verrekeningen.inhoud(v.verrekening, beweging=v.beweging)) for v in lijst]

        for aanvrager in alleen + [a for a, _ in paren]:
            opgeslagen = await maanden("sql", sql, aanvrager)
            assert opgeslagen == await maanden("geheugen", in_geheugen, aanvrager)
            assert [versie for versie, _ in opgeslagen] == [2, 2, 2], "settled, then revised"
    finally:
        await db.dispose()


async def test_a_month_stored_in_an_older_form_that_comes_out_the_same_keeps_its_version(tmp_path):
    """Settling compares a month in its stored form and reads it in full only when that differs: a
    row written before a field joined the form (here the income's kinds) reads back as the same
    settlement, so a new month's income revises nothing and announces nothing about it."""
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    aanvrager = bsn()
    try:
        uitkering_id = (await open_cases(sql, [aanvrager], []))[aanvrager]
        handler = consumers.on_maandinkomens(lambda conn: sql)
        await handler.handle(None, [received(f"p-{aanvrager}", maandinkomen(aanvrager, "2026-01", 90_000))])
        async with db.transaction() as conn:
            berekening = (await conn.execute(sa.select(verrekeningen_tabel.c.berekening))).scalar_one()
            for deel in ("overig", "onbekend"):  # as rows were written before the kinds of income
                del berekening["inkomen"][deel]
            await conn.execute(verrekeningen_tabel.update().values(berekening=berekening))
            events_voor = (await conn.execute(sa.select(sa.func.count()).select_from(outbox_tabel))).scalar_one()
        await handler.handle(None, [received(f"p-{aanvrager}", maandinkomen(aanvrager, "2026-02", 90_000))])
        lijst = await verrekeningen.lijst(sql, AMSTERDAM, uitkering_id)
        assert [(str(v.verrekening.maand), v.versie) for v in lijst] == [("2026-01", 1), ("2026-02", 1)]
        async with db.transaction() as conn:
            typen = (
                (await conn.execute(sa.select(outbox_tabel.c.headers).order_by(outbox_tabel.c.id).offset(events_voor)))
                .scalars()
                .all()
            )
        assert [h["ce_type"] for h in typen] == [VerrekeningVastgesteld.TYPE], "February only"
    finally:
        await db.dispose()


async def test_a_month_s_starting_clocks_are_stored_and_read_back_and_the_next_month_settles_from_them(tmp_path):
    """The clocks each month's settlement started with (the applicant's and the partner's: months used
    per ground, employments seen) are kept in its stored calculation and read back as they were, so a
    new month settles from the month before it: the same settlements as in memory, where nothing is
    stored in another form."""
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    in_geheugen, _ = ports(date(2026, 11, 2))
    statements: list[str] = []
    sa.event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    aanvrager, partner = bsn(), bsn()
    try:
        ids = {
            naam: await open_cases(p, [], [(aanvrager, partner)])
            for naam, p in (("sql", sql), ("geheugen", in_geheugen))
        }
        for p in (sql, in_geheugen):
            await settle(p, {aanvrager: 60_000, partner: 45_000})
        voor = len(statements)
        for p in (sql, in_geheugen):
            await consumers.on_maandinkomens(lambda conn, p=p: p).handle(
                None, [received(f"p-{partner}", maandinkomen(partner, "2026-04", 45_000, soort="arbeid"))]
            )
        inkomens = [s for s in statements[voor:] if "FROM inkomens" in s and "inkomens.maand >=" in s]
        assert inkomens, "April's settlement read the income only from a stored month on"

        async def opgeslagen(naam: str, p: Ports) -> dict:
            async with p.uow() as uow:
                rijen = (await uow.verrekeningen.van_alle([ids[naam][aanvrager]]))[ids[naam][aanvrager]]
                # the month's income for the toeslagen signal, read from the stored form without the rest
                return {m: (o.klokken, o.verrekening, o.versie, o.maandinkomen) for m, o in rijen.items()}

        rijen = await opgeslagen("sql", sql)
        assert rijen == await opgeslagen("geheugen", in_geheugen)
        assert [str(m) for m in rijen] == MAANDEN + ["2026-04"]
        april = rijen[max(rijen)][0]
        maart = rijen[sorted(rijen)[2]][3]
        assert maart.partner and maart.loon == 60_000 + 45_000
        assert dict(april.partners)[partner].maanden("n") == 3 and april.aanvrager.maanden("n") == 3
        assert april.aanvrager.dienstverbanden == frozenset({"123456782L01/1"})
    finally:
        await db.dispose()


async def test_a_month_stored_before_its_reason_for_no_vrijlating_was_kept_gets_it_quietly(tmp_path):
    """January above the norm has no vrijlating, and says why; a row written before that was kept gets the
    reason when it is settled again, keeping its version and announcing nothing."""
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    aanvrager = bsn()
    try:
        uitkering_id = (await open_cases(sql, [aanvrager], []))[aanvrager]
        handler = consumers.on_maandinkomens(lambda conn: sql)
        await handler.handle(None, [received(f"p-{aanvrager}", maandinkomen(aanvrager, "2026-01", 300_000))])
        async with db.transaction() as conn:
            berekening = (await conn.execute(sa.select(verrekeningen_tabel.c.berekening))).scalar_one()
            assert berekening.pop("geen_vrijlating") == "boven-norm"
            await conn.execute(verrekeningen_tabel.update().values(berekening=berekening))
            events_voor = (await conn.execute(sa.select(sa.func.count()).select_from(outbox_tabel))).scalar_one()
        await handler.handle(None, [received(f"p-{aanvrager}", maandinkomen(aanvrager, "2026-02", 90_000))])
        januari, _ = await verrekeningen.lijst(sql, AMSTERDAM, uitkering_id)
        assert (januari.versie, januari.verrekening.geen_vrijlating) == (1, "boven-norm")
        async with db.transaction() as conn:
            typen = (
                (await conn.execute(sa.select(outbox_tabel.c.headers).order_by(outbox_tabel.c.id).offset(events_voor)))
                .scalars()
                .all()
            )
        verrekend = [h["ce_type"] for h in typen if ".verrekening." in h["ce_type"]]
        assert verrekend == [VerrekeningVastgesteld.TYPE], "February's only"
    finally:
        await db.dispose()


async def test_a_month_stored_with_the_norm_in_older_words_gets_the_new_ones_quietly(tmp_path):
    """Reworded explanations (a release's) reach the months stored before it when they are settled
    again, keeping their version and announcing nothing: the amounts did not change."""
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    aanvrager = bsn()
    try:
        uitkering_id = (await open_cases(sql, [aanvrager], []))[aanvrager]
        handler = consumers.on_maandinkomens(lambda conn: sql)
        await handler.handle(None, [received(f"p-{aanvrager}", maandinkomen(aanvrager, "2026-01", 30_000))])
        async with db.transaction() as conn:
            berekening = (await conn.execute(sa.select(verrekeningen_tabel.c.berekening))).scalar_one()
            woorden = berekening["norm"]["omschrijving"]
            berekening["norm"]["omschrijving"] = "in de woorden van een eerdere uitgave"
            await conn.execute(verrekeningen_tabel.update().values(berekening=berekening))
            events_voor = (await conn.execute(sa.select(sa.func.count()).select_from(outbox_tabel))).scalar_one()
        await handler.handle(None, [received(f"p-{aanvrager}", maandinkomen(aanvrager, "2026-02", 90_000))])
        januari, _ = await verrekeningen.lijst(sql, AMSTERDAM, uitkering_id)
        assert (januari.versie, januari.verrekening.norm.omschrijving) == (1, woorden)
        async with db.transaction() as conn:
            typen = (
                (await conn.execute(sa.select(outbox_tabel.c.headers).order_by(outbox_tabel.c.id).offset(events_voor)))
                .scalars()
                .all()
            )
        assert [h["ce_type"] for h in typen if ".verrekening." in h["ce_type"]] == [VerrekeningVastgesteld.TYPE]
    finally:
        await db.dispose()


async def test_what_settling_moved_is_kept_with_each_version_a_nil_version_before_included(tmp_path):
    db, sql = await sql_ports(tmp_path, date(2026, 11, 2))
    aanvrager = bsn()
    try:
        uitkering_id = (await open_cases(sql, [aanvrager], []))[aanvrager]
        await settle(sql, {aanvrager: 90_000})
        [januari, *_] = await verrekeningen.lijst(sql, AMSTERDAM, uitkering_id)
        for beweging in (Beweging(vordering=-1, bij=2, vorig=0), Beweging(vordering=3, kwijt=3, ontstaan=True)):
            async with sql.uow() as uow:
                await uow.verrekeningen.zet([(uitkering_id, replace(januari, beweging=beweging))])
            [gelezen, *_] = await verrekeningen.lijst(sql, AMSTERDAM, uitkering_id)
            assert gelezen.beweging == beweging
    finally:
        await db.dispose()

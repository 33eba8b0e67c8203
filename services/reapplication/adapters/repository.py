from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from reapplication.adapters.tables import heraanvraagtermijnen as t
from reapplication.adapters.tables import doelgroepen, heraanvragen, laatste_inkomens, overdrachten, termijnbeleid
from reapplication.domain.overdracht import Overdracht
from reapplication.domain.termijn import Heraanvraagtermijn


async def add(conn: AsyncConnection, persoon: str, termijn: Heraanvraagtermijn) -> bool:
    """Stores a new window; False when this benefit's window was already known."""
    exists = (await conn.execute(sa.select(t.c.uitkering_id).where(t.c.uitkering_id == termijn.uitkering_id))).first()
    if not exists:
        await conn.execute(t.insert().values(
            uitkering_id=termijn.uitkering_id, persoon=persoon, gemeentecode=termijn.gemeentecode,
            einddatum=termijn.einddatum, geldig_tot=termijn.geldig_tot, hergebruik=termijn.hergebruik))
    return not exists


async def sluit(conn: AsyncConnection, persoon: str, op: date) -> None:
    await conn.execute(t.update().where(t.c.persoon == persoon, t.c.gesloten_op.is_(None), t.c.einddatum < op)
                       .values(gesloten_op=op))


async def van(conn: AsyncConnection, persoon: str) -> list[Heraanvraagtermijn]:
    rows = await conn.execute(sa.select(t).where(t.c.persoon == persoon).order_by(t.c.einddatum.desc()))
    return [Heraanvraagtermijn(r.uitkering_id, r.gemeentecode, r.einddatum, r.geldig_tot, r.gesloten_op, r.hergebruik)
            for r in rows]


async def open_termijn(conn: AsyncConnection, persoon: str, gemeentecode: str, op: date) -> Heraanvraagtermijn | None:
    """The person's window in this municipality that is open on `op`, if any."""
    return next((t for t in await van(conn, persoon) if t.gemeentecode == gemeentecode and t.open_op(op)), None)


async def beleid(conn: AsyncConnection, gemeentecode: str) -> list[tuple[date, int]]:
    rows = await conn.execute(sa.select(termijnbeleid).where(termijnbeleid.c.gemeentecode == gemeentecode)
                              .order_by(termijnbeleid.c.geldig_vanaf))
    return [(r.geldig_vanaf, r.maanden) for r in rows]


async def zet_beleid(conn: AsyncConnection, gemeentecode: str, geldig_vanaf: date, maanden: int) -> None:
    await conn.execute(termijnbeleid.delete().where(termijnbeleid.c.gemeentecode == gemeentecode,
                                                    termijnbeleid.c.geldig_vanaf == geldig_vanaf))
    await conn.execute(termijnbeleid.insert().values(gemeentecode=gemeentecode, geldig_vanaf=geldig_vanaf,
                                                     maanden=maanden))



def _overdracht(r) -> Overdracht:
    return Overdracht(r.overdracht_id, r.gemeentecode, r.ww_einddatum, r.grondslag,
                      tuple(tuple(x) for x in r.stappen), r.besluit_op, r.besluit_startdatum)


async def overdracht_van(conn: AsyncConnection, persoon: str) -> Overdracht | None:
    row = (await conn.execute(sa.select(overdrachten).where(overdrachten.c.persoon == persoon))).first()
    return _overdracht(row) if row else None


async def overdracht(conn: AsyncConnection, overdracht_id: str):
    """(handover, BSN) by id, or None."""
    row = (await conn.execute(sa.select(overdrachten).where(overdrachten.c.overdracht_id == overdracht_id))).first()
    return (_overdracht(row), row.bsn) if row else None


async def bewaar_overdracht(conn: AsyncConnection, persoon: str, bsn: str, o: Overdracht) -> None:
    await conn.execute(overdrachten.delete().where(overdrachten.c.persoon == persoon))
    await conn.execute(overdrachten.insert().values(
        overdracht_id=o.overdracht_id, persoon=persoon, bsn=bsn, gemeentecode=o.gemeentecode,
        ww_einddatum=o.ww_einddatum, grondslag=o.grondslag, stappen=[list(s) for s in o.stappen],
        besluit_op=o.besluit_op, besluit_startdatum=o.besluit_startdatum))


async def overdrachten_van(conn: AsyncConnection, gemeentecode: str, van: date | None, tot: date | None) -> list:
    """(handover, BSN) of a municipality, optionally by expected WW end, soonest first."""
    query = sa.select(overdrachten).where(overdrachten.c.gemeentecode == gemeentecode)
    if van:
        query = query.where(overdrachten.c.ww_einddatum >= van)
    if tot:
        query = query.where(overdrachten.c.ww_einddatum <= tot)
    rows = await conn.execute(query.order_by(overdrachten.c.ww_einddatum))
    return [(_overdracht(r), r.bsn) for r in rows]



async def zet_laatste_inkomen(conn: AsyncConnection, persoon: str, maand: str, netto: int, beeindigd: bool) -> None:
    """Keeps the latest month only (events for earlier months, e.g. corrections, leave it be)."""
    row = (await conn.execute(sa.select(laatste_inkomens.c.maand).where(laatste_inkomens.c.persoon == persoon))).first()
    if row is not None and row.maand > maand:
        return
    await conn.execute(laatste_inkomens.delete().where(laatste_inkomens.c.persoon == persoon))
    await conn.execute(laatste_inkomens.insert().values(persoon=persoon, maand=maand, netto=netto,
                                                        relaties_beeindigd=beeindigd))


async def laatste_inkomen(conn: AsyncConnection, persoon: str):
    return (await conn.execute(sa.select(laatste_inkomens).where(laatste_inkomens.c.persoon == persoon))).first()


async def zet_doelgroep(conn: AsyncConnection, persoon: str, grond: str | None) -> None:
    await conn.execute(doelgroepen.delete().where(doelgroepen.c.persoon == persoon))
    await conn.execute(doelgroepen.insert().values(persoon=persoon, grond=grond))


async def doelgroep(conn: AsyncConnection, persoon: str) -> str | None:
    row = (await conn.execute(sa.select(doelgroepen.c.grond).where(doelgroepen.c.persoon == persoon))).first()
    return row.grond if row else None


async def voeg_heraanvraag_toe(conn: AsyncConnection, row: dict) -> None:
    await conn.execute(heraanvragen.insert().values(**row))


async def heraanvraag(conn: AsyncConnection, heraanvraag_id: str):
    return (await conn.execute(sa.select(heraanvragen).where(heraanvragen.c.heraanvraag_id == heraanvraag_id))).first()


async def werk_heraanvraag_bij(conn: AsyncConnection, heraanvraag_id: str, **values) -> None:
    await conn.execute(heraanvragen.update().where(heraanvragen.c.heraanvraag_id == heraanvraag_id).values(**values))


async def heraanvragen_van(conn: AsyncConnection, gemeentecode: str, status: str | None) -> list:
    query = sa.select(heraanvragen).where(heraanvragen.c.gemeentecode == gemeentecode)
    if status:
        query = query.where(heraanvragen.c.status == status)
    return (await conn.execute(query.order_by(heraanvragen.c.meldingsdatum))).all()

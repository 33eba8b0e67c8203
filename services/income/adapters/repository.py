from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from income.adapters.tables import populatie


async def neem_op(conn: AsyncConnection, uitkering_id: str, persoon: str, bsn: str, gemeentecode: str,
                  sinds: date) -> None:
    exists = (await conn.execute(sa.select(populatie.c.uitkering_id)
                                 .where(populatie.c.uitkering_id == uitkering_id))).first()
    if not exists:
        await conn.execute(populatie.insert().values(uitkering_id=uitkering_id, persoon=persoon, bsn=bsn,
                                                     gemeentecode=gemeentecode, sinds=sinds))


async def zet_einde(conn: AsyncConnection, uitkering_id: str, tot: date) -> bool:
    result = await conn.execute(populatie.update().where(populatie.c.uitkering_id == uitkering_id).values(tot=tot))
    return result.rowcount > 0


async def leden(conn: AsyncConnection, peildatum: date, offset: int, limit: int) -> tuple[int, list]:
    """The persons in the population on a date (one row per person), ordered by BSN."""
    lid = sa.and_(populatie.c.sinds <= peildatum, sa.or_(populatie.c.tot.is_(None), populatie.c.tot >= peildatum))
    personen = (sa.select(populatie.c.bsn, sa.func.min(populatie.c.gemeentecode).label("gemeentecode"))
                .where(lid).group_by(populatie.c.bsn))
    totaal = (await conn.execute(sa.select(sa.func.count()).select_from(personen.subquery()))).scalar_one()
    rows = (await conn.execute(personen.order_by(populatie.c.bsn).offset(offset).limit(limit))).all()
    return totaal, rows

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from reapplication.adapters.tables import heraanvraagtermijnen as t
from reapplication.domain.termijn import Heraanvraagtermijn


async def add(conn: AsyncConnection, persoon: str, termijn: Heraanvraagtermijn) -> bool:
    """Stores a new window; False when this benefit's window was already known."""
    exists = (await conn.execute(sa.select(t.c.uitkering_id).where(t.c.uitkering_id == termijn.uitkering_id))).first()
    if not exists:
        await conn.execute(t.insert().values(
            uitkering_id=termijn.uitkering_id, persoon=persoon, gemeentecode=termijn.gemeentecode,
            einddatum=termijn.einddatum, geldig_tot=termijn.geldig_tot))
    return not exists


async def sluit(conn: AsyncConnection, persoon: str, op: date) -> None:
    await conn.execute(t.update().where(t.c.persoon == persoon, t.c.gesloten_op.is_(None), t.c.einddatum < op)
                       .values(gesloten_op=op))


async def van(conn: AsyncConnection, persoon: str) -> list[Heraanvraagtermijn]:
    rows = await conn.execute(sa.select(t).where(t.c.persoon == persoon).order_by(t.c.einddatum.desc()))
    return [Heraanvraagtermijn(r.uitkering_id, r.gemeentecode, r.einddatum, r.geldig_tot, r.gesloten_op) for r in rows]

"""Participation facts and the yearly minimum of beschut werk places."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from registration.adapters.tables import feiten, taakstellingen
from registration.domain.deelname import Feit, Soort


def _feit(r) -> Feit:
    return Feit(Soort(r.soort), r.datum, r.gemeentecode, r.gegevens, r.id)


async def van(conn: AsyncConnection, persoon: str) -> list[Feit]:
    rows = await conn.execute(sa.select(feiten).where(feiten.c.persoon == persoon).order_by(feiten.c.id))
    return [_feit(r) for r in rows]


async def voeg_toe(conn: AsyncConnection, persoon: str, bsn: str, feit: Feit, bron: str) -> Feit:
    result = await conn.execute(feiten.insert().values(
        persoon=persoon, bsn=bsn, soort=feit.soort.value, datum=feit.datum, gemeentecode=feit.gemeentecode,
        gegevens=feit.gegevens, bron=bron, ontvangen_op=datetime.now(timezone.utc)))
    return Feit(feit.soort, feit.datum, feit.gemeentecode, feit.gegevens, result.inserted_primary_key[0])


async def personen_van(conn: AsyncConnection, gemeentecode: str) -> dict[str, tuple[str, list[Feit]]]:
    """Everyone with a fact naming the municipality: (BSN, all their facts) per person."""
    personen = sa.select(feiten.c.persoon).where(feiten.c.gemeentecode == gemeentecode).distinct()
    result: dict[str, tuple[str, list[Feit]]] = {}
    for r in await conn.execute(sa.select(feiten).where(feiten.c.persoon.in_(personen)).order_by(feiten.c.id)):
        result.setdefault(r.persoon, (r.bsn, []))[1].append(_feit(r))
    return result


async def zet_taakstelling(conn: AsyncConnection, gemeentecode: str, jaar: int, aantal: int, oin: str) -> None:
    await conn.execute(taakstellingen.delete().where(taakstellingen.c.gemeentecode == gemeentecode,
                                                     taakstellingen.c.jaar == jaar))
    await conn.execute(taakstellingen.insert().values(gemeentecode=gemeentecode, jaar=jaar, aantal=aantal,
                                                      vastgesteld_door=oin, vastgesteld_op=datetime.now(timezone.utc)))


async def taakstelling(conn: AsyncConnection, gemeentecode: str, jaar: int) -> int | None:
    row = (await conn.execute(sa.select(taakstellingen.c.aantal).where(
        taakstellingen.c.gemeentecode == gemeentecode, taakstellingen.c.jaar == jaar))).first()
    return row.aantal if row else None

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from registration.adapters.tables import doelgroepregistraties as t
from registration.domain.doelgroepregister import Registratie


async def van(conn: AsyncConnection, persoon: str) -> tuple[list[Registratie], str | None]:
    """The person's registrations in date order, and their latest municipality of residence."""
    rows = (await conn.execute(sa.select(t).where(t.c.persoon == persoon).order_by(t.c.startdatum))).all()
    return [Registratie(r.grond, r.startdatum, r.einddatum) for r in rows], (rows[-1].gemeentecode if rows else None)


async def vervang(conn: AsyncConnection, persoon: str, bsn: str, gemeentecode: str,
                  registraties: list[Registratie]) -> None:
    await conn.execute(t.delete().where(t.c.persoon == persoon))
    await conn.execute(t.insert(), [
        {"persoon": persoon, "bsn": bsn, "gemeentecode": gemeentecode, "grond": r.grond,
         "startdatum": r.startdatum, "einddatum": r.einddatum} for r in registraties])

"""Uitkeringen and deelnamestatussen in the decisions database."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from decisions.adapters.tables import deelnamestatussen, uitkeringen
from decisions.domain.uitkering import Reden, Status, Uitkering


async def get(conn: AsyncConnection, uitkering_id: str) -> Uitkering | None:
    row = (await conn.execute(sa.select(uitkeringen).where(uitkeringen.c.uitkering_id == uitkering_id))).first()
    return _uitkering(row) if row else None


class AlLopend(Exception):
    """The person already has a running case (the unique index said so)."""


async def add(conn: AsyncConnection, uitkering: Uitkering, persoon: str) -> None:
    try:
        await conn.execute(uitkeringen.insert().values(persoon=persoon, **_columns(uitkering)))
    except IntegrityError as exc:
        raise AlLopend() from exc


async def save(conn: AsyncConnection, uitkering: Uitkering) -> None:
    await conn.execute(uitkeringen.update().where(uitkeringen.c.uitkering_id == uitkering.uitkering_id)
                       .values(**_columns(uitkering)))


async def deelnamestatus(conn: AsyncConnection, persoon: str):
    return (await conn.execute(sa.select(deelnamestatussen).where(deelnamestatussen.c.persoon == persoon))).first()


async def zet_deelnamestatus(conn: AsyncConnection, persoon: str, status: str, grond: str | None,
                             ingangsdatum: date) -> None:
    """Keeps the status with the latest effective date, whatever order the events arrive in."""
    current = await deelnamestatus(conn, persoon)
    if current is None:
        await conn.execute(deelnamestatussen.insert().values(
            persoon=persoon, status=status, grond=grond, ingangsdatum=ingangsdatum))
    elif current.ingangsdatum <= ingangsdatum:
        await conn.execute(deelnamestatussen.update().where(deelnamestatussen.c.persoon == persoon)
                           .values(status=status, grond=grond, ingangsdatum=ingangsdatum))


def _columns(u: Uitkering) -> dict:
    return {"uitkering_id": u.uitkering_id, "bsn": u.bsn, "gemeentecode": u.gemeentecode,
            "geboortedatum": u.geboortedatum, "startdatum": u.startdatum, "status": u.status.value,
            "einddatum": u.einddatum, "reden": u.reden.value if u.reden else None}


def _uitkering(row) -> Uitkering:
    return Uitkering(row.uitkering_id, row.bsn, row.gemeentecode, row.geboortedatum, row.startdatum,
                     Status(row.status), row.einddatum, Reden(row.reden) if row.reden else None)

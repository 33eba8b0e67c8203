"""The payment calendar's state in SQL: advance policies, proposed advances, announced payouts of holiday
allowance and the count of months first settled."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from decisions.adapters.tables import (
    betalingen,
    eerste_verrekeningen,
    uitkeringen,
    vakantietoeslagen,
    voorschotbeleid,
    voorschotvoorstellen,
)
from decisions.domain.kalender import Voorschotbeleid
from decisions.domain.uitkering import Status
from schakel.persistence.upsert import insert_new, upsert
from schakel.primitives import Maand


class SqlKalender:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def beleid(self, gemeentecode: str) -> list[Voorschotbeleid]:
        rows = await self._conn.execute(
            sa.select(voorschotbeleid)
            .where(voorschotbeleid.c.gemeentecode == gemeentecode)
            .order_by(voorschotbeleid.c.geldig_vanaf)
        )
        return [Voorschotbeleid(r.geldig_vanaf, r.percentage, r.maanden, r.doel_werkdagen, r.leverdag) for r in rows]

    async def zet_beleid(self, gemeentecode: str, beleid: Voorschotbeleid) -> None:
        # a version of the same date replaces it (the table's key)
        await upsert(
            self._conn,
            voorschotbeleid,
            [
                {
                    "gemeentecode": gemeentecode,
                    "geldig_vanaf": beleid.geldig_vanaf,
                    "percentage": beleid.percentage,
                    "maanden": beleid.maanden,
                    "doel_werkdagen": beleid.doel_werkdagen,
                    "leverdag": beleid.leverdag,
                }
            ],
        )

    async def voorgesteld(self, uitkering_id: str) -> dict[Maand, int]:
        rows = await self._conn.execute(
            sa.select(voorschotvoorstellen).where(voorschotvoorstellen.c.uitkering_id == uitkering_id)
        )
        return {Maand.parse(r.maand): r.bedrag for r in rows}

    async def stel_voor(self, uitkering_id: str, maand: Maand, bedrag: int, op: datetime) -> bool:
        rij = {"uitkering_id": uitkering_id, "maand": str(maand), "bedrag": bedrag, "voorgesteld_op": op}
        return await insert_new(self._conn, voorschotvoorstellen, rij)

    async def zonder_voorschot(self, maand: Maand) -> list[str]:
        v, b = voorschotvoorstellen, betalingen
        rows = await self._conn.execute(
            sa.select(uitkeringen.c.uitkering_id)
            .where(
                uitkeringen.c.status == Status.lopend.value,
                ~sa.exists().where(v.c.uitkering_id == uitkeringen.c.uitkering_id, v.c.maand == str(maand)),
                ~sa.exists().where(b.c.uitkering_id == uitkeringen.c.uitkering_id, b.c.maand == str(maand)),
            )
            .order_by(uitkeringen.c.uitkering_id)
        )
        return [r.uitkering_id for r in rows]

    async def zonder_vakantietoeslag(self, jaar: int, van: date, tot: date, geeindigd: bool) -> list[str]:
        u, v = uitkeringen, vakantietoeslagen
        gelopen = (
            sa.and_(u.c.status == Status.beeindigd.value, u.c.einddatum.between(van, tot))
            if geeindigd
            else sa.or_(u.c.status == Status.lopend.value, u.c.einddatum >= van)
        )
        rows = await self._conn.execute(
            sa.select(u.c.uitkering_id)
            .where(
                u.c.startdatum <= tot,
                gelopen,
                ~sa.exists().where(v.c.uitkering_id == u.c.uitkering_id, v.c.jaar == jaar),
            )
            .order_by(u.c.uitkering_id)
        )
        return [r.uitkering_id for r in rows]

    async def stel_vakantietoeslag_vast(self, uitkering_id: str, jaar: int, bedrag: int, op: datetime) -> bool:
        rij = {"uitkering_id": uitkering_id, "jaar": jaar, "bedrag": bedrag, "vastgesteld_op": op}
        return await insert_new(self._conn, vakantietoeslagen, rij)

    async def tel_eerste(self, dag: date, tellingen: Mapping[tuple[str, Maand], int]) -> None:
        # in key order: the one lock order of concurrent writers, so no deadlock
        rijen = [
            {"gemeentecode": g, "maand": str(m), "dag": dag, "aantal": n} for (g, m), n in sorted(tellingen.items())
        ]
        await upsert(self._conn, eerste_verrekeningen, rijen, add=("aantal",))

    async def eerste_verrekeningen(
        self, gemeentecode: str | None, van: date | None = None, tot: date | None = None
    ) -> list[tuple[str, Maand, date, int]]:
        e = eerste_verrekeningen
        query = sa.select(e.c.gemeentecode, e.c.maand, e.c.dag, e.c.aantal)
        if gemeentecode is not None:
            query = query.where(e.c.gemeentecode == gemeentecode)
        if van is not None:
            query = query.where(e.c.dag >= van)
        if tot is not None:
            query = query.where(e.c.dag <= tot)
        return [(r.gemeentecode, Maand.parse(r.maand), r.dag, r.aantal) for r in await self._conn.execute(query)]

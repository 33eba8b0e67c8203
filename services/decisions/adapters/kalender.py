"""The payment calendar's state in SQL: advance policies, proposed advances, announced payouts of holiday
allowance and the count of months first settled."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from decisions.adapters.tables import (
    TE_BEKIJKEN,
    betalingen,
    eerste_verrekeningen,
    maand_van,
    uitkeringen,
    vakantietoeslagen,
    voorschotbeleid,
    voorschotvoorstellen,
)
from decisions.domain import vakantietoeslag as vt
from decisions.domain.kalender import Voorschotbeleid
from decisions.domain.uitkering import Status
from schakel.persistence.batches import one_of
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

    async def stel_vakantietoeslag_vast(self, uitkering_id: str, o: vt.Opbouw, op: datetime) -> bool:
        rij = {"uitkering_id": uitkering_id, "jaar": o.jaar, "vastgesteld_op": op} | _aangekondigd(o)
        return await insert_new(self._conn, vakantietoeslagen, rij)

    async def aangekondigd(
        self, uitkering_ids: Collection[str], gemarkeerd: bool | None = None, jaren: Collection[int] | None = None
    ) -> list[vt.Aangekondigd]:
        v = vakantietoeslagen
        query = sa.select(v).where(one_of(self._conn, v.c.uitkering_id, list(uitkering_ids)))
        if gemarkeerd is not None:
            query = query.where(v.c.te_controleren.is_(gemarkeerd))
        if jaren is not None:
            query = query.where(one_of(self._conn, v.c.jaar, list(jaren)))
        rows = await self._conn.execute(query.order_by(v.c.uitkering_id, v.c.jaar))
        return [
            vt.Aangekondigd(r.uitkering_id, r.jaar, r.bedrag, _opbouw(r.stand), r.te_controleren, r.voorlopig_tot)
            for r in rows
        ]

    async def markeer_vakantietoeslagen(self, uitkering_ids: Collection[str]) -> None:
        v = vakantietoeslagen
        if uitkering_ids:
            await self._conn.execute(
                v.update()
                .where(one_of(self._conn, v.c.uitkering_id, list(uitkering_ids)), ~v.c.te_controleren)
                .values(te_controleren=True)
            )

    async def te_herzien(self, vandaag: date, na: str | None, per: int) -> list[str]:
        v = vakantietoeslagen
        query = sa.select(v.c.uitkering_id).where(TE_BEKIJKEN, sa.or_(v.c.te_controleren, v.c.voorlopig_tot < vandaag))
        if na is not None:
            query = query.where(v.c.uitkering_id > na)
        rows = await self._conn.execute(query.distinct().order_by(v.c.uitkering_id).limit(per))
        return [r.uitkering_id for r in rows]

    async def herzie_vakantietoeslag(
        self,
        uitkering_id: str,
        jaar: int,
        voorlopig_tot: date | None,
        stand: vt.Opbouw | None = None,
        op: datetime | None = None,
    ) -> None:
        v = vakantietoeslagen
        waarden: dict[str, Any] = {"te_controleren": False, "voorlopig_tot": voorlopig_tot}
        if stand is not None:
            waarden |= {"bedrag": stand.bedrag, "stand": _stand(stand)}
        if op is not None:
            waarden["vastgesteld_op"] = op
        await self._conn.execute(v.update().where(v.c.uitkering_id == uitkering_id, v.c.jaar == jaar).values(waarden))

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


def _aangekondigd(o: vt.Opbouw) -> dict[str, Any]:
    return {"bedrag": o.bedrag, "stand": _stand(o), "te_controleren": False, "voorlopig_tot": vt.voorlopig_tot(o, o)}


def _stand(o: vt.Opbouw) -> dict[str, Any]:
    # what a provisional month would reserve once final, to tell a changed norm from its polis coming due
    maanden = [[str(r.maand), r.bedrag, r.verrekend, r.voorlopig, r.definitief] for r in o.maanden]
    return {"uiterlijk": o.uiterlijk.isoformat(), "einddatum": _dag(o.einddatum), "maanden": maanden}


def _opbouw(stand: dict | None) -> vt.Opbouw | None:
    if stand is None:
        return None
    maanden = tuple(
        vt.Reservering(maand_van(m), bedrag, verrekend, voorlopig, None, definitief)
        for m, bedrag, verrekend, voorlopig, definitief in stand["maanden"]
    )
    return vt.Opbouw(maanden, date.fromisoformat(stand["uiterlijk"]), _datum(stand["einddatum"]))


def _dag(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _datum(tekst: str | None) -> date | None:
    return None if tekst is None else date.fromisoformat(tekst)

"""Claims in SQL: recovery policies, the months' settled differences as booked, the bookings and
the months' instalments."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from decisions.adapters.tables import (
    beslagvrije_voet_verhogingen,
    inhoudingen,
    maand_van,
    uitkeringen,
    vorderingsbeleid,
    vorderingsboekingen,
    vorderingsverschillen,
)
from decisions.domain.uitkering import Status
from decisions.domain.vordering import BIJ_OPEN, Boeking, Soort, Verhoging, Verhogingsgrond, Vorderingsbeleid
from schakel.persistence.batches import select_in
from schakel.persistence.upsert import insert_new, upsert
from schakel.primitives import Maand


class SqlVorderingen:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def beleid(self, gemeentecode: str) -> list[Vorderingsbeleid]:
        t = vorderingsbeleid
        rows = await self._conn.execute(sa.select(t).where(t.c.gemeentecode == gemeentecode).order_by(t.c.geldig_vanaf))
        return [Vorderingsbeleid(r.geldig_vanaf, r.maximale_termijn, r.drempel) for r in rows]

    async def zet_beleid(self, gemeentecode: str, beleid: Vorderingsbeleid) -> None:
        # a version of the same date replaces it (the table's key)
        await upsert(
            self._conn,
            vorderingsbeleid,
            [
                {
                    "gemeentecode": gemeentecode,
                    "geldig_vanaf": beleid.geldig_vanaf,
                    "maximale_termijn": beleid.maximale_termijn,
                    "drempel": beleid.drempel,
                }
            ],
        )

    async def verschillen(
        self, uitkering_ids: list[str], vanaf: Maand | None = None
    ) -> dict[str, dict[Maand, tuple[int, int]]]:
        t = vorderingsverschillen
        per_zaak: dict[str, dict[Maand, tuple[int, int]]] = {i: {} for i in uitkering_ids}
        query = sa.select(t) if vanaf is None else sa.select(t).where(t.c.maand >= str(vanaf))
        for r in await select_in(self._conn, query, t.c.uitkering_id, uitkering_ids):
            per_zaak[r.uitkering_id][maand_van(r.maand)] = (r.verschil, r.versie)
        return per_zaak

    async def zet_verschillen(self, rijen: list[tuple[str, Maand, int, int]]) -> None:
        await upsert(
            self._conn,
            vorderingsverschillen,
            [{"uitkering_id": i, "maand": str(m), "verschil": v, "versie": n} for i, m, v, n in rijen],
        )

    async def boekingen(self, uitkering_id: str) -> list[Boeking]:
        return (await self.boekingen_van_alle([uitkering_id]))[uitkering_id]

    async def boekingen_van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Boeking]]:
        t = vorderingsboekingen
        per_zaak: dict[str, list[Boeking]] = {i: [] for i in uitkering_ids}
        for r in await select_in(self._conn, sa.select(t).order_by(t.c.id), t.c.uitkering_id, uitkering_ids):
            per_zaak[r.uitkering_id].append(
                Boeking(maand_van(r.bron), Soort(r.soort), r.bedrag, maand_van(r.maand), r.kenmerk)
            )
        return per_zaak

    async def boek(self, uitkering_id: str, boekingen: list[Boeking], op: datetime) -> None:
        await self._conn.execute(
            vorderingsboekingen.insert(),
            [
                {
                    "uitkering_id": uitkering_id,
                    "bron": str(b.bron),
                    "soort": b.soort.value,
                    "bedrag": b.bedrag,
                    "maand": str(b.maand),
                    "geboekt_op": op,
                    "kenmerk": b.kenmerk,
                }
                for b in boekingen
            ],
        )

    async def houd_in(self, uitkering_id: str, maand: Maand, bedrag: int) -> bool:
        rij = {"uitkering_id": uitkering_id, "maand": str(maand), "bedrag": bedrag}
        return await insert_new(self._conn, inhoudingen, rij)

    async def zonder_inhouding(self, maand: Maand) -> list[str]:
        b, i = vorderingsboekingen, inhoudingen
        teken = sa.case((b.c.soort.in_([s.value for s in BIJ_OPEN]), b.c.bedrag), else_=-b.c.bedrag)
        rows = await self._conn.execute(
            sa.select(b.c.uitkering_id)
            .join(uitkeringen, uitkeringen.c.uitkering_id == b.c.uitkering_id)
            .where(
                # still paid in the month: running, or ended from a later date
                sa.or_(uitkeringen.c.status == Status.lopend.value, uitkeringen.c.einddatum >= maand.eerste_dag),
                ~sa.exists().where(i.c.uitkering_id == b.c.uitkering_id, i.c.maand == str(maand)),
            )
            .group_by(b.c.uitkering_id)
            .having(sa.func.sum(teken) > 0)
            .order_by(b.c.uitkering_id)
        )
        return [r.uitkering_id for r in rows]

    async def verhogingen(self, uitkering_id: str) -> list[Verhoging]:
        t = beslagvrije_voet_verhogingen
        rows = await self._conn.execute(
            sa.select(t).where(t.c.uitkering_id == uitkering_id).order_by(t.c.geldig_vanaf, t.c.grond)
        )
        return [Verhoging(r.geldig_vanaf, Verhogingsgrond(r.grond), r.bedrag, r.reden) for r in rows]

    async def zet_verhoging(self, uitkering_id: str, verhoging: Verhoging) -> None:
        v = verhoging
        row = {"uitkering_id": uitkering_id, "grond": v.grond.value, "geldig_vanaf": v.geldig_vanaf}
        await upsert(self._conn, beslagvrije_voet_verhogingen, [row | {"bedrag": v.bedrag, "reden": v.reden}])

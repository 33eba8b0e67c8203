"""Participation facts and the yearly minimum of beschut werk places, in SQL."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from registration.adapters.tables import feiten, intrekkingen, taakstellingen
from registration.domain.deelname import Feit, Soort
from registration.domain.melding import Intrekking
from schakel.caller import Rol
from schakel.messaging.outbox import forget
from schakel.messaging.tables import outbox_sequences
from schakel.persistence.batches import chunks, one_of
from schakel.persistence.upsert import upsert
from schakel.runtime.uow import SqlUnitOfWork


def _feit(r) -> Feit:
    return Feit(Soort(r.soort), r.datum, r.gemeentecode, r.gegevens, r.id, r.bron, r.uwv_gevraagd)


class SqlFeiten:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def van(self, persoon: str) -> list[Feit]:
        rows = await self._conn.execute(sa.select(feiten).where(feiten.c.persoon == persoon).order_by(feiten.c.id))
        return [_feit(r) for r in rows]

    async def voeg_toe(
        self, persoon: str, bsn: str, feit: Feit, bron: str, ontvangen_op: datetime, aankondigen_op: date | None = None
    ) -> Feit:
        result = await self._conn.execute(
            feiten.insert().values(
                persoon=persoon,
                bsn=bsn,
                soort=feit.soort.value,
                datum=feit.datum,
                gemeentecode=feit.gemeentecode,
                gegevens=feit.gegevens,
                bron=bron,
                ontvangen_op=ontvangen_op,
                aankondigen_op=aankondigen_op,
                uwv_gevraagd=feit.uwv_gevraagd,
            )
        )
        return replace(feit, volgnummer=result.inserted_primary_key[0], bron=bron)

    async def trek_in(self, persoon: str, volgnummer: int) -> None:
        await self._conn.execute(feiten.delete().where(feiten.c.persoon == persoon, feiten.c.id == volgnummer))

    async def met_soorten(
        self, soorten: Collection[Soort], gemeentecode: str | None
    ) -> dict[str, tuple[str, list[Feit]]]:
        personen = sa.select(feiten.c.persoon).where(feiten.c.soort.in_([s.value for s in soorten]))
        if gemeentecode is not None:
            genoemd = sa.select(feiten.c.persoon).where(feiten.c.gemeentecode == gemeentecode)
            personen = personen.where(feiten.c.persoon.in_(genoemd))
        result: dict[str, tuple[str, list[Feit]]] = {}
        for r in await self._conn.execute(
            sa.select(feiten).where(feiten.c.persoon.in_(personen.distinct())).order_by(feiten.c.id)
        ):
            result.setdefault(r.persoon, (r.bsn, []))[1].append(_feit(r))
        return result

    async def aan_te_kondigen(
        self, op: date, aantal: int, onder: Collection[str] | None = None
    ) -> dict[str, tuple[str, date]]:
        f = feiten
        query = (
            sa.select(f.c.persoon, sa.func.min(f.c.bsn), sa.func.min(f.c.aankondigen_op))
            .where(f.c.aankondigen_op <= op)
            .group_by(f.c.persoon)
            .order_by(f.c.persoon)
            .limit(aantal)
        )
        if onder is not None:
            query = query.where(one_of(self._conn, f.c.persoon, sorted(onder)))
        return {r[0]: (r[1], r[2]) for r in await self._conn.execute(query)}

    async def aangekondigd(self, personen: list[str], op: date) -> None:
        await self._conn.execute(
            feiten.update()
            .where(one_of(self._conn, feiten.c.persoon, personen), feiten.c.aankondigen_op <= op)
            .values(aankondigen_op=None)
        )

    async def plan(self, persoon: str, op: date) -> None:
        nieuwste = sa.select(sa.func.max(feiten.c.id)).where(feiten.c.persoon == persoon).scalar_subquery()
        await self._conn.execute(feiten.update().where(feiten.c.id == nieuwste).values(aankondigen_op=op))

    async def stil_voor(self, tot: date, na: str | None, aantal: int) -> dict[str, list[Feit]]:
        # the persons first (the pseudonym's index, from `na` on), then only their facts
        stil = sa.select(feiten.c.persoon).group_by(feiten.c.persoon).having(sa.func.max(feiten.c.datum) < tot)
        if na is not None:
            stil = stil.where(feiten.c.persoon > na)
        personen = list((await self._conn.execute(stil.order_by(feiten.c.persoon).limit(aantal))).scalars())
        result: dict[str, list[Feit]] = {p: [] for p in personen}
        if personen:
            query = sa.select(feiten).where(one_of(self._conn, feiten.c.persoon, personen)).order_by(feiten.c.id)
            for r in await self._conn.execute(query):
                result[r.persoon].append(_feit(r))
        return result

    async def vergeet(self, gelezen: Mapping[str, list[int]]) -> None:
        for ids in chunks(sorted(i for nummers in gelezen.values() for i in nummers)):
            await self._conn.execute(feiten.delete().where(one_of(self._conn, feiten.c.id, ids)))
        await forget(self._conn, sorted(gelezen))

    async def vergeet_nummering(self, personen: list[str]) -> None:
        s = outbox_sequences.c
        for deel in chunks(personen):
            await self._conn.execute(
                outbox_sequences.delete().where(
                    one_of(self._conn, s.key, deel),
                    ~sa.exists().where(feiten.c.persoon == s.key),
                    ~sa.exists().where(intrekkingen.c.persoon == s.key),
                )
            )


class SqlIntrekkingen:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def van(self, persoon: str) -> list[Intrekking]:
        i = intrekkingen.c
        rows = await self._conn.execute(sa.select(intrekkingen).where(i.persoon == persoon).order_by(i.id))
        return [
            Intrekking(Soort(r.soort), r.datum, r.gemeentecode, r.kenmerk, Rol(r.door), r.ingetrokken_op) for r in rows
        ]

    async def voeg_toe(self, persoon: str, intrekking: Intrekking) -> None:
        await self._conn.execute(
            intrekkingen.insert().values(
                persoon=persoon,
                soort=intrekking.soort.value,
                datum=intrekking.datum,
                gemeentecode=intrekking.gemeentecode,
                kenmerk=intrekking.kenmerk,
                door=intrekking.door.value,
                ingetrokken_op=intrekking.op,
            )
        )

    async def vergeet(self, personen: list[str]) -> None:
        for deel in chunks(personen):
            await self._conn.execute(intrekkingen.delete().where(one_of(self._conn, intrekkingen.c.persoon, deel)))

    async def personen_voor(self, voor: datetime) -> list[str]:
        voor_dan = sa.select(intrekkingen.c.persoon).where(intrekkingen.c.ingetrokken_op < voor).distinct()
        return list((await self._conn.execute(voor_dan)).scalars())

    async def vergeet_voor(self, voor: datetime) -> None:
        await self._conn.execute(intrekkingen.delete().where(intrekkingen.c.ingetrokken_op < voor))


class SqlTaakstellingen:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def zet(self, gemeentecode: str, jaar: int, aantal: int, door: str, op: datetime) -> None:
        rij = {"gemeentecode": gemeentecode, "jaar": jaar, "aantal": aantal, "vastgesteld_door": door}
        await upsert(self._conn, taakstellingen, [rij | {"vastgesteld_op": op}])

    async def van(self, gemeentecode: str, jaar: int) -> int | None:
        row = (
            await self._conn.execute(
                sa.select(taakstellingen.c.aantal).where(
                    taakstellingen.c.gemeentecode == gemeentecode, taakstellingen.c.jaar == jaar
                )
            )
        ).first()
        return row.aantal if row else None

    async def in_jaar(self, jaar: int) -> dict[str, int]:
        rows = await self._conn.execute(
            sa.select(taakstellingen.c.gemeentecode, taakstellingen.c.aantal).where(taakstellingen.c.jaar == jaar)
        )
        return {r.gemeentecode: r.aantal for r in rows}


class UnitOfWork(SqlUnitOfWork):
    def bind(self, conn: AsyncConnection) -> None:
        self.feiten = SqlFeiten(conn)
        self.intrekkingen = SqlIntrekkingen(conn)
        self.taakstellingen = SqlTaakstellingen(conn)

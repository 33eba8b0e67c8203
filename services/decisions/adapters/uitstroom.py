"""The outflow records of the programme's fall-back figure in SQL, and their counts as aggregates."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from decisions.adapters.tables import uitstroom, uitstroomtellingen
from decisions.domain.programmacijfers import Uitstroomtelling
from schakel.persistence.upsert import upsert
from schakel.primitives import Maand


def _som(voorwaarde: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((voorwaarde, 1), else_=0)), 0)


# a case's opening asks this; built once, with the person as a parameter
_OPEN = sa.select(uitstroom.c.id, uitstroom.c.maand).where(
    uitstroom.c.pseudoniem == sa.bindparam("pseudoniem"), uitstroom.c.terug_na.is_(None)
)


class SqlUitstroom:
    def __init__(self, conn: AsyncConnection) -> None:
        self._conn = conn

    async def voeg_toe(self, pseudoniem: str, gemeentecode: str, maand: Maand) -> None:
        await self._conn.execute(
            uitstroom.insert().values(pseudoniem=pseudoniem, gemeentecode=gemeentecode, maand=str(maand))
        )

    async def open_van(self, pseudoniem: str) -> list[tuple[int, Maand]]:
        rows = await self._conn.execute(_OPEN, {"pseudoniem": pseudoniem})
        return [(r.id, Maand.parse(r.maand)) for r in rows]

    async def keer_terug(self, id_: int, na_maanden: int) -> None:
        await self._conn.execute(uitstroom.update().where(uitstroom.c.id == id_).values(terug_na=na_maanden))

    async def verplaats(self, pseudoniem: str, van: Maand, naar: Maand) -> None:
        u = uitstroom
        await self._conn.execute(
            u.update()
            .where(u.c.pseudoniem == pseudoniem, u.c.maand == str(van), u.c.terug_na.is_(None))
            .values(maand=str(naar))
        )

    async def tellingen(
        self, gemeentecode: str | None, van: Maand, tot: Maand, meetbaar: Mapping[int, Maand]
    ) -> dict[str, Uitstroomtelling]:
        u, t = uitstroom, uitstroomtellingen
        m12, m36 = str(meetbaar[12]), str(meetbaar[36])
        kolommen = (
            sa.select(
                u.c.gemeentecode,
                sa.func.count().label("uitgestroomd"),
                _som(u.c.maand <= m12),
                _som(sa.and_(u.c.maand <= m12, u.c.terug_na <= 12)),
                _som(u.c.maand <= m36),
                _som(sa.and_(u.c.maand <= m36, u.c.terug_na <= 36)),
            )
            .where(u.c.maand.between(str(van), str(tot)))
            .group_by(u.c.gemeentecode)
        )
        # the counted ones are past both windows
        geteld = (
            sa.select(
                t.c.gemeentecode,
                sa.func.sum(t.c.uitgestroomd),
                sa.func.sum(t.c.uitgestroomd),
                sa.func.sum(t.c.terug_12),
                sa.func.sum(t.c.uitgestroomd),
                sa.func.sum(t.c.terug_36),
            )
            .where(t.c.maand.between(str(van), str(tot)))
            .group_by(t.c.gemeentecode)
        )
        if gemeentecode is not None:
            kolommen = kolommen.where(u.c.gemeentecode == gemeentecode)
            geteld = geteld.where(t.c.gemeentecode == gemeentecode)
        result: dict[str, Uitstroomtelling] = {}
        for query in (kolommen, geteld):
            for gemeente, *getallen in await self._conn.execute(query):
                result[gemeente] = result.get(gemeente, Uitstroomtelling()) + Uitstroomtelling(*map(int, getallen))
        return result

    async def tel_af(self, tot: Maand) -> int:
        u, t = uitstroom, uitstroomtellingen
        # deleted first, returning what it deleted: an instance running the same retention at once
        # finds nothing left to count, so no record is counted twice
        rows = (
            await self._conn.execute(
                u.delete().where(u.c.maand <= str(tot)).returning(u.c.gemeentecode, u.c.maand, u.c.terug_na)
            )
        ).all()
        tellingen: dict[tuple[str, str], list[int]] = {}
        for r in rows:
            n = tellingen.setdefault((r.gemeentecode, r.maand), [0, 0, 0])
            terug = r.terug_na is not None
            n[0], n[1], n[2] = n[0] + 1, n[1] + (terug and r.terug_na <= 12), n[2] + (terug and r.terug_na <= 36)
        if not tellingen:
            return 0
        eerder = {
            (r.gemeentecode, r.maand): r
            for r in await self._conn.execute(
                sa.select(t).where(sa.tuple_(t.c.gemeentecode, t.c.maand).in_(list(tellingen)))
            )
        }
        rijen = []
        for (gemeente, maand), (n, t12, t36) in tellingen.items():
            e = eerder.get((gemeente, maand))
            if e is not None:
                n, t12, t36 = n + e.uitgestroomd, t12 + e.terug_12, t36 + e.terug_36
            rijen.append(
                {"gemeentecode": gemeente, "maand": maand, "uitgestroomd": n, "terug_12": t12, "terug_36": t36}
            )
        await upsert(self._conn, t, rijen)
        return len(rows)

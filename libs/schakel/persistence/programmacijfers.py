"""The programme's figures of each quarter as first fixed (schakel.primitives.cijfers.vastgesteld),
with what the secondary suppression withheld then: one row for the country and every municipality
(`lezer` ""), from which a municipality reads its own, and one for a municipality that had no figures
then (`lezer` its code). Aggregates only: the exact group sizes the suppression needs are kept, never
published, until all of the quarter's figures came. Every instance answers from the one row, so all
give the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from schakel.persistence import Database
from schakel.persistence.upsert import insert_new
from schakel.primitives.cijfers import Cijfer, Eenheden, voorlopig

metadata = sa.MetaData()

programmacijfers = sa.Table(
    "programmacijfers",
    metadata,
    sa.Column("van", sa.Date, primary_key=True),  # the quarter's first day
    sa.Column("lezer", sa.String(6), primary_key=True),  # a municipality code, "" for the operator
    sa.Column("versie", sa.Integer, nullable=False),  # raised at every store (compare-and-set)
    sa.Column("vastgesteld_op", sa.Date, nullable=False),  # the day of the first ask
    sa.Column("berekend_op", sa.Date, nullable=False),  # the last day a figure still to come was computed
    sa.Column("eenheden", sa.JSON, nullable=False),  # [[municipality code or null, [[naam, waarde, ...]]]]
    sa.Column("weg", sa.JSON, nullable=False),  # [[municipality code or null, naam]] withheld beside the country
)


@dataclass(frozen=True, slots=True)
class Vastgesteld:
    versie: int
    op: date
    berekend: date
    eenheden: Eenheden
    weg: frozenset[tuple[str | None, str]]  # cijfers.aanvullend


class VastgesteldeCijfers:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def lees(self, van: date, lezer: str) -> Vastgesteld | None:
        async with self.db.alone() as conn:
            row = (await conn.execute(_LEES, {"van": van, "lezer": lezer})).first()
        if row is None:
            return None
        weg = frozenset((g, naam) for g, naam in row.weg)
        return Vastgesteld(row.versie, row.vastgesteld_op, row.berekend_op, _eenheden(row.eenheden), weg)

    async def leg_vast(
        self,
        van: date,
        lezer: str,
        eenheden: Eenheden,
        weg: frozenset[tuple[str | None, str]],
        op: date,
        eerder: Vastgesteld | None,
    ) -> Vastgesteld:
        """Stores the figures computed on `op` unless another instance stored or completed them since
        `eerder` (None: none stored); then theirs are the quarter's figures, and are returned. The exact
        group sizes are kept only while a figure is still to come: once all came, what the suppression
        withholds is fixed (`weg`) and nothing needs them."""
        versie = 1 if eerder is None else eerder.versie + 1
        rij = {
            "eenheden": _json(eenheden, delen=voorlopig(eenheden)),
            "weg": sorted(map(list, weg), key=str),
            "versie": versie,
            "berekend_op": op,
        }
        async with self.db.alone() as conn:
            if eerder is None:
                gezet = await insert_new(
                    conn, programmacijfers, rij | {"van": van, "lezer": lezer, "vastgesteld_op": op}
                )
            else:
                t = programmacijfers.c
                bijgewerkt = await conn.execute(
                    programmacijfers.update()
                    .where(t.van == van, t.lezer == lezer, t.versie == eerder.versie)
                    .values(**rij)
                )
                gezet = bijgewerkt.rowcount == 1
        if gezet:
            return Vastgesteld(versie, op if eerder is None else eerder.op, op, eenheden, weg)
        stored = await self.lees(van, lezer)
        assert stored is not None, "a row is never deleted"
        return stored


_LEES = sa.select(programmacijfers).where(
    programmacijfers.c.van == sa.bindparam("van"), programmacijfers.c.lezer == sa.bindparam("lezer")
)


def _json(eenheden: Eenheden, delen: bool) -> list[Any]:
    return [
        [g, [[c.naam, c.waarde, c.aantal, c.reden, list(c.delen) if delen else []] for c in cijfers]]
        for g, cijfers in eenheden.items()
    ]


def _eenheden(rijen: list[Any]) -> Eenheden:
    return {g: [Cijfer(n, w, a, r, tuple(d)) for n, w, a, r, d in cijfers] for g, cijfers in rijen}

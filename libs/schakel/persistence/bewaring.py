"""Retention's selection (`schakel.primitives.bewaring.uitgestroomd`) in the database: the ends of a
service's records grouped per person there, so a retention round reads only the persons to forget.
Building every person's ends in Python held a service's event loop (its API, consumers and relay)
for seconds each round at national scale."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

Einden = sa.Select[Any] | sa.CompoundSelect[Any]


async def uitgestroomd(
    conn: AsyncConnection, einden: Einden, tot: date, los: Einden | None = None, houders: Sequence[sa.Column[Any]] = ()
) -> list[str]:
    """The persons in `einden` (rows of a person and the end of one of their records, NULL while it
    runs) whose every record ended before `tot`, in order. With `los`: also the persons of rows kept
    beside a record (an income, a status; NULL while it still says something) whom no record holds
    any more (none of the `houders` columns names them: a partner a correction took out of the
    household, income that came after they were forgotten, a status of someone who never had a
    case), once every such row ended before `tot`; else they would be kept for ever."""
    gevonden = set(await _voorbij(conn, einden, tot))
    if los is not None:
        gevonden |= set(await _voorbij(conn, los, tot, houders))
    return sorted(gevonden)


def maand_einde(conn: AsyncConnection, maand: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """The last day of a month kept as text (`2026-03`), as a date to compare an end with."""
    eerste = maand + "-01"
    if conn.dialect.name == "sqlite":
        return sa.type_coerce(sa.func.date(eerste, "+1 month", "-1 day"), sa.Date)
    return sa.cast(sa.cast(eerste, sa.Date) + sa.literal_column("INTERVAL '1 month -1 day'"), sa.Date)


async def _voorbij(
    conn: AsyncConnection, einden: Einden, tot: date, houders: Sequence[sa.Column[Any]] = ()
) -> list[str]:
    rijen = einden.subquery()
    persoon, einde = rijen.c
    query = (
        sa.select(persoon)
        .where(*(~sa.exists().where(houder == persoon) for houder in houders))
        .group_by(persoon)
        .having(sa.func.count() == sa.func.count(einde), sa.func.max(einde) < tot)
    )
    return list((await conn.execute(query)).scalars())

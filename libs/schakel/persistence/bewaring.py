"""Retention's selection (`schakel.primitives.bewaring.uitgestroomd`) in the database: the ends of a
service's records grouped per person there, so a retention round reads only the persons to forget.
Building every person's ends in Python held a service's event loop (its API, consumers and relay)
for seconds each round at national scale. And what a service keeps beside a record (an income, a
status) of someone no record holds any more: each row goes on its own end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection


async def uitgestroomd(conn: AsyncConnection, einden: sa.Select[Any] | sa.CompoundSelect[Any], tot: date) -> list[str]:
    """The persons in `einden` (rows of a person and the end of one of their records, NULL while it
    runs) whose every record ended before `tot`, in order."""
    rijen = einden.subquery()
    persoon, einde = rijen.c
    query = (
        sa.select(persoon).group_by(persoon).having(sa.func.count() == sa.func.count(einde), sa.func.max(einde) < tot)
    )
    return sorted((await conn.execute(query)).scalars())


def niet_gehouden(persoon: sa.ColumnElement[Any], houders: Sequence[sa.Column[Any]]) -> sa.ColumnElement[bool]:
    """No record holds this person: none of the `houders` columns (a case's person, a partner's, a
    window's) names them. A row kept beside a record of such a person (a partner a correction took
    out of the household, income that came after they were forgotten, a status of someone without a
    case) would otherwise stay for ever."""
    return sa.and_(*(~sa.exists().where(houder == persoon) for houder in houders))


def maand_einde(conn: AsyncConnection, maand: sa.Column[Any]) -> sa.ColumnElement[Any]:
    """The last day of a month kept as text (`2026-03`), as a date to compare an end with."""
    eerste = maand + "-01"
    if conn.dialect.name == "sqlite":
        return sa.type_coerce(sa.func.date(eerste, "+1 month", "-1 day"), sa.Date)
    return sa.cast(sa.cast(eerste, sa.Date) + sa.literal_column("INTERVAL '1 month -1 day'"), sa.Date)

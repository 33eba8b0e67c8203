"""Retention's selection (`schakel.primitives.bewaring.uitgestroomd`) in the database: the ends of a
service's records grouped per person there, so a retention round reads only the persons to forget.
Building every person's ends in Python held a service's event loop (its API, consumers and relay)
for seconds each round at national scale."""

from __future__ import annotations

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

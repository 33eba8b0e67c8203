"""Which cases a municipality may see and change: its own; any other is "not found"."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api import Principal
from schakel.api.problems import standard

from decisions.adapters import repository
from decisions.domain.uitkering import Uitkering


async def eigen(conn: AsyncConnection, principal: Principal, uitkering_id: str) -> Uitkering:
    uitkering = await repository.get(conn, uitkering_id)
    # another municipality's case is "not found": its existence is not theirs to know
    if uitkering is None or uitkering.gemeentecode != principal.gemeente:
        raise standard(404, "Deze uitkering bestaat niet of hoort niet bij uw gemeente.")
    return uitkering

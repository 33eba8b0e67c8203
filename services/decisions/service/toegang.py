"""Which cases a municipality may see and change: its own; any other is "not found"."""

from __future__ import annotations

from decisions.domain.fouten import Onbekend
from decisions.domain.uitkering import Uitkering
from decisions.service.ports import UnitOfWork
from schakel.caller import Caller


async def eigen(uow: UnitOfWork, caller: Caller, uitkering_id: str) -> Uitkering:
    uitkering = await uow.uitkeringen.get(uitkering_id)
    # another municipality's case is "not found": its existence is not theirs to know
    if uitkering is None or uitkering.gemeentecode != caller.gemeente:
        raise Onbekend("Deze uitkering bestaat niet of hoort niet bij uw gemeente.")
    return uitkering

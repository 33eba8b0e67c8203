"""UWV's doelgroepregister mutations from Kafka; one the API would refuse (a date that cannot be, a
transition that does not fit, a municipality the person did not live in) goes to the dead-letter
topic with the rule. The BRP away is an outage: the batch waits for it, as for the database."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncConnection

from registration.domain.deelname import Feit, Soort
from registration.service import deelname
from registration.service.ports import Ports
from schakel.errors import Refused
from schakel.events import Event
from schakel.events.models import DoelgroepregistratieBeeindigd, DoelgroepregistratieGestart
from schakel.messaging import PermanentError


def on_register(joined: Callable[[AsyncConnection], Ports]):
    """`joined(conn)`: the ports whose unit of work joins the consumer's batch transaction."""

    async def handle(conn: AsyncConnection, event: Event) -> None:
        d: DoelgroepregistratieGestart | DoelgroepregistratieBeeindigd
        if event.type == DoelgroepregistratieGestart.TYPE:
            d = DoelgroepregistratieGestart.from_event(event)
            feit = Feit(Soort.doelgroepregistratie_gestart, d.startdatum, d.gemeentecode, {"grond": d.grond})
        else:
            d = DoelgroepregistratieBeeindigd.from_event(event)
            feit = Feit(Soort.doelgroepregistratie_beeindigd, d.einddatum, d.gemeentecode)
        ports = joined(conn)
        try:
            elders = await deelname.woonde_elders(ports, d.bsn, feit)
            async with ports.uow() as uow:
                await deelname.neem_op(ports, uow, event.key, d.bsn, feit, "uwv", elders)
        except Refused as fout:
            raise PermanentError(f"{fout.code}: {fout.detail}") from fout

    return handle

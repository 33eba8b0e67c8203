"""UWV's doelgroepregister mutations from Kafka; one that does not fit goes to the dead-letter topic."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from registration.domain.deelname import Feit, OvergangFout, Soort
from registration.service import deelname
from registration.service.ports import Ports
from schakel.events import Event
from schakel.messaging import PermanentError

GESTART = "nl.banenafspraak.doelgroepregistratie.gestart"
BEEINDIGD = "nl.banenafspraak.doelgroepregistratie.beeindigd"


def on_register(joined: Callable[[AsyncConnection], Ports]):
    """`joined(conn)`: the ports whose unit of work joins the consumer's batch transaction."""

    async def handle(conn: AsyncConnection, event: Event) -> None:
        d = event.data
        if event.type == GESTART:
            feit = Feit(
                Soort.doelgroepregistratie_gestart,
                date.fromisoformat(d["startdatum"]),
                d["gemeentecode"],
                {"grond": d["grond"]},
            )
        else:
            feit = Feit(Soort.doelgroepregistratie_beeindigd, date.fromisoformat(d["einddatum"]), d["gemeentecode"])
        ports = joined(conn)
        try:
            async with ports.uow() as uow:
                await deelname.neem_op(ports, uow, event.key, d["bsn"], feit, "uwv")
        except OvergangFout as fout:
            raise PermanentError(fout.reden) from fout

    return handle

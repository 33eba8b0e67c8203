"""UWV's doelgroepregister mutations from Kafka; one the API would refuse (a date that cannot be, a
transition that does not fit, a municipality the person did not live in) goes to the dead-letter
topic with the rule (the batch is split down to it). The BRP away is an outage: the batch waits for
it, as for the database."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncConnection

from registration.domain.deelname import Feit, Soort
from registration.domain.fouten import NietWoongemeente
from registration.service import deelname
from registration.service.ports import Ports
from schakel.errors import Refused
from schakel.events import Event
from schakel.events.models import DoelgroepregistratieBeeindigd, DoelgroepregistratieGestart
from schakel.messaging import BatchHandler, PermanentError


def on_register(ports: Ports, joined: Callable[[AsyncConnection], Ports]) -> BatchHandler:
    """`joined(conn)`: the ports whose unit of work joins the consumer's batch transaction. Where the
    BRP has each person is asked before that transaction begins, once for the batch (a few questions
    of 20, since when only for a municipality that differs): no connection waits on the BRP."""
    elders: dict[str, NietWoongemeente | None] = {}  # per event id, for the try under way

    async def prepare(events: list[Event]) -> None:
        mutaties = [_mutatie(event) for event in events]
        woont = await ports.brp.woongemeenten(d.bsn for d, _ in mutaties)
        elders.clear()
        for event, (d, feit) in zip(events, mutaties, strict=True):
            elders[event.id] = await deelname.woonde_elders(ports, d.bsn, feit, woont[d.bsn])

    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        samen = joined(conn)
        for event in events:
            d, feit = _mutatie(event)
            try:
                async with samen.uow() as uow:
                    await deelname.neem_op(samen, uow, event.key, d.bsn, feit, "uwv", elders[event.id])
            except Refused as fout:
                raise PermanentError(f"{fout.code}: {fout.detail}") from fout
        return {}

    return BatchHandler(handle, prepare)


def _mutatie(event: Event) -> tuple[DoelgroepregistratieGestart | DoelgroepregistratieBeeindigd, Feit]:
    if event.type == DoelgroepregistratieGestart.TYPE:
        gestart = DoelgroepregistratieGestart.from_event(event)
        return gestart, Feit(
            Soort.doelgroepregistratie_gestart, gestart.startdatum, gestart.gemeentecode, {"grond": gestart.grond}
        )
    beeindigd = DoelgroepregistratieBeeindigd.from_event(event)
    return beeindigd, Feit(Soort.doelgroepregistratie_beeindigd, beeindigd.einddatum, beeindigd.gemeentecode)

"""UWV's doelgroepregister mutations from Kafka, and its withdrawals of one made in error; one the API
would refuse (a date that cannot be, a transition that does not fit, a municipality the person did not
live in, a withdrawal of what is not there or what a later fact rests on) goes to the dead-letter topic
with the rule (the batch is split down to it). The BRP away is an outage: the batch waits for it, as
for the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from registration.domain.deelname import Feit, Soort
from registration.domain.fouten import FeitNodig
from registration.domain.melding import elders_genoemd, gemeente_fout
from registration.service import deelname
from registration.service.ports import Ports
from schakel.caller import Caller, Rol
from schakel.errors import Conflict, NotFound, Refused
from schakel.events import Event
from schakel.events.models import (
    DoelgroepregistratieBeeindigd,
    DoelgroepregistratieBeeindigingIngetrokken,
    DoelgroepregistratieGestart,
    DoelgroepregistratieIngetrokken,
)
from schakel.messaging import BatchHandler, PermanentError

INGETROKKEN = frozenset({DoelgroepregistratieIngetrokken.TYPE, DoelgroepregistratieBeeindigingIngetrokken.TYPE})
# a withdrawal names the mutation it withdraws as that mutation was sent
_GESTART = {m.TYPE: m for m in (DoelgroepregistratieGestart, DoelgroepregistratieIngetrokken)}
_BEEINDIGD = {m.TYPE: m for m in (DoelgroepregistratieBeeindigd, DoelgroepregistratieBeeindigingIngetrokken)}
# UWV's register, as the facts it sent are kept (`bron`); its facts are no moves, which alone are the reporter's
REGISTER = Caller("uwv", Rol.uwv)


def on_register(ports: Ports, joined: Callable[[AsyncConnection], Ports]) -> BatchHandler:
    """`joined(conn)`: the ports whose unit of work joins the consumer's batch transaction. Where the
    BRP has each person is asked before that transaction begins, once for the batch (a few questions
    of 20; since when only for a person a mutation names another municipality of): no connection waits
    on the BRP. What it says is kept per person, so each mutation is judged on its own person's facts
    (also one whose id repeats in the batch: the runner hands `handle` the first only)."""
    woont: dict[str, str | None] = {}
    sinds: dict[str, date | None] = {}

    async def prepare(events: list[Event]) -> None:
        # a withdrawal names the fact as it was sent: no municipality to judge, nothing to ask the BRP
        mutaties = [_mutatie(event) for event in events if event.type not in INGETROKKEN]
        gevonden = await ports.brp.woongemeenten(d.bsn for d, _ in mutaties)
        woont.clear()
        sinds.clear()
        woont.update(gevonden)
        for d, feit in mutaties:
            if elders_genoemd(feit, woont[d.bsn]) and d.bsn not in sinds:
                sinds[d.bsn] = await ports.brp.ingeschreven_sinds(d.bsn)

    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        samen, vandaag = joined(conn), ports.clock.today()
        for event in events:
            d, feit = _mutatie(event)
            # the person is the BSN's: UWV keys its records as it likes (it holds no pseudonym key)
            persoon = ports.pseudonym(d.bsn)
            try:
                async with samen.uow() as uow:
                    if event.type in INGETROKKEN:
                        await deelname.haal_weg(samen, uow, persoon, d.bsn, feit, REGISTER)
                    else:
                        elders = gemeente_fout(feit, woont[d.bsn], sinds.get(d.bsn), vandaag)
                        await deelname.neem_op(samen, uow, persoon, d.bsn, feit, REGISTER.oin, elders)
            except FeitNodig as fout:
                # its detail names the later fact and its day, for a caller who sees them; a dead letter's
                # reason, logged and listed in the console, names the rule and never a value
                raise PermanentError(
                    f"{fout.code}: een later gemeld feit rust op het feit dat deze mutatie intrekt"
                ) from fout
            except (Refused, Conflict, NotFound) as fout:
                raise PermanentError(f"{fout.code}: {fout.detail}") from fout
        return {}

    return BatchHandler(handle, prepare)


def _mutatie(event: Event) -> tuple[DoelgroepregistratieGestart | DoelgroepregistratieBeeindigd, Feit]:
    """The fact a mutation reports, or (`INGETROKKEN`) the one it withdraws."""
    if (soort := _GESTART.get(event.type)) is not None:
        gestart = soort.from_event(event)
        return gestart, Feit(
            Soort.doelgroepregistratie_gestart, gestart.startdatum, gestart.gemeentecode, {"grond": gestart.grond}
        )
    beeindigd = _BEEINDIGD[event.type].from_event(event)
    return beeindigd, Feit(Soort.doelgroepregistratie_beeindigd, beeindigd.einddatum, beeindigd.gemeentecode)

"""Kafka handlers of the decisions service: an event in, a use case called in the consumer's
transaction, a refusal turned into PermanentError (the dead-letter topic)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from decisions.domain.deelname import Deelnamestatus
from decisions.domain.fouten import DecisionsError
from decisions.domain.situatie import Betaalmodel, Huishouden, Regime, Situatie
from decisions.domain.verrekening import Bijdrage, Inkomen
from decisions.service import uitkeringen, verrekeningen
from decisions.service.ports import Ports
from schakel.events import Event
from schakel.messaging import BatchHandler, PermanentError
from schakel.primitives import Maand

DEELNAMESTATUS_GEWIJZIGD = "nl.participatiewet.deelnamestatus.gewijzigd"
HERAANVRAAG_TOEGEKEND = "nl.participatiewet.heraanvraag.toegekend"
MAANDINKOMEN_VASTGESTELD = "nl.participatiewet.maandinkomen.vastgesteld"

Joined = Callable[[AsyncConnection], Ports]  # the ports whose unit of work joins the consumer's transaction


def on_deelnamestatus(joined: Joined):
    async def handle(conn: AsyncConnection, event: Event) -> None:
        d = event.data
        ports = joined(conn)
        async with ports.uow() as uow:
            await uitkeringen.zet_deelnamestatus(
                ports,
                uow,
                event.key,
                Deelnamestatus(d["status"], d["doelgroepregisterGrond"], date.fromisoformat(d["ingangsdatum"])),
            )

    return handle


def on_heraanvraag_toegekend(joined: Joined):
    """A re-application granted by the reapplication service: the benefit reopens with the reused data."""

    async def handle(conn: AsyncConnection, event: Event) -> None:
        d, s = event.data, event.data["situatie"]
        opt = lambda v: date.fromisoformat(v) if v else None  # noqa: E731
        situatie = Situatie(
            date.fromisoformat(d["startdatum"]),
            Huishouden(s["huishouden"]),
            opt(s["partnerGeboortedatum"]),
            opt(s["jongsteKindGeboortedatum"]),
            s["kostendelers"],
            s["medischUrenbeperkt"],
            s["loonkostensubsidie"],
            s["meerUrenNietMogelijk"],
            Regime(s["vrijlatingsregime"]),
            Betaalmodel(s["betaalmodel"]),
        )
        ports = joined(conn)
        try:
            async with ports.uow() as uow:
                await uitkeringen.open_in(
                    ports,
                    uow,
                    d["gemeentecode"],
                    d["bsn"],
                    date.fromisoformat(d["geboortedatum"]),
                    date.fromisoformat(d["startdatum"]),
                    situatie,
                    d["heraanvraagId"],
                )
        except DecisionsError as fout:
            raise PermanentError(fout.detail) from fout

    return handle


def on_maandinkomens(joined: Joined) -> BatchHandler:
    """Months' incomes in bulk: stored, then each person's cases settled once."""

    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        ports = joined(conn)
        async with ports.uow() as uow:
            await verrekeningen.neem_inkomens_op(
                ports, uow, [(e.key, Maand.parse(e.data["maand"]), inkomen(e.data)) for e in events]
            )
        return {}

    return BatchHandler(handle)


def inkomen(d: dict) -> Inkomen:
    return Inkomen(
        d["huidige"]["nettoInkomen"],
        d["huidige"]["vakantiebijslag"],
        tuple(
            Bijdrage(
                b["loonheffingennummer"],
                b["inkomstenverhouding"],
                date.fromisoformat(b["tijdvakBegin"]),
                date.fromisoformat(b["tijdvakEinde"]),
                b["nettoInkomen"],
            )
            for b in d["bijdragen"]
        ),
    )

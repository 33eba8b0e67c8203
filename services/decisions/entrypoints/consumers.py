"""Kafka handlers of the decisions service: an event in, a use case called in the consumer's
transaction. A granted re-application that cannot be reopened is answered: `heropening.geweigerd`
tells reapplication why (a case of the person runs, or a rule refused its data); whatever else
fails goes to the dead-letter topic (the consumer runner)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncConnection

from decisions.domain.deelname import Deelnamestatus
from decisions.domain.fouten import DecisionsError, UitkeringLooptAl
from decisions.domain.inkomen import ARBEID, Bijdrage, Inkomen, verdiend_op
from decisions.domain.norm import normenbrief
from decisions.domain.situatie import Betaalmodel, Huishouden, Partner, Regime, Situatie
from decisions.domain.toeslagen import fiscaal_deel
from decisions.service import uitkeringen, verrekeningen
from decisions.service.ports import Ports
from schakel.events import Event
from schakel.events.models import (
    DeelnamestatusGewijzigd,
    HeraanvraagToegekend,
    HeropeningGeweigerd,
    MaandinkomenVastgesteld,
)
from schakel.messaging import BatchHandler
from schakel.primitives import Maand
from schakel.runtime.uow import apart

log = logging.getLogger(__name__)
Joined = Callable[[AsyncConnection], Ports]  # the ports whose unit of work joins the consumer's transaction


def on_deelnamestatus(joined: Joined):
    async def handle(conn: AsyncConnection, event: Event) -> None:
        d = DeelnamestatusGewijzigd.from_event(event)
        ports = joined(conn)
        async with ports.uow() as uow:
            await uitkeringen.zet_deelnamestatus(
                ports,
                uow,
                event.key,
                Deelnamestatus(d.status, d.doelgroepregisterGrond, d.ingangsdatum, event.sequence),
            )

    return handle


def on_heraanvraag_toegekend(joined: Joined):
    """A re-application granted by the reapplication service: the benefit reopens with the reused data."""

    async def handle(conn: AsyncConnection, event: Event) -> None:
        d = HeraanvraagToegekend.from_event(event)
        s, p = d.situatie, d.situatie.partner
        # a re-application that does not carry the partner (before 2.1.0) keeps their birth date only:
        # their months then wait for a caseworker, who records the partner
        partner = (
            Partner(p.bsn, p.geboortedatum, p.medischUrenbeperkt, p.loonkostensubsidie, p.meerUrenNietMogelijk)
            if p is not None
            else Partner(None, s.partnerGeboortedatum)
            if s.partnerGeboortedatum is not None
            else None
        )
        ports = joined(conn)
        # the amount holds under the normenbrief of the situation it was recorded in: reopened under another
        # (an indexation since), the months wait for the caseworker instead of settling with the old amount.
        # Without that date it is a caseworker's, given with the grant: for its start
        vanaf = s.jongerennormVanaf or d.startdatum
        geldig = normenbrief(ports.parameters, vanaf) == normenbrief(ports.parameters, d.startdatum)
        situatie = Situatie(
            d.startdatum,
            Huishouden(s.huishouden),
            partner,
            s.jongsteKindGeboortedatum,
            s.kostendelers,
            s.medischUrenbeperkt,
            s.loonkostensubsidie,
            s.meerUrenNietMogelijk,
            Regime(s.vrijlatingsregime),
            Betaalmodel(s.betaalmodel),
            s.jongerennorm if geldig else None,
        )
        try:
            async with apart(conn), ports.uow() as uow:
                await uitkeringen.open_in(
                    ports,
                    uow,
                    d.gemeentecode,
                    d.bsn,
                    d.geboortedatum,
                    d.startdatum,
                    situatie,
                    d.heraanvraagId,
                    tuple((k.grond, k.maandenGebruikt) for k in d.vrijlatingsklok),
                )
        except DecisionsError as fout:  # nothing of it stays; reapplication hears why (the application shows it)
            reden = "uitkering-loopt" if isinstance(fout, UitkeringLooptAl) else fout.code
            log.info("re-application not reopened: %s", reden)
            async with ports.uow() as uow:
                geweigerd = HeropeningGeweigerd(
                    heraanvraagId=d.heraanvraagId,
                    bsn=d.bsn,
                    gemeentecode=d.gemeentecode,
                    reden=reden,
                    uitleg=f"De heraanvraag is niet heropend: {fout.detail}"[:500],
                )
                await uow.publish(uow.event(event.key, geweigerd))

    return handle


def on_maandinkomens(joined: Joined) -> BatchHandler:
    """Months' incomes in bulk: stored, then each person's cases settled once."""

    async def handle(conn: AsyncConnection, events: list[Event]) -> dict[str, str]:
        ports = joined(conn)
        maanden = [(e, MaandinkomenVastgesteld.from_event(e)) for e in events]
        async with ports.uow() as uow:
            await verrekeningen.neem_inkomens_op(
                ports, uow, [(e.key, Maand.parse(d.maand), inkomen(d), e.sequence) for e, d in maanden]
            )
        return {}

    return BatchHandler(handle)


def inkomen(d: MaandinkomenVastgesteld) -> Inkomen:
    """The month's income by kind (an event from before 2.1.0 has no kinds: all of it was work income),
    each period with the days of the month it was earned on."""
    # the days a period was earned on, to count only those of the case in a month it covers in part
    # (of a month the municipality established itself: its holiday allowance and kinds)
    h, maand, polis = d.huidige, Maand.parse(d.maand), d.bron == "polis"
    return Inkomen(
        h.nettoInkomen,
        h.vakantiebijslag,
        tuple(
            Bijdrage(
                b.loonheffingennummer,
                b.inkomstenverhouding,
                b.tijdvakBegin,
                b.tijdvakEinde,
                b.nettoInkomen,
                b.inkomstensoort or ARBEID,
                b.vakantiebijslag,
                b.soortInkomstenverhouding,
                fiscaal_deel(b.berekening.fiscaalLoon, b.dagen, b.dagenTijdvak),
                verdiend_op(maand, b.dagen, (b.tijdvakBegin, b.tijdvakEinde), b.eindeInkomstenverhouding),
            )
            for b in d.bijdragen
        ),
        h.overigInkomen or 0,
        h.onbekendInkomen or 0,
        overschreven=not polis,
    )

"""The end of a case as the events announce it: `uitkering.beeindigd` with what a re-application may
reuse, and the situation, partners and vrijlating clock in contract form. Settling announces it again
when months settled after the end move the clock."""

from __future__ import annotations

from datetime import date

from decisions.domain.situatie import Situatie, geldend, partnerperioden
from decisions.domain.uitkering import Uitkering
from decisions.service.ports import Ports, UnitOfWork
from decisions.service.webhooks import bericht, publiceer
from schakel.events import Event
from schakel.events import models as events


async def kondig_einde_aan(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, klok: dict[str, int], vorige: date | None = None
) -> None:
    await publiceer(uow, ports.clock, await einde(ports, uow, uitkering, klok, vorige))


async def einde(
    ports: Ports, uow: UnitOfWork, uitkering: Uitkering, klok: dict[str, int], vorige: date | None = None
) -> Event:
    """`uitkering.beeindigd`, with what a re-application within the window may reuse (art. 43a): among it
    the vrijlating `klok` (months used per ground, with those of an earlier benefit). `vorige`: the end
    date it replaces (a corrected end, or the same end with a clock that moved)."""
    assert uitkering.einddatum is not None and uitkering.reden is not None
    situaties = await uow.situaties.van(uitkering.uitkering_id)
    return bericht(
        uow,
        events.UitkeringBeeindigd,
        uitkering,
        ports.pseudonym(uitkering.bsn),
        einddatum=uitkering.einddatum,
        reden=uitkering.reden.value,
        hergebruik=events.Hergebruik(
            geboortedatum=uitkering.geboortedatum,
            situatie=situatie_van(geldend(situaties, uitkering.einddatum)),
            vrijlatingsklok=klok_van(klok),
        ),
        vorigeEinddatum=vorige,
        partners=partners_van(situaties, uitkering.einddatum),
    )


def situatie_van(x: Situatie) -> events.Situatie:
    """A situation in contract form (without its date), for the events and the API."""
    p = x.partner
    return events.Situatie(
        huishouden=x.huishouden.value,
        partnerGeboortedatum=x.partner_geboortedatum,
        partner=None
        if p is None or p.bsn is None
        else events.Partner(
            bsn=p.bsn,
            geboortedatum=p.geboortedatum,
            medischUrenbeperkt=p.medisch_urenbeperkt,
            loonkostensubsidie=p.loonkostensubsidie,
            meerUrenNietMogelijk=p.meer_uren_niet_mogelijk,
        ),
        jongsteKindGeboortedatum=x.jongste_kind_geboortedatum,
        kostendelers=x.kostendelers,
        medischUrenbeperkt=x.medisch_urenbeperkt,
        loonkostensubsidie=x.loonkostensubsidie,
        meerUrenNietMogelijk=x.meer_uren_niet_mogelijk,
        vrijlatingsregime=x.regime.value,
        betaalmodel=x.betaalmodel.value,
        jongerennorm=x.jongerennorm,
        jongerennormVanaf=x.ingangsdatum if x.jongerennorm is not None else None,
    )


def klok_van(klok: dict[str, int]) -> list[events.Klokstand]:
    return [events.Klokstand(grond=g, maandenGebruikt=n) for g, n in klok.items()]


def partners_van(situaties: list[Situatie], einddatum: date | None) -> list[events.Partnerperiode]:
    return [events.Partnerperiode(bsn=b, vanaf=v, tot=t) for b, v, t in partnerperioden(situaties, einddatum)]

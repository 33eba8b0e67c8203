"""What a re-application reuses (art. 43a), between the domain and its contract form
(schakel.events.models.Hergebruik): parsed where it comes in (decisions' `uitkering.beeindigd`),
and written in the same form into the approval event, the store and the API."""

from __future__ import annotations

from typing import Any

from reapplication.domain.hergebruik import Hergebruik, Klokstand, Partner, Situatie
from schakel.events import models as events


def situatie_van_contract(s: events.Situatie) -> Situatie:
    p = s.partner
    partner = (
        None
        if p is None
        else Partner(p.bsn, p.geboortedatum, p.medischUrenbeperkt, p.loonkostensubsidie, p.meerUrenNietMogelijk)
    )
    return Situatie(
        s.huishouden,
        s.partnerGeboortedatum,
        s.jongsteKindGeboortedatum,
        s.kostendelers,
        s.medischUrenbeperkt,
        s.loonkostensubsidie,
        s.meerUrenNietMogelijk,
        s.vrijlatingsregime,
        s.betaalmodel,
        partner,
        s.jongerennorm,
        s.jongerennormVanaf,
    )


def van_contract(h: events.Hergebruik | None) -> Hergebruik | None:
    if h is None:
        return None
    klok = tuple(Klokstand(k.grond, k.maandenGebruikt) for k in h.vrijlatingsklok)
    return Hergebruik(h.geboortedatum, situatie_van_contract(h.situatie), klok)


def situatie_contract(s: Situatie) -> events.Situatie:
    p = s.partner
    return events.Situatie(
        huishouden=s.huishouden,
        partnerGeboortedatum=s.partner_geboortedatum,
        partner=None
        if p is None
        else events.Partner(
            bsn=p.bsn,
            geboortedatum=p.geboortedatum,
            medischUrenbeperkt=p.medisch_urenbeperkt,
            loonkostensubsidie=p.loonkostensubsidie,
            meerUrenNietMogelijk=p.meer_uren_niet_mogelijk,
        ),
        jongsteKindGeboortedatum=s.jongste_kind_geboortedatum,
        kostendelers=s.kostendelers,
        medischUrenbeperkt=s.medisch_urenbeperkt,
        loonkostensubsidie=s.loonkostensubsidie,
        meerUrenNietMogelijk=s.meer_uren_niet_mogelijk,
        vrijlatingsregime=s.vrijlatingsregime,
        betaalmodel=s.betaalmodel,
        jongerennorm=s.jongerennorm,
        jongerennormVanaf=s.jongerennorm_vanaf,
    )


def klok_contract(klok: tuple[Klokstand, ...]) -> list[events.Klokstand]:
    return [events.Klokstand(grond=k.grond, maandenGebruikt=k.maanden_gebruikt) for k in klok]


def van_json(d: dict[str, Any] | None) -> Hergebruik | None:
    """From the contract form as JSON (as stored)."""
    return van_contract(events.Hergebruik.model_validate(d)) if d else None


def als_json(h: Hergebruik | None) -> dict[str, Any] | None:
    if h is None:
        return None
    contract = events.Hergebruik(
        geboortedatum=h.geboortedatum,
        situatie=situatie_contract(h.situatie),
        vrijlatingsklok=klok_contract(h.vrijlatingsklok),
    )
    return contract.model_dump(mode="json")

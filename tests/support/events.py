"""Events as a consumer's handler gets them, built from the typed models (so a test's event is
one the contract accepts), with builders for the ones several services' tests need."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from schakel.events import Event, load_contract
from schakel.events import models as events
from schakel.primitives import Maand

SOURCE = "urn:nld:oin:00000001003214345000:systeem:test"


def received(key: str, data: events.EventData, time: str | None = None) -> Event:
    """Checked against the contract, as the consumer runner does before a handler sees it."""
    event = Event(type=data.TYPE, source=SOURCE, data=data.as_json(), key=key)
    if time is not None:
        event = replace(event, time=time)
    load_contract().validate(event)
    return event


def maandinkomen(
    bsn: str, maand: str, netto: int, einde: date | None = None, soort: str | None = None
) -> events.MaandinkomenVastgesteld:
    """A month's first net income, from one employer's period covering the month; with `soort` (arbeid,
    overig, onbekend) of that kind, without it as an event from before the kinds (all work income)."""
    m = Maand.parse(maand)
    berekening = events.Berekening(
        fiscaalLoon=netto,
        waardePriveGebruikAuto=0,
        ingehoudenLoonheffing=0,
        ingehoudenBijdrageZvw=0,
        premieWgaWerknemer=0,
        vakantiebijslagBetaald=0,
        nettoTijdvak=netto,
        nettoVakantiebijslagTijdvak=0,
    )
    bijdrage = events.Maandbijdrage(
        loonheffingennummer="123456782L01",
        inkomstenverhouding=1,
        eindeInkomstenverhouding=einde,
        tijdvakBegin=m.eerste_dag,
        tijdvakEinde=m.laatste_dag,
        versie=1,
        dagen=m.dagen,
        dagenTijdvak=m.dagen,
        nettoInkomen=netto,
        vakantiebijslag=0,
        berekening=berekening,
        soortInkomstenverhouding=None if soort is None else {"arbeid": "15", "overig": "33", "onbekend": "81"}[soort],
        inkomstensoort=soort,
    )
    delen = {} if soort is None else {"arbeidsinkomen": 0, "overigInkomen": 0, "onbekendInkomen": 0}
    if soort is not None:
        delen[{"arbeid": "arbeidsinkomen", "overig": "overigInkomen", "onbekend": "onbekendInkomen"}[soort]] = netto
    return events.MaandinkomenVastgesteld(
        bsn=bsn,
        maand=maand,
        vorige=None,
        huidige=events.Bedragen(nettoInkomen=netto, vakantiebijslag=0, **delen),
        bron="polis",
        bijdragen=[bijdrage],
    )


def situatie(**anders: Any) -> events.Situatie:
    """A single person's situation without exemption grounds, with the properties `anders` names."""
    return events.Situatie.model_validate(
        {
            "huishouden": "alleenstaand",
            "partnerGeboortedatum": None,
            "jongsteKindGeboortedatum": None,
            "kostendelers": 0,
            "medischUrenbeperkt": False,
            "loonkostensubsidie": False,
            "meerUrenNietMogelijk": False,
            "vrijlatingsregime": "per-datum",
            "betaalmodel": "voorschot",
        }
        | anders
    )


def deelnamestatus(
    bsn: str, status: str, grond: str | None, ingangsdatum: date, gemeentecode: str = "GM0363"
) -> events.DeelnamestatusGewijzigd:
    return events.DeelnamestatusGewijzigd.model_validate(
        {
            "bsn": bsn,
            "gemeentecode": gemeentecode,
            "status": status,
            "doelgroepregisterGrond": grond,
            "ingangsdatum": ingangsdatum,
            "terugvalopties": [],
        }
    )

"""The programme's figures as every service answers them (`GET /programmacijfers`): the route, the
contract bodies, the period parameters, and how `schakel.primitives.cijfers` values become a body.
Shared, so the services (and the console reading them) speak one shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from schakel.api.app import app_ports
from schakel.api.auth import Principal, requires
from schakel.api.examples import parameter
from schakel.api.examples import voorbeeld as voorbeelden
from schakel.api.router import Router
from schakel.api.types import Datum, GemeentecodeVeld, Model
from schakel.caller import Rol
from schakel.persistence.programmacijfers import Vastgesteld, VastgesteldeCijfers
from schakel.primitives.cijfers import (
    AFRONDING,
    DREMPEL,
    Eenheden,
    Periode,
    aanvullend,
    getoond,
    vastgesteld,
    voorlopig,
)

Van = Annotated[
    Datum,
    Query(
        description="Eerste dag van het kwartaal: 1 januari, 1 april, 1 juli of 1 oktober.",
        openapi_examples=parameter("2026-07-01"),
    ),
]
Tot = Annotated[
    Datum,
    Query(
        description="Laatste dag van het kwartaal (inbegrepen). De cijfers komen op de eerste dag van de tweede "
        "maand erna.",
        openapi_examples=parameter("2026-09-30"),
    ),
]
SUMMARY = (
    "De cijfers van het programma (Simpel Switchen) over een afgelopen kalenderkwartaal, vastgesteld bij de eerste "
    "vraag: de operator landelijk en per gemeente, een gemeente haar deel daarvan. Geen persoonsgegevens; kleine "
    f"groepen (onder {DREMPEL}) onderdrukt, aantallen afgerond op {AFRONDING}-tallen."
)


class Programmacijfer(Model):
    naam: str = Field(max_length=100)
    waarde: float | None = Field(
        description="Een aandeel (0 tot 1) of een aantal dagen; leeg wanneer onderdrukt of zonder gegevens."
    )
    aantal: int | None = Field(
        description="Het aantal personen (of maanden) waarop het cijfer rust, afgerond op een veelvoud van "
        "`afronding`; leeg als onderdrukt. Een aandeel is genomen van de afgeronde aantallen."
    )
    reden: (
        Literal["minder-dan-drempel", "kleine-groep", "aanvullend-onderdrukt", "geen-taakstelling", "nog-niet-meetbaar"]
        | None
    ) = Field(
        description="Waarom de waarde ontbreekt: te weinig personen (bij een kwantiel: minder dan 10 waarden aan "
        "een kant ervan), een deel of rest van minder dan 10 personen (ook geen: een aandeel van 0 of 1 zegt wat "
        "ieder in de groep deed), aanvullend onderdrukt (het land min de getoonde gemeenten zou anders een kleine "
        "groep geven; ook bij het land zelf, en zo ook in het deel dat een gemeente leest), (realisatie beschut "
        "werk) geen taakstelling voor het jaar (landelijk: zolang een gemeente met een plek er geen heeft), of "
        "(terugval) nog niet iedereen die in de periode uitstroomde is lang genoeg geleden uitgestroomd om te tellen."
    )


class Eenheid(Model):
    gemeentecode: GemeentecodeVeld | None = Field(description="Leeg: het hele land (alleen voor de operator).")
    cijfers: list[Programmacijfer]


class Programmacijfers(Model):
    van: Datum
    tot: Datum
    drempel: int = Field(description="Een cijfer dat op minder personen rust, wordt onderdrukt.")
    afronding: int = Field(description="Elk aantal personen is afgerond op een veelvoud hiervan.")
    vastgesteldOp: Datum = Field(
        description="De dag waarop de cijfers van het kwartaal voor het eerst werden gevraagd en vastgesteld, "
        "landelijk en per gemeente in één keer; een gemeente leest haar deel daarvan (een gemeente die toen geen "
        "cijfers had, de eigen op de dag van haar eerste vraag). De cijfers en wat aanvullend is onderdrukt, "
        "veranderen daarna niet meer: anders zou het verschil tussen twee vragen tonen wat er sindsdien over "
        "enkele personen veranderde (een gecorrigeerde einddatum, een uitkering met een eerdere start). Alleen een "
        "cijfer van het land dat nog niet meetbaar is of nog geen taakstelling heeft, wordt bij de eerste vraag "
        "van een latere dag opnieuw berekend, op de gegevens van die dag, en vastgesteld zodra het er is, samen "
        "met die van de gemeenten (die wachten zolang); het kan dan meer aanvullend onderdrukken, bij een gemeente "
        "in al haar cijfers over dezelfde personen."
    )
    eenheden: list[Eenheid]


ANTWOORDEN: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "De periode is geen kalenderkwartaal (`periode-ongeldig`, bij `van` of `tot`): perioden "
        "die een dag of een maand verschillen, zouden de personen van die dag of maand tonen. Of de cijfers van "
        "het kwartaal zijn er nog niet (`periode-lopend`): ze komen op de eerste dag van de tweede maand erna, "
        "als wat laat wordt vastgelegd er ook in staat, en liggen dan vast."
    }
}


# a service's use case: the figures per municipality code (None: the whole country), of every
# municipality (None) or of one
Lezer = Callable[[Any, Periode, str | None], Awaitable[Eenheden]]


def router(lees: Lezer, hier: str, antwoord: dict[str, Any], groepen: Iterable[tuple[str, ...]] = ()) -> APIRouter:
    """The operation every service answers the same way: `lees` is its use case, `hier` says which of
    the programme's figures it computes, `antwoord` is its example, `groepen` its figures that rest on
    the same persons (withheld together, `cijfers.aanvullend`)."""
    groepen = tuple(groepen)
    routes = Router(tags=["programmacijfers"])

    @routes.get(
        "/programmacijfers",
        response_model=Programmacijfers,
        operation_id="leesProgrammacijfers",
        openapi_extra=voorbeelden(antwoord),
        responses=ANTWOORDEN,
        summary=f"{SUMMARY} Hier: {hier}",
    )
    async def lees_programmacijfers(
        van: Van,
        tot: Tot,
        request: Request,
        poorten: Annotated[Any, Depends(app_ports)],
        principal: Annotated[Principal, Depends(requires(Rol.municipality, Rol.operator))],
    ) -> dict[str, Any]:
        vandaag = poorten.clock.today()
        periode = Periode.afgesloten(van, tot, vandaag)
        opslag: VastgesteldeCijfers = request.app.state.programmacijfers

        async def vast(gemeente: str | None) -> Vastgesteld:
            """The quarter as first fixed for the country (None) or a municipality, completed where a
            figure withheld for a while can now be given (looked at once a day: a national count);
            the suppression's choices stay."""
            lezer = gemeente or ""
            eerder = await opslag.lees(periode.van, lezer)
            if eerder is not None and (not voorlopig(eerder.eenheden) or eerder.berekend == vandaag):
                return eerder
            eenheden = vastgesteld(None if eerder is None else eerder.eenheden, await lees(poorten, periode, gemeente))
            weg = aanvullend(eenheden, groepen, () if eerder is None else eerder.weg)
            return await opslag.leg_vast(periode.van, lezer, eenheden, weg, vandaag, eerder)

        land = await vast(None)
        eenheden = getoond(land.eenheden, land.weg)
        if principal.rol is Rol.operator:
            return body(periode, land.op, eenheden)
        # a municipality reads its part of the one publication, or, without figures when the quarter
        # was fixed, its own as they were when it first asked
        gemeente = principal.gemeente
        if gemeente in eenheden:
            return body(periode, land.op, {gemeente: eenheden[gemeente]})
        eigen = await vast(gemeente)
        return body(periode, eigen.op, eigen.eenheden)

    return routes


def body(periode: Periode, vastgesteld_op: date, eenheden: Eenheden) -> dict[str, Any]:
    return {
        "van": periode.van,
        "tot": periode.tot,
        "drempel": DREMPEL,
        "afronding": AFRONDING,
        "vastgesteldOp": vastgesteld_op,
        "eenheden": [
            {
                "gemeentecode": gemeente,
                "cijfers": [
                    {"naam": c.naam, "waarde": c.waarde, "aantal": c.aantal, "reden": c.reden} for c in cijfers
                ],
            }
            for gemeente, cijfers in eenheden.items()
        ],
    }


def voorbeeld(*cijfers: tuple[str, float | None, int | None, str | None]) -> dict[str, Any]:
    """A service's example answer (a municipality's own figures)."""
    return {
        "van": "2026-07-01",
        "tot": "2026-09-30",
        "drempel": DREMPEL,
        "afronding": AFRONDING,
        "vastgesteldOp": "2026-11-02",
        "eenheden": [
            {
                "gemeentecode": "GM0363",
                "cijfers": [{"naam": n, "waarde": w, "aantal": a, "reden": r} for n, w, a, r in cijfers],
            }
        ],
    }

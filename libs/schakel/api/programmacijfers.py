"""The programme's figures as every service answers them (`GET /programmacijfers`): the contract
bodies, the period parameters, and how `schakel.primitives.cijfers` values become a body. Shared,
so the four services (and the console reading them) speak one shape."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query
from pydantic import Field

from schakel.api.examples import parameter
from schakel.api.types import Datum, GemeentecodeVeld, Model
from schakel.primitives.cijfers import DREMPEL, Cijfer, Periode

Van = Annotated[Datum, Query(description="Eerste dag van de periode.", openapi_examples=parameter("2026-01-01"))]
Tot = Annotated[
    Datum, Query(description="Laatste dag van de periode (inbegrepen).", openapi_examples=parameter("2026-11-30"))
]
SUMMARY = (
    "De cijfers van het programma (Simpel Switchen) over een periode: een gemeente de eigen, de operator "
    f"landelijk en per gemeente. Geen persoonsgegevens; kleine aantallen (onder {DREMPEL}) onderdrukt."
)


class Programmacijfer(Model):
    naam: str = Field(max_length=100)
    waarde: float | None = Field(
        description="Een aandeel (0 tot 1) of een aantal dagen; leeg wanneer onderdrukt of zonder gegevens."
    )
    aantal: int | None = Field(
        description="Het aantal personen (of maanden) waarop het cijfer rust; leeg als onderdrukt."
    )
    reden: Literal["minder-dan-drempel", "kleine-groep", "geen-taakstelling"] | None = Field(
        description="Waarom de waarde ontbreekt: te weinig personen, een deel of rest van 1 tot 9 personen, of "
        "(realisatie beschut werk) geen taakstelling voor het jaar."
    )


class Eenheid(Model):
    gemeentecode: GemeentecodeVeld | None = Field(description="Leeg: het hele land (alleen voor de operator).")
    cijfers: list[Programmacijfer]


class Programmacijfers(Model):
    van: Datum
    tot: Datum
    drempel: int = Field(description="Een cijfer dat op minder personen rust, wordt onderdrukt.")
    eenheden: list[Eenheid]


ANTWOORDEN: dict[int | str, dict[str, Any]] = {
    422: {"description": "De periode eindigt vóór ze begint (tot vóór van)."}
}


def body(periode: Periode, eenheden: dict[str | None, list[Cijfer]]) -> dict[str, Any]:
    return {
        "van": periode.van,
        "tot": periode.tot,
        "drempel": DREMPEL,
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
        "van": "2026-01-01",
        "tot": "2026-11-30",
        "drempel": DREMPEL,
        "eenheden": [
            {
                "gemeentecode": "GM0363",
                "cijfers": [{"naam": n, "waarde": w, "aantal": a, "reden": r} for n, w, a, r in cijfers],
            }
        ],
    }

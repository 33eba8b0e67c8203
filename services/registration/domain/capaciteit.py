"""Beschut werk capacity of a municipality in a year (Participatiewet art. 10b): the places realised
against the ministerial minimum, the waiting list of people with a positive advice and no place,
and the time from a positive advice (or its revival) to a place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import mean

from registration.domain.deelname import Feit, vouw


@dataclass(frozen=True)
class Wachtende:
    bsn: str
    sinds: date
    dagen: int


@dataclass(frozen=True)
class Capaciteit:
    gemeentecode: str
    jaar: int
    taakstelling: int | None
    gerealiseerd: int
    wachtlijst: list[Wachtende]
    gemiddelde_dagen_tot_plaatsing: int | None
    maximale_dagen_tot_plaatsing: int | None


def capaciteit(
    gemeentecode: str, jaar: int, vandaag: date, taakstelling: int | None, personen: dict[str, tuple[str, list[Feit]]]
) -> Capaciteit:
    """`personen`: per person (BSN, all their facts), for everyone a fact names the municipality."""
    gerealiseerd, wachtlijst, doorlooptijden = 0, [], []
    for bsn, feiten in personen.values():
        geheel = vouw(feiten)
        if geheel.gemeentecode != gemeentecode:
            continue  # moved away: the new municipality counts them
        gerealiseerd += geheel.geplaatst_in(jaar)
        nu = vouw(feiten, vandaag)
        if nu.wachtlijst_sinds:
            wachtlijst.append(Wachtende(bsn, nu.wachtlijst_sinds, (vandaag - nu.wachtlijst_sinds).days))
        doorlooptijden += [
            (geplaatst - sinds).days for sinds, geplaatst in geheel.plaatsingen if geplaatst.year == jaar
        ]
    return Capaciteit(
        gemeentecode,
        jaar,
        taakstelling,
        gerealiseerd,
        sorted(wachtlijst, key=lambda w: w.sinds),
        round(mean(doorlooptijden)) if doorlooptijden else None,
        max(doorlooptijden, default=None),
    )

"""The programme's figures (Simpel Switchen) as every service publishes them: aggregates only, and
small groups withheld so that no one can be singled out (AVG art. 89: statistics with safeguards).

The rules, the same in every service:
- a figure that rests on fewer than `DREMPEL` persons is withheld (`minder-dan-drempel`); a share is
  also withheld when its part or its rest is a group of 1 to `DREMPEL - 1` persons (`kleine-groep`),
  since the share and its base would reveal that group;
- the period is a whole calendar month, quarter or year that has ended (`Periode.afgesloten`): two
  periods a day apart, or one period asked on two days, would differ by the few persons of that day;
- every number of persons is rounded to a multiple of `AFRONDING` (as CBS rounds its tailored
  tables), and a share is taken of the rounded numbers: a year less its quarters, or the country
  less its municipalities, then leaves a withheld group's size uncertain by more than the group."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from schakel.errors import Refused

DREMPEL = 10
AFRONDING = 5


@dataclass(frozen=True, slots=True)
class Cijfer:
    naam: str
    waarde: float | None  # a share (0..1) or a number of days; None when withheld or undefined
    aantal: int | None  # the persons (or months) it rests on; None when withheld
    reden: str | None = None  # why waarde is None


@dataclass(frozen=True, slots=True)
class Periode:
    """The period asked about, both ends included."""

    van: date
    tot: date

    def __post_init__(self) -> None:
        if self.tot < self.van:
            raise Refused("De periode eindigt vóór ze begint.", code="periode-ongeldig", field="tot")

    @classmethod
    def afgesloten(cls, van: date, tot: date, vandaag: date) -> Periode:
        """The period a reader may ask figures over: a calendar month, quarter or year, ended before
        `vandaag`."""
        periode = cls(van, tot)
        maanden = (tot.year - van.year) * 12 + tot.month - van.month + 1  # that tot touches
        if van.day != 1 or maanden in (3, 12) and (van.month - 1) % maanden:
            raise Refused(_VAST, code="periode-ongeldig", field="van")
        if maanden not in (1, 3, 12) or tot != _laatste_dag(van, maanden):
            raise Refused(_VAST, code="periode-ongeldig", field="tot")
        if tot >= vandaag:
            raise Refused(
                "De periode is nog niet voorbij: cijfers over een lopende periode verschillen van dag tot dag "
                "met de personen van die dag.",
                code="periode-lopend",
                field="tot",
            )
        return periode

    def bevat(self, d: date | None) -> bool:
        return d is not None and self.van <= d <= self.tot


_VAST = (
    "Een periode is een hele kalendermaand, een heel kwartaal of een heel kalenderjaar: van op de eerste "
    "dag ervan, tot op de laatste."
)


def _laatste_dag(van: date, maanden: int) -> date:
    jaar, maand = divmod(van.month - 1 + maanden, 12)
    return date(van.year + jaar, maand + 1, 1) - timedelta(days=1)


def afgerond(n: int) -> int:
    """To the nearest multiple of `AFRONDING` (a half upwards)."""
    return (n + AFRONDING // 2) // AFRONDING * AFRONDING


def _klein(n: int) -> bool:
    return 0 < n < DREMPEL


def aandeel(naam: str, deel: int, geheel: int) -> Cijfer:
    """`deel` of `geheel` as a share of the rounded numbers, to three decimals: a share of the exact
    ones would give them away (5/12 is the only fraction near 0,417 with a base that rounds to 10)."""
    if geheel < DREMPEL:
        return Cijfer(naam, None, None, "minder-dan-drempel")
    if _klein(deel) or _klein(geheel - deel):
        return Cijfer(naam, None, afgerond(geheel), "kleine-groep")
    return Cijfer(naam, round(afgerond(deel) / afgerond(geheel), 3), afgerond(geheel))


def kwantiel(naam: str, waarden: list[int], p: float) -> Cijfer:
    """The p-quantile (nearest rank) of the values, e.g. days; withheld under the threshold."""
    if len(waarden) < DREMPEL:
        return Cijfer(naam, None, None, "minder-dan-drempel")
    rang = max(math.ceil(p * len(waarden)), 1)
    return Cijfer(naam, float(sorted(waarden)[rang - 1]), afgerond(len(waarden)))


def aantal(naam: str, n: int) -> Cijfer:
    """A plain count (e.g. places): shown when 0 or at least the threshold."""
    if _klein(n):
        return Cijfer(naam, None, None, "minder-dan-drempel")
    return Cijfer(naam, float(afgerond(n)), afgerond(n))

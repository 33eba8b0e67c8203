"""The programme's figures (Simpel Switchen) as every service publishes them: aggregates only, and
small groups withheld so that no one can be singled out (AVG art. 89: statistics with safeguards).

The rule, the same in every service: a figure that rests on fewer than `DREMPEL` persons is withheld
(`minder-dan-drempel`); a share is also withheld when its part or its rest is a group of 1 to
`DREMPEL - 1` persons (`kleine-groep`), since the share and its base would reveal that group."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from schakel.errors import Refused

DREMPEL = 10


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

    def bevat(self, d: date | None) -> bool:
        return d is not None and self.van <= d <= self.tot


def _klein(n: int) -> bool:
    return 0 < n < DREMPEL


def aandeel(naam: str, deel: int, geheel: int) -> Cijfer:
    """`deel` of `geheel` as a share, rounded to three decimals."""
    if geheel < DREMPEL:
        return Cijfer(naam, None, None, "minder-dan-drempel")
    if _klein(deel) or _klein(geheel - deel):
        return Cijfer(naam, None, geheel, "kleine-groep")
    return Cijfer(naam, round(deel / geheel, 3), geheel)


def kwantiel(naam: str, waarden: list[int], p: float) -> Cijfer:
    """The p-quantile (nearest rank) of the values, e.g. days; withheld under the threshold."""
    if len(waarden) < DREMPEL:
        return Cijfer(naam, None, None, "minder-dan-drempel")
    rang = max(math.ceil(p * len(waarden)), 1)
    return Cijfer(naam, float(sorted(waarden)[rang - 1]), len(waarden))


def aantal(naam: str, n: int) -> Cijfer:
    """A plain count (e.g. places): shown when 0 or at least the threshold."""
    if _klein(n):
        return Cijfer(naam, None, None, "minder-dan-drempel")
    return Cijfer(naam, float(n), n)

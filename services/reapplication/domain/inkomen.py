"""Whether the job ended, from the polis: income knows each person's monthly income with its
contributions per employment relationship, and reapplication asks it when someone re-applies; a
re-application is only simple when the latest month shows no income from work, or every
relationship with income in it ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schakel.primitives import Maand
from schakel.primitives.periode import plus_maanden

# the months of polis asked: a job with no polis income in the last year has ended in any case, and
# asking no further back is all the question needs (data minimisation)
POLIS_MAANDEN = 12


@dataclass(frozen=True, slots=True)
class Bijdrage:
    netto: int  # this relationship's net income in the month, in cents
    beeindigd: bool  # the employer reported the end of the relationship


@dataclass(frozen=True, slots=True)
class LaatsteInkomen:
    maand: str  # YYYY-MM
    netto: int
    relaties_beeindigd: bool


def maandinkomen(maand: str, netto: int, bijdragen: list[Bijdrage]) -> LaatsteInkomen:
    """A month's income, and whether every relationship that paid in it ended."""
    betaald = [b for b in bijdragen if b.netto]
    return LaatsteInkomen(maand, netto, bool(betaald) and all(b.beeindigd for b in betaald))


def polisperiode(vandaag: date) -> tuple[Maand, Maand]:
    """The months asked of income: the last POLIS_MAANDEN up to this one."""
    return Maand.van(plus_maanden(vandaag, -(POLIS_MAANDEN - 1))), Maand.van(vandaag)


def laatste(maanden: list[LaatsteInkomen]) -> LaatsteInkomen | None:
    """Only the latest month with polis data counts."""
    return max(maanden, key=lambda m: m.maand, default=None)


def baan_beeindigd(inkomen: LaatsteInkomen | None) -> bool:
    """No polis income known, none in the latest month, or every relationship ended."""
    return inkomen is None or inkomen.netto == 0 or inkomen.relaties_beeindigd

"""Whether the job ended, from the polis: the income service announces each person's monthly
income with its contributions per employment relationship; a re-application is only simple when
the latest month shows no income from work, or every relationship with income in it ended."""

from __future__ import annotations

from dataclasses import dataclass

from schakel.primitives.volgorde import is_newer


@dataclass(frozen=True, slots=True)
class Bijdrage:
    netto: int  # this relationship's net income in the month, in cents
    beeindigd: bool  # the employer reported the end of the relationship


@dataclass(frozen=True, slots=True)
class LaatsteInkomen:
    maand: str  # YYYY-MM
    netto: int
    relaties_beeindigd: bool
    volgnummer: int | None = None  # the sequence of the income event it came from


def maandinkomen(maand: str, netto: int, bijdragen: list[Bijdrage], volgnummer: int | None = None) -> LaatsteInkomen:
    """A month's income, and whether every relationship that paid in it ended."""
    betaald = [b for b in bijdragen if b.netto]
    return LaatsteInkomen(maand, netto, bool(betaald) and all(b.beeindigd for b in betaald), volgnummer)


def vervangt(nieuw: LaatsteInkomen, bestaand: LaatsteInkomen | None) -> bool:
    """Only the latest month counts: an event for an earlier month (a correction, or one that
    arrived out of order) leaves the later one be; for the same month the later event counts."""
    return (
        bestaand is None
        or nieuw.maand > bestaand.maand
        or (nieuw.maand == bestaand.maand and not ouder(nieuw, bestaand))
    )


def ouder(nieuw: LaatsteInkomen, bestaand: LaatsteInkomen) -> bool:
    """The same month from an earlier event than the one kept: late, or replayed from the dead-letter topic."""
    return nieuw.maand == bestaand.maand and not is_newer(nieuw.volgnummer, bestaand.volgnummer)


def baan_beeindigd(inkomen: LaatsteInkomen | None) -> bool:
    """No polis income known, none in the latest month, or every relationship ended."""
    return inkomen is None or inkomen.netto == 0 or inkomen.relaties_beeindigd

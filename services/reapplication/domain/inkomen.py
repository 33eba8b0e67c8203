"""Whether the job ended, from the polis: the income service announces each person's monthly
income with its contributions per employment relationship; a re-application is only simple when
the latest month shows no income from work, or every relationship with income in it ended."""

from __future__ import annotations

from dataclasses import dataclass


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


def vervangt(nieuw: LaatsteInkomen, bestaand: LaatsteInkomen | None) -> bool:
    """Only the latest month counts: an event for an earlier month (a correction, or one that
    arrived out of order) leaves the later one be."""
    return bestaand is None or nieuw.maand >= bestaand.maand


def baan_beeindigd(inkomen: LaatsteInkomen | None) -> bool:
    """No polis income known, none in the latest month, or every relationship ended."""
    return inkomen is None or inkomen.netto == 0 or inkomen.relaties_beeindigd

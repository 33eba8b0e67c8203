"""Whether the job ended, from the polis: income knows each person's monthly income and its
employment relationships, and reapplication asks it for the latest month when someone re-applies; a
re-application is only simple when that month shows no income, or every relationship with income in
it ended, and it is a month in which the job that ended the benefit shows (`na_einde`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from schakel.primitives import Maand


@dataclass(frozen=True, slots=True)
class LaatsteInkomen:
    maand: str  # YYYY-MM
    netto: int  # in cents
    relaties_beeindigd: bool  # every relationship that paid in the month reported its end


@dataclass(frozen=True, slots=True)
class Polis:
    """What income showed the asking municipality of the person."""

    bekend: bool  # income sees the person for this municipality (its case or window reached income)
    laatste: LaatsteInkomen | None = None  # the latest month with polis data, if any


ONBEKEND = Polis(False)


def baan_beeindigd(inkomen: LaatsteInkomen | None) -> bool:
    """No polis income known, none in the latest month, or every relationship ended."""
    return inkomen is None or inkomen.netto == 0 or inkomen.relaties_beeindigd


def na_einde(inkomen: LaatsteInkomen | None, einddatum: date) -> bool:
    """Whether the latest month can show that the job which ended the benefit (on `einddatum`) ended:
    the benefit stopped because that job's income began, by the day after the end at the latest, so
    the month holding that day or a later one carries its wage. A month before it shows the time
    before the job (its zero proves nothing), and no month shows nothing at all."""
    return inkomen is not None and Maand.parse(inkomen.maand) >= Maand.van(einddatum + timedelta(days=1))

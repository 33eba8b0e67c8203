"""The decision term: a municipality decides on an application within eight weeks of the melding
(Awb 4:13 lid 2, no term set by the Participatiewet); a re-application waiting for review shows
how many days are left, negative once the term has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

BESLISTERMIJN = timedelta(weeks=8)


@dataclass(frozen=True, slots=True)
class Beslistermijn:
    tot: date
    verstreken: bool  # still waiting for a decision after the last day
    dagen_over: int


def beslistermijn(meldingsdatum: date, status: str, vandaag: date) -> Beslistermijn:
    tot = meldingsdatum + BESLISTERMIJN
    return Beslistermijn(tot, status == "beoordelen" and vandaag > tot, (tot - vandaag).days)

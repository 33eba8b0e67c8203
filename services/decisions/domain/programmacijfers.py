"""The programme's figures of this service (Simpel Switchen): falling back into bijstand after
leaving it for work, and the share of months settled on time. Aggregates only, small groups withheld
(schakel.primitives.cijfers).

- Falling back: when a case ends because the person found work (`Reden.werk`), a pseudonymous
  outflow record (month of leaving and municipality, no BSN) is kept; a case opened for the same
  person later records after how many months they returned. Of those who left for work in the
  period, the share back in bijstand within 12 and within 36 months, once the 12 (36) months of
  every month of leaving in it have passed: a younger cohort could still return, so counting it
  would flatter the figure. A return in the 12th month after leaving still counts.
- On time: of the months first settled in the period, the share settled within the municipality's
  own target (domain.kalender.tijdigheid, the same rule as `GET /tijdigheid`)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from decisions.domain.kalender import Tijdigheid
from schakel.primitives import Maand
from schakel.primitives.cijfers import Cijfer, aandeel, aantal

TERMIJNEN = (12, 36)  # the letters measure falling back within one and three years
# figures resting on the same persons: withheld together beside the country (cijfers.aanvullend)
GROEPEN = (("uitgestroomdNaarWerk", "terugInBijstandBinnen12Maanden", "terugInBijstandBinnen36Maanden"),)
BEWAREN_MAANDEN = max(TERMIJNEN)  # an outflow record is needed no longer than its longest window


def meetbaar_tot(deze_maand: Maand, termijn: int) -> Maand:
    """The last month of leaving whose `termijn` months after it have all passed by this month."""
    return deze_maand.verschoven(-termijn - 1)


@dataclass(frozen=True, slots=True)
class Uitstroomtelling:
    """Of the persons who left for work: how many, and per window how many are countable (their window
    passed) and how many of those returned within it."""

    uitgestroomd: int = 0
    meetbaar_12: int = 0
    terug_12: int = 0
    meetbaar_36: int = 0
    terug_36: int = 0

    def __add__(self, other: Uitstroomtelling) -> Uitstroomtelling:
        return Uitstroomtelling(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def _terugval(naam: str, terug: int, meetbaar: int, uitgestroomd: int) -> Cijfer:
    # only once everyone who left in the period counts: a share that grew month by month as cohorts
    # became countable would give each month's few by difference
    if meetbaar < uitgestroomd:
        return Cijfer(naam, None, None, "nog-niet-meetbaar")
    return aandeel(naam, terug, meetbaar)


def cijfers(uitstroom: Uitstroomtelling, tijdig: Tijdigheid) -> list[Cijfer]:
    u = uitstroom
    return [
        aantal("uitgestroomdNaarWerk", u.uitgestroomd),
        _terugval("terugInBijstandBinnen12Maanden", u.terug_12, u.meetbaar_12, u.uitgestroomd),
        _terugval("terugInBijstandBinnen36Maanden", u.terug_36, u.meetbaar_36, u.uitgestroomd),
        aandeel("maandenTijdigVerrekend", tijdig.binnen_doel, tijdig.verrekend),
    ]

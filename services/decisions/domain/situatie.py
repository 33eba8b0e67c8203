"""A case's household situation from a date on (changes get a new situation with its own date)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from decisions.domain.fouten import Geweigerd


class Huishouden(str, enum.Enum):
    alleenstaand = "alleenstaand"
    alleenstaande_ouder = "alleenstaande-ouder"
    gehuwd = "gehuwd"  # married or cohabiting


class Regime(str, enum.Enum):
    per_datum = "per-datum"  # the law valid in the month (Participatiewet in balans from 2027)
    in_balans = "in-balans"  # the municipality opted in to the 2027 vrijlating from 2026 on


class Betaalmodel(str, enum.Enum):
    voorschot = "voorschot"  # advance, settled when the income is known
    stabiel_inkomen = "stabiel-inkomen"  # Surplus: a stable amount via an intermediate account


@dataclass(frozen=True, slots=True)
class Situatie:
    ingangsdatum: date
    huishouden: Huishouden
    partner_geboortedatum: date | None = None
    jongste_kind_geboortedatum: date | None = None
    kostendelers: int = 0  # housemates aged 27+ who share the costs (art. 22a)
    medisch_urenbeperkt: bool = False  # vrijlating ground y
    loonkostensubsidie: bool = False  # works with wage cost subsidy: grounds z, aa
    meer_uren_niet_mogelijk: bool = False  # the municipality found more hours impossible: ground aa
    regime: Regime = Regime.per_datum
    betaalmodel: Betaalmodel = Betaalmodel.voorschot


def controleer(s: Situatie) -> None:
    """The situation must be complete for its household kind."""
    if s.huishouden is Huishouden.gehuwd and s.partner_geboortedatum is None:
        raise Geweigerd(
            "partner-ontbreekt",
            "partnerGeboortedatum",
            "bij gehuwd of samenwonend hoort de geboortedatum van de partner",
        )
    if s.huishouden is not Huishouden.gehuwd and s.partner_geboortedatum is not None:
        raise Geweigerd("partner-onverwacht", "partnerGeboortedatum", "alleen bij gehuwd of samenwonend")
    if s.huishouden is Huishouden.alleenstaande_ouder and s.jongste_kind_geboortedatum is None:
        raise Geweigerd(
            "kind-ontbreekt",
            "jongsteKindGeboortedatum",
            "bij een alleenstaande ouder hoort de geboortedatum van het jongste kind",
        )
    if s.meer_uren_niet_mogelijk and not s.loonkostensubsidie:
        raise Geweigerd(
            "geen-loonkostensubsidie", "meerUrenNietMogelijk", "geldt alleen bij werk met loonkostensubsidie"
        )


def geldend(situaties: list[Situatie], dag: date) -> Situatie:
    """The situation in force on `dag` (the first one covers the days before it too)."""
    valid = [s for s in sorted(situaties, key=lambda s: s.ingangsdatum) if s.ingangsdatum <= dag]
    return valid[-1] if valid else min(situaties, key=lambda s: s.ingangsdatum)

"""What a re-application within the window reuses (art. 43a Participatiewet): the birth date, the
household situation on the day the benefit ended and the vrijlating clock. Its contract form
(the `uitkering.beeindigd` event, the store, the API) is mapped in service/hergebruik.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Situatie:
    huishouden: str  # alleenstaand, alleenstaande-ouder, gehuwd
    partner_geboortedatum: date | None
    jongste_kind_geboortedatum: date | None
    kostendelers: int
    medisch_urenbeperkt: bool
    loonkostensubsidie: bool
    meer_uren_niet_mogelijk: bool
    vrijlatingsregime: str
    betaalmodel: str


@dataclass(frozen=True, slots=True)
class Klokstand:
    grond: str
    maanden_gebruikt: int


@dataclass(frozen=True, slots=True)
class Hergebruik:
    geboortedatum: date
    situatie: Situatie
    vrijlatingsklok: tuple[Klokstand, ...] = ()

    def geboortedata(self) -> list[date]:
        """The applicant's, and for a married couple the partner's too."""
        partner = self.situatie.partner_geboortedatum
        return [self.geboortedatum] + ([partner] if self.situatie.huishouden == "gehuwd" and partner else [])

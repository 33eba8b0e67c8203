"""What a re-application within the window reuses (art. 43a Participatiewet): the birth date, the
household situation on the day the benefit ended and the vrijlating clock. Parsed once where it
comes in (the `uitkering.beeindigd` event) and written back in the same contract form, for the
stored window, the approval event and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


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


def _datum(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def situatie_van(d: dict[str, Any]) -> Situatie:
    return Situatie(
        d["huishouden"],
        _datum(d["partnerGeboortedatum"]),
        _datum(d["jongsteKindGeboortedatum"]),
        d["kostendelers"],
        d["medischUrenbeperkt"],
        d["loonkostensubsidie"],
        d["meerUrenNietMogelijk"],
        d["vrijlatingsregime"],
        d["betaalmodel"],
    )


def situatie_json(s: Situatie) -> dict[str, Any]:
    return {
        "huishouden": s.huishouden,
        "partnerGeboortedatum": _iso(s.partner_geboortedatum),
        "jongsteKindGeboortedatum": _iso(s.jongste_kind_geboortedatum),
        "kostendelers": s.kostendelers,
        "medischUrenbeperkt": s.medisch_urenbeperkt,
        "loonkostensubsidie": s.loonkostensubsidie,
        "meerUrenNietMogelijk": s.meer_uren_niet_mogelijk,
        "vrijlatingsregime": s.vrijlatingsregime,
        "betaalmodel": s.betaalmodel,
    }


def van_json(d: dict[str, Any] | None) -> Hergebruik | None:
    """From the contract form (`hergebruik` of `uitkering.beeindigd`), as also stored."""
    if not d:
        return None
    return Hergebruik(
        date.fromisoformat(d["geboortedatum"]),
        situatie_van(d["situatie"]),
        tuple(Klokstand(k["grond"], k["maandenGebruikt"]) for k in d["vrijlatingsklok"]),
    )


def als_json(h: Hergebruik | None) -> dict[str, Any] | None:
    if h is None:
        return None
    return {
        "geboortedatum": h.geboortedatum.isoformat(),
        "situatie": situatie_json(h.situatie),
        "vrijlatingsklok": [{"grond": k.grond, "maandenGebruikt": k.maanden_gebruikt} for k in h.vrijlatingsklok],
    }

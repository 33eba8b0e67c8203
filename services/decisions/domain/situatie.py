"""A case's household situation from a date on (changes get a new situation with its own date)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, timedelta

from decisions.domain.fouten import Geweigerd
from schakel.primitives import Maand, verrekend_vanaf


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
class Partner:
    """The spouse or cohabitant (Participatiewet art. 3, 4): their income counts for the household, and
    they have their own vrijlating grounds. `bsn` is None only for a situation recorded before Schakel
    asked for it: that partner's income is unknown, so their months wait for a caseworker."""

    bsn: str | None
    geboortedatum: date
    medisch_urenbeperkt: bool = False
    loonkostensubsidie: bool = False
    meer_uren_niet_mogelijk: bool = False


@dataclass(frozen=True, slots=True)
class Situatie:
    ingangsdatum: date
    huishouden: Huishouden
    partner: Partner | None = None
    jongste_kind_geboortedatum: date | None = None
    kostendelers: int = 0  # housemates aged 27+ who share the costs (art. 22a)
    medisch_urenbeperkt: bool = False  # vrijlating ground y
    loonkostensubsidie: bool = False  # works with wage cost subsidy: grounds z, aa
    meer_uren_niet_mogelijk: bool = False  # the municipality found more hours impossible: ground aa
    regime: Regime = Regime.per_datum
    betaalmodel: Betaalmodel = Betaalmodel.voorschot
    # cents a month: the law's norm of a household with someone of 18 to 20 and a partner or child (art. 20),
    # which Schakel has no table for, as the caseworker recorded it from the normenbrief of the situation's
    # date; used in the months the rules have no norm for, under that normenbrief
    jongerennorm: int | None = None

    @property
    def partner_geboortedatum(self) -> date | None:
        return None if self.partner is None else self.partner.geboortedatum

    def voor_partner(self) -> Situatie:
        """The situation as the partner's vrijlating sees it: the partner's own grounds."""
        p = self.partner
        assert p is not None
        return replace(
            self,
            medisch_urenbeperkt=p.medisch_urenbeperkt,
            loonkostensubsidie=p.loonkostensubsidie,
            meer_uren_niet_mogelijk=p.meer_uren_niet_mogelijk,
        )


def controleer(s: Situatie, aanvrager_bsn: str | None = None, aanvrager_geboortedatum: date | None = None) -> None:
    """The situation must be complete for its household kind, and its people born in order: the
    partner and the youngest child by its ingangsdatum, the child after the applicant or (a couple's
    child may be the partner's) after the partner."""
    if s.partner is not None and s.partner.geboortedatum >= s.ingangsdatum:
        raise Geweigerd(
            "geboortedatum-na-ingangsdatum", "partner.geboortedatum", "de partner is vóór de ingangsdatum geboren"
        )
    kind = s.jongste_kind_geboortedatum
    ouders = [d for d in (aanvrager_geboortedatum, s.partner_geboortedatum) if d is not None]
    if kind is not None and (kind > s.ingangsdatum or (ouders and kind <= min(ouders))):
        raise Geweigerd(
            "geboortedatum-kind",
            "jongsteKindGeboortedatum",
            "het jongste kind is na de aanvrager of de partner geboren, en uiterlijk op de ingangsdatum",
        )
    if s.huishouden is Huishouden.gehuwd and s.partner is None:
        raise Geweigerd(
            "partner-ontbreekt",
            "partner",
            "bij gehuwd of samenwonend hoort de partner (BSN en geboortedatum): het inkomen van beiden telt",
        )
    if s.huishouden is not Huishouden.gehuwd and s.partner is not None:
        raise Geweigerd("partner-onverwacht", "partner", "alleen bij gehuwd of samenwonend")
    if s.partner is not None and aanvrager_bsn is not None and s.partner.bsn == aanvrager_bsn:
        raise Geweigerd("partner-is-aanvrager", "partner.bsn", "de partner is een ander dan de aanvrager")
    if s.partner is not None and s.partner.meer_uren_niet_mogelijk and not s.partner.loonkostensubsidie:
        raise Geweigerd(
            "geen-loonkostensubsidie", "partner.meerUrenNietMogelijk", "geldt alleen bij werk met loonkostensubsidie"
        )
    if s.huishouden is Huishouden.alleenstaande_ouder and s.jongste_kind_geboortedatum is None:
        raise Geweigerd(
            "kind-ontbreekt",
            "jongsteKindGeboortedatum",
            "bij een alleenstaande ouder hoort de geboortedatum van het jongste kind",
        )
    if s.jongerennorm is not None and s.huishouden is Huishouden.alleenstaand:
        raise Geweigerd(
            "jongerennorm-niet-van-toepassing",
            "jongerennorm",
            "alleen bij een jongere met partner of kind: voor een alleenstaande geldt de norm uit de wet",
        )
    if s.meer_uren_niet_mogelijk and not s.loonkostensubsidie:
        raise Geweigerd(
            "geen-loonkostensubsidie", "meerUrenNietMogelijk", "geldt alleen bij werk met loonkostensubsidie"
        )


def geldend(situaties: list[Situatie], dag: date) -> Situatie:
    """The situation in force on `dag` (the first one covers the days before it too)."""
    valid = [s for s in sorted(situaties, key=lambda s: s.ingangsdatum) if s.ingangsdatum <= dag]
    return valid[-1] if valid else min(situaties, key=lambda s: s.ingangsdatum)


def huishoudperioden(
    bsn: str, startdatum: date, einddatum: date | None, situaties: list[Situatie]
) -> list[tuple[str, date, date | None]]:
    """Whom a case pays for (by BSN), and on which days: its applicant from its start to its end; each
    partner for the whole months settled with them. A month settles with the household of its first day
    (or of the case's start), so a partner who joined or left within a month is paid for, that month,
    in the household they belonged to on its first day."""
    perioden = [(bsn, startdatum, einddatum)]
    for partner, van, tot in partnerperioden(situaties, einddatum):
        eerste = verrekend_vanaf(van, startdatum)
        laatste = None if tot is None else min(Maand.van(tot).laatste_dag, einddatum or date.max)
        if laatste is None or eerste <= laatste:
            perioden.append((partner, eerste, laatste))
    return perioden


def overlappen(*perioden: tuple[date, date | None]) -> bool:
    """Whether periods (from, until; None: open) share a day: the latest start is not after the earliest end."""
    einden = [tot for _, tot in perioden if tot is not None]
    return not einden or max(van for van, _ in perioden) <= min(einden)


def partnerperioden(situaties: list[Situatie], einddatum: date | None) -> list[tuple[str, date, date | None]]:
    """Each partner (by BSN) with the days they belong to the household: from the situation that names
    them until the day before one that does not (or the case's end); consecutive situations with the
    same partner make one period."""
    perioden: list[tuple[str, date, date | None]] = []
    for s in sorted(situaties, key=lambda s: s.ingangsdatum):
        if perioden and perioden[-1][2] is None:
            bsn, vanaf, _ = perioden[-1]
            if s.partner is not None and s.partner.bsn == bsn:
                continue
            perioden[-1] = (bsn, vanaf, s.ingangsdatum - timedelta(days=1))
        if s.partner is not None and s.partner.bsn is not None:
            perioden.append((s.partner.bsn, s.ingangsdatum, None))
    if einddatum is not None:
        perioden = [(b, v, einddatum if t is None or t > einddatum else t) for b, v, t in perioden if v <= einddatum]
    return perioden

"""What a re-application within the window reuses (art. 43a Participatiewet): the birth date, the
household situation on the day the benefit ended and the vrijlating clock. Its contract form
(the `uitkering.beeindigd` event, the store, the API) is mapped in service/hergebruik.py.

The vrijlating clock is the person's, not the benefit's. Participatiewet art. 31 lid 2 onder n
exempts part "van de inkomsten uit arbeid" for at most six months, onder r for at most 30 months
and onder z for 12 months: the limit is on the months of the exemption for that person's income
from work, and the article names no benefit or benefit period after which it restarts (where the
law wants a restart it says so: art. 34a, from 2027, restarts with each new employment). So the
months counted are the months in which a ground was applied, summed over the person's benefits;
a re-application within the window continues the clock of the benefit that ended and the approval
event (`heraanvraag.toegekend`) carries it to the reopened case. After a move, a first application
in the new municipality granted within the window carries that window's clock, and nothing else of
it (termijn.klok_elders: the rest is the old municipality's, doelbinding). Schakel keeps the clock as long as
the window's data (art. 43a, 12 months by default); a first application after that starts at zero
in Schakel, and months the municipality knows from its own file must be entered there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reapplication.domain.fouten import HeraanvraagFout


@dataclass(frozen=True, slots=True)
class Partner:
    """The partner of a married or cohabiting household: their income counts too (art. 4, 11), with
    their own vrijlating grounds, so the reopened case needs who they are, not only their birth date."""

    bsn: str
    geboortedatum: date
    medisch_urenbeperkt: bool
    loonkostensubsidie: bool
    meer_uren_niet_mogelijk: bool


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
    partner: Partner | None = None  # None also for a window from before events 2.1.0
    jongerennorm: int | None = None  # the caseworker's (decisions' Situatie), carried to the reopened case
    jongerennorm_vanaf: date | None = None  # the date of the situation it was recorded in (its normenbrief)


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


def controleer_situatie(s: Situatie, startdatum: date, geboortedatum: date) -> None:
    """Refuses a situation to grant with that decisions would refuse to reopen the case with (its
    domain.situatie.controleer, on the situation the approval event carries, from `startdatum`, of the
    applicant born on `geboortedatum`), before the grant is made: the reopening would fail after it
    (`heropening.geweigerd`). Its BSN rules are decisions' own (a partner named here has none)."""
    partner = s.partner.geboortedatum if s.partner is not None else s.partner_geboortedatum
    if partner is not None and partner >= startdatum:
        reden = "de partner is vóór de startdatum geboren"
        raise HeraanvraagFout(reden, code="geboortedatum-na-ingangsdatum", field="situatie.partnerGeboortedatum")
    kind = s.jongste_kind_geboortedatum
    ouders = [d for d in (geboortedatum, partner) if d is not None]
    if kind is not None and (kind > startdatum or kind <= min(ouders)):
        reden = "het jongste kind is na de aanvrager of de partner geboren, en uiterlijk op de startdatum"
        raise HeraanvraagFout(reden, code="geboortedatum-kind", field="situatie.jongsteKindGeboortedatum")
    if s.huishouden == "gehuwd" and partner is None:
        reden = "bij gehuwd of samenwonend hoort de geboortedatum van de partner: het inkomen van beiden telt"
        raise HeraanvraagFout(reden, code="partner-ontbreekt", field="situatie.partnerGeboortedatum")
    if s.huishouden != "gehuwd" and partner is not None:
        reden = "een partner alleen bij gehuwd of samenwonend"
        raise HeraanvraagFout(reden, code="partner-onverwacht", field="situatie.partnerGeboortedatum")
    if s.partner is not None and s.partner.meer_uren_niet_mogelijk and not s.partner.loonkostensubsidie:
        reden = "geldt alleen bij werk met loonkostensubsidie"
        raise HeraanvraagFout(reden, code="geen-loonkostensubsidie", field="situatie.partner.meerUrenNietMogelijk")
    if s.huishouden == "alleenstaande-ouder" and s.jongste_kind_geboortedatum is None:
        reden = "bij een alleenstaande ouder hoort de geboortedatum van het jongste kind"
        raise HeraanvraagFout(reden, code="kind-ontbreekt", field="situatie.jongsteKindGeboortedatum")
    if s.jongerennorm is not None and s.huishouden == "alleenstaand":
        reden = "alleen bij een jongere met partner of kind: voor een alleenstaande geldt de norm uit de wet"
        raise HeraanvraagFout(reden, code="jongerennorm-niet-van-toepassing", field="situatie.jongerennorm")
    if s.meer_uren_niet_mogelijk and not s.loonkostensubsidie:
        reden = "geldt alleen bij werk met loonkostensubsidie"
        raise HeraanvraagFout(reden, code="geen-loonkostensubsidie", field="situatie.meerUrenNietMogelijk")

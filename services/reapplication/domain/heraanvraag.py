"""A re-application within the window (art. 43a Participatiewet): decided automatically when it is
simple, otherwise prepared for a caseworker with the concrete reasons.

Automatic approval needs: an open window in the same municipality, no relevant change, the polis
showing the job ended, a start date not before the melding, and no four-week search period
still running (domain.zoektermijn: first applications too, with the ages from the request when
there is no window; a caseworker's waiver with its reason; the early melding before a WW or a
temporary contract ends). A caseworker cannot grant while the search period runs, unless waiving it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from reapplication.domain import zoektermijn
from reapplication.domain.fouten import (
    AlBesloten,
    GeenHergebruik,
    HeraanvraagFout,
    HeraanvraagLoopt,
    MeldingTeVroeg,
    PartnerElders,
    UitkeringLoopt,
    ZoektermijnLoopt,
)
from reapplication.domain.hergebruik import Hergebruik, Klokstand, Partner, Situatie, controleer_situatie
from reapplication.domain.inkomen import LaatsteInkomen
from schakel.primitives import Maand, dagnaam, leeftijd, maandnaam, plus_maanden
from schakel.primitives.periode import dag_van
from schakel.primitives.vrijlatingsgronden import naam as vrijlatingsgrond

TERUGWERKEND_MAANDEN = 3  # a start before the melding: at most 3 months, with a caseworker's reason
# a melding is recorded when it is made, or soon after: one over a year back is a year typed wrong, which
# would top the worklist decades past its decision term and grant bijstand from then
MELDING_TERUG_MAANDEN = 12
MINIMUM_LEEFTIJD = 18  # Participatiewet art. 11 jo. 13: bijstand for adults; decisions refuses younger
WIJZIGINGEN = ("huishouden", "medebewoners", "adres", "vermogen", "inkomen")


@dataclass(frozen=True, slots=True)
class Aanvraag:
    meldingsdatum: date
    startdatum: date
    wijzigingen: tuple[str, ...]
    praktijkonderwijs_of_vso: bool = False  # in the past year
    geboortedatum: date | None = None  # a first application: the window has none
    partner_geboortedatum: date | None = None  # married or cohabiting: both under 27 for the search period
    medisch_urenbeperkt: bool = False
    einde_contract: date | None = None  # a temporary contract that ends: the melding may come 4 weeks early
    ontheffing: str | None = None  # the caseworker's reason for waiving the search period (from 2026)


@dataclass(frozen=True, slots=True)
class Context:
    """What Schakel knows about the person when the application comes in."""

    termijn_open: bool  # an open window in the asking municipality
    hergebruik: Hergebruik | None  # birth date and situation kept with the window
    baan_beeindigd: bool  # the polis shows no income in the latest month, or the relationships ended
    doelgroep_loonkostensubsidie: bool
    polis_bekend: bool = True  # income showed the asking municipality this person's polis
    partner_elders: bool = False  # the BRP registers the reused household's partner elsewhere (or not at all)
    polis_na_einde: bool = True  # the latest polis month lies after the window's benefit ended (inkomen.na_einde)


@dataclass(frozen=True, slots=True)
class Reden:
    code: str
    uitleg: str


def _geboortedata(a: Aanvraag, c: Context) -> list[date]:
    """The ages that count: the request's (a first application) or else those kept with the window."""
    if a.geboortedatum:
        return [a.geboortedatum] + ([a.partner_geboortedatum] if a.partner_geboortedatum else [])
    return c.hergebruik.geboortedata() if c.hergebruik else []


def zoektermijn_tot(a: Aanvraag, c: Context) -> date | None:
    """The earliest day the application may be handled, when the search period applies and is not waived."""
    situatie = c.hergebruik.situatie if c.hergebruik else None
    vrijgesteld = (
        a.praktijkonderwijs_of_vso
        or a.medisch_urenbeperkt
        or (situatie is not None and (situatie.medisch_urenbeperkt or situatie.loonkostensubsidie))
        or c.doelgroep_loonkostensubsidie
    )
    if a.ontheffing or not zoektermijn.geldt(a.meldingsdatum, _geboortedata(a, c), vrijgesteld):
        return None
    return zoektermijn.tot(a.meldingsdatum)


def vroegste_bij_besluit(
    h: Heraanvraag, eerder: Hergebruik | None, situatie: Situatie | None, doelgroep_loonkostensubsidie: bool
) -> date:
    """The earliest day a caseworker may grant `h`: the search period by the household the grant carries
    (the reused one as corrected since the application, `eerder` being the application's copy; the
    caseworker's `situatie` in its place, where given; for a first application theirs with the request's
    birth date, as `besluit` grants it): its ages (under 27 at the melding, both of a married couple) and
    its exemptions. Not by the ages the request gave (a handover's, or a re-application's that repeated
    them), which the grant does not carry. As the application had it where that household changes nothing."""
    if (gedragen := _gedragen(h, situatie)) is None:
        return h.vroegste_behandeldatum
    zonder_leeftijden = replace(h.aanvraag, geboortedatum=None, partner_geboortedatum=None)
    tot = zoektermijn_tot(zonder_leeftijden, Context(True, gedragen, False, doelgroep_loonkostensubsidie))
    if tot == zoektermijn_tot(h.aanvraag, Context(True, eerder, False, doelgroep_loonkostensubsidie)):
        return h.vroegste_behandeldatum
    return tot or h.aanvraag.meldingsdatum


def controleer(a: Aanvraag, vandaag: date) -> None:
    """The request's dates in order: a melding made (not ahead, at most a year back), a start from at most 3 months before
    it to the day after its last 4 weeks (an early melding before the WW or a contract ends), an adult
    applicant born before it and a partner too."""
    if a.meldingsdatum > vandaag:
        raise HeraanvraagFout("de melding ligt niet na vandaag", code="melding-in-de-toekomst", field="meldingsdatum")
    if a.meldingsdatum < plus_maanden(vandaag, -MELDING_TERUG_MAANDEN):
        raise HeraanvraagFout("de melding ligt hooguit 12 maanden terug", code="melding-te-oud", field="meldingsdatum")
    if a.startdatum < plus_maanden(a.meldingsdatum, -TERUGWERKEND_MAANDEN):
        raise HeraanvraagFout(
            "bijstand gaat hooguit 3 maanden vóór de melding in", code="startdatum-te-vroeg", field="startdatum"
        )
    if a.einde_contract and zoektermijn.melding_te_vroeg(a.meldingsdatum, a.einde_contract):
        raise MeldingTeVroeg(
            "de melding kan hooguit 4 weken vóór het einde van het tijdelijke contract", field="meldingsdatum"
        )
    if a.startdatum > a.meldingsdatum + zoektermijn.VROEGE_MELDING + timedelta(days=1):
        raise HeraanvraagFout(
            "bijstand gaat hooguit 4 weken na de melding in (een melding mag 4 weken vóór het einde van WW of "
            "contract)",
            code="startdatum-te-laat",
            field="startdatum",
        )
    if a.geboortedatum and leeftijd(a.geboortedatum, a.startdatum) < MINIMUM_LEEFTIJD:
        raise HeraanvraagFout("bijstand gaat pas in vanaf de 18e verjaardag", code="te-jong", field="geboortedatum")
    if a.partner_geboortedatum and a.partner_geboortedatum >= a.meldingsdatum:
        raise HeraanvraagFout(
            "de partner is vóór de melding geboren", code="geboortedatum-na-melding", field="partnerGeboortedatum"
        )
    unknown = set(a.wijzigingen) - set(WIJZIGINGEN)
    if unknown:
        raise HeraanvraagFout("onbekende soort wijziging", code="onbekende-wijziging", field="wijzigingen")
    _ontheffing_kan(a.meldingsdatum, a.ontheffing)


def _ontheffing_kan(melding: date, ontheffing: str | None) -> None:
    if ontheffing and not zoektermijn.ontheffing_mogelijk(melding):
        raise HeraanvraagFout(
            "de zoektermijn kan pas voor een melding vanaf 2026 per geval vervallen",
            code="ontheffing-niet-mogelijk",
            field="zoektermijnOntheffing",
        )


def na_ww(ww_einddatum: date, melding: date, basis: Aanvraag) -> Aanvraag:
    """An application from a Max-WW handover: bijstand from the day after the WW ends; the melding may
    come up to 4 weeks before that, so an under-27's search period can end before the WW does.
    `basis` brings the rest of the request (ages, exemptions, a waiver)."""
    if zoektermijn.melding_te_vroeg(melding, ww_einddatum):
        raise MeldingTeVroeg("de melding kan hooguit 4 weken vóór het einde van de WW", field="meldingsdatum")
    return replace(basis, meldingsdatum=melding, startdatum=ww_einddatum + timedelta(days=1), wijzigingen=())


def redenen(a: Aanvraag, c: Context, vandaag: date) -> list[Reden]:
    """Why a caseworker must look; none means automatic approval."""
    result = []
    if not c.termijn_open:
        result.append(Reden("geen-open-termijn", "er is geen open heraanvraagtermijn in deze gemeente"))
    if a.wijzigingen:
        result.append(Reden("wijzigingen", "gewijzigd sinds de vorige uitkering: " + ", ".join(a.wijzigingen)))
    if c.termijn_open and not c.polis_bekend:
        # income does not (yet) see the window's person: never read as "no work" (without a window
        # the caseworker decides a first application anyway, and income shows them nothing)
        result.append(Reden("polis-onbekend", "de polis kon niet worden ingezien: beoordeel of het werk eindigde"))
    elif not c.baan_beeindigd:
        result.append(Reden("baan-niet-beeindigd", "de polis laat nog inkomen uit werk zien"))
    elif c.termijn_open and not c.polis_na_einde:
        result.append(
            Reden(
                "polis-voor-einde",
                "de polis toont nog geen maand na het einde van de vorige uitkering, dus niet of het werk waarvoor "
                "die stopte eindigde: beoordeel dat",
            )
        )
    if c.partner_elders:
        result.append(
            Reden(
                "partner-elders",
                "de partner van de vorige uitkering staat volgens de BRP niet in deze gemeente ingeschreven: stel "
                "de huidige situatie vast",
            )
        )
    if a.startdatum < a.meldingsdatum:
        result.append(
            Reden("startdatum-voor-melding", "een startdatum vóór de melding vraagt de reden van een consulent")
        )
    tot = zoektermijn_tot(a, c)
    if tot and vandaag < tot:
        result.append(Reden("zoektermijn", f"de zoektermijn van 4 weken loopt tot {tot.isoformat()}"))
    if not _geboortedata(a, c):
        result.append(Reden("leeftijd-onbekend", "geen geboortedatum bekend: beoordeel of de zoektermijn geldt"))
    return result


@dataclass(frozen=True, slots=True)
class Heraanvraag:
    """A re-application as kept: what was asked, what Schakel knew then, and the decision."""

    heraanvraag_id: str
    persoon: str  # the pseudonym: the key of the approval event
    bsn: str
    gemeentecode: str
    aanvraag: Aanvraag
    hergebruik: Hergebruik | None  # the prepared file
    recent_inkomen: LaatsteInkomen | None
    redenen: tuple[Reden, ...]
    vroegste_behandeldatum: date  # after the search period, if any
    ingediend_op: datetime
    status: str = "beoordelen"  # toegekend, beoordelen, afgewezen
    besloten_op: datetime | None = None
    besluit_reden: str | None = None
    uitkering_id: str | None = None  # the case decisions reopened, once it confirmed
    niet_geopend: Reden | None = None  # why decisions did not reopen a grant (`heropening.geweigerd`)

    @property
    def volgorde(self) -> tuple[date, datetime, str]:
        """Where it stands in the municipality's list: the earliest melding first."""
        return self.aanvraag.meldingsdatum, self.ingediend_op, self.heraanvraag_id

    @property
    def besloten_dag(self) -> date | None:
        """The Dutch day of the decision, as the melding's."""
        return dag_van(self.besloten_op) if self.besloten_op else None


@dataclass(frozen=True, slots=True)
class Uitkering:
    """A case of the person as decisions announced it (`uitkering.geopend`, `uitkering.beeindigd`)."""

    uitkering_id: str
    einddatum: date | None = None  # None while it runs
    volgnummer: int | None = None  # the sequence number of the last of its events applied
    geopend: tuple[str, date, date] | None = None  # (municipality, decided, start); None: from before 0014


def weiger_dubbel(
    eerdere: Iterable[Heraanvraag], uitkeringen: Sequence[Uitkering], ook_wachtend: bool, startdatum: date
) -> None:
    """Refuses an application (`ook_wachtend`) or a grant from `startdatum` while a case of the person
    pays that day or later (in any municipality: decisions would refuse the case, as it would pay
    days twice), or beside a grant of theirs in the municipality that is on its way: decisions has
    neither opened its case nor said it did not. A new application also waits for one that waits
    for a caseworker, who decides that one first."""
    if any(u.einddatum is None or u.einddatum >= startdatum for u in uitkeringen):
        raise UitkeringLoopt(
            "Voor deze persoon loopt een bijstandsuitkering tot op of na de startdatum: beëindig die eerst, of "
            "kies een latere startdatum."
        )
    for h in eerdere:
        onderweg = h.status == "toegekend" and h.uitkering_id is None and h.niet_geopend is None
        if onderweg or (ook_wachtend and h.status == "beoordelen"):
            verder = "de uitkering is nog niet geopend" if h.status == "toegekend" else "besluit daar eerst over"
            raise HeraanvraagLoopt(f"Voor deze persoon loopt al heraanvraag {h.heraanvraag_id}: {verder}.")


def beoordeel(
    heraanvraag_id: str,
    persoon: str,
    bsn: str,
    gemeentecode: str,
    a: Aanvraag,
    c: Context,
    recent: LaatsteInkomen | None,
    ingediend_op: datetime,
    vandaag: date,
    nu: datetime,
) -> Heraanvraag:
    """A new re-application: approved at once (`nu`) without reasons, with what was checked and reused
    as the decision's reason, else waiting for a caseworker."""
    gevonden = tuple(redenen(a, c, vandaag))
    assert gevonden or recent, "a grant without a caseworker saw a polis month (polis-voor-einde)"
    return Heraanvraag(
        heraanvraag_id,
        persoon,
        bsn,
        gemeentecode,
        a,
        c.hergebruik,
        recent,
        gevonden,
        zoektermijn_tot(a, c) or a.meldingsdatum,
        ingediend_op,
        "beoordelen" if gevonden else "toegekend",
        None if gevonden else nu,
        None if gevonden or recent is None else automatisch_toegekend(a, c, recent),
    )


# a list filter besides the statuses: granted, but no case reopened (yet): on its way to decisions, or
# not opened (`niet_geopend` says why)
ZONDER_UITKERING = "zonder-uitkering"


def in_lijst(h: Heraanvraag, filter_: str | None) -> bool:
    """Whether the list filter `filter_` (a status, ZONDER_UITKERING, or None: all) takes the re-application."""
    if filter_ == ZONDER_UITKERING:
        return h.status == "toegekend" and h.uitkering_id is None
    return filter_ in (None, h.status)


HUISHOUDENS = {
    "alleenstaand": "alleenstaand",
    "alleenstaande-ouder": "alleenstaande ouder",
    "gehuwd": "gehuwd of samenwonend",
}


def voor_burger(h: Heraanvraag, beslistermijn: date, vandaag: date) -> str:
    """Where a re-application stands, for the person it is about: an automatic grant's explanation
    whole; a caseworker's reasons and words are the municipality's (they may name a partner, or what the
    caseworker knows of them), so of those only what was decided and that the letter gives the reason."""
    if h.status == "beoordelen":
        return (
            f"Een medewerker van de gemeente beoordeelt uw aanvraag. U hoort het besluit uiterlijk op "
            f"{dagnaam(beslistermijn)}."
        )
    if h.niet_geopend is not None:  # granted, but no case opened: the grant's text would promise what did not happen
        return (
            "De gemeente kende de bijstand toe, maar uw uitkering kon nog niet worden geopend (er loopt "
            "bijvoorbeeld nog een uitkering van u). Een medewerker van de gemeente zoekt dit uit en neemt contact "
            "met u op."
        )
    if h.status == "toegekend" and h.uitkering_id is None and h.besloten_dag and h.besloten_dag < vandaag:
        # a grant opens its case within moments; one still on its way a day later is stuck (its event
        # waits on a dead-letter topic), and its text would say the benefit applies again
        return (
            "De gemeente kende de bijstand toe; uw uitkering wordt nog geopend. Lukt dat niet, dan neemt een "
            "medewerker van de gemeente contact met u op."
        )
    if not h.redenen and h.besluit_reden:  # decided without a caseworker
        return h.besluit_reden
    besluit = "kent de bijstand toe" if h.status == "toegekend" else "wijst de aanvraag af"
    op = f" Dat besloot zij op {dagnaam(h.besloten_dag)}." if h.besloten_dag else ""
    return f"De gemeente {besluit}.{op} De reden staat in de brief van de gemeente."


def _polis(recent: LaatsteInkomen) -> str:
    """What the polis showed that made the job count as ended (inkomen.baan_beeindigd), as it showed it."""
    maand = maandnaam(Maand.parse(recent.maand))
    if recent.netto == 0:
        return f"de polis toont geen inkomen van u in {maand}"
    return f"volgens de polis eindigde uw werk: elke werkgever die u in {maand} betaalde, meldde het einde"


def automatisch_toegekend(a: Aanvraag, c: Context, recent: LaatsteInkomen) -> str:
    """The citizen's explanation of a grant without a caseworker: what was checked, what is reused."""
    tekst = [
        f"Automatisch toegekend: u meldde zich op {dagnaam(a.meldingsdatum)}, binnen de heraanvraagtermijn na uw "
        f"vorige bijstand in deze gemeente. U gaf geen wijzigingen op en {_polis(recent)}."
    ]
    if tot := zoektermijn_tot(a, c):
        tekst.append(f"De zoektermijn van 4 weken is voorbij: uw aanvraag kon behandeld worden vanaf {dagnaam(tot)}.")
    if c.hergebruik:
        s = c.hergebruik.situatie
        wie = HUISHOUDENS.get(s.huishouden, s.huishouden)
        # the housemates only (the applicant and a partner not counted), as decisions' norm says it
        n = s.kostendelers
        met = f", met {n} medebewoner{'s' if n > 1 else ''} van 27 jaar of ouder" if n else ""
        tekst.append(f"De gegevens van uw vorige uitkering gelden weer: {wie}{met}.")
        gebruikt = [k for k in c.hergebruik.vrijlatingsklok if k.maanden_gebruikt]
        if gebruikt:
            telling = "; ".join(
                f"{k.maanden_gebruikt} maand{'en' if k.maanden_gebruikt > 1 else ''} {vrijlatingsgrond(k.grond)}"
                for k in gebruikt
            )
            tekst.append(f"De maanden vrijlating die u al gebruikte tellen door: {telling}.")
    tekst.append(f"De bijstand gaat in op {dagnaam(a.startdatum)}.")
    return " ".join(tekst)


def besluit(
    h: Heraanvraag,
    toekennen: bool,
    reden: str,
    nu: datetime,
    vandaag: date,
    ontheffing: str | None = None,
    situatie: Situatie | None = None,
    partner_elders: bool = False,
    klok_elders: tuple[Klokstand, ...] = (),
) -> Heraanvraag:
    """A caseworker's decision on an application that waited for review; granting while the search
    period runs needs a waiver with its reason (art. 41 lid 11, from 2026); granting without a window
    needs the situation the caseworker established (the dates come pre-filled, from a handover too),
    and carries the vrijlating clock of the person's open window in another municipality
    (`klok_elders`, termijn.klok_elders: the months are the person's); with a window a situation given
    replaces the reused one: the household changed. It must, when the BRP registers the reused
    household's partner elsewhere (`partner_elders`)."""
    if h.status != "beoordelen":
        raise AlBesloten("Over deze heraanvraag is al besloten.")
    if toekennen and h.aanvraag.meldingsdatum < h.vroegste_behandeldatum and vandaag < h.vroegste_behandeldatum:
        if not ontheffing:
            raise ZoektermijnLoopt(
                f"De zoektermijn loopt tot {h.vroegste_behandeldatum.isoformat()}: toekennen kan alleen met een "
                "ontheffing en haar reden.",
                field="zoektermijnOntheffing",
            )
        _ontheffing_kan(h.aanvraag.meldingsdatum, ontheffing)
        h = replace(
            h, aanvraag=replace(h.aanvraag, ontheffing=ontheffing), vroegste_behandeldatum=h.aanvraag.meldingsdatum
        )
    if toekennen:
        gedragen = _gedragen(h, situatie, partner_elders, klok_elders)
        if gedragen is None:  # a first application (a Max-WW handover's too): the caseworker establishes it
            raise GeenHergebruik(
                "Zonder heraanvraagtermijn is er niets om te hergebruiken: geef de situatie mee (en de aanvraag de "
                "geboortedatum).",
                field="situatie" if situatie is None else "geboortedatum",
            )
        if h.hergebruik and situatie is None and partner_elders:
            raise PartnerElders(
                "De partner van de vorige uitkering staat volgens de BRP niet in uw gemeente ingeschreven: ken toe "
                "met de situatie zoals die nu is.",
                field="situatie",
            )
        # the situation as the approval event carries it (given or reused, with the reused partner it
        # keeps): one that decisions would not reopen the case with is refused now, not after the grant
        controleer_situatie(gedragen.situatie, h.aanvraag.startdatum, gedragen.geboortedatum)
        h = replace(h, hergebruik=gedragen)
    return replace(h, status="toegekend" if toekennen else "afgewezen", besluit_reden=reden, besloten_op=nu)


def _gedragen(
    h: Heraanvraag, situatie: Situatie | None, partner_elders: bool = False, klok_elders: tuple[Klokstand, ...] = ()
) -> Hergebruik | None:
    """The household a grant of `h` carries: the reused one, or the caseworker's `situatie` in its place
    (keeping the reused partner while the couple is the same); without a window the caseworker's with the
    request's birth date and the clock of a window elsewhere; None where there is nothing to carry."""
    if h.hergebruik is None:
        if situatie is None or h.aanvraag.geboortedatum is None:
            return None
        return Hergebruik(h.aanvraag.geboortedatum, situatie, klok_elders)
    if situatie is None:
        return h.hergebruik
    return replace(h.hergebruik, situatie=_met_partner(situatie, h.hergebruik.situatie.partner, partner_elders))


def _met_partner(nu: Situatie, partner: Partner | None, partner_elders: bool) -> Situatie:
    """The situation a caseworker established names no partner (decisions records a new one), so it
    keeps the reused partner while the couple is the same: still married or cohabiting, the partner's
    birth date unchanged, and the BRP registering them in the municipality."""
    blijft = (
        partner is not None
        and not partner_elders
        and nu.huishouden == "gehuwd"
        and nu.partner_geboortedatum == partner.geboortedatum
    )
    return replace(nu, partner=partner if blijft else None)

"""A re-application within the window (art. 43a Participatiewet): decided automatically when it is
simple, otherwise prepared for a caseworker with the concrete reasons.

Automatic approval needs: an open window in the same municipality, no relevant change, the polis
showing the job ended, a start date not before the melding, and no four-week search period
still running. The search period (art. 41 lid 4) applies under 27 (for a couple: both under 27)
unless exempt: praktijkonderwijs/VSO in the past year, medically limited hours, or the
loonkostensubsidie target group (in the doelgroepregister via the Participatiewet).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from reapplication.domain.fouten import AlBesloten, GeenHergebruik, HeraanvraagFout, MeldingTeVroeg
from reapplication.domain.hergebruik import Hergebruik
from reapplication.domain.inkomen import LaatsteInkomen
from schakel.primitives import plus_maanden

ZOEKTERMIJN = timedelta(weeks=4)
ZOEKTERMIJN_ONDER = 27
TERUGWERKEND_MAANDEN = 3  # a start before the melding: at most 3 months, with a caseworker's reason
WIJZIGINGEN = ("huishouden", "medebewoners", "adres", "vermogen", "inkomen")


@dataclass(frozen=True, slots=True)
class Aanvraag:
    meldingsdatum: date
    startdatum: date
    wijzigingen: tuple[str, ...]
    praktijkonderwijs_of_vso: bool = False  # in the past year


@dataclass(frozen=True, slots=True)
class Context:
    """What Schakel knows about the person when the application comes in."""

    termijn_open: bool  # an open window in the asking municipality
    hergebruik: Hergebruik | None  # birth date and situation kept with the window
    baan_beeindigd: bool  # the polis shows no income in the latest month, or the relationships ended
    doelgroep_loonkostensubsidie: bool


@dataclass(frozen=True, slots=True)
class Reden:
    code: str
    uitleg: str


def _leeftijd(geboortedatum: date, op: date) -> int:
    return op.year - geboortedatum.year - ((op.month, op.day) < (geboortedatum.month, geboortedatum.day))


def zoektermijn_tot(a: Aanvraag, c: Context) -> date | None:
    """The earliest day the application may be handled, when the search period applies."""
    if not c.hergebruik:
        return None
    situatie = c.hergebruik.situatie
    jong = all(_leeftijd(g, a.meldingsdatum) < ZOEKTERMIJN_ONDER for g in c.hergebruik.geboortedata())
    vrijgesteld = (
        a.praktijkonderwijs_of_vso
        or situatie.medisch_urenbeperkt
        or situatie.loonkostensubsidie
        or c.doelgroep_loonkostensubsidie
    )
    return a.meldingsdatum + ZOEKTERMIJN if jong and not vrijgesteld else None


def controleer(a: Aanvraag) -> None:
    if a.startdatum < plus_maanden(a.meldingsdatum, -TERUGWERKEND_MAANDEN):
        raise HeraanvraagFout(
            "bijstand gaat hooguit 3 maanden vóór de melding in", code="startdatum-te-vroeg", field="startdatum"
        )
    unknown = set(a.wijzigingen) - set(WIJZIGINGEN)
    if unknown:
        raise HeraanvraagFout("onbekende soort wijziging", code="onbekende-wijziging", field="wijzigingen")


def na_ww(ww_einddatum: date, melding: date) -> Aanvraag:
    """An application from a Max-WW handover: bijstand from the day after the WW ends; the melding may
    come up to 4 weeks before that, so an under-27's search period can end before the WW does."""
    if melding < ww_einddatum - ZOEKTERMIJN:
        raise MeldingTeVroeg("de melding kan hooguit 4 weken vóór het einde van de WW", field="meldingsdatum")
    return Aanvraag(melding, ww_einddatum + timedelta(days=1), ())


def redenen(a: Aanvraag, c: Context, vandaag: date) -> list[Reden]:
    """Why a caseworker must look; none means automatic approval."""
    result = []
    if not c.termijn_open:
        result.append(Reden("geen-open-termijn", "er is geen open heraanvraagtermijn in deze gemeente"))
    if a.wijzigingen:
        result.append(Reden("wijzigingen", "gewijzigd sinds de vorige uitkering: " + ", ".join(a.wijzigingen)))
    if not c.baan_beeindigd:
        result.append(Reden("baan-niet-beeindigd", "de polis laat nog inkomen uit werk zien"))
    if a.startdatum < a.meldingsdatum:
        result.append(
            Reden("startdatum-voor-melding", "een startdatum vóór de melding vraagt de reden van een consulent")
        )
    tot = zoektermijn_tot(a, c)
    if tot and vandaag < tot:
        result.append(Reden("zoektermijn", f"de zoektermijn van 4 weken loopt tot {tot.isoformat()}"))
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
    """A new re-application: approved at once (`nu`) without reasons, else waiting for a caseworker."""
    gevonden = tuple(redenen(a, c, vandaag))
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
    )


def besluit(h: Heraanvraag, toekennen: bool, reden: str, nu: datetime) -> Heraanvraag:
    """A caseworker's decision on a re-application that waited for review."""
    if h.status != "beoordelen":
        raise AlBesloten("Over deze heraanvraag is al besloten.")
    if toekennen and not h.hergebruik:
        raise GeenHergebruik(
            "Zonder heraanvraagtermijn is er niets om te hergebruiken: dit wordt een nieuwe aanvraag.", field="besluit"
        )
    return replace(h, status="toegekend" if toekennen else "afgewezen", besluit_reden=reden, besloten_op=nu)

"""A re-application within the window (art. 43a Participatiewet): decided automatically when it is
simple, otherwise prepared for a caseworker with the concrete reasons.

Automatic approval needs: an open window in the same municipality, no relevant change, the polis
showing the job ended, a start date not before the melding, and no four-week search period
still running. The search period (art. 41 lid 4) applies under 27 (for a couple: both under 27)
unless exempt: praktijkonderwijs/VSO in the past year, medically limited hours, or the
loonkostensubsidie target group (in the doelgroepregister via the Participatiewet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from schakel.primitives import plus_maanden

ZOEKTERMIJN = timedelta(weeks=4)
ZOEKTERMIJN_ONDER = 27
BESLISTERMIJN = timedelta(weeks=8)  # Awb 4:13
TERUGWERKEND_MAANDEN = 3            # a start before the melding: at most 3 months, with a caseworker's reason
WIJZIGINGEN = ("huishouden", "medebewoners", "adres", "vermogen", "inkomen")


class HeraanvraagFout(ValueError):
    def __init__(self, code: str, field: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.field, self.reason = code, field, reason


@dataclass(frozen=True, slots=True)
class Aanvraag:
    meldingsdatum: date
    startdatum: date
    wijzigingen: tuple[str, ...]
    praktijkonderwijs_of_vso: bool = False  # in the past year


@dataclass(frozen=True, slots=True)
class Context:
    """What Schakel knows about the person when the application comes in."""
    termijn_open: bool               # an open window in the asking municipality
    hergebruik: dict | None          # birth date and situation kept with the window
    baan_beeindigd: bool             # the polis shows no income in the latest month, or the relationships ended
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
    situatie = c.hergebruik["situatie"]
    geboortedata = [date.fromisoformat(c.hergebruik["geboortedatum"])]
    if situatie["huishouden"] == "gehuwd" and situatie["partnerGeboortedatum"]:
        geboortedata.append(date.fromisoformat(situatie["partnerGeboortedatum"]))
    jong = all(_leeftijd(g, a.meldingsdatum) < ZOEKTERMIJN_ONDER for g in geboortedata)
    vrijgesteld = (a.praktijkonderwijs_of_vso or situatie["medischUrenbeperkt"] or situatie["loonkostensubsidie"]
                   or c.doelgroep_loonkostensubsidie)
    return a.meldingsdatum + ZOEKTERMIJN if jong and not vrijgesteld else None


def controleer(a: Aanvraag) -> None:
    if a.startdatum < plus_maanden(a.meldingsdatum, -TERUGWERKEND_MAANDEN):
        raise HeraanvraagFout("startdatum-te-vroeg", "startdatum",
                              "bijstand gaat hooguit 3 maanden vóór de melding in")
    unknown = set(a.wijzigingen) - set(WIJZIGINGEN)
    if unknown:
        raise HeraanvraagFout("onbekende-wijziging", "wijzigingen", "onbekende soort wijziging")


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
        result.append(Reden("startdatum-voor-melding", "een startdatum vóór de melding vraagt de reden van een consulent"))
    tot = zoektermijn_tot(a, c)
    if tot and vandaag < tot:
        result.append(Reden("zoektermijn", f"de zoektermijn van 4 weken loopt tot {tot.isoformat()}"))
    return result

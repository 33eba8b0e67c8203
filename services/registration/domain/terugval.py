"""What a person can fall back to (Simpel Switchen: taking a step must not cost the way back), each
option once for the citizen (`uitleg`, plain Dutch) and once for the caseworker (`toelichting`,
with the rule and its source), with the last day it holds (`tot`, None: no end).

The guarantees are UWV's and the municipality's decisions; Schakel records what it is told and
applies only the dated terms below to show how long a guarantee lasts:
- Wajong: a right that ended revived on increased incapacity within five years (oWajong,
  Wajong2010, before 2021); the Wet vereenvoudiging Wajong (in force 1 January 2021) extended that to the
  AOW age. Its transition kept every window still open then: a right ended on or after
  1 January 2016 revives until the AOW age, an earlier one kept its five years (long past). The
  same act keeps the right while the person studies.
- WIA: after a work resumption the earning capacity is not reassessed for five years (the
  regeerakkoord measure announced in the letter of 27 December 2018, Kamerstuk 34 352, nr. 142,
  seeds/000).
- Dagbesteding (Wmo 2015 or Wlz): the indication stays valid until its end date after the person
  moved on to work, so it is shown as long as it holds.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypedDict

from schakel.primitives import plus_maanden

if TYPE_CHECKING:
    from registration.domain.deelname import Toestand

# (right ended on or after, months it can revive); None: until the AOW age. Source: the Wet Wajong
# before 2021 and the Wet vereenvoudiging Wajong from 1 January 2021 (seeds/001).
WAJONG_HERLEVING: tuple[tuple[date, int | None], ...] = ((date.min, 60), (date(2016, 1, 1), None))
# months without reassessment after a WIA work resumption (Kamerstuk 34 352, nr. 142)
WIA_HERBEOORDELINGSVRIJ_MAANDEN = 60


class Optie(TypedDict):
    soort: str
    uitleg: str  # for the citizen
    toelichting: str  # for the caseworker
    tot: date | None


def wajong_herleefbaar_tot(beeindigd: date, aow_datum: date) -> date:
    """The last day an ended Wajong right can revive: the day before the AOW age, or five years on
    for a right that ended before the extension reached it."""
    maanden = next(m for vanaf, m in reversed(WAJONG_HERLEVING) if beeindigd >= vanaf)
    tot = date.fromordinal(aow_datum.toordinal() - 1)
    return tot if maanden is None else min(tot, plus_maanden(beeindigd, maanden))


def herbeoordelingsvrij_tot(hervat: date) -> date:
    return date.fromordinal(plus_maanden(hervat, WIA_HERBEOORDELINGSVRIJ_MAANDEN).toordinal() - 1)


def _nl(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def _geldt(tot: date | None, peildatum: date | None) -> bool:
    return tot is None or peildatum is None or peildatum <= tot


def opties(t: Toestand) -> list[Optie]:
    """The fallback list of a folded state (on its peildatum: an expired guarantee is no option)."""
    result: list[Optie] = []

    def optie(soort: str, uitleg: str, toelichting: str, tot: date | None = None) -> None:
        if _geldt(tot, t.peildatum):
            result.append({"soort": soort, "uitleg": uitleg, "toelichting": toelichting, "tot": tot})

    if t.advies == "slapend":
        optie(
            "beschut-werk",
            "Uw positieve advies beschut werk slaapt. Lukt de baan niet, dan herleeft het met een "
            "verklaring van u, uw werkgever en de gemeente, zonder nieuw onderzoek door UWV.",
            "Advies beschut werk slapend (Besluit advisering beschut werk, wijziging 2023): herleeft met een "
            "onderbouwde driehoeksverklaring; dan weer plaatsingsplicht tot de taakstelling (Participatiewet "
            "art. 10b).",
        )
    if (vorige := t.vorige_dagbesteding) and not t.dagbesteding:
        tot = vorige["geldigTot"]
        optie(
            "dagbesteding",
            f"U kunt terug naar de dagbesteding met uw {vorige['indicatie'].capitalize()}-indicatie"
            + (f", die geldig is tot en met {_nl(tot)}." if tot else ", die geen einddatum heeft."),
            f"Dagbesteding beëindigd op {_nl(vorige['tot'])}; de {vorige['indicatie']}-indicatie blijft geldig "
            + (f"tot en met {_nl(tot)}, daarna is een nieuwe indicatie nodig." if tot else "zonder einddatum."),
            tot,
        )
    if (wajong := t.wajong) and not wajong["beeindigd"]:
        optie(
            "wajong",
            "Uw Wajong-recht blijft bestaan als u gaat werken of een opleiding volgt.",
            f"Wajong-recht loopt sinds {_nl(wajong['sinds']) if wajong['sinds'] else 'onbekend'}; werk of studie "
            "beëindigt het niet (Wet vereenvoudiging Wajong, 2021).",
        )
    elif wajong and wajong["beeindigd"] and (tot := wajong["herleefbaarTot"]):
        optie(
            "wajong",
            f"Uw Wajong is gestopt, maar kan weer ingaan als u door ziekte of handicap minder kunt verdienen. "
            f"Dat kan tot en met {_nl(tot)}.",
            f"Wajong-recht beëindigd op {_nl(wajong['beeindigd'])}; herleeft bij toegenomen arbeidsongeschiktheid "
            f"tot en met {_nl(tot)} (tot de AOW-leeftijd: Wet vereenvoudiging Wajong, 2021).",
            tot,
        )
    if t.wia_hervat:
        tot = herbeoordelingsvrij_tot(t.wia_hervat)
        optie(
            "wia",
            f"U werkt weer. UWV kijkt tot en met {_nl(tot)} niet opnieuw naar wat u kunt verdienen, dus uw "
            "WIA-uitkering wordt daardoor niet lager.",
            f"WIA-werkhervatting op {_nl(t.wia_hervat)}: geen herbeoordeling van het verdienvermogen tot en met "
            f"{_nl(tot)} (vijf jaar, Kamerstuk 34 352, nr. 142).",
            tot,
        )
    return result

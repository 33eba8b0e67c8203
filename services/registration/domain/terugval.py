"""What a person can fall back to (Simpel Switchen: taking a step must not cost the way back), each
option once for the citizen (`uitleg`, plain Dutch) and once for the caseworker (`toelichting`,
with the rule and its source), with the last day it holds (`tot`, None: no end).

The guarantees are UWV's and the municipality's decisions; Schakel records what it is told and
applies only the dated terms below to show how long a guarantee lasts:
- Wajong: a right that ended revived on increased incapacity within five years (oWajong,
  Wajong2010, before 2021); the Wet vereenvoudiging Wajong (Kamerstuk 35 213, in force 1 January 2021)
  extended that to the AOW age. Its transition kept every window still open then: a right ended on
  or after 1 January 2016 revives until the AOW age, an earlier one kept its five years (long
  past). The same act keeps the right while the person studies.
- WIA: a right that ended (UWV's `wia-recht-beeindigd`) revives when the incapacity from the same
  cause returns within five years (Wet WIA art. 57 lid 1 onder b for the WGA, art. 50 lid 1 onder b
  for the IVA). The regeerakkoord measure the letter of December 2018 announced (seeds/000: no
  reassessment of the earning capacity for five years after a work resumption) was withdrawn in
  2021 and never became law, so a `wia-werkhervatting` is recorded but promises nothing.
- Dagbesteding (Wmo 2015 or Wlz): the indication stays valid until its end date after the person
  moved on to work, so it is shown as long as it holds.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypedDict

from schakel.primitives import dagnaam, geldig_op, plus_maanden

if TYPE_CHECKING:
    from registration.domain.deelname import Toestand

# (right ended on or after, months it can revive); None: until the AOW age. Source: the Wet Wajong
# before 2021 and the Wet vereenvoudiging Wajong from 1 January 2021 (seeds/001).
WAJONG_HERLEVING: tuple[tuple[date, int | None], ...] = ((date.min, 60), (date(2016, 1, 1), None))
# months after a WIA right ended in which it revives on the same cause (Wet WIA art. 50 and 57)
WIA_HERLEVING_MAANDEN = 60


class Optie(TypedDict):
    soort: str
    uitleg: str  # for the citizen
    toelichting: str  # for the caseworker
    tot: date | None


def wajong_herleefbaar_tot(beeindigd: date, aow_datum: date) -> date:
    """The last day an ended Wajong right can revive: the day before the AOW age, or five years on
    for a right that ended before the extension reached it."""
    maanden = geldig_op(WAJONG_HERLEVING, beeindigd)
    tot = date.fromordinal(aow_datum.toordinal() - 1)
    return tot if maanden is None else min(tot, plus_maanden(beeindigd, maanden))


def wia_herleefbaar_tot(beeindigd: date) -> date:
    return date.fromordinal(plus_maanden(beeindigd, WIA_HERLEVING_MAANDEN).toordinal() - 1)


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
            + (f", die geldig is tot en met {dagnaam(tot)}." if tot else ", die geen einddatum heeft."),
            f"Dagbesteding beëindigd op {dagnaam(vorige['tot'])}; de {vorige['indicatie']}-indicatie blijft geldig "
            + (f"tot en met {dagnaam(tot)}, daarna is een nieuwe indicatie nodig." if tot else "zonder einddatum."),
            tot,
        )
    if (wajong := t.wajong) and not wajong["beeindigd"]:
        optie(
            "wajong",
            "Uw Wajong-recht blijft bestaan als u gaat werken of een opleiding volgt.",
            f"Wajong-recht loopt sinds {dagnaam(wajong['sinds']) if wajong['sinds'] else 'onbekend'}; werk of studie "
            "beëindigt het niet (Wet vereenvoudiging Wajong, 2021).",
        )
    elif wajong and wajong["beeindigd"] and (tot := wajong["herleefbaarTot"]):
        optie(
            "wajong",
            f"Uw Wajong is gestopt, maar kan weer ingaan als u door ziekte of handicap minder kunt verdienen. "
            f"Dat kan tot en met {dagnaam(tot)}.",
            f"Wajong-recht beëindigd op {dagnaam(wajong['beeindigd'])}; herleeft bij toegenomen arbeidsongeschiktheid "
            f"tot en met {dagnaam(tot)} (tot de AOW-leeftijd: Wet vereenvoudiging Wajong, 2021).",
            tot,
        )
    if t.wia_beeindigd:
        tot = wia_herleefbaar_tot(t.wia_beeindigd)
        optie(
            "wia",
            "Uw WIA-uitkering is gestopt, maar kan weer ingaan als u door dezelfde ziekte of handicap weer "
            f"minder kunt werken. Dat kan tot en met {dagnaam(tot)}.",
            f"WIA-recht beëindigd op {dagnaam(t.wia_beeindigd)}; herleeft bij arbeidsongeschiktheid uit dezelfde "
            f"oorzaak tot en met {dagnaam(tot)} (vijf jaar: Wet WIA art. 57 lid 1 onder b, WGA; art. 50 lid 1 onder "
            "b, IVA).",
            tot,
        )
    return result

"""Earnings exemptions (vrijlatingen): the part of the net income from work a person keeps.

Until 2027 (art. 31 lid 2): n (25%, 6 months, from 27), then y (medically limited hours, 15%,
no limit) or z (wage cost subsidy, 15%, 12 months) and aa (after z, when more hours are not
possible), else r (single parent of a child under 12, 12,5%, 30 months, from 27); each capped.
Participatiewet in balans (art. 34a, from 2027 or a municipality's opt-in in 2026): 15% without
cap or age limit for 12 months, restarting with each new employment; medically limited hours 15%
without limit; at AOW age 25% up to a cap.

The clock (months applied per ground, per case) is part of the case's state; recomputing in order
from a month before the earliest correction, on the clocks kept with that month, keeps it right. A
month counts when the vrijlating was actually applied, that is when it changed the bijstand; r and in
balans' 12 months are consecutive: they run by the calendar from their first month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from decisions.domain.norm import aow_gerechtigd
from decisions.domain.parameters import Parameters, Regel
from decisions.domain.situatie import Huishouden, Regime, Situatie
from schakel.primitives import Maand, afgerond, dagnaam, leeftijd


@dataclass(frozen=True, slots=True)
class Vrijlating:
    grond: str  # n, r, y, z, aa; in balans: werk, medisch, aow
    percentage: Decimal
    plafond: int | None
    bedrag: int
    maand_nummer: int  # this is month k of the ground in this case
    maanden: int | None  # of at most n months (None: no limit)


@dataclass(frozen=True, slots=True)
class Klok:
    gebruikt: tuple[tuple[str, int], ...] = ()
    dienstverbanden: frozenset[str] = frozenset()  # employments seen in this case
    reeksen: tuple[tuple[str, Maand], ...] = ()  # a consecutive ground's first month (r; in balans: werk)

    def maanden(self, grond: str) -> int:
        return dict(self.gebruikt).get(grond, 0)

    def toegepast(self, grond: str) -> Klok:
        gebruikt = dict(self.gebruikt)
        gebruikt[grond] = gebruikt.get(grond, 0) + 1
        return replace(self, gebruikt=tuple(sorted(gebruikt.items())))

    def begin(self, grond: str) -> Maand | None:
        return dict(self.reeksen).get(grond)

    def begint(self, grond: str, maand: Maand) -> Klok:
        return replace(self, reeksen=tuple(sorted((dict(self.reeksen) | {grond: maand}).items())))

    def maand_nummer(self, grond: str, regel: Regel, maand: Maand) -> int:
        """Which month of the ground `maand` would be: for a consecutive one, counted by the calendar from
        its first month (months used in an earlier benefit before it, when it has not begun in this one)."""
        if not regel.aaneengesloten:
            return self.maanden(grond) + 1
        begin = self.begin(grond) or maand.verschoven(-self.maanden(grond))
        return begin.tot(maand) + 1


@dataclass(frozen=True, slots=True)
class Klokken:
    """The clocks as a month's settlement starts (before the month): the applicant's and each partner's
    (by BSN, sorted). Kept with the month, so that settling can go on from it (verreken's `start`)."""

    aanvrager: Klok = Klok()
    partners: tuple[tuple[str, Klok], ...] = ()


def in_balans(situatie: Situatie, maand: Maand, params: Parameters) -> bool:
    dag = maand.eerste_dag
    return dag >= params.in_balans_verplicht or (situatie.regime is Regime.in_balans and dag >= params.in_balans_keuze)


def bepaal(
    maand: Maand,
    inkomen: int,
    geboortedatum: date,
    situatie: Situatie,
    klok: Klok,
    dienstverbanden: frozenset[str],
    params: Parameters,
) -> tuple[Vrijlating | None, Klok]:
    """The vrijlating of a month with `inkomen` net work income, and the clock after it."""
    nieuw = dienstverbanden - klok.dienstverbanden
    if nieuw:
        klok = replace(klok, dienstverbanden=klok.dienstverbanden | nieuw)
    balans = in_balans(situatie, maand, params)
    if balans and nieuw:
        klok = klok.begint("werk", maand)  # every new employment starts a new 12 months
    if inkomen <= 0:
        return None, klok
    if balans:
        return _in_balans(maand, inkomen, geboortedatum, situatie, klok, params)
    regels = params.vrijlating_op(maand.eerste_dag)
    grond = _grond(maand, geboortedatum, situatie, klok, regels)
    if grond is None:
        return None, klok
    return _toepassen(grond, regels[grond], inkomen, maand, klok)


def _grond(maand: Maand, geboortedatum: date, situatie: Situatie, klok: Klok, regels: dict[str, Regel]) -> str | None:
    dag = maand.eerste_dag
    leeftijd_nu = leeftijd(geboortedatum, dag)

    def beschikbaar(grond: str) -> bool:
        regel = regels[grond]
        return leeftijd_nu >= regel.minimum_leeftijd and (
            regel.maanden is None or klok.maand_nummer(grond, regel, maand) <= regel.maanden
        )

    if beschikbaar("n"):
        return "n"
    if situatie.medisch_urenbeperkt:
        return "y"
    if situatie.loonkostensubsidie:
        if beschikbaar("z"):
            return "z"
        return "aa" if situatie.meer_uren_niet_mogelijk else None
    kind, grens = situatie.jongste_kind_geboortedatum, regels["r"].kind_jonger_dan
    if (
        situatie.huishouden is Huishouden.alleenstaande_ouder
        and kind is not None
        and (grens is None or leeftijd(kind, dag) < grens)
        and beschikbaar("r")
    ):
        return "r"
    return None


def _in_balans(
    maand: Maand, inkomen: int, geboortedatum: date, situatie: Situatie, klok: Klok, params: Parameters
) -> tuple[Vrijlating | None, Klok]:
    if aow_gerechtigd(geboortedatum, maand.eerste_dag, params):
        grond = "aow"
    elif situatie.medisch_urenbeperkt:
        grond = "medisch"
    else:
        grond = "werk"
        if klok.begin(grond) is None:
            klok = klok.begint(grond, maand)  # the first month with work income under this regime
    regel = params.in_balans[grond]
    if regel.maanden is not None and klok.maand_nummer(grond, regel, maand) > regel.maanden:
        return None, klok
    return _toepassen(grond, regel, inkomen, maand, klok)


def _toepassen(grond: str, regel: Regel, inkomen: int, maand: Maand, klok: Klok) -> tuple[Vrijlating, Klok]:
    bedrag = afgerond(inkomen * int(regel.percentage * 1000), 100_000)  # percentage of cents, half up
    if regel.plafond is not None:
        bedrag = min(bedrag, regel.plafond)
    nummer = klok.maand_nummer(grond, regel, maand)
    vrijlating = Vrijlating(grond, regel.percentage, regel.plafond, bedrag, nummer, regel.maanden)
    if regel.aaneengesloten:  # its months run by the calendar from the first: there is nothing to count
        return vrijlating, klok if klok.begin(grond) else klok.begint(grond, maand.verschoven(1 - nummer))
    return vrijlating, klok.toegepast(grond)


def niet_toegepast(voor: Klok, na: Klok) -> Klok:
    """The clock after a month whose vrijlating changed nothing: that month is not one in which it was
    applied, so it uses none of its months and begins no r; only the employments seen, and in balans the
    12 months they start, stay (those run from the first month with work income, applied or not)."""
    klok = replace(voor, dienstverbanden=na.dienstverbanden)
    return klok if (werk := na.begin("werk")) is None else klok.begint("werk", werk)


def waarom_geen(maand: Maand, geboortedatum: date, situatie: Situatie, params: Parameters) -> str:
    """Why a month's work income had no vrijlating (a key of `GEEN_VRIJLATING`), given that it had none."""
    if in_balans(situatie, maand, params):
        return "reeks-voorbij"  # only werk has a limit there
    if situatie.loonkostensubsidie:
        return "loonkostensubsidie"  # z has no age limit, so its 12 months are what ended
    if leeftijd(geboortedatum, maand.eerste_dag) < params.vrijlating_op(maand.eerste_dag)["n"].minimum_leeftijd:
        return "jonger-dan-27"
    return "maanden-op"


# why work income had no vrijlating, in the words of the explanation: the applicant's and the partner's
# ({dag}: the month's first day, on which the rules take the age)
GEEN_VRIJLATING = {
    "jonger-dan-27": (
        "Op uw inkomen uit werk geldt geen vrijlating: op {dag} was u jonger dan 27. Voor de vrijlating telt de "
        "leeftijd op de eerste dag van de maand.",
        "Op het inkomen uit werk van uw partner geldt geen vrijlating: op {dag} was uw partner jonger dan 27. Voor "
        "de vrijlating telt de leeftijd op de eerste dag van de maand.",
    ),
    "maanden-op": (
        "Op uw inkomen uit werk geldt geen vrijlating meer: de maanden waarin de wet die toestaat, zijn voorbij.",
        "Op het inkomen uit werk van uw partner geldt geen vrijlating meer: de maanden waarin de wet die "
        "toestaat, zijn voorbij.",
    ),
    "loonkostensubsidie": (
        "Op uw inkomen uit werk geldt geen vrijlating meer: na de 12 maanden bij loonkostensubsidie alleen als "
        "de gemeente vaststelt dat u niet meer uren kunt werken.",
        "Op het inkomen uit werk van uw partner geldt geen vrijlating meer: na de 12 maanden bij "
        "loonkostensubsidie alleen als de gemeente vaststelt dat uw partner niet meer uren kan werken.",
    ),
    "reeks-voorbij": (
        "Op uw inkomen uit werk geldt geen vrijlating meer: de 12 maanden vrijlating zijn voorbij. Die lopen vanaf "
        "de eerste maand met inkomen uit werk en beginnen opnieuw bij nieuw werk.",
        "Op het inkomen uit werk van uw partner geldt geen vrijlating meer: de 12 maanden vrijlating zijn "
        "voorbij. Die lopen vanaf de eerste maand met inkomen uit werk en beginnen opnieuw bij nieuw werk.",
    ),
}
# the household's reasons, when the vrijlating changed nothing: {inkomen} is whose income counts
NIET_TOEGEPAST = {
    "boven-norm": "Ook met vrijlating is {inkomen} niet lager dan de norm, dus is er deze maand geen bijstand.",
    "negatief-inkomen": "Per saldo is {inkomen} niet meer dan nul, dus is de bijstand ook zonder vrijlating de "
    "hele norm.",
}


def geen_vrijlating(reden: str, partner: bool, stel: bool, maand: Maand) -> str:
    """The explanation's sentence on why a person's work income had no vrijlating in `maand` (`partner`:
    the partner's; `stel`: a couple's month)."""
    if reden not in NIET_TOEGEPAST:
        return GEEN_VRIJLATING[reden][partner].format(dag=dagnaam(maand.eerste_dag))
    inkomen = "het inkomen van u en uw partner samen" if stel else "uw inkomen"
    voor = (" voor uw partner" if partner else " voor u") if stel else ""
    return (
        f"{NIET_TOEGEPAST[reden].format(inkomen=inkomen)} Daarom geldt er geen vrijlating{voor} en gaat er geen "
        "maand van af."
    )


def klokstand(vrijlatingen: Iterable[Vrijlating | None]) -> dict[str, int]:
    """Months used per ground, from the settled months' vrijlatingen (each knows its month number)."""
    klok: dict[str, int] = {}
    for w in vrijlatingen:
        if w is not None:
            klok[w.grond] = max(klok.get(w.grond, 0), w.maand_nummer)
    return dict(sorted(klok.items()))


def doorgeteld(eerder: Iterable[tuple[str, int]], vrijlatingen: Iterable[Vrijlating | None]) -> dict[str, int]:
    """Months used per ground by a case: those used before it reopened count on (art. 31 lid 2), also for
    a ground it did not apply itself."""
    return dict(sorted((dict(eerder) | klokstand(vrijlatingen)).items()))

"""Earnings exemptions (vrijlatingen): the part of the net income from work a person keeps.

Until 2027 (art. 31 lid 2): n (25%, 6 months, from 27), then y (medically limited hours, 15%,
no limit) or z (wage cost subsidy, 15%, 12 months) and aa (after z, when more hours are not
possible), else r (single parent of a child under 12, 12,5%, 30 months, from 27); each capped.
Participatiewet in balans (art. 34a, from 2027 or a municipality's opt-in in 2026): 15% without
cap or age limit for 12 months, restarting with each new employment; medically limited hours 15%
without limit; at AOW age 25% up to a cap.

The clock (months applied per ground, per case) is part of the case's state; recomputing in order
from a month before the earliest correction, on the clocks kept with that month, keeps it right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from decisions.domain.norm import aow_gerechtigd
from decisions.domain.parameters import Parameters, Regel
from decisions.domain.situatie import Huishouden, Regime, Situatie
from schakel.primitives import Maand, afgerond, leeftijd


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
    reeks: int = 0  # in balans: months applied since the latest new employment

    def maanden(self, grond: str) -> int:
        return dict(self.gebruikt).get(grond, 0)

    def toegepast(self, grond: str) -> Klok:
        gebruikt = dict(self.gebruikt)
        gebruikt[grond] = gebruikt.get(grond, 0) + 1
        return replace(self, gebruikt=tuple(sorted(gebruikt.items())))


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
    if inkomen <= 0:
        return None, klok
    if in_balans(situatie, maand, params):
        return _in_balans(maand, inkomen, geboortedatum, situatie, klok, bool(nieuw), params)
    grond = _grond(maand, geboortedatum, situatie, klok, params)
    if grond is None:
        return None, klok
    regel = params.vrijlating_op(maand.eerste_dag)[grond]
    return _toepassen(grond, regel, inkomen, klok.maanden(grond) + 1), klok.toegepast(grond)


def _grond(maand: Maand, geboortedatum: date, situatie: Situatie, klok: Klok, params: Parameters) -> str | None:
    dag = maand.eerste_dag
    regels = params.vrijlating_op(dag)
    leeftijd_nu = leeftijd(geboortedatum, dag)

    def beschikbaar(grond: str) -> bool:
        regel = regels[grond]
        return leeftijd_nu >= regel.minimum_leeftijd and (regel.maanden is None or klok.maanden(grond) < regel.maanden)

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
    maand: Maand,
    inkomen: int,
    geboortedatum: date,
    situatie: Situatie,
    klok: Klok,
    nieuw_werk: bool,
    params: Parameters,
) -> tuple[Vrijlating | None, Klok]:
    if aow_gerechtigd(geboortedatum, maand.eerste_dag, params):
        grond = "aow"
    elif situatie.medisch_urenbeperkt:
        grond = "medisch"
    else:
        reeks = 0 if nieuw_werk else klok.reeks  # every new employment starts a new 12 months
        werk = params.in_balans["werk"]
        if werk.maanden is not None and reeks >= werk.maanden:
            return None, replace(klok, reeks=reeks)
        klok = replace(klok, reeks=reeks + 1)
        return _toepassen("werk", werk, inkomen, reeks + 1), klok.toegepast("werk")
    return _toepassen(grond, params.in_balans[grond], inkomen, klok.maanden(grond) + 1), klok.toegepast(grond)


def _toepassen(grond: str, regel: Regel, inkomen: int, maand_nummer: int) -> Vrijlating:
    bedrag = afgerond(inkomen * int(regel.percentage * 1000), 100_000)  # percentage of cents, half up
    if regel.plafond is not None:
        bedrag = min(bedrag, regel.plafond)
    return Vrijlating(grond, regel.percentage, regel.plafond, bedrag, maand_nummer, regel.maanden)


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

"""What-if (Simpel Switchen track 2): what taking a job does to a household's income, month by
month for a year, with the same rules as a real settlement. It assumes the person is on bijstand
when the job starts and has not used a vrijlating yet; allowances (huurtoeslag, zorgtoeslag,
kindgebonden budget), tax credits and a partner's own income are left out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from decisions.domain.inkomen import Bijdrage, Inkomen
from decisions.domain.norm import NormOnbekend
from decisions.domain.parameters import Parameters
from decisions.domain.situatie import Situatie
from decisions.domain.verrekening import Verrekening, verreken
from schakel.primitives import Maand, afgerond

MAANDEN = 12
WERKGEVER = "proef"
PARTNER = "proef"  # the what-if's partner, known by no BSN


def loon_per_maand(netto: int, vier_wekelijks: bool, maand: Maand) -> int:
    """A monthly wage as is; a 4-weekly wage spread over the month's days (as the polis attribution does)."""
    return afgerond(netto * maand.dagen, 28) if vier_wekelijks else netto


def bereken(
    geboortedatum: date, situatie: Situatie, netto: int, startmaand: Maand, vier_wekelijks: bool, params: Parameters
) -> list[Verrekening]:
    maanden = [startmaand]
    while len(maanden) < MAANDEN:
        maanden.append(maanden[-1].volgende())
    inkomens = {}
    for maand in maanden:
        loon = loon_per_maand(netto, vier_wekelijks, maand)
        inkomens[maand] = Inkomen(loon, 0, (Bijdrage(WERKGEVER, 1, maand.eerste_dag, maand.laatste_dag, loon),))
    if situatie.partner is not None:  # the partner's own income is left out: they count as having none
        situatie = replace(situatie, partner=replace(situatie.partner, bsn=PARTNER))
    resultaat = verreken(startmaand.eerste_dag, None, geboortedatum, [situatie], inkomens, {}, params, {}, {})
    if resultaat.te_beoordelen:  # a what-if of a household whose norm a caseworker sets has no answer
        raise NormOnbekend(resultaat.te_beoordelen[0].reden)
    return resultaat.verrekeningen


@dataclass(frozen=True, slots=True)
class Proefmaand:
    verrekening: Verrekening
    inkomen: int  # net wage counted in the month
    totaal_netto: int  # wage plus bijstand
    zonder_werk: int  # the bijstand without this job (the norm)
    erbij: int  # what the job adds, net


@dataclass(frozen=True, slots=True)
class Uitkomst:
    maanden: list[Proefmaand]
    vrijlating_tot: Maand | None  # the last month with a vrijlating in these months


def samenvatting(maanden: list[Verrekening]) -> Uitkomst:
    """What the job adds month by month compared to bijstand without work."""
    rijen = [
        Proefmaand(
            v,
            v.inkomen.totaal,
            v.inkomen.totaal + v.bijstand,
            v.norm_bedrag,
            v.inkomen.totaal + v.bijstand - v.norm_bedrag,
        )
        for v in maanden
    ]
    met_vrijlating = [v.maand for v in maanden if v.vrijlating is not None]
    return Uitkomst(rijen, met_vrijlating[-1] if met_vrijlating else None)

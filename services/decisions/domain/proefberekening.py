"""What-if (Simpel Switchen track 2): what taking a job does to a household's income, month by
month for a year, with the same rules as a real settlement. It assumes the person is on bijstand
when the job starts and has not used a vrijlating yet; allowances (huurtoeslag, zorgtoeslag,
kindgebonden budget) and tax credits are left out."""

from __future__ import annotations

from datetime import date

from schakel.primitives import Maand, afgerond

from decisions.domain.parameters import Parameters
from decisions.domain.situatie import Situatie
from decisions.domain.verrekening import Bijdrage, Inkomen, Verrekening, verreken

MAANDEN = 12
WERKGEVER = "proef"


def loon_per_maand(netto: int, vier_wekelijks: bool, maand: Maand) -> int:
    """A monthly wage as is; a 4-weekly wage spread over the month's days (as the polis attribution does)."""
    return afgerond(netto * maand.dagen, 28) if vier_wekelijks else netto


def bereken(geboortedatum: date, situatie: Situatie, netto: int, startmaand: Maand, vier_wekelijks: bool,
            params: Parameters) -> list[Verrekening]:
    maanden = [startmaand]
    while len(maanden) < MAANDEN:
        maanden.append(maanden[-1].volgende())
    inkomens = {}
    for maand in maanden:
        loon = loon_per_maand(netto, vier_wekelijks, maand)
        inkomens[maand] = Inkomen(loon, 0, (Bijdrage(WERKGEVER, 1, maand.eerste_dag, maand.laatste_dag, loon),))
    return verreken(startmaand.eerste_dag, None, geboortedatum, [situatie], inkomens, {}, params)

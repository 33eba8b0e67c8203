"""Recovery without a debt spiral (terugvordering, Participatiewet art. 58 and 60): a month paid too
much becomes a claim with its source month. A claim is first netted against later back-payments
(nabetalingen), oldest claim first, and then against the running benefit, but a month's income
never goes below the beslagvrije voet (the protected amount, Rv art. 475da, a dated percentage of
the applicable norm, or of the income when that is lower). Instalments and a municipality's
waiver threshold are its policy, applied on top of these limits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from decisions.domain.parameters import Parameters
from schakel.primitives import Maand, afgerond


@dataclass(frozen=True, slots=True)
class Vordering:
    bron: Maand  # the month whose settlement paid too much
    open: int  # what is still owed, in cents


@dataclass(frozen=True, slots=True)
class Aflossing:
    bron: Maand
    bedrag: int


def beslagvrije_voet(norm: int, inkomen: int, dag: date, params: Parameters) -> int:
    """The part of the month's income (bijstand included, holiday allowance included) no recovery takes."""
    procent = params.beslagvrije_voet_op(dag)
    return afgerond(min(norm, inkomen) * int(procent * 100), 10_000)


def ruimte(norm: int, inkomen: int, dag: date, params: Parameters) -> int:
    """What a month's running benefit may give up towards claims: the income above the beslagvrije voet."""
    return max(0, inkomen - beslagvrije_voet(norm, inkomen, dag, params))


def los_af(vorderingen: list[Vordering], bedrag: int) -> tuple[list[Vordering], list[Aflossing], int]:
    """Pays off the open claims with `bedrag`, oldest first; returns the claims after it, what was paid
    off on which, and what is left of `bedrag` (for the person)."""
    over, na, afgelost = bedrag, [], []
    for v in sorted(vorderingen, key=lambda v: v.bron):
        deel = min(over, v.open)
        if deel:
            afgelost.append(Aflossing(v.bron, deel))
            over -= deel
        na.append(replace(v, open=v.open - deel))
    return [v for v in na if v.open], afgelost, over


def inhouding(vorderingen: list[Vordering], te_betalen: int, maximum: int) -> int:
    """What the running benefit of a month withholds: the open claims, at most the room above the
    beslagvrije voet, at most the municipality's instalment (`maximum`), never more than is payable."""
    return max(0, min(sum(v.open for v in vorderingen), te_betalen, maximum))

"""Stable income (the Surplus model): with the person's consent the wage is paid into the
municipality's intermediate account (tussenrekening) and the person receives the same amount
every month: what bijstand pays without any income (the norm minus the reserved holiday
allowance). Wage and bijstand go into the account: the household's wage, a partner's too, as
bijstand is the household's and counts both incomes; the balance is what is still owed to the
person (positive, e.g. the vrijlating they keep) or advanced to them (negative)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from decisions.domain.situatie import Betaalmodel, Situatie, geldend
from decisions.domain.verrekening import Verrekening, reservering
from schakel.primitives import Maand


@dataclass(frozen=True, slots=True)
class Boeking:
    maand: Maand
    loon: int  # the household's wage received into the account
    bijstand: int  # bijstand payable for the month
    vast_bedrag: int  # paid to the person
    saldo: int  # running balance after the month


def vast_bedrag(v: Verrekening, vakantietoeslag_procent: Decimal) -> int:
    return v.norm_bedrag - reservering(v.norm_bedrag, vakantietoeslag_procent)


def stabiel(situaties: list[Situatie], maand: Maand) -> bool:
    """Whether the month is paid as stable income, through the account."""
    return geldend(situaties, maand.eerste_dag).betaalmodel is Betaalmodel.stabiel_inkomen


def boekingen(verrekeningen: list[Verrekening], vakantietoeslag_procent: Decimal) -> list[Boeking]:
    """The months paid as stable income, in order, with the running balance."""
    saldo, result = 0, []
    for v in sorted(verrekeningen, key=lambda v: v.maand):
        if not v.tussenrekening:
            continue
        vast = vast_bedrag(v, vakantietoeslag_procent)
        loon = v.inkomen.ontvangen + (0 if v.partner is None else v.partner.inkomen.ontvangen)
        saldo += loon + v.te_betalen - vast
        result.append(Boeking(v.maand, loon, v.te_betalen, vast, saldo))
    return result

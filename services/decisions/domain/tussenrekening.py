"""Stable income (the Surplus model): with the person's consent the wage is paid into the
municipality's intermediate account (tussenrekening) and the person receives the same amount
every month: what bijstand pays without any income (the norm minus the reserved holiday
allowance). Wage and bijstand go into the account: the household's wage, a partner's too, as
bijstand is the household's and counts both incomes; the balance is what is still owed to the
person (positive, e.g. the vrijlating they keep) or advanced to them (negative).

What the account paid and received for a month is kept with its settlement (`Rekening`): the fixed
amount as it was first settled (a revision back in time does not change what the person got), the
work income paid into it (only that: a benefit or pension is paid to the person by its agency), also
a partner's whom a revision no longer counts in the household that month. When a revision lowers what a
month owes below the fixed amount paid (a cost-sharer, a partner gone, the case ended before it), the
difference is a claim, as an advance paid too much is: it comes back into the account."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from decisions.domain.inkomen import ARBEID, Inkomen
from decisions.domain.situatie import Betaalmodel, Situatie, geldend
from decisions.domain.verrekening import Rekening, Verrekening, reservering
from schakel.primitives import Maand


@dataclass(frozen=True, slots=True)
class Boeking:
    maand: Maand
    loon: int  # the household's wage received into the account
    bijstand: int  # bijstand payable for the month
    vast_bedrag: int  # paid to the person
    saldo: int  # running balance after the month
    teruggevorderd: int = 0  # of the fixed amount: claimed back from the person into the account


def vast_bedrag(v: Verrekening, vakantietoeslag_procent: Decimal) -> int:
    return v.norm_bedrag - reservering(v.norm_bedrag, vakantietoeslag_procent)


def loon(inkomen: Inkomen) -> int:
    """The work income paid into the account in the month under the employer's mandate: net, with the
    holiday allowance, also what was earned on days outside the case (it was paid all the same); not a
    benefit or pension, which its agency pays to the person."""
    if inkomen.overschreven:
        buiten = inkomen.buiten + inkomen.buiten_vakantiebijslag if not inkomen.overig else 0
    else:
        buiten = sum(b.buiten + b.buiten_vakantiebijslag for b in inkomen.bijdragen if b.soort == ARBEID)
    return inkomen.arbeid + buiten


def rekening(v: Verrekening, vakantietoeslag_procent: Decimal) -> Rekening:
    """What the account booked for a month settled the first time (or stored before it was kept)."""
    vast = vast_bedrag(v, vakantietoeslag_procent)
    return Rekening(vast, 0, loon(v.inkomen), 0 if v.partner is None else loon(v.partner.inkomen))


def geboekt(v: Verrekening, oud: Verrekening | None, vakantietoeslag_procent: Decimal) -> Verrekening:
    """A month on stable income as settled now, with what the account booked for it: the fixed amount paid
    as the month's settlement before (`oud`) had it, of which what the month owes no more is claimed back;
    the wage as now, a partner's kept when the month is settled without them now."""
    if not v.tussenrekening:
        return v
    nu = rekening(v, vakantietoeslag_procent)
    if oud is None:
        return replace(v, rekening=nu)
    eerder = oud.rekening if oud.rekening is not None else rekening(oud, vakantietoeslag_procent)
    vast = eerder.vast or nu.vast  # none paid on record (settled at nil after the end before): as owed now
    partnerloon = nu.partnerloon if v.partner is not None else eerder.partnerloon
    return replace(v, rekening=Rekening(vast, max(0, vast - nu.vast), nu.loon, partnerloon))


def stabiel(situaties: list[Situatie], maand: Maand) -> bool:
    """Whether the month is paid as stable income, through the account."""
    return geldend(situaties, maand.eerste_dag).betaalmodel is Betaalmodel.stabiel_inkomen


def boekingen(verrekeningen: list[Verrekening], vakantietoeslag_procent: Decimal) -> list[Boeking]:
    """The months paid as stable income, in order, with the running balance."""
    saldo, result = 0, []
    for v in sorted(verrekeningen, key=lambda v: v.maand):
        if not v.tussenrekening:
            continue
        r = v.rekening if v.rekening is not None else rekening(v, vakantietoeslag_procent)
        ontvangen = r.loon + r.partnerloon
        saldo += ontvangen + v.te_betalen - r.vast + r.terug
        result.append(Boeking(v.maand, ontvangen, v.te_betalen, r.vast, saldo, r.terug))
    return result

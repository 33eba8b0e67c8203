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
difference is a claim, as an advance paid too much is: it comes back into the account.

The account pays the fixed amount at the start of every month, long before the month's polis comes and it
is settled: when a change back in time (a new situation, an end) reaches months paid but not settled yet,
the fixed amount they were paid (`vaste_bedragen`, as the case stood before the change) is kept, and
settles them as a settled month's would (`geboekt`); a month so paid after the end is settled at nil."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from decisions.domain.inkomen import ARBEID, Inkomen
from decisions.domain.kalender import maandnorm
from decisions.domain.parameters import Parameters
from decisions.domain.situatie import Betaalmodel, Situatie, geldend
from decisions.domain.uitkering import Uitkering
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


def vast_bedrag(norm_bedrag: int, vakantietoeslag_procent: Decimal) -> int:
    """What the account pays a month with this norm (of its days in the case): the norm less the holiday
    allowance reserved from it."""
    return norm_bedrag - reservering(norm_bedrag, vakantietoeslag_procent)


def loon(inkomen: Inkomen) -> int:
    """The work income paid into the account in the month under the employer's mandate: net, with the
    holiday allowance, also what was earned on days outside the case (it was paid all the same); not a
    benefit or pension, which its agency pays to the person."""
    if inkomen.overschreven:
        buiten = inkomen.buiten + inkomen.buiten_vakantiebijslag if not inkomen.overig else 0
    else:
        buiten = sum(b.buiten + b.buiten_vakantiebijslag for b in inkomen.bijdragen if b.soort == ARBEID)
    return inkomen.arbeid + buiten


def rekening(v: Verrekening, vakantietoeslag_procent: Decimal, partner: str | None = None) -> Rekening:
    """What the account booked for a month settled the first time (or stored before it was kept); `partner`:
    the BSN of the month's partner, whose wage it is."""
    vast = vast_bedrag(v.norm_bedrag, vakantietoeslag_procent)
    partnerloon = 0 if v.partner is None else loon(v.partner.inkomen)
    per_partner = ((partner, partnerloon),) if partner is not None and v.partner is not None else ()
    return Rekening(vast, 0, loon(v.inkomen), partnerloon, per_partner)


def geboekt(
    v: Verrekening,
    oud: Verrekening | None,
    vakantietoeslag_procent: Decimal,
    vast: int | None = None,
    partner: str | None = None,
) -> Verrekening:
    """A month on stable income as settled now, with what the account booked for it: the fixed amount paid
    as the month's settlement before (`oud`) had it, or as kept when a change back in time reached it before
    it was settled (`vast`), of which what the month owes no more is claimed back; the applicant's wage as
    now, the wage of the month's partner (`partner`, by BSN) as now and that of a partner it was settled with
    before and counts no more (removed, or replaced by another) as booked then: it went into the account."""
    if not v.tussenrekening:
        return v
    nu = rekening(v, vakantietoeslag_procent, partner)
    if oud is None:
        if vast is None:
            return replace(v, rekening=nu)
        return replace(v, rekening=replace(nu, vast=vast, terug=max(0, vast - nu.vast)))
    eerder = oud.rekening if oud.rekening is not None else rekening(oud, vakantietoeslag_procent)
    betaald = eerder.vast or vast or nu.vast  # none paid on record (settled at nil after the end before): as owed now
    partnerloon, partners = _partnerloon(eerder, nu, v.partner is not None)
    return replace(v, rekening=Rekening(betaald, max(0, betaald - nu.vast), nu.loon, partnerloon, partners))


def _partnerloon(eerder: Rekening, nu: Rekening, met_partner: bool) -> tuple[int, tuple[tuple[str, int], ...]]:
    """The partners' wage on the account for a month settled again: each partner's as booked, today's
    partner's as now (a correction of their polis counts)."""
    if eerder.partnerloon and not eerder.partners:
        # booked before it was kept per person: whose is not known; today's partner's if there is one
        return (nu.partnerloon, nu.partners) if met_partner else (eerder.partnerloon, ())
    per_partner = dict(eerder.partners) | dict(nu.partners)
    return sum(per_partner.values()), tuple(sorted(per_partner.items()))


def vaste_bedragen(
    uitkering: Uitkering, situaties: list[Situatie], maanden: Iterable[Maand], params: Parameters
) -> dict[Maand, int]:
    """The fixed amount the account paid for each of these months of the case, with its dates and
    situations as they were when it paid (at the start of the month): the norm of the days in the case
    minus the holiday allowance reserved, as a settlement takes it. A month not on stable income or whose
    norm waits for a caseworker (nothing automatic was paid) has none."""
    result = {}
    for maand in maanden:
        if (
            geldend(situaties, max(maand.eerste_dag, uitkering.startdatum)).betaalmodel
            is not Betaalmodel.stabiel_inkomen
        ):
            continue
        if (norm_bedrag := maandnorm(uitkering, situaties, maand, params)) is not None:
            result[maand] = vast_bedrag(norm_bedrag, params.vakantietoeslag)
    return result


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

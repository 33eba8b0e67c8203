"""Attribution of pay periods to calendar months, and a person's net income per month.

Bijstand is decided per calendar month and income counts in the month in which it was earned
(art. 32 lid 1b Participatiewet). Default policy: a period's net work income is spread over the
months it covers in proportion to the days; a municipality may instead attribute the whole period
to the month of its end date. A period follows the policy of the municipality in charge on its first
day: after a move each period is attributed once and whole, and the new municipality's case never
changes how a period that began before it is attributed (only a month the two cases share can
still move, by a period that began in the new one's care). The netted holiday allowance counts in the month it is paid (the
period's end month). Days before the benefit started count nowhere. Parts are rounded so they
add up exactly to the period's total. Each contribution carries the kind of income of its period
(work, other, unknown: domain.inkomstensoort).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from income.domain.inkomstensoort import BIJSTAND, ONBEKEND, OVERIG, Soorttabel
from income.domain.polis import Aangifte, Netto, netto
from schakel.primitives import Maand, afgerond, soorten


class Toerekening(str, Enum):
    naar_rato = "naar-rato-van-dagen"
    einde_tijdvak = "maand-van-einde-tijdvak"


@dataclass(frozen=True, slots=True)
class Regel:
    """The current version of a declaration."""

    aangifte: Aangifte
    versie: int


@dataclass(frozen=True, slots=True)
class Bijdrage:
    """The part of one period that lands in one month, with everything needed to explain it."""

    maand: Maand
    regel: Regel
    netto: Netto
    dagen: int  # days of the period counted in this month
    dagen_tijdvak: int
    loon: int
    vakantiebijslag: int
    inkomstensoort: str

    @property
    def aandeel(self) -> Aandeel:
        a = self.regel.aangifte
        return Aandeel(
            a.loonheffingennummer,
            a.inkomstenverhouding,
            a.einde_inkomstenverhouding,
            a.tijdvak_begin,
            a.tijdvak_einde,
            self.regel.versie,
            self.dagen,
            self.dagen_tijdvak,
            self.loon,
            self.vakantiebijslag,
            self.netto,
            a.soort_inkomstenverhouding,
            self.inkomstensoort,
        )


@dataclass(frozen=True, slots=True)
class Aandeel:
    """What a month's established figure keeps of one contribution: enough to explain it later,
    without the declaration itself."""

    loonheffingennummer: str
    inkomstenverhouding: int
    einde_inkomstenverhouding: date | None
    tijdvak_begin: date
    tijdvak_einde: date
    versie: int
    dagen: int
    dagen_tijdvak: int
    loon: int
    vakantiebijslag: int
    netto: Netto
    soort_inkomstenverhouding: str | None = None
    inkomstensoort: str = ONBEKEND  # a figure stored before the kinds were known: classified when recomputed


def verdeling(totaal: int, aandelen: Iterable[Aandeel]) -> tuple[int, int, int]:
    """A month's total (net plus holiday allowance) as (work, other, unknown): other and unknown as the
    polis lines say, up to the total (an override by the municipality states the total), the rest work."""
    aandelen = list(aandelen)

    def van(soort: str) -> int:
        return sum(a.loon + a.vakantiebijslag for a in aandelen if a.inkomstensoort == soort)

    overig, onbekend = soorten(totaal, van(OVERIG), van(ONBEKEND))
    return totaal - overig - onbekend, overig, onbekend


@dataclass(frozen=True, slots=True)
class Maandinkomen:
    maand: Maand
    loon: int
    vakantiebijslag: int
    bijdragen: tuple[Bijdrage, ...]


def verdeel(totaal: int, gewichten: list[int]) -> list[int]:
    """Splits an amount in proportion to the weights; the parts always add up to the total
    (rounding the running sum instead of each part)."""
    noemer = sum(gewichten)
    if noemer == 0:
        return [0] * len(gewichten)
    parts, cumulatief, vorige = [], 0, 0
    for gewicht in gewichten:
        cumulatief += gewicht
        tot_hier = afgerond(totaal * cumulatief, noemer)
        parts.append(tot_hier - vorige)
        vorige = tot_hier
    return parts


def _dagen_per_maand(begin: date, einde: date) -> list[tuple[Maand, int]]:
    result, dag = [], begin
    while dag <= einde:
        maand = Maand.van(dag)
        tot = min(einde, maand.laatste_dag)
        result.append((maand, (tot - dag).days + 1))
        dag = tot + timedelta(days=1)
    return result


def toerekenen(regel: Regel, aanvang: date | None, beleid: Toerekening, soorten: Soorttabel) -> list[Bijdrage]:
    """The period's contributions to calendar months, leaving out the days before `aanvang`. A period
    is earned on the days the income relationship ran in it: a WW benefit that ends on the 15th
    (its end date on the declaration) was earned up to then, so in the Max-WW overlap month it does
    not count in the bijstand that starts the day after."""
    a = regel.aangifte
    soort = soorten.soort(a.soort_inkomstenverhouding, a.tijdvak_einde)
    n = netto(a)
    begin = max(a.tijdvak_begin, a.aanvang_inkomstenverhouding)
    einde = min(a.tijdvak_einde, a.einde_inkomstenverhouding or a.tijdvak_einde)
    if begin > einde:  # the relationship's dates do not meet the period: the whole period counts
        begin, einde = a.tijdvak_begin, a.tijdvak_einde
    dagen_tijdvak = (einde - begin).days + 1
    eerste = max(begin, aanvang) if aanvang else begin
    if eerste > einde:
        return []
    dagen_ervoor = (eerste - begin).days
    per_maand = _dagen_per_maand(eerste, einde)
    if beleid is Toerekening.einde_tijdvak:
        per_maand = [(Maand.van(a.tijdvak_einde), sum(d for _, d in per_maand))]
    # the first weight is the uncounted stretch before the benefit started
    loon = verdeel(n.loon, [dagen_ervoor] + [d for _, d in per_maand])[1:]
    vakantiebijslag = verdeel(n.vakantiebijslag, [dagen_ervoor, dagen_tijdvak - dagen_ervoor])[1]
    laatste = len(per_maand) - 1
    return [
        Bijdrage(maand, regel, n, dagen, dagen_tijdvak, loon[i], vakantiebijslag if i == laatste else 0, soort)
        for i, (maand, dagen) in enumerate(per_maand)
    ]


# a quarter, the longest pay period the polis knows (polis.tijdvaksoort): a period that counts in a
# month began at most this long before the month's first day
LANGSTE_TIJDVAK = timedelta(days=92)


def begint_tussen(maanden: Iterable[Maand]) -> tuple[date, date]:
    """The first and last day on which a period that contributes to any of `maanden` can begin."""
    maanden = list(maanden)
    return min(maanden).eerste_dag - LANGSTE_TIJDVAK, max(maanden).laatste_dag


def maanden_van(a: Aangifte) -> set[Maand]:
    """Every month a period can contribute to, whatever the policy."""
    return {m for m, _ in _dagen_per_maand(a.tijdvak_begin, a.tijdvak_einde)}


def maandinkomens(
    regels: Iterable[Regel],
    aanvang: date | None,
    beleid: Callable[[date], Toerekening],
    maanden: set[Maand],
    soorten: Soorttabel,
) -> dict[Maand, Maandinkomen]:
    """A person's net income for each of `maanden`, summed over all employers and periods; `beleid`
    gives the policy of the municipality in charge on a day, and a period follows it on its first day."""
    per_maand: dict[Maand, list[Bijdrage]] = defaultdict(list)
    van, tot = min(maanden).eerste_dag, max(maanden).laatste_dag
    for regel in regels:
        a = regel.aangifte  # the dates first: most periods read lie wholly outside the months
        if a.tijdvak_begin <= tot and a.tijdvak_einde >= van and maanden_van(a) & maanden:
            for bijdrage in toerekenen(regel, aanvang, beleid(a.tijdvak_begin), soorten):
                per_maand[bijdrage.maand].append(bijdrage)
    # the bijstand itself on the polis stays on the month's lines, but is nobody's means
    telt = {m: [b for b in per_maand[m] if b.inkomstensoort != BIJSTAND] for m in maanden}
    return {
        m: Maandinkomen(
            m,
            sum(b.loon for b in telt[m]),
            sum(b.vakantiebijslag for b in telt[m]),
            tuple(sorted(per_maand[m], key=lambda b: b.regel.aangifte.sleutel)),
        )
        for m in sorted(maanden)
    }


def verhoudingen_beeindigd(bijdragen: Iterable[Aandeel]) -> bool:
    """Whether every employment relationship that paid in the month reported its end (a re-application
    asks it: the polis shows the job ended)."""
    betaald = [b for b in bijdragen if b.loon]
    return bool(betaald) and all(b.einde_inkomstenverhouding is not None for b in betaald)

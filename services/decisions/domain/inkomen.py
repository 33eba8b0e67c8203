"""A person's income in a month as the income service established it, split by kind (art. 31 lid 2
Participatiewet: the vrijlatingen are for income from work only; benefits such as WW, ZW and WIA
and pensions count in full). The income service classifies each polis line by its kind of income
relationship; a kind it does not know stays `onbekend` until a caseworker judges it (an `Oordeel`
per employer and income relationship, with a reason): Schakel never guesses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from schakel.primitives import Maand, afgerond, soorten

ARBEID, OVERIG, ONBEKEND, BIJSTAND = "arbeid", "overig", "onbekend", "bijstand"


@dataclass(frozen=True, slots=True)
class Bijdrage:
    """One employer's period that counts in the month (from the income service)."""

    loonheffingennummer: str
    inkomstenverhouding: int
    tijdvak_begin: date
    tijdvak_einde: date
    netto: int
    soort: str = ARBEID  # arbeid, overig, onbekend, or bijstand (the benefit itself: in no total)
    vakantiebijslag: int = 0  # the netted holiday allowance of this period counted in the month
    soort_inkomstenverhouding: str | None = None  # the polis code (SrtIV)
    fiscaal_loon: int | None = None  # the period's fiscal wage counted in the month (None: not kept then)
    # the days of the month the period was earned on (None: not known, as before 2026-12-05)
    verdiend: tuple[date, date] | None = None
    buiten: int = 0  # of its net income: earned on days outside the case, not counted
    buiten_vakantiebijslag: int = 0  # and of its holiday allowance

    @property
    def dienstverband(self) -> tuple[str, int]:
        return self.loonheffingennummer, self.inkomstenverhouding


@dataclass(frozen=True, slots=True)
class Inkomen:
    netto: int  # net income of the month (work and other), without the holiday allowance
    vakantiebijslag: int  # netted holiday allowance paid in the month
    bijdragen: tuple[Bijdrage, ...] = ()
    overig: int = 0  # of the total: benefits and pensions
    onbekend: int = 0  # of the total: a kind not known, for a caseworker
    # established by the municipality (from a payslip) instead of the polis: its lines are the polis's
    overschreven: bool = False
    # of an established month in a case that covers it in part: what counts for its other days
    buiten: int = 0
    buiten_vakantiebijslag: int = 0

    @property
    def totaal(self) -> int:
        return self.netto + self.vakantiebijslag

    @property
    def ontvangen(self) -> int:
        """What was paid out in the month, also what was earned on days outside the case (not counted)."""
        return self.totaal + self.buiten_netto + self.buiten_vakantiebijslag_totaal

    @property
    def buiten_netto(self) -> int:
        """Of the net income (the stated amount, or the polis's lines): what its other days had."""
        return self.buiten if self.overschreven else sum(b.buiten for b in self.bijdragen if b.soort != BIJSTAND)

    @property
    def buiten_vakantiebijslag_totaal(self) -> int:
        """Of the holiday allowance: what was paid on days outside the case."""
        if self.overschreven:
            return self.buiten_vakantiebijslag
        return sum(b.buiten_vakantiebijslag for b in self.bijdragen if b.soort != BIJSTAND)

    @property
    def arbeid(self) -> int:
        """Net income from work, holiday allowance included: what a vrijlating is taken of."""
        return self.totaal - self.overig - self.onbekend

    @property
    def dienstverbanden(self) -> frozenset[str]:
        """The employments with work income in the month (in balans: a new one restarts the vrijlating)."""
        return frozenset(
            f"{b.loonheffingennummer}/{b.inkomstenverhouding}" for b in self.bijdragen if b.netto and b.soort == ARBEID
        )


GEEN = Inkomen(0, 0)


@dataclass(frozen=True, slots=True)
class Oordeel:
    """A caseworker's judgement of an income relationship whose kind the table does not know."""

    loonheffingennummer: str
    inkomstenverhouding: int
    soort: str  # arbeid or overig
    reden: str


# a case's judgements: per person whose income it is (their pseudonym), by (loonheffingennummer,
# inkomstenverhouding): employers number relationships per employee, so a partner's may share both
Oordelen = dict[str, dict[tuple[str, int], Oordeel]]


def beoordeeld(inkomen: Inkomen, oordelen: Mapping[tuple[str, int], Oordeel]) -> Inkomen:
    """The month's income with the caseworker's judgements applied to its unknown contributions: the
    kinds split again as the income service splits them (a negative line of a kind takes off no more
    than there is, whatever the order of the lines)."""
    if not inkomen.onbekend:
        return inkomen
    bijdragen = tuple(
        replace(b, soort=oordeel.soort)
        if b.soort == ONBEKEND and (oordeel := oordelen.get(b.dienstverband)) is not None
        else b
        for b in inkomen.bijdragen
    )
    overig, onbekend = _soorten(inkomen.totaal, [b for b in bijdragen if b.soort != BIJSTAND])
    return replace(inkomen, bijdragen=bijdragen, overig=overig, onbekend=onbekend)


def open_vragen(inkomen: Inkomen) -> tuple[Bijdrage, ...]:
    """The contributions whose kind a caseworker must still judge."""
    # (not one whose pay was all earned on days outside the case: it counts for nothing)
    return (
        tuple(b for b in inkomen.bijdragen if b.soort == ONBEKEND and b.netto + b.vakantiebijslag)
        if inkomen.onbekend
        else ()
    )


def verdiend_op(
    maand: Maand, dagen: int, tijdvak: tuple[date, date], einde_verhouding: date | None
) -> tuple[date, date] | None:
    """The days of `maand` on which the income service counted a pay period: its `dagen` in the month,
    which end where the period (or the income relationship within it) ends, or at the month's end. None
    when they cannot lie in the month (a municipality's policy put a longer period in the month it ends)."""
    begin, einde = tijdvak
    if einde_verhouding is not None and begin <= einde_verhouding < einde:
        einde = einde_verhouding  # earned up to the relationship's end (one ending before the period: whole)
    laatste = min(einde, maand.laatste_dag)
    eerste = laatste - timedelta(days=dagen - 1)
    return (eerste, laatste) if dagen > 0 and eerste >= max(begin, maand.eerste_dag) else None


def binnen(inkomen: Inkomen, eerste: date, laatste: date) -> Inkomen:
    """The month's income earned on the days from `eerste` to `laatste`, those of a case that covers the
    month in part (art. 32 lid 1: income counts in the period it was earned in, and days outside the
    case had no bijstand to reduce). A pay period counts for its days within them, in proportion (half
    up); its holiday allowance counts in the month it is paid (DOMAIN §2), so whole when the period
    ends (is paid) within them and not at all when after or before. One whose days are not known
    counts whole, and so does the bijstand on the polis (it is no income). Its fiscal wage stays
    whole: toeslagen count the year's income, with or without bijstand. A month the municipality
    established itself says how much, not on which days: it counts in proportion to the days (so
    two cases that share the month, one ending and one starting, count it once between them)."""
    if inkomen.overschreven:
        return _naar_dagen(inkomen, eerste, laatste)
    if all(b.verdiend is None for b in inkomen.bijdragen):
        return inkomen
    bijdragen = []
    for b in inkomen.bijdragen:
        if b.verdiend is None or b.soort == BIJSTAND:
            bijdragen.append(b)
            continue
        van, tot = b.verdiend
        dagen = (tot - van).days + 1
        telt = max(0, (min(tot, laatste) - max(van, eerste)).days + 1)
        betaald = eerste <= tot <= laatste
        if telt == dagen and betaald:
            bijdragen.append(b)
            continue
        netto, vakantiebijslag = afgerond(b.netto * telt, dagen), b.vakantiebijslag if betaald else 0
        bijdragen.append(
            replace(
                b,
                netto=netto,
                vakantiebijslag=vakantiebijslag,
                verdiend=(max(van, eerste), min(tot, laatste)) if telt else None,
                buiten=b.netto - netto,
                buiten_vakantiebijslag=b.vakantiebijslag - vakantiebijslag,
            )
        )
    telt_mee = [b for b in bijdragen if b.soort != BIJSTAND]
    netto, vakantiebijslag = sum(b.netto for b in telt_mee), sum(b.vakantiebijslag for b in telt_mee)
    return Inkomen(netto, vakantiebijslag, tuple(bijdragen), *_soorten(netto + vakantiebijslag, telt_mee))


def _naar_dagen(inkomen: Inkomen, eerste: date, laatste: date) -> Inkomen:
    maand = Maand.van(eerste)
    # the polis's lines, over the days they were earned on, give the holiday allowance (counted where
    # its period was paid) and the kinds; the stated amount counts by the days, its parts adding up to
    # it over the month
    polis = binnen(
        replace(inkomen, overschreven=False, bijdragen=tuple(_met_dagen(b, maand) for b in inkomen.bijdragen)),
        eerste,
        laatste,
    )
    netto = _dagdeel(inkomen.netto, maand, eerste, laatste)
    per_regel = sum(b.vakantiebijslag for b in inkomen.bijdragen if b.soort != BIJSTAND) == inkomen.vakantiebijslag
    # (lines from before they carried their holiday allowance: by the days too)
    vakantiebijslag = polis.vakantiebijslag if per_regel else _dagdeel(inkomen.vakantiebijslag, maand, eerste, laatste)
    overig, onbekend = _soorten(netto + vakantiebijslag, [b for b in polis.bijdragen if b.soort != BIJSTAND])
    return replace(
        inkomen,
        netto=netto,
        vakantiebijslag=vakantiebijslag,
        bijdragen=polis.bijdragen,
        overig=overig,
        onbekend=onbekend,
        buiten=inkomen.netto - netto,
        buiten_vakantiebijslag=inkomen.vakantiebijslag - vakantiebijslag,
    )


def _met_dagen(b: Bijdrage, maand: Maand) -> Bijdrage:
    """A line whose days were not kept (an established month stored before they were), as earned
    evenly over its period's days in the month (or, a period that cannot lie in it, over the month)."""
    if b.verdiend is not None:
        return b
    van, tot = max(b.tijdvak_begin, maand.eerste_dag), min(b.tijdvak_einde, maand.laatste_dag)
    return replace(b, verdiend=(van, tot) if van <= tot else (maand.eerste_dag, maand.laatste_dag))


def _dagdeel(bedrag: int, maand: Maand, eerste: date, laatste: date) -> int:
    """The part of a month's amount for the days from `eerste` to `laatste`, rounded so that the parts
    of consecutive days add up to the whole (up to a day: what the days before it leave)."""
    return afgerond(bedrag * laatste.day, maand.dagen) - afgerond(bedrag * (eerste.day - 1), maand.dagen)


def _soorten(totaal: int, bijdragen: list[Bijdrage]) -> tuple[int, int]:
    """(other, unknown) of a month's total as its lines of each kind say (`schakel.primitives.soorten`)."""

    def van(soort: str) -> int:
        return sum(b.netto + b.vakantiebijslag for b in bijdragen if b.soort == soort)

    return soorten(totaal, van(OVERIG), van(ONBEKEND))

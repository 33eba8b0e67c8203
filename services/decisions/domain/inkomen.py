"""A person's income in a month as the income service established it, split by kind (art. 31 lid 2
Participatiewet: the vrijlatingen are for income from work only; benefits such as WW, ZW and WIA
and pensions count in full). The income service classifies each polis line by its kind of income
relationship; a kind it does not know stays `onbekend` until a caseworker judges it (an `Oordeel`
per employer and income relationship, with a reason): Schakel never guesses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

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

    @property
    def totaal(self) -> int:
        return self.netto + self.vakantiebijslag

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


def beoordeeld(inkomen: Inkomen, oordelen: Mapping[tuple[str, int], Oordeel]) -> Inkomen:
    """The month's income with the caseworker's judgements applied to its unknown contributions."""
    if not inkomen.onbekend:
        return inkomen
    bijdragen, overig, onbekend = [], inkomen.overig, inkomen.onbekend
    for b in inkomen.bijdragen:
        oordeel = oordelen.get(b.dienstverband)
        if b.soort == ONBEKEND and oordeel is not None:
            bedrag = min(b.netto + b.vakantiebijslag, onbekend)
            onbekend -= bedrag
            overig += bedrag if oordeel.soort == OVERIG else 0
            b = replace(b, soort=oordeel.soort)
        bijdragen.append(b)
    return replace(inkomen, bijdragen=tuple(bijdragen), overig=overig, onbekend=onbekend)


def open_vragen(inkomen: Inkomen) -> tuple[Bijdrage, ...]:
    """The contributions whose kind a caseworker must still judge."""
    return tuple(b for b in inkomen.bijdragen if b.soort == ONBEKEND) if inkomen.onbekend else ()

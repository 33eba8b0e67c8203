"""Calendar month (year-month): the period bijstand is decided over."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")
NL = ZoneInfo("Europe/Amsterdam")  # legal days are Dutch calendar days


def dag_van(moment: datetime) -> date:
    """The Dutch day of an instant: 23:30 UTC on 31 December is New Year's Day."""
    return moment.astimezone(NL).date()


def middernacht(dag: date) -> datetime:
    """The instant (UTC) a Dutch day begins: the bound of a day for what is stored as an instant."""
    return datetime.combine(dag, time(), NL).astimezone(UTC)


# dates and months in a contract lie from 1900-01-01 to 2100-12-31, as patterns integrators can read
_JAAR = r"(19[0-9]{2}|20[0-9]{2}|2100)"
DATUM_PATTERN = rf"^{_JAAR}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
MAAND_PATTERN = rf"^{_JAAR}-(0[1-9]|1[0-2])$"
MOMENT_PATTERN = rf"^{_JAAR}-"  # a date-time's year (its format says the rest)


@dataclass(frozen=True, slots=True, order=True)
class Maand:
    jaar: int
    maand: int

    def __post_init__(self) -> None:
        if not 1 <= self.maand <= 12 or not 1900 <= self.jaar <= 9999:
            raise ValueError("een maand is JJJJ-MM met MM van 01 tot en met 12")

    @classmethod
    def parse(cls, text: str) -> Maand:
        match = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if not match:
            raise ValueError("een maand is JJJJ-MM, bijv. 2026-01")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def van(cls, dag: date) -> Maand:
        return cls(dag.year, dag.month)

    @property
    def eerste_dag(self) -> date:
        return date(self.jaar, self.maand, 1)

    @property
    def laatste_dag(self) -> date:
        return date(self.jaar, self.maand, self.dagen)

    @property
    def dagen(self) -> int:
        return calendar.monthrange(self.jaar, self.maand)[1]

    def volgende(self) -> Maand:
        return Maand(self.jaar + self.maand // 12, self.maand % 12 + 1)

    def verschoven(self, maanden: int) -> Maand:
        """The month `maanden` later (earlier when negative)."""
        index = self.jaar * 12 + self.maand - 1 + maanden
        return Maand(index // 12, index % 12 + 1)

    def tot(self, later: Maand) -> int:
        """How many months `later` comes after this one (negative when it comes before)."""
        return (later.jaar - self.jaar) * 12 + later.maand - self.maand

    def __str__(self) -> str:
        return f"{self.jaar:04d}-{self.maand:02d}"


MAANDNAMEN = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def maandnaam(maand: Maand) -> str:
    """The month as a citizen reads it: "mei 2026"."""
    return f"{MAANDNAMEN[maand.maand - 1]} {maand.jaar}"


def dagnaam(dag: date) -> str:
    """The day as a citizen reads it: "15 mei 2026"."""
    return f"{dag.day} {maandnaam(Maand.van(dag))}"


def verrekend_vanaf(dag: date, startdatum: date | None) -> date:
    """The first day a household situation from `dag` is settled with: a month settles with the household
    of its first day (or of the case's start, None: not known), so one from within a month counts from
    the next. Decisions settles so; income shows a partner's income to the case's municipality so."""
    return dag if dag in (startdatum, Maand.van(dag).eerste_dag) else Maand.van(dag).volgende().eerste_dag


def geldig_op(tabel: Sequence[tuple[date, T]], dag: date) -> T:
    """A dated table's value on a day: its rows are (valid from, value) in date order, each valid until
    the next."""
    return next(waarde for vanaf, waarde in reversed(tabel) if dag >= vanaf)


def leeftijd(geboortedatum: date, op: date) -> int:
    """Age in whole years on a day (born on 29 February: a year older on 1 March in other years)."""
    return op.year - geboortedatum.year - ((op.month, op.day) < (geboortedatum.month, geboortedatum.day))


def plus_maanden(dag: date, maanden: int) -> date:
    """The same day `maanden` months later, or that month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = dag.month - 1 + maanden
    jaar, maand = dag.year + index // 12, index % 12 + 1
    return date(jaar, maand, min(dag.day, calendar.monthrange(jaar, maand)[1]))

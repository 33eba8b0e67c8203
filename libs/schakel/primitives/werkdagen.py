"""Working days as Dutch law counts them (Algemene termijnenwet art. 3): not a Saturday, a Sunday or
a generally recognised public holiday. Those are New Year's Day, Easter Monday, Ascension Day, Whit
Monday, Christmas and Boxing Day, the day the King's birthday is celebrated (27 April, or 26 April
when the 27th is a Sunday) and 5 May. Good Friday is not one."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def pasen(jaar: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus)."""
    a, b, c = jaar % 19, jaar // 100, jaar % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    maand, dag = divmod(h + ell - 7 * m + 114, 31)
    return date(jaar, maand, dag + 1)


@cache
def feestdagen(jaar: int) -> frozenset[date]:
    paaszondag = pasen(jaar)
    koningsdag = date(jaar, 4, 27)
    if koningsdag.weekday() == 6:
        koningsdag = date(jaar, 4, 26)
    return frozenset(
        {
            date(jaar, 1, 1),
            paaszondag + timedelta(days=1),  # Easter Monday
            paaszondag + timedelta(days=39),  # Ascension Day
            paaszondag + timedelta(days=50),  # Whit Monday
            koningsdag,
            date(jaar, 5, 5),
            date(jaar, 12, 25),
            date(jaar, 12, 26),
        }
    )


def is_werkdag(dag: date) -> bool:
    return dag.weekday() < 5 and dag not in feestdagen(dag.year)


def werkdagen_na(dag: date, aantal: int) -> date:
    """The `aantal`-th working day after `dag`."""
    while aantal > 0:
        dag += timedelta(days=1)
        aantal -= is_werkdag(dag)
    return dag

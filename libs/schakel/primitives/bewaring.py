"""Retention (AVG art. 5(1)(e), storage limitation), as every service applies it to what it keeps
about a person: kept while anything of theirs runs, and for a number of months after the last of
it ended. Each service documents what it keeps and which ends count (its service/bewaring.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from schakel.primitives.periode import plus_maanden


def bewaren_tot(vandaag: date, retentie_maanden: int) -> date:
    """A person whose last case, window or request ended before this day is no longer kept."""
    return plus_maanden(vandaag, -retentie_maanden)


def uitgestroomd(einden: Mapping[str, Sequence[date | None]], tot: date) -> list[str]:
    """The persons whose every record ended (`None`: still running) before `tot`."""
    return sorted(p for p, e in einden.items() if e and all(d is not None and d < tot for d in e))

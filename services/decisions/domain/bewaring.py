"""Retention (AVG art. 5(1)(e), storage limitation). Decisions keeps a person's cases with their
situations, payments, settlements, exit proposals and history, and the person's incomes and
participation status, while a case runs and for `retentie_maanden` after their last case ended:
long enough to revise the last months when a late polis correction arrives. The municipality's
own file (its back office, fed by the webhooks and events) is the record it archives under its
selection list. A finished webhook delivery (its body names the person) is kept a few days, for
the delivery log."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from schakel.primitives import plus_maanden


def bewaren_tot(vandaag: date, retentie_maanden: int) -> date:
    """A person whose last case ended before this day is no longer kept."""
    return plus_maanden(vandaag, -retentie_maanden)


def uitgestroomd(einden: Mapping[str, Sequence[date | None]], tot: date) -> list[str]:
    """The persons whose every case ended (`None`: still running) before `tot`."""
    return sorted(p for p, e in einden.items() if e and all(d is not None and d < tot for d in e))

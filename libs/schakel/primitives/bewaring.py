"""Retention (AVG art. 5(1)(e), storage limitation), as every service applies it to what it keeps
about a person: kept while anything of theirs runs, and for a number of months after the last of
it ended. Each service documents what it keeps and which ends count (its service/bewaring.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date, timedelta

from schakel.ports import UnitOfWorkBase
from schakel.primitives.periode import plus_maanden

# what is kept beside a record about someone no record holds is looked for once a day (it reads
# every such row), in seconds
LOS_INTERVAL = 86_400
# a participation status (registration's) that gives nothing any more: nothing registered, or only a
# negative advice; a copy of it elsewhere is kept no longer than anything else about the person
AFGELOPEN = frozenset({"geen", "advies-negatief"})


def bewaren_tot(vandaag: date, retentie_maanden: int) -> date:
    """A person whose last case, window or request ended before this day is no longer kept: what ended
    on a day is kept through the same day `retentie_maanden` later (`plus_maanden`), no longer."""
    tot = plus_maanden(vandaag, -retentie_maanden)
    # counting back clamps to a shorter month's end (31 March - 1 month = 28 February), yet what ended on
    # 28 February was kept through 28 March only: step past the ends whose retention already ran out
    while plus_maanden(tot, retentie_maanden) < vandaag:
        tot += timedelta(days=1)
    return tot


def uitgestroomd(einden: Mapping[str, Sequence[date | None]], tot: date) -> list[str]:
    """The persons whose every record ended (`None`: still running) before `tot`."""
    return sorted(p for p, e in einden.items() if e and all(d is not None and d < tot for d in e))


async def vastgehouden(uow: UnitOfWorkBase, uitgestroomd: Callable[[], Awaitable[list[str]]]) -> list[str]:
    """The persons `uitgestroomd()` names and still names once they are held: a change about one of
    them that committed between the question and the lock (a new case, a re-application) keeps them.
    On PostgreSQL a delete sees every row committed before it, also one its question did not see."""
    await uow.vergrendel(*(gehouden := await uitgestroomd()))
    return sorted(set(gehouden) & set(await uitgestroomd()))

"""The holiday allowance (vakantietoeslag) a case builds up (DOMAIN.md §3): 5% of the bijstand granted
each month is reserved and paid out in June for the twelve months June to May before it, or within
three months after the benefit ends, if that comes first. Pure rules: no framework, no I/O.

A settled month reserves what its settlement says. A month of the case not settled (yet) is paid an
advance on the assumption that there is no income, so it reserves as a month without income: 5% of
the norm for its days. Its reservation is provisional: income that arrives later lowers it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from decisions.domain.verrekening import Verrekening, maandnaam
from schakel.primitives import Bedrag, Maand, afgerond
from schakel.primitives.periode import plus_maanden

UITBETAALMAAND = 6  # June, for the months June to May before it
NA_EINDE_MAANDEN = 3  # at the latest this many months after the benefit ended


@dataclass(frozen=True, slots=True)
class Reservering:
    maand: Maand
    bedrag: int | None  # None: the norm waits for a caseworker, so the reservation is not known yet
    verrekend: bool  # False: reserved as without income until the month is settled


@dataclass(frozen=True, slots=True)
class Opbouw:
    """The holiday allowance of one payout: the case's months it was built up in, and when it is due."""

    maanden: tuple[Reservering, ...]
    uiterlijk: date  # paid out at the latest on this day
    einddatum: date | None  # the benefit's end, when it is paid out for that

    @property
    def bedrag(self) -> int:
        return sum(r.bedrag or 0 for r in self.maanden)

    @property
    def voorlopig(self) -> bool:
        """Whether a month may still change it: not settled yet, or its norm not known."""
        return not all(r.verrekend and r.bedrag is not None for r in self.maanden)


def uitbetaaljaar(maand: Maand) -> int:
    """The year whose June pays out the allowance reserved in `maand`."""
    return maand.jaar if maand.maand < UITBETAALMAAND else maand.jaar + 1


def reservering(norm_bedrag: int, procent: int) -> int:
    """What a month without income reserves: its bijstand is the norm for its days."""
    return afgerond(norm_bedrag * procent, 100)


def opbouw(
    maanden: list[Maand],
    einddatum: date | None,
    verrekend: Mapping[Maand, Verrekening],
    zonder_inkomen: Callable[[Maand], int | None],
) -> list[Opbouw]:
    """The case's payouts, oldest first, from its `maanden` (in order): a settled month reserves what its
    settlement says, another what `zonder_inkomen` gives (None: not known). The payout whose months
    include the end is due within three months after it, when that is before its June."""
    perioden: dict[int, list[Reservering]] = {}
    for maand in maanden:
        v = verrekend.get(maand)
        r = (
            Reservering(maand, v.vakantietoeslag, True)
            if v is not None
            else Reservering(maand, zonder_inkomen(maand), False)
        )
        perioden.setdefault(uitbetaaljaar(maand), []).append(r)
    result = []
    for jaar, rij in perioden.items():
        juni = date(jaar, UITBETAALMAAND, 30)
        einde = einddatum if einddatum is not None and uitbetaaljaar(Maand.van(einddatum)) == jaar else None
        uiterlijk = juni if einde is None else min(juni, plus_maanden(einde, NA_EINDE_MAANDEN))
        result.append(Opbouw(tuple(rij), uiterlijk, einde))
    return result


def _datum(d: date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year:04d}"


def uitleg(o: Opbouw, procent: int) -> str:
    """The payout in plain Dutch, for the person."""
    van, tot = maandnaam(o.maanden[0].maand), maandnaam(o.maanden[-1].maand)
    maanden = van if van == tot else f"{van} tot en met {tot}"
    zinnen = [f"Over {maanden} reserveren we {procent}% van uw bijstand als vakantietoeslag: {Bedrag(o.bedrag)}."]
    if open_ := [r.maand for r in o.maanden if not r.verrekend or r.bedrag is None]:
        namen = ", ".join(maandnaam(m) for m in open_)
        zinnen.append(
            f"Over {namen} is de bijstand nog niet verrekend: daar rekenen we met de bijstand zonder inkomen "
            "(een maand die op een consulent wacht, telt nog niet mee). Dit bedrag kan dus nog veranderen."
        )
    if o.einddatum is not None:
        zinnen.append(
            f"Uw bijstand loopt tot en met {_datum(o.einddatum)}: u krijgt deze vakantietoeslag uiterlijk op "
            f"{_datum(o.uiterlijk)}."
        )
    else:
        zinnen.append(f"U krijgt deze vakantietoeslag in juni {o.uiterlijk.year}.")
    return " ".join(zinnen)

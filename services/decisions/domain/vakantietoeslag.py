"""The holiday allowance (vakantietoeslag) a case builds up (DOMAIN.md §3): 5% of the bijstand granted
each month is reserved and paid out in June for the twelve months June to May before it, or within
three months after the benefit ends, if that comes first. Pure rules: no framework, no I/O.

A settled month reserves what its settlement says. A month not settled whose polis is not yet due is
paid an advance on the bijstand expected from the last settled months, and reserves from that: a
provisional figure, which its settlement replaces. A month whose polis came due without any income
of the household had none, so it reserves from the whole norm for its days.
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
    bedrag: int | None  # None: the month's norm is not known yet (a caseworker sets it, or no tables yet)
    verrekend: bool
    voorlopig: bool  # the month may still change it: not settled while its polis is not due, or norm unknown


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
        return any(r.voorlopig for r in self.maanden)


def uitbetaaljaar(maand: Maand) -> int:
    """The year whose June pays out the allowance reserved in `maand`."""
    return maand.jaar if maand.maand < UITBETAALMAAND else maand.jaar + 1


def reservering(bijstand: int, procent: int) -> int:
    """What a month with this bijstand reserves."""
    return afgerond(bijstand * procent, 100)


def opbouw(
    maanden: list[Maand],
    einddatum: date | None,
    verrekend: Mapping[Maand, Verrekening],
    onverrekend: Callable[[Maand], tuple[int | None, bool]],
) -> list[Opbouw]:
    """The case's payouts, oldest first, from its `maanden` (in order): a settled month reserves what its
    settlement says, another what `onverrekend` gives (the amount, None when not known; and whether it
    is provisional). The payout whose months include the end is due within three months after it, when
    that is before its June."""
    perioden: dict[int, list[Reservering]] = {}
    for maand in maanden:
        v = verrekend.get(maand)
        if v is not None:
            r = Reservering(maand, v.vakantietoeslag, True, False)
        else:
            bedrag, voorlopig = onverrekend(maand)
            r = Reservering(maand, bedrag, False, voorlopig or bedrag is None)
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


def _namen(maanden: list[Maand]) -> str:
    namen = [maandnaam(m) for m in maanden]
    return namen[0] if len(namen) == 1 else f"{', '.join(namen[:-1])} en {namen[-1]}"


def uitleg(o: Opbouw, procent: int, vandaag: date) -> str:
    """The payout in plain Dutch, for the person."""
    van, tot = maandnaam(o.maanden[0].maand), maandnaam(o.maanden[-1].maand)
    maanden = van if van == tot else f"{van} tot en met {tot}"
    zinnen = [f"Over {maanden} reserveren we {procent}% van uw bijstand als vakantietoeslag: {Bedrag(o.bedrag)}."]
    if verwacht := [r.maand for r in o.maanden if r.voorlopig and r.bedrag is not None]:
        zinnen.append(
            f"Over {_namen(verwacht)} is de bijstand nog niet verrekend: daar rekenen we met de bijstand die we "
            "verwachten, zoals bij het voorschot. Dit bedrag kan dus nog veranderen."
        )
    if onbekend := [r.maand for r in o.maanden if r.bedrag is None]:
        zinnen.append(f"Van {_namen(onbekend)} staat de norm nog niet vast: die telt nog niet mee.")
    if zonder := [r.maand for r in o.maanden if not r.verrekend and not r.voorlopig]:
        zinnen.append(f"Over {_namen(zonder)} stond geen inkomen op de polis: daar telt de hele bijstand.")
    wanneer = f"uiterlijk op {_datum(o.uiterlijk)}" if o.einddatum is not None else f"in juni {o.uiterlijk.year}"
    if o.einddatum is not None:
        later = Maand.van(o.einddatum) > o.maanden[-1].maand
        zinnen.append(
            f"Uw bijstand loopt tot en met {_datum(o.einddatum)}"
            + (": de maanden tot dan komen er nog bij." if later else ".")
        )
    if o.uiterlijk < vandaag:
        zinnen.append(f"Deze vakantietoeslag moest {wanneer} worden uitbetaald.")
    else:
        zinnen.append(f"U krijgt deze vakantietoeslag {wanneer}.")
    return " ".join(zinnen)

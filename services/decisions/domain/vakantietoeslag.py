"""The holiday allowance (vakantietoeslag) a case builds up (DOMAIN.md §3): 5% of the bijstand granted
each month is reserved and paid out in June for the twelve months June to May before it, or within
three months after the benefit ends, if that comes first. Pure rules: no framework, no I/O.

A settled month reserves what its settlement says. A month not settled whose polis is not yet due is
paid an advance on the bijstand expected from the last settled months, and reserves from that: a
provisional figure, which its settlement replaces. A month whose polis came due without any income
of the household had none, so it reserves from the whole norm for its days.

A payout announced is announced again (revised) when a month's final reservation changed: a month
settled, or settled again, differently from what was announced, a month whose polis came due without
income, the norm of a month not settled, a month that no longer falls in (or now falls in) the
benefit, or its days. Changes to provisional figures alone are not announced: they are provisional,
and their month's settlement, or its polis date, will say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from decisions.domain.verrekening import Verrekening
from schakel.primitives import Bedrag, Maand, maandnaam
from schakel.primitives.periode import plus_maanden

UITBETAALMAAND = 6  # June, for the months June to May before it
NA_EINDE_MAANDEN = 3  # at the latest this many months after the benefit ended


@dataclass(frozen=True, slots=True)
class Reservering:
    maand: Maand
    bedrag: int | None  # None: the month's norm is not known yet (a caseworker sets it, or no tables yet)
    verrekend: bool
    voorlopig: bool  # the month may still change it: not settled while its polis is not due, or norm unknown
    # provisional and not waiting for a caseworker: the day after which, its polis due without income,
    # it is final, and what it then reserves (the whole norm's share)
    definitief_na: date | None = None
    definitief: int | None = None


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

    @property
    def jaar(self) -> int:
        return uitbetaaljaar(self.maanden[0].maand)  # a payout that vanished has no months: never asked


def uitbetaaljaar(maand: Maand) -> int:
    """The year whose June pays out the allowance reserved in `maand`."""
    return maand.jaar if maand.maand < UITBETAALMAAND else maand.jaar + 1


def periode(jaar: int) -> tuple[Maand, Maand]:
    """The months the payout of `jaar` covers at most: June of the year before to May."""
    return Maand(jaar - 1, UITBETAALMAAND), Maand(jaar, UITBETAALMAAND - 1)


def opbouw(
    maanden: list[Maand],
    einddatum: date | None,
    verrekend: Mapping[Maand, Verrekening],
    onverrekend: Callable[[Maand], tuple[int | None, bool, date | None, int | None]],
) -> list[Opbouw]:
    """The case's payouts, oldest first, from its `maanden` (in order): a settled month reserves what its
    settlement says, another what `onverrekend` gives (the amount, None when not known; whether it is
    provisional; and, provisional, the day after which it is final and what it then reserves). The
    payout whose months include the end is due within three months after it, when that is before its
    June."""
    perioden: dict[int, list[Reservering]] = {}
    for maand in maanden:
        v = verrekend.get(maand)
        if v is not None:
            r = Reservering(maand, v.vakantietoeslag, True, False)
        else:
            bedrag, voorlopig, definitief_na, definitief = onverrekend(maand)
            r = Reservering(maand, bedrag, False, voorlopig or bedrag is None, definitief_na, definitief)
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


def _procent(procent: Decimal) -> str:
    return f"{Decimal(procent).normalize():f}".replace(".", ",")


def _opbouw_zinnen(o: Opbouw, procent: Decimal) -> list[str]:
    van, tot = maandnaam(o.maanden[0].maand), maandnaam(o.maanden[-1].maand)
    maanden = van if van == tot else f"{van} tot en met {tot}"
    zinnen = [
        f"Over {maanden} reserveren we {_procent(procent)}% van uw bijstand als vakantietoeslag: {Bedrag(o.bedrag)}."
    ]
    if verwacht := [r.maand for r in o.maanden if r.voorlopig and r.bedrag is not None]:
        zinnen.append(
            f"Over {_namen(verwacht)} is de bijstand nog niet verrekend: daar rekenen we met de bijstand die we "
            "verwachten, zoals bij het voorschot. Dit bedrag kan dus nog veranderen."
        )
    if onbekend := [r.maand for r in o.maanden if r.bedrag is None]:
        zinnen.append(f"Van {_namen(onbekend)} staat de norm nog niet vast: die telt nog niet mee.")
    if zonder := [r.maand for r in o.maanden if not r.verrekend and not r.voorlopig]:
        zinnen.append(f"Over {_namen(zonder)} stond geen inkomen op de polis: daar telt de hele bijstand.")
    if o.einddatum is not None:
        later = Maand.van(o.einddatum) > o.maanden[-1].maand
        zinnen.append(
            f"Uw bijstand loopt tot en met {_datum(o.einddatum)}"
            + (": de maanden tot dan komen er nog bij." if later else ".")
        )
    return zinnen


def _wanneer(o: Opbouw) -> str:
    return f"uiterlijk op {_datum(o.uiterlijk)}" if o.einddatum is not None else f"in juni {o.uiterlijk.year}"


def _komt(o: Opbouw) -> str:
    """When a payout whose date is still ahead comes: said by the announcement and by a revision alike."""
    return f"U krijgt deze vakantietoeslag {_wanneer(o)}."


def uitleg(o: Opbouw, procent: Decimal, vandaag: date) -> str:
    """The payout in plain Dutch, for the person."""
    if o.uiterlijk < vandaag:
        wanneer = f"Deze vakantietoeslag moest {_wanneer(o)} worden uitbetaald."
    else:
        wanneer = _komt(o)
    return " ".join([*_opbouw_zinnen(o, procent), wanneer])


# --- a payout announced again ----------------------------------------------------------------------


def voorlopig_tot(nu: Opbouw | None, stand: Opbouw | None) -> date | None:
    """The first day after which a provisional month of the payout as it stands `nu` turns final at
    another amount than the payout announced (`stand`; a month it did not announce counts): an announced
    payout is looked at again then, without a change marking it (None: no such month)."""
    if nu is None:
        return None
    vorig = {r.maand: r.bedrag for r in stand.maanden} if stand else {}
    dagen = (
        r.definitief_na
        for r in nu.maanden
        if r.definitief_na is not None and (r.maand not in vorig or vorig[r.maand] != r.definitief)
    )
    # the first: an earlier month turning final is not held back by a later one (each look sets the next)
    return min(dagen, default=None)


@dataclass(frozen=True, slots=True)
class Aangekondigd:
    """A payout as announced: its amount, its months (None when announced before they were kept),
    whether a change marked it, and from when a provisional month of it turns final."""

    uitkering_id: str
    jaar: int
    bedrag: int
    stand: Opbouw | None
    te_controleren: bool
    voorlopig_tot: date | None = None

    def te_bekijken(self, vandaag: date) -> bool:
        """Marked by a change, at once; else once its provisional month turned final (the day after)."""
        return self.te_controleren or (self.voorlopig_tot is not None and self.voorlopig_tot < vandaag)


def geraakt(a: Aangekondigd, geschreven: Mapping[Maand, int | None]) -> bool:
    """Whether settlements just written (the reservation per month) differ from what the payout
    announced for a month of its period."""
    per_maand = {r.maand: r.bedrag for r in a.stand.maanden} if a.stand else {}
    # a month it did not announce counted nothing in it: one after the end settled at nil changes nothing,
    # one that joined it (an end moved later) and is settled now does
    return any(
        uitbetaaljaar(maand) == a.jaar and (per_maand.get(maand) or 0) != (bedrag or 0)
        for maand, bedrag in geschreven.items()
    )


def met_onverrekend(a: Aangekondigd) -> bool:
    """Whether the payout announced a month that was not settled (new norms change it)."""
    return a.stand is None or any(not r.verrekend for r in a.stand.maanden)


VERREKEND, HERZIEN, ZONDER_INKOMEN, NORM, EINDE, VERWACHT, VERVALLEN, ERBIJ = (
    "verrekend",
    "herzien",
    "zonder-inkomen",
    "norm",
    "einde",
    "verwacht",
    "vervallen",
    "erbij",
)
_REDENEN = {
    VERREKEND: "nu verrekend met uw inkomen",
    HERZIEN: "de verrekening is herzien",
    ZONDER_INKOMEN: "er stond geen inkomen op de polis, dus telt de hele bijstand",
    NORM: "de norm voor deze maand is vastgesteld of veranderd (een andere situatie of nieuwe wettelijke bedragen)",
    EINDE: "de einddatum van uw bijstand is veranderd, dus telt een ander aantal dagen",
    VERWACHT: "de bijstand die we verwachten is veranderd (nog voorlopig)",
    VERVALLEN: "deze maand valt niet meer in uw bijstand",
    ERBIJ: "deze maand valt nu ook in uw bijstand",
}


@dataclass(frozen=True, slots=True)
class Wijziging:
    maand: Maand
    vorig: int | None  # as announced; None: not in the payout then, or its norm was not known
    nu: int | None
    reden: str


def _reden(vorig: Reservering | None, nu: Reservering | None, eindmaanden: set[Maand]) -> str:
    if nu is None:
        return VERVALLEN
    if vorig is None:
        return ERBIJ
    if nu.maand in eindmaanden:
        return EINDE  # the days of the month the benefit ran changed
    if nu.verrekend:
        return HERZIEN if vorig.verrekend else VERREKEND
    if nu.voorlopig:
        return VERWACHT
    # final without a settlement, at the whole norm: announced provisionally, its polis came due without
    # income, unless that whole norm is another than it was then (a new situation, new tables)
    if vorig.voorlopig and vorig.bedrag is not None and vorig.definitief == nu.bedrag:
        return ZONDER_INKOMEN
    return NORM


def _eindmaanden(was: date | None, is_: date | None) -> set[Maand]:
    """The months in which the benefit runs another number of days with the end `is_` than with `was`."""

    def laatste(maand: Maand, einde: date | None) -> date:
        return maand.laatste_dag if einde is None else min(maand.laatste_dag, einde)

    maanden = {Maand.van(d) for d in (was, is_) if d is not None}
    return {m for m in maanden if laatste(m, was) != laatste(m, is_)}


def wijzigingen(stand: Opbouw, nu: Opbouw | None) -> list[Wijziging]:
    """How the payout as it stands now differs from the one announced, month by month; empty when no
    month's final reservation changed (a provisional figure alone announces nothing). `nu` None: no
    month of it falls in the benefit any more."""
    vorig = {r.maand: r for r in stand.maanden}
    nieuw = {r.maand: r for r in nu.maanden} if nu else {}
    eindmaanden = _eindmaanden(stand.einddatum, nu.einddatum) if nu else set()
    verschil = []
    for maand in sorted(vorig.keys() | nieuw.keys()):
        v, n = vorig.get(maand), nieuw.get(maand)
        if v is None or n is None or v.bedrag != n.bedrag:
            reden = _reden(v, n, eindmaanden)
            verschil.append(Wijziging(maand, v.bedrag if v else None, n.bedrag if n else None, reden))
    definitief = any(w.maand not in nieuw or not nieuw[w.maand].voorlopig for w in verschil)
    return verschil if definitief else []


def _euro(bedrag: int | None) -> str:
    return "geen bedrag" if bedrag is None else str(Bedrag(bedrag))


def uitleg_herzien(
    vorig: int, wijzigingen_: list[Wijziging], nu: Opbouw | None, procent: Decimal, vandaag: date
) -> str:
    """The revision in plain Dutch: the amount announced, the new one, per month what changed and why,
    and what happens to the difference (the back office may have paid the amount announced already)."""
    bedrag = nu.bedrag if nu else 0
    zinnen = [f"Eerder stelden we deze vakantietoeslag vast op {_euro(vorig)}; nu is het {_euro(bedrag)}."]
    if wijzigingen_:
        per_maand = (
            f"{maandnaam(w.maand)}: {_euro(w.vorig)} → {_euro(w.nu)}, {_REDENEN[w.reden]}" for w in wijzigingen_
        )
        zinnen.append(f"Wat er veranderde: {'; '.join(per_maand)}.")
    if nu is None:
        zinnen.append("Geen van de maanden valt nog in uw bijstand: over deze periode is er geen vakantietoeslag.")
    else:
        zinnen += _opbouw_zinnen(nu, procent)
        if nu.uiterlijk >= vandaag:
            zinnen.append(_komt(nu))
    if bedrag > vorig:
        zinnen.append(
            f"Dat is {_euro(bedrag - vorig)} meer. Kreeg u het eerdere bedrag al, dan krijgt u het verschil bijbetaald."
        )
    elif bedrag < vorig:
        zinnen.append(
            f"Dat is {_euro(vorig - bedrag)} minder. Kreeg u het eerdere bedrag al, dan hoort u van de gemeente hoe "
            "het te veel betaalde wordt verrekend."
        )
    return " ".join(zinnen)

"""The programme's figures (Simpel Switchen) as every service publishes them: aggregates only, and
small groups withheld so that no one can be singled out (AVG art. 89: statistics with safeguards).

The rules, the same in every service, so that no figure, nor any difference or sum of figures, says
something about a group of 1 to `DREMPEL - 1` persons:
- a figure that rests on fewer than `DREMPEL` persons is withheld (`minder-dan-drempel`); a share is
  withheld when its part or its rest is under `DREMPEL`, none included (`kleine-groep`): a share of
  0 or 1 says what every member of a group did, also of a withheld group inside it;
- a quantile is shown only with `DREMPEL` values on either side of it (at or below, at or above):
  it is one person's value;
- the period is a calendar quarter (`Periode.afgesloten`), one level with nothing nested in
  it: two periods a day apart, or a quarter less its months, would differ by the few persons of
  that day or month;
- every number of persons is rounded to a multiple of `AFRONDING` (as CBS rounds its tailored
  tables), and a share is taken of the rounded numbers;
- where the country is shown beside its municipalities, the country less the shown ones gives the
  withheld ones together: they must together pass the first rule, or the shown one with the
  smallest base is withheld too (`aanvullend-onderdrukt`), or else the country;
- a quarter's figures come a month after it (`vrijgegeven`) and are fixed when first asked
  (`vastgesteld`), and so is what the last rule withholds: data that change later (a corrected end
  date, a backdated case, retention) would otherwise show as the difference between two asks. A
  figure withheld for a while only (`VOORLOPIG`) is computed when it can be given, a municipality's
  with the country's (`samen`), on the data of that day, so its base can differ from a count fixed
  before by what changed in between."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from schakel.errors import Refused
from schakel.primitives.geld import afgerond
from schakel.primitives.periode import Maand

DREMPEL = 10
AFRONDING = 5
# withheld for a while only: computed again (once a day) until they can be given, then fixed
VOORLOPIG = frozenset({"nog-niet-meetbaar", "geen-taakstelling"})

Eenheden = dict[str | None, list["Cijfer"]]  # per municipality code, None for the whole country


@dataclass(frozen=True, slots=True)
class Cijfer:
    naam: str
    waarde: float | None  # a share (0..1) or a number of days; None when withheld or undefined
    aantal: int | None  # the persons (or months) it rests on, rounded; None when withheld
    reden: str | None = None  # why waarde is None
    # the exact groups it rests on (a count's persons, a share's part and rest): never published
    delen: tuple[int, ...] = field(default=(), compare=False)

    @property
    def basis(self) -> int:
        return sum(self.delen)


@dataclass(frozen=True, slots=True)
class Periode:
    """The period asked about, both ends included."""

    van: date
    tot: date

    def __post_init__(self) -> None:
        if self.tot < self.van:
            raise Refused("De periode eindigt vóór ze begint.", code="periode-ongeldig", field="tot")

    @classmethod
    def kwartaal(cls, dag: date) -> Periode:
        """The calendar quarter `dag` is in."""
        eerste = Maand(dag.year, (dag.month - 1) // 3 * 3 + 1)
        return cls(eerste.eerste_dag, eerste.verschoven(2).laatste_dag)

    @classmethod
    def afgesloten(cls, van: date, tot: date, vandaag: date) -> Periode:
        """The period a reader may ask figures over: a calendar quarter whose figures came (`vrijgegeven`)."""
        periode = cls(van, tot)
        if van.day != 1 or van.month not in (1, 4, 7, 10):
            raise Refused(_KWARTAAL, code="periode-ongeldig", field="van")
        if tot != cls.kwartaal(van).tot:
            raise Refused(_KWARTAAL, code="periode-ongeldig", field="tot")
        if vandaag < vrijgegeven(periode):
            raise Refused(
                "De cijfers van een kwartaal komen op de eerste dag van de tweede maand erna (van juli tot en met "
                "september op 1 november): wat laat wordt vastgelegd telt dan mee, en daarna liggen ze vast.",
                code="periode-lopend",
                field="tot",
            )
        return periode

    def bevat(self, d: date | None) -> bool:
        return d is not None and self.van <= d <= self.tot


_KWARTAAL = (
    "Een periode is een kalenderkwartaal: van op 1 januari, 1 april, 1 juli of 1 oktober, tot op de laatste "
    "dag van dat kwartaal."
)


def vrijgegeven(periode: Periode) -> date:
    """The day a quarter's figures come: the first of the second month after it, as records about it
    still arrive in the month after (an end, a handover's outcome); from then on they are fixed."""
    return Maand.van(periode.tot).verschoven(2).eerste_dag


def op_afronding(n: int) -> int:
    """To the nearest multiple of `AFRONDING` (a half upwards)."""
    return afgerond(n, AFRONDING) * AFRONDING


def _klein(n: int) -> bool:
    return 0 < n < DREMPEL


def aandeel(naam: str, deel: int, geheel: int) -> Cijfer:
    """`deel` of `geheel` as a share of the rounded numbers, to three decimals: a share of the exact
    ones would give them away (10/22 = 0,455: no other base that rounds to 20 gives it)."""
    delen = (deel, geheel - deel)
    if geheel < DREMPEL:
        return Cijfer(naam, None, None, "minder-dan-drempel", delen)
    if min(delen) < DREMPEL:
        return Cijfer(naam, None, op_afronding(geheel), "kleine-groep", delen)
    return Cijfer(naam, round(op_afronding(deel) / op_afronding(geheel), 3), op_afronding(geheel), None, delen)


def kwantiel(naam: str, waarden: list[int], p: float) -> Cijfer:
    """The p-quantile (nearest rank) of the values, e.g. days: shown with at least `DREMPEL` values at
    or below it and at or above it (a median from 19 values, a 90th percentile from 90)."""
    rang = max(math.ceil(p * len(waarden)), 1)
    if min(rang, len(waarden) - rang + 1) < DREMPEL:
        return Cijfer(naam, None, None, "minder-dan-drempel", (len(waarden),))
    return Cijfer(naam, float(sorted(waarden)[rang - 1]), op_afronding(len(waarden)), None, (len(waarden),))


def aantal(naam: str, n: int) -> Cijfer:
    """A plain count (e.g. places): shown when 0 or at least the threshold."""
    if _klein(n):
        return Cijfer(naam, None, None, "minder-dan-drempel", (n,))
    return Cijfer(naam, float(op_afronding(n)), op_afronding(n), None, (n,))


def voorlopig(eenheden: Eenheden) -> bool:
    """Whether a figure is still to come: the country's (its municipalities' come with it, `samen`),
    or, without the country, one of the unit's."""
    units = [eenheden[None]] if None in eenheden else eenheden.values()
    return any(c.reden in VOORLOPIG for cijfers in units for c in cijfers)


def samen(eenheden: Eenheden) -> Eenheden:
    """A municipality's figure waits while the country's of the same name does, with its reason: shown
    before it, it could be the one the secondary suppression takes along once the country's comes, and
    the answer before would give what that withholds."""
    wacht = {c.naam: c.reden for c in eenheden.get(None, []) if c.reden in VOORLOPIG}
    return {
        g: [replace(c, waarde=None, aantal=None, reden=wacht[c.naam]) if g and c.naam in wacht else c for c in cijfers]
        for g, cijfers in eenheden.items()
    }


def vastgesteld(eerder: Eenheden | None, nu: Eenheden) -> Eenheden:
    """A quarter's figures as they were first fixed (`eerder`), with only those withheld for a while
    then taken from `nu`: a fixed figure never changes, and a municipality without figures then gets
    none, so asking again tells nothing of what changed since."""
    nu = samen(nu)
    if eerder is None:
        return nu
    vast: Eenheden = {}
    for g, cijfers in eerder.items():
        nieuw = {c.naam: c for c in nu.get(g, [])}
        vast[g] = [nieuw.get(c.naam, c) if c.reden in VOORLOPIG else c for c in cijfers]
    return vast


def aanvullend(
    eenheden: Eenheden, groepen: Iterable[tuple[str, ...]] = (), eerder: Iterable[tuple[str | None, str]] = ()
) -> frozenset[tuple[str | None, str]]:
    """The figures to withhold beside the country (key None), as (municipality, figure): the country
    less the shown municipalities gives the withheld ones together, so per figure those must together
    pass the first rule (at least `DREMPEL` persons; a share's part and rest each; and the bases not
    published, as a share withheld for a small part publishes its base). Short of that, the
    shown municipality with the smallest base (more than none: hiding nothing protects nothing) is
    withheld too, with every figure of its `groepen` (figures resting on the same persons, which would
    give its base away); with none left, the country's figures of the group. What was withheld
    `eerder` stays withheld: a choice that changed with later data would show both."""
    landelijk = {c.naam: c for c in eenheden.get(None, [])}
    gemeenten = {g: {c.naam: c for c in cijfers} for g, cijfers in eenheden.items() if g is not None}
    alle = [*groepen, *((n,) for n in landelijk if not any(n in g for g in groepen))]
    weg = set(eerder)
    for groep in alle:

        def basis(g: str, groep: tuple[str, ...] = groep) -> int:
            return max((c.basis for n in groep if (c := gemeenten[g].get(n))), default=0)

        for naam in groep:
            land = landelijk.get(naam)
            if land is None or land.waarde is None and land.aantal is None or (None, naam) in weg:
                continue  # the country shows nothing to subtract from

            def delen(g: str, naam: str = naam, breed: int = len(land.delen)) -> tuple[int, ...]:
                c = gemeenten[g].get(naam)
                return c.delen if c is not None and len(c.delen) == breed else (0,) * breed

            # not shown, with persons behind it (for whatever reason), or taken along with the group
            onderdrukt = [
                g
                for g, cijfers in gemeenten.items()
                if (g, naam) in weg or (c := cijfers.get(naam)) and c.waarde is None and c.basis
            ]

            def verborgen(g: str, naam: str = naam) -> int:
                """The persons behind a withheld figure whose base is not published either (one withheld
                for a small part or rest shows its base: less the country's, it would name the others')."""
                c = gemeenten[g].get(naam)
                return 0 if c is None or c.aantal is not None and (g, naam) not in weg else c.basis

            def te_weinig(onderdrukt: list[str]) -> bool:
                samen = min(map(sum, zip(*map(delen, onderdrukt), strict=True)), default=0)
                return samen < DREMPEL or 0 < sum(map(verborgen, onderdrukt)) < DREMPEL

            # a shown figure has `DREMPEL` in every part and its base, so one taken along is always enough
            while onderdrukt and te_weinig(onderdrukt):
                getoond = sorted(
                    (basis(g), g)
                    for g, cijfers in gemeenten.items()
                    if g not in onderdrukt and (c := cijfers.get(naam)) and c.waarde is not None and c.basis
                )
                erbij: str | None = getoond[0][1] if getoond else None
                weg.update((erbij, n) for n in groep)
                if erbij is None:
                    break
                onderdrukt.append(erbij)
    return frozenset(weg)


def getoond(eenheden: Eenheden, weg: Collection[tuple[str | None, str]]) -> Eenheden:
    """The figures as published: those `aanvullend` withholds, that showed something, withheld."""
    return {
        g: [
            Cijfer(c.naam, None, None, "aanvullend-onderdrukt")
            if (g, c.naam) in weg and (c.waarde is not None or c.aantal is not None)
            else c
            for c in cijfers
        ]
        for g, cijfers in eenheden.items()
    }

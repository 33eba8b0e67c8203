"""The dated legal parameters (the table in parameters.yaml beside this file, with its sources; read
by adapters/parameters.py): a recomputation of an old month uses the values valid in that month.
A month before the first row has no parameters and is refused."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, NotRequired, TypedDict, TypeVar

T = TypeVar("T")


class GeenParameters(ValueError):
    """No legal parameters are known for the date asked."""


@dataclass(frozen=True, slots=True)
class Normen:
    geldig_vanaf: date
    alleenstaand: int
    gehuwd: int
    alleenstaand_jong: int
    alleenstaand_aow: int
    gehuwd_aow: int
    kostendelers: dict[int, int]


@dataclass(frozen=True, slots=True)
class Regel:
    """One vrijlating rule: a percentage, a cap (None: none), a month limit (None: none), whether those
    months run by the calendar from the first (`aaneengesloten`) or count only months it was applied, a
    minimum age and, for r, the age the youngest child must be under (None: none)."""

    percentage: Decimal
    plafond: int | None
    maanden: int | None
    minimum_leeftijd: int = 0
    kind_jonger_dan: int | None = None
    aaneengesloten: bool = False


@dataclass(frozen=True, slots=True)
class Toeslagensignaal:
    drempel: int  # a change of the yearly income estimate above this (cents) is signalled
    maanden: int  # the rest of the year counts as the average of this many last settled months


@dataclass(frozen=True, slots=True)
class Parameters:
    normen: tuple[Normen, ...]
    vrijlatingen: tuple[tuple[date, dict[str, Regel]], ...]
    in_balans_verplicht: date
    in_balans_keuze: date
    in_balans: dict[str, Regel]
    aow_leeftijd: tuple[tuple[date, int, int], ...]
    volwassen_vanaf: int
    vakantietoeslag: Decimal
    toeslagensignaal: tuple[tuple[date, Toeslagensignaal], ...]
    beslagvrije_voet: tuple[tuple[date, Decimal], ...]  # percentage of the applicable norm, by date
    # the rows valid on a day, by table and day: settling looks them up several times for every month
    _op: dict[tuple[str, date], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def _opgezocht(self, tabel: str, dag: date, zoek: Callable[[], T]) -> T:
        if (tabel, dag) not in self._op:
            self._op[(tabel, dag)] = zoek()
        gevonden: T = self._op[(tabel, dag)]
        return gevonden

    def normen_op(self, dag: date) -> Normen:
        return self._opgezocht("normen", dag, lambda: _geldig([(n.geldig_vanaf, n) for n in self.normen], dag))

    def vrijlating_op(self, dag: date) -> dict[str, Regel]:
        return self._opgezocht("vrijlatingen", dag, lambda: _geldig(self.vrijlatingen, dag))

    def toeslagensignaal_op(self, dag: date) -> Toeslagensignaal:
        return _geldig(self.toeslagensignaal, dag)

    def beslagvrije_voet_op(self, dag: date) -> Decimal:
        return _geldig(self.beslagvrije_voet, dag)

    def aow_leeftijd_op(self, dag: date) -> tuple[int, int]:
        return self._opgezocht("aow", dag, lambda: _geldig([(d, (j, m)) for d, j, m in self.aow_leeftijd], dag))


def _geldig(rows: Iterable[tuple[date, T]], dag: date) -> T:
    valid = [value for vanaf, value in rows if vanaf <= dag]
    if not valid:
        raise GeenParameters(f"voor {dag.isoformat()} kent Schakel de wettelijke bedragen niet")
    return valid[-1]


# The table's shape, as parameters.yaml holds it (YAML reads the dates as dates). The grounds are
# named one by one because the rules ask for each by name.


class RegelRij(TypedDict):
    percentage: str
    plafond: int | None
    maanden: int | None
    minimumLeeftijd: NotRequired[int]
    kindJongerDan: NotRequired[int]
    aaneengesloten: NotRequired[bool]


class NormRij(TypedDict):
    geldigVanaf: date
    alleenstaand: int
    gehuwd: int
    alleenstaandJong: int
    alleenstaandAow: int
    gehuwdAow: int
    kostendelers: dict[int, int]


GRONDEN: tuple[Literal["n", "r", "y", "z", "aa"], ...] = ("n", "r", "y", "z", "aa")


class VrijlatingRij(TypedDict):
    geldigVanaf: date
    n: RegelRij
    r: RegelRij
    y: RegelRij
    z: RegelRij
    aa: RegelRij


BALANS_GRONDEN: tuple[Literal["werk", "medisch", "aow"], ...] = ("werk", "medisch", "aow")


class BalansRij(TypedDict):
    verplichtVanaf: date
    keuzeVanaf: date
    werk: RegelRij
    medisch: RegelRij
    aow: RegelRij


class AowRij(TypedDict):
    geldigVanaf: date
    jaren: int
    maanden: int


class ToeslagensignaalRij(TypedDict):
    geldigVanaf: date
    drempel: int
    maanden: int


class BeslagvrijeVoetRij(TypedDict):
    geldigVanaf: date
    percentage: str


class Tabel(TypedDict):
    normen: list[NormRij]
    vrijlatingen: list[VrijlatingRij]
    inBalans: BalansRij
    aowLeeftijd: list[AowRij]
    minimumLeeftijdNorm21: int
    vakantietoeslagProcent: str
    toeslagensignaal: list[ToeslagensignaalRij]
    beslagvrijeVoet: list[BeslagvrijeVoetRij]


def _regel(row: RegelRij) -> Regel:
    return Regel(
        Decimal(row["percentage"]),
        row.get("plafond"),
        row.get("maanden"),
        row.get("minimumLeeftijd", 0),
        row.get("kindJongerDan"),
        row.get("aaneengesloten", False),
    )


def _vrijlatingen(rij: VrijlatingRij) -> tuple[date, dict[str, Regel]]:
    return rij["geldigVanaf"], {g: _regel(rij[g]) for g in GRONDEN}


def uit_tabel(doc: Tabel) -> Parameters:
    """The parameters from the table as parameters.yaml holds it."""
    normen = tuple(
        Normen(
            n["geldigVanaf"],
            n["alleenstaand"],
            n["gehuwd"],
            n["alleenstaandJong"],
            n["alleenstaandAow"],
            n["gehuwdAow"],
            {int(k): v for k, v in n["kostendelers"].items()},
        )
        for n in sorted(doc["normen"], key=lambda n: n["geldigVanaf"])
    )
    vrijlatingen = tuple(_vrijlatingen(v) for v in sorted(doc["vrijlatingen"], key=lambda v: v["geldigVanaf"]))
    balans = doc["inBalans"]
    return Parameters(
        normen=normen,
        vrijlatingen=vrijlatingen,
        in_balans_verplicht=balans["verplichtVanaf"],
        in_balans_keuze=balans["keuzeVanaf"],
        in_balans={g: _regel(balans[g]) for g in BALANS_GRONDEN},
        aow_leeftijd=tuple((a["geldigVanaf"], a["jaren"], a["maanden"]) for a in doc["aowLeeftijd"]),
        volwassen_vanaf=doc["minimumLeeftijdNorm21"],
        vakantietoeslag=Decimal(doc["vakantietoeslagProcent"]),
        toeslagensignaal=tuple(
            (r["geldigVanaf"], Toeslagensignaal(r["drempel"], r["maanden"]))
            for r in sorted(doc["toeslagensignaal"], key=lambda r: r["geldigVanaf"])
        ),
        beslagvrije_voet=tuple(
            (r["geldigVanaf"], Decimal(r["percentage"]))
            for r in sorted(doc["beslagvrijeVoet"], key=lambda r: r["geldigVanaf"])
        ),
    )

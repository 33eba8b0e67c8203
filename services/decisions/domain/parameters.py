"""The dated legal parameters (the table in parameters.yaml beside this file, with its sources; read
by adapters/parameters.py): a recomputation of an old month uses the values valid in that month.
A month before the first row has no parameters and is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


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
    """One vrijlating rule: a percentage, a cap (None: none) and a month limit (None: none)."""
    percentage: Decimal
    plafond: int | None
    maanden: int | None
    minimum_leeftijd: int = 0
    kind_jonger_dan: int | None = None


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

    def normen_op(self, dag: date) -> Normen:
        return _geldig([(n.geldig_vanaf, n) for n in self.normen], dag)

    def vrijlating_op(self, dag: date) -> dict[str, Regel]:
        return _geldig(self.vrijlatingen, dag)

    def aow_leeftijd_op(self, dag: date) -> tuple[int, int]:
        jaren, maanden = _geldig([(d, (j, m)) for d, j, m in self.aow_leeftijd], dag)
        return jaren, maanden


def _geldig(rows, dag: date):
    valid = [value for vanaf, value in rows if vanaf <= dag]
    if not valid:
        raise GeenParameters(f"voor {dag.isoformat()} kent Schakel de wettelijke bedragen niet")
    return valid[-1]


def _regel(row: dict) -> Regel:
    return Regel(Decimal(row["percentage"]), row.get("plafond"), row.get("maanden"), row.get("minimumLeeftijd", 0),
                 row.get("kindJongerDan"))


def uit_tabel(doc: dict) -> Parameters:
    """The parameters from the table as parameters.yaml holds it."""
    normen = tuple(Normen(n["geldigVanaf"], n["alleenstaand"], n["gehuwd"], n["alleenstaandJong"],
                          n["alleenstaandAow"], n["gehuwdAow"], {int(k): v for k, v in n["kostendelers"].items()})
                   for n in sorted(doc["normen"], key=lambda n: n["geldigVanaf"]))
    vrijlatingen = tuple((v["geldigVanaf"], {g: _regel(r) for g, r in v.items() if g != "geldigVanaf"})
                         for v in sorted(doc["vrijlatingen"], key=lambda v: v["geldigVanaf"]))
    balans = doc["inBalans"]
    return Parameters(
        normen=normen, vrijlatingen=vrijlatingen, in_balans_verplicht=balans["verplichtVanaf"],
        in_balans_keuze=balans["keuzeVanaf"],
        in_balans={k: _regel(v) for k, v in balans.items() if isinstance(v, dict)},
        aow_leeftijd=tuple((a["geldigVanaf"], a["jaren"], a["maanden"]) for a in doc["aowLeeftijd"]),
        volwassen_vanaf=doc["minimumLeeftijdNorm21"], vakantietoeslag=Decimal(doc["vakantietoeslagProcent"]))

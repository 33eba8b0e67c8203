"""The kind of income a polis line is (Participatiewet art. 31 lid 2: only income from work gets a
vrijlating; benefits such as WW, ZW and WIA, and pensions, count in full): from its code "soort
inkomstenverhouding" by the dated table in inkomstensoorten.yaml beside this file (with its
source; read by adapters/inkomstensoorten.py). A code the table does not name is `onbekend`: a
caseworker judges it, Schakel never guesses. `bijstand` is the Participatiewet benefit itself, which
counts nowhere as income (the bijstand is not a means against itself)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NotRequired, TypedDict

ARBEID, OVERIG, ONBEKEND, BIJSTAND = "arbeid", "overig", "onbekend", "bijstand"


@dataclass(frozen=True, slots=True)
class Soorttabel:
    """Per validity date (ascending): code -> arbeid, overig or bijstand."""

    rijen: tuple[tuple[date, dict[str, str]], ...]

    def soort(self, code: str | None, dag: date) -> str:
        geldig = [soorten for vanaf, soorten in self.rijen if vanaf <= dag]
        if code is None or not geldig:
            return ONBEKEND
        return geldig[-1].get(code, ONBEKEND)


class SoortRij(TypedDict):
    geldigVanaf: date
    arbeid: dict[str, str]  # code -> what it is (documentation)
    overig: dict[str, str]
    bijstand: NotRequired[dict[str, str]]


def uit_tabel(rijen: list[SoortRij]) -> Soorttabel:
    return Soorttabel(
        tuple(
            (
                r["geldigVanaf"],
                {code: ARBEID for code in r["arbeid"]}
                | {code: OVERIG for code in r["overig"]}
                | {code: BIJSTAND for code in r.get("bijstand", {})},
            )
            for r in sorted(rijen, key=lambda r: r["geldigVanaf"])
        )
    )

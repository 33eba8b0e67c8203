"""A municipality's override of a month's net income (e.g. from a payslip), and when it needs review.

The override wins over the polis. When a newer polis version for that month arrives afterwards,
it is not applied silently: the month is flagged for review and keeps the override's amount
until the municipality confirms a new amount or withdraws the override.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from income.domain.fouten import MaandInDeToekomst
from income.domain.toerekening import Maandinkomen
from schakel.primitives import Maand


@dataclass(frozen=True, slots=True)
class Overschrijving:
    maand: Maand
    loon: int
    reden: str
    polis_versies: str  # the polis versions the municipality saw when it overrode
    te_beoordelen: bool = False


def controleer(maand: Maand, vandaag: date) -> None:
    """A payslip states a month that has begun: a later month's income is not known yet (a typing error
    would otherwise replace a month's polis years ahead)."""
    if maand > Maand.van(vandaag):
        raise MaandInDeToekomst("Een maand die nog niet begonnen is, heeft nog geen inkomen.", field="maand")


@dataclass(frozen=True, slots=True)
class Vastgesteld:
    """The month's established figure."""

    loon: int
    vakantiebijslag: int
    bron: str  # "polis" or "overschrijving"
    te_beoordelen: bool


def polis_versies(inkomen: Maandinkomen) -> str:
    """Which versions of which periods make up the polis figure of a month."""
    return ";".join(
        sorted(
            {
                f"{b.regel.aangifte.loonheffingennummer}/{b.regel.aangifte.inkomstenverhouding}/"
                f"{b.regel.aangifte.tijdvak_begin}/{b.regel.versie}"
                for b in inkomen.bijdragen
            }
        )
    )


def vaststellen(polis: Maandinkomen, overschrijving: Overschrijving | None) -> Vastgesteld:
    if overschrijving is None:
        return Vastgesteld(polis.loon, polis.vakantiebijslag, "polis", False)
    nieuwere_polis = polis_versies(polis) != overschrijving.polis_versies
    return Vastgesteld(
        overschrijving.loon, polis.vakantiebijslag, "overschrijving", overschrijving.te_beoordelen or nieuwere_polis
    )

"""Money as integer euro cents; never floats. Percentages round half up to the cent."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True, slots=True, order=True)
class Bedrag:
    centen: int

    def __post_init__(self) -> None:
        if isinstance(self.centen, bool) or not isinstance(self.centen, int):
            raise TypeError("een bedrag is een geheel aantal centen")

    @classmethod
    def euro(cls, text: str) -> Bedrag:
        """Parses a decimal euro string ("1401.50") exactly, refusing fractions of a cent."""
        cents = Decimal(text) * 100
        if cents != cents.to_integral_value():
            raise ValueError("een bedrag heeft hooguit twee decimalen")
        return cls(int(cents))

    def __add__(self, other: Bedrag) -> Bedrag:
        return Bedrag(self.centen + other.centen)

    def __sub__(self, other: Bedrag) -> Bedrag:
        return Bedrag(self.centen - other.centen)

    def percentage(self, procent: Decimal | int | str) -> Bedrag:
        exact = Decimal(self.centen) * Decimal(procent) / 100
        return Bedrag(int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))

    def min(self, other: Bedrag) -> Bedrag:
        return self if self <= other else other

    def max(self, other: Bedrag) -> Bedrag:
        return self if self >= other else other

    def __str__(self) -> str:
        """As a citizen reads it: "€ 1.401,50"; below nothing "min € 300,00" (a minus sign before the euro
        sign is easily missed in a sentence)."""
        sign = "min " if self.centen < 0 else ""
        euros, cents = divmod(abs(self.centen), 100)
        return f"{sign}€ {euros:,}".replace(",", ".") + f",{cents:02d}"


def afgerond(teller: int, noemer: int) -> int:
    """teller / noemer rounded to a whole cent, half away from zero; integers only."""
    if noemer < 0:
        teller, noemer = -teller, -noemer
    if teller < 0:
        return -((2 * -teller + noemer) // (2 * noemer))
    return (2 * teller + noemer) // (2 * noemer)


def soorten(totaal: int, overig: int, onbekend: int) -> tuple[int, int]:
    """The other (benefits, pensions) and unknown parts of a month's income `totaal`, from what its polis
    lines of each kind add up to: each up to what is left, never below nothing (a negative line, a
    correction, takes off no more than there is). The rest is work income. The income service splits a
    month this way (`maandinkomen.vastgesteld`), and decisions again after cutting or judging its lines."""
    overig = max(0, min(totaal, overig))
    return overig, max(0, min(totaal - overig, onbekend))

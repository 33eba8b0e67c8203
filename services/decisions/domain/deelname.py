"""A person's participation status as the registration service reports it. Its events can arrive
in any order: the status with the latest effective date is the one that holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Deelnamestatus:
    status: str
    grond: str | None  # the doelgroepregister ground, when registered
    ingangsdatum: date


def nieuwste(huidig: Deelnamestatus | None, gemeld: Deelnamestatus) -> Deelnamestatus:
    """The status that holds after `gemeld` arrives: the latest effective date wins; on the same
    date the later report."""
    if huidig is None or huidig.ingangsdatum <= gemeld.ingangsdatum:
        return gemeld
    return huidig

"""A person's participation status as the registration service reports it. Its events can arrive
in any order, late (published again, replayed from a dead-letter topic): each reports the status on
the day it was sent, so the one with the higher sequence number holds; events without one (from
before numbering) go by their effective date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schakel.primitives.volgorde import is_newer


@dataclass(frozen=True, slots=True)
class Deelnamestatus:
    status: str
    grond: str | None  # the doelgroepregister ground, when registered
    ingangsdatum: date
    volgnummer: int | None = None  # the event's ce_sequence


def nieuwste(huidig: Deelnamestatus | None, gemeld: Deelnamestatus) -> Deelnamestatus:
    """The status that holds after `gemeld` arrives: the higher sequence number when both have one
    (a back-dated fact's newer event has an earlier date); else the latest effective date, and on the
    same date the later report."""
    if huidig is None:
        return gemeld
    if huidig.volgnummer is not None and gemeld.volgnummer is not None:
        return gemeld if is_newer(gemeld.volgnummer, huidig.volgnummer) else huidig
    return gemeld if huidig.ingangsdatum <= gemeld.ingangsdatum else huidig

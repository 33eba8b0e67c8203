"""The doelgroepregister banenafspraak (kept by UWV): who counts towards the job agreement, on
which ground, from when to when. A person has at most one registration at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

GRONDEN = ("wajong", "wsw", "wiw-id", "participatiewet", "vso-pro", "alleen-met-voorziening")


class RegistratieFout(ValueError):
    """A register mutation that cannot apply to what is known (it needs a person to look at it)."""


@dataclass(frozen=True)
class Registratie:
    grond: str
    startdatum: date
    einddatum: date | None = None

    def loopt_op(self, dag: date) -> bool:
        return self.startdatum <= dag and (self.einddatum is None or dag <= self.einddatum)


@dataclass(frozen=True)
class Statuswijziging:
    status: str  # "doelgroepregister" or "geen"
    grond: str | None
    ingangsdatum: date


def start(registraties: list[Registratie], grond: str, startdatum: date) -> tuple[list[Registratie], Statuswijziging]:
    if grond not in GRONDEN:
        raise RegistratieFout(f"onbekende grond {grond}")
    if any(r.einddatum is None or r.einddatum >= startdatum for r in registraties):
        raise RegistratieFout("er loopt al een registratie op of na deze startdatum")
    return [*registraties, Registratie(grond, startdatum)], Statuswijziging("doelgroepregister", grond, startdatum)


def beeindig(registraties: list[Registratie], einddatum: date) -> tuple[list[Registratie], Statuswijziging]:
    lopend = [r for r in registraties if r.einddatum is None]
    if not lopend:
        raise RegistratieFout("er is geen lopende registratie om te beëindigen")
    if einddatum < lopend[0].startdatum:
        raise RegistratieFout("de einddatum ligt vóór de startdatum van de registratie")
    beeindigd = replace(lopend[0], einddatum=einddatum)
    return ([beeindigd if r is lopend[0] else r for r in registraties],
            Statuswijziging("geen", None, einddatum + timedelta(days=1)))

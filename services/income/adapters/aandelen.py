"""A month's contributions as the income service stores them: the domain's own field names, not
the public camelCase shape of the API and the event (made from these when published)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from income.domain.polis import Netto
from income.domain.toerekening import Aandeel

# field by field rather than dataclasses.asdict, whose generic deep copy took a tenth of a large delivery
AANDEEL, NETTO = tuple(f.name for f in fields(Aandeel)), tuple(f.name for f in fields(Netto))


def naar_opslag(a: Aandeel) -> dict:
    einde = a.einde_inkomstenverhouding
    return {
        **{name: getattr(a, name) for name in AANDEEL},
        "netto": {name: getattr(a.netto, name) for name in NETTO},
        "einde_inkomstenverhouding": None if einde is None else einde.isoformat(),
        "tijdvak_begin": a.tijdvak_begin.isoformat(),
        "tijdvak_einde": a.tijdvak_einde.isoformat(),
    }


def uit_opslag(d: dict) -> Aandeel:
    einde = d["einde_inkomstenverhouding"]
    return Aandeel(
        **{
            **d,
            "einde_inkomstenverhouding": None if einde is None else date.fromisoformat(einde),
            "tijdvak_begin": date.fromisoformat(d["tijdvak_begin"]),
            "tijdvak_einde": date.fromisoformat(d["tijdvak_einde"]),
            "netto": Netto(**d["netto"]),
        }
    )

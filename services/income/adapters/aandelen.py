"""A month's contributions as the income service stores them: the domain's own field names, not
the public camelCase shape of the API and the event (made from these when published)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from income.domain.polis import Netto
from income.domain.toerekening import Aandeel


def naar_opslag(a: Aandeel) -> dict:
    einde = a.einde_inkomstenverhouding
    return {
        **asdict(a),
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

"""Exit proposal: when the counted income (after vrijlating) exceeds the norm for a number of
consecutive months, the municipality gets a proposal to end the benefit. It decides; nothing
ends by itself."""

from __future__ import annotations

from decisions.domain.verrekening import Verrekening


def boven_norm(v: Verrekening) -> bool:
    return v.gekort_inkomen > v.norm_bedrag


def voorstel(verrekeningen: list[Verrekening], maanden: int) -> list[Verrekening]:
    """The latest run of consecutive calendar months above the norm, if it is long enough."""
    reeks: list[Verrekening] = []
    for v in sorted(verrekeningen, key=lambda v: v.maand):
        aansluitend = reeks and reeks[-1].maand.volgende() == v.maand
        reeks = (reeks + [v] if aansluitend else [v]) if boven_norm(v) else []
    return reeks if len(reeks) >= maanden else []

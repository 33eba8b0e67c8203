"""Exit proposal: when the counted income (after vrijlating) exceeds the norm for a number of
consecutive months, the municipality gets a proposal to end the benefit. It decides; nothing
ends by itself."""

from __future__ import annotations

from collections.abc import Iterable

from decisions.domain.verrekening import Verrekening


def boven_norm(v: Verrekening) -> bool:
    return v.gekort_inkomen > v.norm_bedrag


def voorstel(nieuwste_eerst: Iterable[Verrekening], maanden: int) -> list[Verrekening]:
    """The run of consecutive calendar months above the norm that ends at the latest settled month, if
    it is long enough. The months come newest first and are read only as far as the run goes (a
    month not above the norm, or a gap, ends it)."""
    reeks: list[Verrekening] = []
    for v in nieuwste_eerst:
        if not boven_norm(v) or (reeks and v.maand.volgende() != reeks[-1].maand):
            break
        reeks.append(v)
    return reeks[::-1] if len(reeks) >= maanden else []

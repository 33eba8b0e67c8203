"""The re-application window (heraanvraagtermijn), Participatiewet art. 43a (from 2026): within
12 months after a bijstand benefit ended, the municipality reuses what it knows and asks only for
changes. A new benefit closes the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schakel.primitives import plus_maanden


@dataclass(frozen=True)
class Heraanvraagtermijn:
    uitkering_id: str
    gemeentecode: str
    einddatum: date  # last day of the ended benefit
    geldig_tot: date
    gesloten_op: date | None = None

    @classmethod
    def na(cls, uitkering_id: str, gemeentecode: str, einddatum: date, maanden: int) -> "Heraanvraagtermijn":
        return cls(uitkering_id, gemeentecode, einddatum, plus_maanden(einddatum, maanden))

    def open_op(self, dag: date) -> bool:
        return self.einddatum < dag <= self.geldig_tot and (self.gesloten_op is None or dag < self.gesloten_op)

"""The re-application window (heraanvraagtermijn), Participatiewet art. 43a (from 2026): within
12 months after a bijstand benefit ended, the municipality reuses what it knows and asks only for
changes. A new benefit closes the window."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from reapplication.domain.hergebruik import Hergebruik, Klokstand
from schakel.primitives import Maand, plus_maanden


@dataclass(frozen=True)
class Heraanvraagtermijn:
    uitkering_id: str
    gemeentecode: str
    einddatum: date  # last day of the ended benefit
    geldig_tot: date
    gesloten_op: date | None = None
    hergebruik: Hergebruik | None = None  # situation, birth date and vrijlating clock at the end

    @classmethod
    def na(
        cls, uitkering_id: str, gemeentecode: str, einddatum: date, maanden: int, hergebruik: Hergebruik | None = None
    ) -> Heraanvraagtermijn:
        return cls(uitkering_id, gemeentecode, einddatum, einde_termijn(einddatum, maanden), hergebruik=hergebruik)

    def open_op(self, dag: date) -> bool:
        return self.einddatum < dag <= self.geldig_tot and (self.gesloten_op is None or dag < self.gesloten_op)


def einde_termijn(einddatum: date, maanden: int) -> date:
    """The window's last day: the same day `maanden` months after the benefit's last day (or that
    month's last day); a benefit that ended on a month's last day gives whole months, to the last day
    of the month `maanden` later (ended on 28 February: open to 31 August after six, not 28 August)."""
    tot = plus_maanden(einddatum, maanden)
    return Maand.van(tot).laatste_dag if einddatum == Maand.van(einddatum).laatste_dag else tot


def termijn_maanden(beleid: list[tuple[date, int]], einddatum: date, standaard: int) -> int:
    """The window a municipality set for benefits ending on `einddatum` (its rows are dated), else
    the default (12 months, art. 43a)."""
    geldig = [maanden for vanaf, maanden in sorted(beleid) if vanaf <= einddatum]
    return geldig[-1] if geldig else standaard


def open_termijn(termijnen: list[Heraanvraagtermijn], gemeentecode: str | None, op: date) -> Heraanvraagtermijn | None:
    """The window in this municipality (None: in any) that is open on `op` (the latest ended benefit
    first), if any."""
    return next(
        (
            t
            for t in sorted(termijnen, key=lambda t: t.einddatum, reverse=True)
            if gemeentecode in (None, t.gemeentecode) and t.open_op(op)
        ),
        None,
    )


def klok_elders(termijnen: list[Heraanvraagtermijn], gemeentecode: str, op: date) -> tuple[Klokstand, ...]:
    """The vrijlating clock of the person's window open on `op` in another municipality (the latest
    ended benefit's), else none: the months are the person's (art. 31 lid 2 names no benefit or
    municipality after which they restart), so a first application after a move counts on from them.
    Only the clock: the rest of that window is the other municipality's (doelbinding)."""
    elders = open_termijn([t for t in termijnen if t.gemeentecode != gemeentecode], None, op)
    return elders.hergebruik.vrijlatingsklok if elders is not None and elders.hergebruik is not None else ()


def sluit(termijnen: list[Heraanvraagtermijn], startdatum: date) -> list[Heraanvraagtermijn]:
    """A new benefit from `startdatum` closes the open windows of benefits that ended before it."""
    return [replace(t, gesloten_op=startdatum) for t in termijnen if t.gesloten_op is None and t.einddatum < startdatum]

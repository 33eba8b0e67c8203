"""Beschut werk capacity of a municipality in a year (Participatiewet art. 10b): the places realised
against the ministerial number, the waiting list of people with a positive advice and no place,
and the time from a positive advice (or its revival) to a place.

The ministerial number (Regeling vaststelling aantallen arbeidsplaatsen beschut werk) counts places
of 31 hours a week, while people work about 25 (letter of 2018, seeds/003), so the realisation is
reported both in persons and in 31-hour place equivalents from each place's `urenPerWeek`. The
obligation to offer a place (art. 10b lid 1) holds until that number (lid 4, or the council's higher
one, lid 5) is realised (lid 6): the waiting list in order of waiting, while the places filled today
plus those already owed stay below it. Beyond it the municipality need not create a place but must
make another offer (ander aanbod, seeds/003), which an `ander-aanbod` fact records."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from statistics import mean

from registration.domain.deelname import AnderAanbod, Feit, Soort, vouw

# the facts of whom capacity counts: every place and every wait for one starts with an advice
BETROKKEN = frozenset({Soort.advies_uitgebracht})

# hours a week of one place in the ministerial number, by the year it applies from (seeds/003)
PLEK_UREN: tuple[tuple[int, int], ...] = ((2015, 31),)


def plek_uren(jaar: int) -> int:
    # beschut werk began in 2015: a year before it has no places to count, in the first unit
    return next((uren for vanaf, uren in reversed(PLEK_UREN) if jaar >= vanaf), PLEK_UREN[0][1])


@dataclass(frozen=True)
class Wachtende:
    bsn: str
    sinds: date
    dagen: int
    plicht: str  # plaatsing (within the ministerial number) or ander-aanbod (beyond it)
    ander_aanbod: AnderAanbod | None


@dataclass(frozen=True)
class Capaciteit:
    gemeentecode: str
    jaar: int
    taakstelling: int | None
    gerealiseerd: int  # persons with a place in the year
    plekequivalenten: float  # 31-hour places filled, averaged over the year up to today
    bezet: float  # 31-hour places filled today
    wachtlijst: list[Wachtende]
    gemiddelde_dagen_tot_plaatsing: int | None
    maximale_dagen_tot_plaatsing: int | None


def _dagen_in(jaar: int, start: date, eind: date | None, tot: date) -> int:
    """Days of [start, eind] within the year, up to `tot`."""
    van, tm = max(start, date(jaar, 1, 1)), min(eind or tot, tot, date(jaar, 12, 31))
    return max(0, (tm - van).days + 1)


def capaciteit(
    gemeentecode: str,
    jaar: int,
    vandaag: date,
    taakstelling: int | None,
    personen: dict[str, tuple[str, list[Feit]]],
    weg: Collection[str] = (),
) -> Capaciteit:
    """`personen`: per person (BSN, all their facts), for everyone with a fact of a kind in
    `BETROKKEN` and a fact that names the municipality. A place counts for the municipality while it
    had the person (domain.deelname.Toestand.plekken_in), so one that realised a place keeps it when
    the person moves on; only those who belong to the municipality wait in it, today or after a move
    reported ahead, and not those in `weg` (BSNs the BRP registers elsewhere now: of the two, the
    one the BRP has them in now)."""
    uren = plek_uren(jaar)
    peil = min(vandaag, date(jaar, 12, 31))
    jaardagen = _dagen_in(jaar, date(jaar, 1, 1), None, peil)
    gerealiseerd, uurjaren, uren_nu, wachtend, doorlooptijden = 0, 0, 0, [], []
    for bsn, feiten in personen.values():
        geheel = vouw(feiten)
        plekken = geheel.plekken_in(gemeentecode)
        gerealiseerd += any(s.year <= jaar and (e is None or e.year >= jaar) for s, e, _ in plekken)
        uurjaren += sum(u * _dagen_in(jaar, s, e, peil) for s, e, u in plekken)
        uren_nu += sum(u for s, e, u in plekken if s <= vandaag and (e is None or e >= vandaag))
        doorlooptijden += [
            (geplaatst - sinds).days
            for sinds, geplaatst in geheel.plaatsingen
            if geplaatst.year == jaar and geheel.gemeente_op(geplaatst) == gemeentecode
        ]
        nu = vouw(feiten, vandaag)
        # today's or, with a move reported ahead, the next one's: the BRP decides between them (`weg`)
        if gemeentecode not in (nu.gemeentecode, geheel.gemeentecode) or bsn in weg:
            continue  # moved away: they wait in the new municipality
        if nu.wachtlijst_sinds:
            wachtend.append((bsn, nu.wachtlijst_sinds, nu.ander_aanbod))
    bezet = uren_nu / uren
    wachtlijst = [
        Wachtende(
            bsn,
            sinds,
            (vandaag - sinds).days,
            "plaatsing" if taakstelling is None or bezet + n < taakstelling else "ander-aanbod",
            aanbod,
        )
        for n, (bsn, sinds, aanbod) in enumerate(sorted(wachtend, key=lambda w: w[1]))
    ]
    return Capaciteit(
        gemeentecode,
        jaar,
        taakstelling,
        gerealiseerd,
        round(uurjaren / uren / jaardagen, 1) if jaardagen else 0.0,
        round(bezet, 1),
        wachtlijst,
        round(mean(doorlooptijden)) if doorlooptijden else None,
        max(doorlooptijden, default=None),
    )

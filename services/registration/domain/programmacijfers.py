"""The programme's figures of this service (Simpel Switchen): beschut places realised against the
ministerial number, and the share of positive advices. Aggregates only, small groups withheld
(schakel.primitives.cijfers).

- Places: the persons with a beschut place on any day of the period, and the 31-hour place
  equivalents averaged over the period, rounded to fives as the persons are (hours a week of each
  place times its days in the period, over 31 hours and the period's days; the ministerial number
  counts 31-hour places, domain.capaciteit). A place counts for the municipality while it had the
  person (as `capaciteit` counts it): one that moves during the period counts in both, for their
  days; nationally once.
- Realisation: those rounded equivalents against the ministerial number of the year the period
  ends in (the number is set per year); without a number for that year there is no realisation
  (`geen-taakstelling`).
- Advices: of the advices given (`advies-uitgebracht`) in the period, the share positive, in the
  municipality the person belonged to on the advice's day.
- Nationally: everyone, against the sum of the municipalities' numbers for that year, once every
  municipality with a place has its number (`landelijke_taakstelling`): a sum without one would
  give a realisation too high, and the figure, once given, is fixed."""

from __future__ import annotations

from datetime import date

from registration.domain.capaciteit import plek_uren
from registration.domain.deelname import Feit, Soort, vouw
from schakel.primitives import afgerond
from schakel.primitives.cijfers import Cijfer, Periode, aandeel, aantal, op_afronding

# figures resting on the same persons: withheld together beside the country (cijfers.aanvullend)
GROEPEN = (("beschutGeplaatstePersonen", "beschutPlekequivalenten", "beschutRealisatieTaakstelling"),)
# a person counts only with a beschut place or an advice given; their other facts fold their timeline
TELLEN = frozenset({Soort.beschutte_plek_gestart, Soort.advies_uitgebracht})


def _dagen(periode: Periode, start: date, eind: date | None) -> int:
    van, tot = max(start, periode.van), min(eind or periode.tot, periode.tot)
    return max(0, (tot - van).days + 1)


def cijfers(
    personen: list[list[Feit]], periode: Periode, taakstelling: int | None, gemeentecode: str | None = None
) -> list[Cijfer]:
    """`personen`: every person's facts, of the persons this unit (a municipality, or the country
    without `gemeentecode`) counts."""
    geplaatst, uurdagen, adviezen, positief = 0, 0, 0, 0
    for feiten in personen:
        t = vouw(feiten)
        plekken = t.plekken if gemeentecode is None else t.plekken_in(gemeentecode)
        dagen = [(u, _dagen(periode, s, e)) for s, e, u in plekken]
        geplaatst += any(d for _, d in dagen)
        uurdagen += sum(u * d for u, d in dagen)
        gegeven = [
            f
            for f in feiten
            if f.soort is Soort.advies_uitgebracht
            and periode.bevat(f.datum)
            and gemeentecode in (None, t.gemeente_op(f.datum))
        ]
        adviezen += len(gegeven)
        positief += sum(f.gegevens.get("uitkomst") == "positief" for f in gegeven)
    periodedagen = (periode.tot - periode.van).days + 1
    # rounded as the persons are: most places are about 31 hours, so places at 0,1 (or whole) would give
    # away the number of persons behind the count rounded to fives; whole places first, a half upwards
    deler = plek_uren(periode.tot.year) * periodedagen
    equivalenten = float(op_afronding(afgerond(uurdagen, deler)))
    return [
        aantal("beschutGeplaatstePersonen", geplaatst),
        _op_personen("beschutPlekequivalenten", equivalenten, geplaatst),
        _realisatie(equivalenten, geplaatst, taakstelling),
        aandeel("positieveAdviezen", positief, adviezen),
    ]


def landelijke_taakstelling(per_gemeente: dict[str, list[Cijfer]], taakstellingen: dict[str, int]) -> int | None:
    """The country's number: the sum of the municipalities', or none while one with a place has none."""
    geplaatst = [g for g, cs in per_gemeente.items() for c in cs if c.naam == "beschutGeplaatstePersonen" and c.basis]
    return None if any(not taakstellingen.get(g) for g in geplaatst) else sum(taakstellingen.values()) or None


def _op_personen(naam: str, waarde: float, personen: int) -> Cijfer:
    """A value that rests on these persons: withheld under the threshold."""
    if aantal(naam, personen).reden:  # withheld as the count of those persons is
        return Cijfer(naam, None, None, "minder-dan-drempel", (personen,))
    return Cijfer(naam, waarde, op_afronding(personen), None, (personen,))


def _realisatie(plekken: float, personen: int, taakstelling: int | None) -> Cijfer:
    if not taakstelling:
        return Cijfer("beschutRealisatieTaakstelling", None, None, "geen-taakstelling", (personen,))
    return _op_personen("beschutRealisatieTaakstelling", round(plekken / taakstelling, 3), personen)


def per_gemeente(alle: list[list[Feit]]) -> dict[str, list[list[Feit]]]:
    """Each person under every municipality they belonged to (the first fact's, then each move's)."""
    result: dict[str, list[list[Feit]]] = {}
    for feiten in alle:
        for gemeente in dict.fromkeys(g for _, g in vouw(feiten).woonperioden):
            result.setdefault(gemeente, []).append(feiten)
    return dict(sorted(result.items()))

"""The programme's figures of this service (Simpel Switchen): how long a re-application waits for
its decision, and how many Max-WW handovers were settled before the WW ended. Aggregates only, small
groups withheld (schakel.primitives.cijfers).

- Decision time: days from the melding to the decision, of the re-applications decided in the
  period (automatic approvals count as 0 days: that is the point of the simple re-application);
  median and 90th percentile.
- Handovers: of those whose WW ended in the period (and before today), the share settled in time:
  a bijstand decision before the WW ended, or work found / no bijstand needed by then
  (`Overdracht.geslaagd`)."""

from __future__ import annotations

from datetime import date

from reapplication.domain.heraanvraag import Heraanvraag
from reapplication.domain.overdracht import Overdracht
from schakel.primitives.cijfers import Cijfer, Periode, aandeel, kwantiel

# figures resting on the same decisions: withheld together beside the country (cijfers.aanvullend)
GROEPEN = (("heraanvraagBeslisduurMediaan", "heraanvraagBeslisduurP90"),)


def beslisdagen(melding: date, besloten: date) -> int:
    """Days from the melding to the decision; an early melding (before a contract or the WW ended)
    decided before its date counts as 0."""
    return max((besloten - melding).days, 0)


def cijfers(
    heraanvragen: list[Heraanvraag], overdrachten: list[Overdracht], periode: Periode, vandaag: date
) -> list[Cijfer]:
    besloten = [(h.aanvraag.meldingsdatum, h.besloten_dag) for h in heraanvragen if h.besloten_dag]
    dagen = [beslisdagen(melding, op) for melding, op in besloten if periode.bevat(op)]
    afgelopen = [o for o in overdrachten if periode.bevat(o.ww_einddatum) and o.ww_einddatum < vandaag]
    return [
        kwantiel("heraanvraagBeslisduurMediaan", dagen, 0.5),
        kwantiel("heraanvraagBeslisduurP90", dagen, 0.9),
        aandeel("overdrachtenAfgerondVoorEindeWw", sum(o.geslaagd for o in afgelopen), len(afgelopen)),
    ]


def per_gemeente(
    heraanvragen: list[Heraanvraag], overdrachten: list[Overdracht], periode: Periode, vandaag: date
) -> dict[str, list[Cijfer]]:
    """Each municipality's figures (of every municipality that has any data)."""
    gemeenten = sorted({h.gemeentecode for h in heraanvragen} | {o.gemeentecode for o in overdrachten})
    return {
        g: cijfers(
            [h for h in heraanvragen if h.gemeentecode == g],
            [o for o in overdrachten if o.gemeentecode == g],
            periode,
            vandaag,
        )
        for g in gemeenten
    }

"""A month closed by its provider (*maandafsluiting*): the provider states that its polis delivery
over a calendar month is complete for the persons it was asked to deliver for, its population on
the day it read it (`peildatum`).

Why it is needed: income establishes a month from the declarations that touch it. A month in which
nobody of a household earned anything has no declaration, so it was never established, and
decisions could never settle it: the advance of a person whose work ended kept expecting the old
wage, and the cut was never paid. The calendar cannot tell "no income" from "not yet filed or
delivered"; the provider can, for the persons in the population it delivered for. A declaration
filed after the closing still counts: it revises the month as any correction does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from income.domain.fouten import AfsluitingGeweigerd
from income.domain.populatie import Dossier, populatie
from schakel.primitives import Maand


def controleer(maand: Maand, peildatum: date, vandaag: date) -> None:
    """A month can be closed once it is over, for a population read after it and not in the future."""
    if maand.laatste_dag >= vandaag:
        raise AfsluitingGeweigerd(
            "Een maand is pas af te sluiten als ze voorbij is.", code="maand-niet-voorbij", field="maand"
        )
    if peildatum > vandaag:
        raise AfsluitingGeweigerd(
            "De peildatum ligt in de toekomst.", code="peildatum-in-de-toekomst", field="peildatum"
        )
    if peildatum <= maand.laatste_dag:
        # a population read during the month misses who joined later in it
        raise AfsluitingGeweigerd(
            "De peildatum ligt niet na de maand: lees de populatie na het einde van de maand.",
            code="peildatum-in-de-maand",
            field="peildatum",
        )


def gedekt(dossier: Dossier, maand: Maand, peildatum: date, gemeenten: frozenset[str]) -> bool:
    """Whether the provider's delivery over the month covered the person: in the population of its
    municipalities as it read it on `peildatum` (what income learned of only after that day, even a
    case backdated into the month, was not in it; a day is the finest grain the provider states),
    with a case (also as partner) that ran in the month: only such a month counts for a settlement."""
    bekend = replace(
        dossier,
        uitkeringen=tuple(u for u in dossier.uitkeringen if u.bekend_sinds is None or u.bekend_sinds <= peildatum),
    )
    liep = any(
        u.sinds <= maand.laatste_dag and (u.tot is None or u.tot >= maand.eerste_dag) for u in bekend.uitkeringen
    )
    return liep and bool(populatie([bekend], peildatum, gemeenten))

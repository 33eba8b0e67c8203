"""The bijstand norm of a month (Participatiewet art. 20-22a): by household, age and cost-sharers,
from the dated normenbrief amounts. Age counts on the first day of the month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from decisions.domain.parameters import GeenParameters, Parameters
from decisions.domain.situatie import Huishouden, Situatie
from schakel.primitives import Maand, afgerond, leeftijd


class NormOnbekend(ValueError):
    """A household whose norm (art. 20: someone under 21 with a partner or child) Schakel has no table
    for, without the caseworker's `jongerennorm` for the month's normenbrief: the month waits for it."""


@dataclass(frozen=True, slots=True)
class Norm:
    bedrag: int
    omschrijving: str
    kostendelers: int  # A in art. 22a; 1 (single) or 2 (couple) without housemates


def aow_gerechtigd(geboortedatum: date, dag: date, params: Parameters) -> bool:
    jaren, maanden = params.aow_leeftijd_op(dag)
    leeftijd_maanden = (
        (dag.year - geboortedatum.year) * 12 + dag.month - geboortedatum.month - (dag.day < geboortedatum.day)
    )
    return leeftijd_maanden >= jaren * 12 + maanden


def kostendelersgetal(situatie: Situatie) -> int:
    """A in art. 22a: the household's own adults and the cost-sharers living with them."""
    return (2 if situatie.huishouden is Huishouden.gehuwd else 1) + situatie.kostendelers


def norm(situatie: Situatie, geboortedatum: date, maand: Maand, params: Parameters) -> Norm:
    dag = maand.eerste_dag
    tabel = params.normen_op(dag)
    volwassen = params.volwassen_vanaf
    if leeftijd(geboortedatum, dag) < volwassen or (
        situatie.partner_geboortedatum and leeftijd(situatie.partner_geboortedatum, dag) < volwassen
    ):
        if situatie.huishouden is not Huishouden.alleenstaand:
            return _jongerennorm(situatie, tabel.geldig_vanaf, params)
        return Norm(tabel.alleenstaand_jong, "alleenstaande van 18 tot en met 20 jaar", 1)
    aow = aow_gerechtigd(geboortedatum, dag, params) or (
        situatie.partner_geboortedatum is not None and aow_gerechtigd(situatie.partner_geboortedatum, dag, params)
    )
    gehuwd = situatie.huishouden is Huishouden.gehuwd
    basis = (
        (tabel.gehuwd_aow if aow else tabel.gehuwd)
        if gehuwd
        else (tabel.alleenstaand_aow if aow else tabel.alleenstaand)
    )
    omschrijving = {
        Huishouden.gehuwd: "gehuwden of samenwonenden",
        Huishouden.alleenstaand: "alleenstaande",
        Huishouden.alleenstaande_ouder: "alleenstaande ouder",
    }[situatie.huishouden]
    omschrijving += " vanaf de AOW-leeftijd" if aow else " van 21 jaar tot de AOW-leeftijd"
    personen = 2 if gehuwd else 1
    if situatie.kostendelers == 0:
        return Norm(basis, omschrijving, personen)
    a = kostendelersgetal(situatie)
    # art. 22a: per person ((40 + 30A) / A)% of the married norm; the normenbrief's amounts win
    per_persoon = tabel.kostendelers.get(a) if not aow else None
    if per_persoon is None:
        per_persoon = afgerond((tabel.gehuwd_aow if aow else tabel.gehuwd) * (40 + 30 * a), 100 * a)
    # the housemates only, as the citizen gave them (A also counts the household's own adults)
    n = situatie.kostendelers
    wonen = f"{'u en uw partner wonen' if gehuwd else 'u woont'} met {n} medebewoner{'s' if n > 1 else ''}"
    return Norm(per_persoon * personen, f"kostendelersnorm: {wonen} van 27 jaar of ouder; {omschrijving}", a)


def normenbrief(params: Parameters, dag: date) -> date | None:
    """The first day of the normenbrief in force on `dag`; None before Schakel's first table."""
    try:
        return params.normen_op(dag).geldig_vanaf
    except GeenParameters:
        return None


def _jongerennorm(situatie: Situatie, normen_vanaf: date, params: Parameters) -> Norm:
    """The law's norm of a young household Schakel has no table for (art. 20 lid 1 and 2; with housemates
    art. 22a lid 3), as the caseworker recorded it from the normenbrief in force on the situation's date:
    it holds for the months of that normenbrief only, so an indexation (1 January, 1 July) is not settled
    with an old amount but waits for the new one."""
    if situatie.jongerennorm is None:
        raise NormOnbekend(
            "de norm voor een jongere met partner of kind (Participatiewet artikel 20) heeft Schakel nog niet: "
            "geef het bedrag uit de normenbrief als jongerennorm in de situatie"
        )
    vastgelegd = normenbrief(params, situatie.ingangsdatum)
    if vastgelegd != normen_vanaf:
        # a situation dated before Schakel's first table holds an amount of a normenbrief it has no table for
        van = f"die van de normen per {vastgelegd}" if vastgelegd else "van vóór de normen die Schakel kent"
        raise NormOnbekend(
            f"de jongerennorm in de situatie is {van}; per {normen_vanaf} gelden "
            f"nieuwe normen: geef een situatie vanaf {normen_vanaf} met de jongerennorm van dan"
        )
    personen = 2 if situatie.huishouden is Huishouden.gehuwd else 1
    return Norm(
        situatie.jongerennorm, "jongerennorm (Participatiewet artikel 20), door uw gemeente vastgelegd", personen
    )

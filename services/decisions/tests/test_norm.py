"""Norms (art. 20-22a Participatiewet) from the dated normenbrief tables in DOMAIN.md."""

from dataclasses import replace
from datetime import date

import pytest

from decisions.adapters.parameters import laad
from decisions.domain.fouten import RegelFout
from decisions.domain.norm import NormOnbekend, norm
from decisions.domain.parameters import GeenParameters
from decisions.domain.situatie import Huishouden, Partner, Situatie, controleer
from schakel.primitives import Maand

P = laad()
ALLEENSTAAND = Situatie(date(2025, 1, 1), Huishouden.alleenstaand)
GEHUWD = Situatie(date(2025, 1, 1), Huishouden.gehuwd, partner=Partner("999993653", date(1985, 3, 1)))
GEBOREN = date(1980, 6, 15)


def bedrag(situatie=ALLEENSTAAND, geboren=GEBOREN, maand=Maand(2026, 3)) -> int:
    return norm(situatie, geboren, maand, P).bedrag


def test_norms_per_household_and_date():
    assert [bedrag(maand=m) for m in (Maand(2025, 3), Maand(2025, 9), Maand(2026, 3))] == [134545, 136906, 140150]
    assert [bedrag(GEHUWD, maand=m) for m in (Maand(2025, 3), Maand(2025, 9), Maand(2026, 3))] == [
        192207,
        195580,
        200213,
    ]
    ouder = Situatie(date(2025, 1, 1), Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(2020, 1, 1))
    assert bedrag(ouder) == 140150


def test_young_and_aow_age():
    assert bedrag(geboren=date(2006, 4, 1)) == 34599  # 19 on 1 March 2026
    assert bedrag(geboren=date(2005, 3, 1)) == 140150  # 21 on the first day
    assert bedrag(geboren=date(1958, 12, 1)) == 156469  # 67 before March 2026
    assert bedrag(replace(GEHUWD, partner=Partner("999993653", date(1958, 1, 1)))) == 214416
    with pytest.raises(NormOnbekend):
        bedrag(
            Situatie(date(2025, 1, 1), Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(2025, 1, 1)),
            geboren=date(2006, 4, 1),
        )


def test_cost_sharing_norm_uses_the_published_amounts_and_else_the_formula():
    assert bedrag(replace(ALLEENSTAAND, kostendelers=1)) == 100107  # A=2 (formula: 100107 too, rounded)
    assert bedrag(replace(GEHUWD, kostendelers=1)) == 2 * 86759  # A=3, per person twice
    assert bedrag(replace(ALLEENSTAAND, kostendelers=3)) == 80085  # A=4
    assert bedrag(replace(ALLEENSTAAND, kostendelers=4)) == 76081  # A=5: 38% of 2.002,13, half up
    assert norm(replace(ALLEENSTAAND, kostendelers=2), GEBOREN, Maand(2026, 3), P).kostendelers == 3


def test_the_cost_sharing_norm_names_the_housemates_not_the_count_with_the_household():
    """A (art. 22a) counts the household's own adults too; the citizen reads who lives with them, as the
    re-application asks it ("medebewoners van 27 jaar of ouder")."""

    def omschrijving(situatie):
        return norm(situatie, GEBOREN, Maand(2026, 3), P).omschrijving

    assert omschrijving(replace(ALLEENSTAAND, kostendelers=1)) == (
        "kostendelersnorm: u woont met 1 medebewoner van 27 jaar of ouder; alleenstaande van 21 jaar tot de "
        "AOW-leeftijd"
    )
    assert omschrijving(replace(GEHUWD, kostendelers=2)).startswith(
        "kostendelersnorm: u en uw partner wonen met 2 medebewoners van 27 jaar of ouder; gehuwden"
    )


def test_no_parameters_before_the_first_table():
    with pytest.raises(GeenParameters):
        bedrag(maand=Maand(2024, 12))


def test_a_situation_is_complete_for_its_household():
    with pytest.raises(RegelFout) as caught:
        controleer(Situatie(date(2026, 1, 1), Huishouden.gehuwd))
    assert caught.value.field == "partner"
    with pytest.raises(RegelFout):
        controleer(Situatie(date(2026, 1, 1), Huishouden.alleenstaande_ouder))
    with pytest.raises(RegelFout):
        controleer(replace(ALLEENSTAAND, meer_uren_niet_mogelijk=True))

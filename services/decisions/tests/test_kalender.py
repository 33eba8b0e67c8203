"""The payment calendar's rules (domain.kalender): the advance at least 95% of the expected bijstand
(DOMAIN.md §3, advance and settlement), the expected bijstand as the norm minus the average counted
income of the last settled months, the polis expected in M+2 (an employer files by the end of M+1),
the settlement target in working days, what the person has to bridge, and the timeliness share."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from decisions.domain import kalender as k
from decisions.domain.fouten import Geweigerd
from decisions.domain.inkomen import Bijdrage, Inkomen
from decisions.domain.norm import Norm
from decisions.domain.situatie import Huishouden, Situatie
from decisions.domain.verrekening import Verrekening
from schakel.primitives import Maand

NORM = 140_150
BELEID = k.Voorschotbeleid(date(2026, 1, 1))
START = date(2025, 1, 1)


def verrekend(maand: Maand, gekort: int, betaald: int = 0) -> Verrekening:
    """A settled month whose counted income is `gekort` (as income without vrijlating)."""
    bijstand = max(0, NORM - gekort)
    vt = round(bijstand * 5 / 100)
    inkomen = Inkomen(gekort, 0)
    norm = Norm(NORM, "alleenstaande", 1)
    return Verrekening(maand, norm, maand.dagen, NORM, inkomen, None, bijstand, vt, bijstand - vt, betaald)


def test_the_policy_refuses_an_advance_below_95_percent_and_other_bounds():
    for veld, waarden in {
        "percentage": {"percentage": 94},
        "leverdag": {"leverdag": 29},
        "maanden": {"maanden": 0},
    }.items():
        with pytest.raises(Geweigerd) as fout:
            k.Voorschotbeleid(date(2026, 1, 1), **waarden)
        assert fout.value.field == veld


def test_the_policy_in_force_is_the_latest_version_that_started_else_the_default():
    later = k.Voorschotbeleid(date(2026, 7, 1), percentage=95)
    assert k.geldend([BELEID, later], date(2026, 6, 30)) is BELEID
    assert k.geldend([BELEID, later], date(2026, 7, 1)) is later
    assert k.geldend([later], date(2026, 6, 30)) is k.STANDAARD


def test_the_polis_of_a_month_is_expected_on_the_delivery_day_two_months_later():
    assert k.polis_verwacht(Maand(2026, 11), BELEID) == date(2027, 1, 15)
    assert k.polis_verwacht(Maand(2026, 12), replace(BELEID, leverdag=5)) == date(2027, 2, 5)
    # 15 January 2027 is a Friday: five working days later is the next Friday
    assert k.verrekening_verwacht(Maand(2026, 11), BELEID) == date(2027, 1, 22)
    # delivered Monday 21 December 2026: Christmas and Boxing Day are no working days
    assert k.verrekening_verwacht(Maand(2026, 10), replace(BELEID, leverdag=21)) == date(2026, 12, 29)


def verwacht(eerder: list[Verrekening]) -> k.Verwachting:
    """May 2026 of a single person's case, expected from the months settled before it."""
    return k.verwachting(Maand(2026, 5), NORM, eerder, BELEID, [Situatie(START, Huishouden.alleenstaand)], START)


def test_without_settled_months_the_whole_norm_less_holiday_allowance_is_expected():
    assert verwacht([]).te_betalen(Decimal(5)) == NORM - 7_008  # 5% of 1.401,50 rounds half up


def test_the_expected_bijstand_averages_the_counted_income_of_the_last_settled_months():
    eerder = [verrekend(Maand(2026, m), g) for m, g in ((1, 90_000), (2, 30_000), (3, 60_000), (4, 90_000))]
    # the last three (60.000 on average), not the first
    bijstand = NORM - 60_000
    assert verwacht(eerder).te_betalen(Decimal(5)) == bijstand - round(bijstand * 5 / 100)
    assert verwacht([verrekend(Maand(2026, 1), 200_000)]).te_betalen(Decimal(5)) == 0
    # a case that began on 16 January counted January's income of its 16 days: a whole month has 31
    januari = replace(verrekend(Maand(2026, 1), 32_000), dagen=16)
    per_dag = Bijdrage(
        "123456782L01", 1, date(2026, 1, 1), date(2026, 1, 31), 32_000, verdiend=(date(2026, 1, 16), date(2026, 1, 31))
    )
    assert verwacht([replace(januari, inkomen=Inkomen(32_000, 0, (per_dag,)))]).bijstand == NORM - 62_000
    # one whose days are not known (established by the municipality) counted the whole month already
    assert verwacht([januari]).bijstand == NORM - 32_000


def test_the_advance_is_the_policy_percentage_of_the_expected_bijstand_rounded_to_the_cent():
    assert k.voorschot(100_001, replace(BELEID, percentage=95)) == 95_001
    assert k.voorschot(100_001, BELEID) == 100_001


def test_what_the_person_bridges_is_what_the_advance_does_not_cover_until_the_settlement():
    maand = Maand(2026, 3)
    [open_, betaald_te_weinig, te_veel] = k.kalender(
        [maand, maand.volgende(), maand.volgende().volgende()],
        {maand: 120_000, maand.volgende(): 120_000, maand.volgende().volgende(): 120_000},
        {maand.volgende(): 100_000, maand.volgende().volgende(): 140_000},
        {maand: 114_000},
        {maand.volgende(): (verrekend(maand.volgende(), 20_000, 100_000), date(2026, 5, 20))},
        [BELEID],
    )
    assert open_.voorschot_voorgesteld == 114_000 and open_.voorschot_betaald is None
    assert open_.te_overbruggen == 6_000  # expected 1.200,00, proposed 1.140,00
    assert betaald_te_weinig.verrekening is not None and betaald_te_weinig.verrekend_op == date(2026, 5, 20)
    assert betaald_te_weinig.te_overbruggen == betaald_te_weinig.verrekening.te_betalen - 100_000
    assert te_veel.te_overbruggen == 0
    assert open_.polis_verwacht_op == date(2026, 5, 15)


def test_the_months_of_a_case_run_from_its_start_to_this_month_or_its_end():
    assert k.maanden_van(date(2026, 10, 20), None, Maand(2026, 12)) == [
        Maand(2026, 10),
        Maand(2026, 11),
        Maand(2026, 12),
    ]
    assert k.maanden_van(date(2026, 10, 20), date(2026, 11, 3), Maand(2027, 3)) == [Maand(2026, 10), Maand(2026, 11)]


def test_timeliness_counts_the_months_first_settled_by_the_polis_date_plus_the_target():
    nov = Maand(2026, 11)  # polis 15 January 2027, target 22 January
    op = lambda d: date(2027, 1, d)  # noqa: E731
    t = k.tijdigheid([(nov, op(22), 1), (nov, op(25), 1), (nov, op(10), 1)], [BELEID])
    assert (t.verrekend, t.binnen_doel, t.aandeel_procent) == (3, 2, 67)
    assert k.tijdigheid([(nov, op(22), 4), (nov, op(25), 2)], [BELEID]) == k.Tijdigheid(6, 4), "rows count months"
    assert k.tijdigheid([(nov, op(25), 1)], [replace(BELEID, doel_werkdagen=10)]).binnen_doel == 1
    assert k.tijdigheid([], []).aandeel_procent is None
    assert k.Tijdigheid(3, 2) + k.Tijdigheid(1, 0) == k.Tijdigheid(4, 2)


def test_the_proposal_is_explained_in_plain_dutch():
    tekst = k.uitleg(Maand(2026, 11), 100_000, 95_000, replace(BELEID, percentage=95))
    assert "Voor november 2026 is het voorschot € 950,00: 95% van de verwachte bijstand van € 1.000,00" in tekst
    assert "15-01-2027" in tekst and "22-01-2027" in tekst

from datetime import date

import pytest

from schakel.primitives import Bedrag, Maand, geldig_op, leeftijd
from schakel.primitives.bsn import elfproef, met_controlecijfer, why_invalid
from schakel.primitives.volgorde import is_newer


@pytest.mark.parametrize("value", ["999993653", "111222333", "123456782"])
def test_bsns_that_pass_the_elfproef(value):
    assert why_invalid(value) is None


@pytest.mark.parametrize(
    "value,reason",
    [
        ("123456789", "elfproef"),
        ("000000000", "geen BSN"),
        ("12345678", "9 cijfers"),
        ("12345678a", "9 cijfers"),
        ("１２３４５６７８２", "9 cijfers"),
        (123456782, "9 cijfers"),
    ],
)
def test_bsns_that_do_not(value, reason):
    assert reason in why_invalid(value)


# 10000006 begins no BSN: 9 * 1 + 2 * 6 leaves 10
@pytest.mark.parametrize("eerste_acht", ["11122233", "12345678", "00000001", "99999999", "26000000", "10000006"])
def test_the_check_digit_is_the_one_ninth_digit_that_passes_the_elfproef(eerste_acht):
    passing = [d for d in "0123456789" if elfproef(eerste_acht + d)]
    assert met_controlecijfer(eerste_acht) == (eerste_acht + passing[0] if passing else None)
    assert len(passing) <= 1


def test_money_is_cents_and_percentages_round_half_up():
    assert Bedrag.euro("1401.50") == Bedrag(140150)
    assert Bedrag(1).percentage(50) == Bedrag(1)  # 0.5 cent rounds up
    assert Bedrag(140149).percentage(25) == Bedrag(35037)  # 35037.25
    assert Bedrag(10).percentage("12.5") == Bedrag(1)  # 1.25
    assert str(Bedrag(140150)) == "€ 1.401,50" and str(Bedrag(-5)) == "min € 0,05"
    with pytest.raises(ValueError):
        Bedrag.euro("1.005")
    with pytest.raises(TypeError):
        Bedrag(1.5)


def test_months():
    assert Maand.parse("2026-02").dagen == 28 and Maand(2028, 2).dagen == 29
    assert Maand(2026, 12).volgende() == Maand(2027, 1)
    assert Maand.van(date(2026, 3, 15)).laatste_dag == date(2026, 3, 31)
    assert str(Maand(2026, 1)) == "2026-01"
    for bad in ("2026-13", "2026-1", "26-01"):
        with pytest.raises(ValueError):
            Maand.parse(bad)


def test_only_newer_state_replaces_state():
    assert is_newer(8, 7) and not is_newer(7, 7) and not is_newer(6, 7)
    assert is_newer(None, 7) and is_newer(3, None), "unnumbered events and state: applied as before numbering"


def test_age_counts_whole_years_up_to_the_birthday():
    assert leeftijd(date(2008, 1, 2), date(2026, 1, 1)) == 17
    assert leeftijd(date(2008, 1, 1), date(2026, 1, 1)) == 18
    assert leeftijd(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert leeftijd(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_a_dated_tables_value_on_a_day_is_its_last_row_from_before_it():
    tabel = ((date.min, 3), (date(2026, 1, 1), 6))
    assert [geldig_op(tabel, d) for d in (date(2025, 12, 31), date(2026, 1, 1), date(2099, 1, 1))] == [3, 6, 6]


def test_a_month_splits_into_other_and_unknown_income_each_up_to_what_is_left():
    from schakel.primitives import soorten

    assert soorten(100000, 30000, 20000) == (30000, 20000)
    assert soorten(100000, 80000, 50000) == (80000, 20000), "unknown up to what other income leaves"
    assert soorten(100000, -20000, -5000) == (0, 0), "a negative line takes off no more than there is"
    assert soorten(-10000, 5000, 5000) == (0, 0)

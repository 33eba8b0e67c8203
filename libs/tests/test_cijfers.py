"""The programme's figures withhold small groups (AVG art. 89 lid 1: safeguards for statistics):
under 10 persons no figure, and no share whose part or rest is a group of 1 to 9; numbers are
rounded to fives and periods are whole ended calendar periods, so figures cannot be differenced."""

from datetime import date

import pytest

from schakel.errors import Refused
from schakel.primitives.cijfers import Cijfer, Periode, aandeel, aantal, afgerond, kwantiel


def test_numbers_are_rounded_to_the_nearest_five_a_half_upwards():
    assert [afgerond(n) for n in (0, 2, 3, 10, 12, 13, 17, 18, 412)] == [0, 0, 5, 10, 10, 15, 15, 20, 410]


def test_a_share_of_ten_or_more_is_taken_of_the_rounded_numbers():
    assert aandeel("x", 20, 30) == Cijfer("x", 0.667, 30)
    assert aandeel("x", 0, 10) == Cijfer("x", 0.0, 10)
    assert aandeel("x", 12, 12) == Cijfer("x", 1.0, 10)
    # 10/22 = 0,455 would name the base behind the rounded 20 (no other near it gives that share)
    assert aandeel("x", 10, 22) == Cijfer("x", 0.5, 20)
    assert aandeel("x", 13, 27) == Cijfer("x", 0.6, 25)


def test_a_share_under_the_threshold_is_withheld_with_its_base():
    assert aandeel("x", 5, 9) == Cijfer("x", None, None, "minder-dan-drempel")
    assert aandeel("x", 0, 0) == Cijfer("x", None, None, "minder-dan-drempel")


def test_a_share_whose_part_or_rest_is_a_small_group_is_withheld_but_its_rounded_base_shown():
    assert aandeel("x", 3, 42) == Cijfer("x", None, 40, "kleine-groep")
    assert aandeel("x", 38, 43) == Cijfer("x", None, 45, "kleine-groep")


def test_quantiles_by_nearest_rank_only_from_ten_values():
    dagen = [0, 0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89]
    assert kwantiel("m", dagen, 0.5) == Cijfer("m", 5.0, 10)
    assert kwantiel("p", dagen, 0.9) == Cijfer("p", 55.0, 10)
    assert kwantiel("m", dagen[:9], 0.5) == Cijfer("m", None, None, "minder-dan-drempel")


def test_a_count_is_shown_rounded_when_none_or_at_least_ten():
    assert aantal("n", 0) == Cijfer("n", 0.0, 0)
    assert aantal("n", 10) == Cijfer("n", 10.0, 10)
    assert aantal("n", 13) == Cijfer("n", 15.0, 15)
    assert aantal("n", 4).reden == "minder-dan-drempel"


def test_a_period_includes_both_ends_and_cannot_run_backwards():
    periode = Periode(date(2026, 1, 1), date(2026, 1, 31))
    assert periode.bevat(date(2026, 1, 1)) and periode.bevat(date(2026, 1, 31))
    assert not periode.bevat(date(2026, 2, 1)) and not periode.bevat(None)
    with pytest.raises(Refused) as fout:
        Periode(date(2026, 2, 1), date(2026, 1, 31))
    assert fout.value.field == "tot"


VANDAAG = date(2026, 11, 30)


@pytest.mark.parametrize(
    "van, tot",
    [
        (date(2026, 10, 1), date(2026, 10, 31)),  # a month
        (date(2024, 2, 1), date(2024, 2, 29)),  # a leap February
        (date(2026, 7, 1), date(2026, 9, 30)),  # a quarter
        (date(2025, 10, 1), date(2025, 12, 31)),  # the last quarter of a year
        (date(2025, 1, 1), date(2025, 12, 31)),  # a year
    ],
)
def test_a_reader_asks_over_an_ended_calendar_month_quarter_or_year(van, tot):
    assert Periode.afgesloten(van, tot, VANDAAG) == Periode(van, tot)


@pytest.mark.parametrize(
    "van, tot, veld",
    [
        (date(2026, 1, 2), date(2026, 1, 31), "van"),  # not from the first
        (date(2026, 1, 1), date(2026, 1, 30), "tot"),  # a day short: the 31st would be the difference
        (date(2026, 2, 1), date(2026, 4, 30), "van"),  # three months, not a quarter
        (date(2025, 4, 1), date(2026, 3, 31), "van"),  # twelve months, not a year
        (date(2026, 1, 1), date(2026, 2, 28), "tot"),  # two months
        (date(2025, 1, 1), date(2026, 6, 30), "tot"),  # a year and a half
        (date(2025, 1, 1), date(2026, 12, 31), "tot"),  # two years
    ],
)
def test_any_other_period_is_refused_naming_the_end_that_is_off(van, tot, veld):
    with pytest.raises(Refused) as fout:
        Periode.afgesloten(van, tot, VANDAAG)
    assert (fout.value.code, fout.value.field) == ("periode-ongeldig", veld)


def test_a_period_not_yet_over_is_refused_as_running():
    for van, tot in [(date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 1, 1), date(2026, 12, 31))]:
        with pytest.raises(Refused) as fout:
            Periode.afgesloten(van, tot, VANDAAG)
        assert (fout.value.code, fout.value.field) == ("periode-lopend", "tot")
    assert Periode.afgesloten(date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1))

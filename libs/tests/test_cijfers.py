"""The programme's figures withhold small groups (AVG art. 89 lid 1: safeguards for statistics):
under 10 persons no figure, and no share whose part or rest is a group of 1 to 9."""

from datetime import date

import pytest

from schakel.errors import Refused
from schakel.primitives.cijfers import Cijfer, Periode, aandeel, aantal, kwantiel


def test_a_share_of_ten_or_more_is_shown_rounded():
    assert aandeel("x", 20, 30) == Cijfer("x", 0.667, 30)
    assert aandeel("x", 0, 10) == Cijfer("x", 0.0, 10)
    assert aandeel("x", 12, 12) == Cijfer("x", 1.0, 12)


def test_a_share_under_the_threshold_is_withheld_with_its_base():
    assert aandeel("x", 5, 9) == Cijfer("x", None, None, "minder-dan-drempel")
    assert aandeel("x", 0, 0) == Cijfer("x", None, None, "minder-dan-drempel")


def test_a_share_whose_part_or_rest_is_a_small_group_is_withheld_but_its_base_shown():
    assert aandeel("x", 3, 40) == Cijfer("x", None, 40, "kleine-groep")
    assert aandeel("x", 38, 40) == Cijfer("x", None, 40, "kleine-groep")


def test_quantiles_by_nearest_rank_only_from_ten_values():
    dagen = [0, 0, 1, 2, 3, 5, 8, 13, 21, 34]
    assert kwantiel("m", dagen, 0.5) == Cijfer("m", 3.0, 10)
    assert kwantiel("p", dagen, 0.9) == Cijfer("p", 21.0, 10)
    assert kwantiel("m", dagen[:9], 0.5) == Cijfer("m", None, None, "minder-dan-drempel")


def test_a_count_is_shown_when_none_or_at_least_ten():
    assert aantal("n", 0) == Cijfer("n", 0.0, 0)
    assert aantal("n", 10) == Cijfer("n", 10.0, 10)
    assert aantal("n", 4).reden == "minder-dan-drempel"


def test_a_period_includes_both_ends_and_cannot_run_backwards():
    periode = Periode(date(2026, 1, 1), date(2026, 1, 31))
    assert periode.bevat(date(2026, 1, 1)) and periode.bevat(date(2026, 1, 31))
    assert not periode.bevat(date(2026, 2, 1)) and not periode.bevat(None)
    with pytest.raises(Refused) as fout:
        Periode(date(2026, 2, 1), date(2026, 1, 31))
    assert fout.value.field == "tot"

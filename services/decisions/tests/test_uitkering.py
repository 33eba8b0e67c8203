"""Participatiewet art. 11 jo. art. 13: bijstand from the 18th birthday; a case ends once, not
before it started."""

from datetime import date

import pytest

from decisions.domain.fouten import RegelFout
from decisions.domain.uitkering import Reden, Status, Uitkering, leeftijd


def open_(geboortedatum=date(1990, 5, 1), startdatum=date(2026, 1, 1)) -> Uitkering:
    return Uitkering.open("id", "999993653", "GM0363", geboortedatum, startdatum)


def test_age_counts_whole_years_up_to_the_birthday():
    assert leeftijd(date(2008, 1, 2), date(2026, 1, 1)) == 17
    assert leeftijd(date(2008, 1, 1), date(2026, 1, 1)) == 18
    assert leeftijd(date(2008, 2, 29), date(2026, 2, 28)) == 17


def test_bijstand_starts_at_eighteen_at_the_earliest():
    assert open_(date(2008, 1, 1)).status is Status.lopend
    with pytest.raises(RegelFout) as caught:
        open_(date(2008, 1, 2))
    assert caught.value.code == "te-jong" and caught.value.field == "startdatum"


def test_ending_a_case():
    ended = open_().beeindig(date(2026, 3, 31), Reden.werk)
    assert (ended.status, ended.einddatum, ended.reden) == (Status.beeindigd, date(2026, 3, 31), Reden.werk)
    assert open_().beeindig(date(2026, 1, 1), Reden.overig).einddatum == date(2026, 1, 1)  # one day of bijstand


@pytest.mark.parametrize(
    "case,einddatum,code",
    [
        (lambda: open_(), date(2025, 12, 31), "einddatum-voor-startdatum"),
        (lambda: open_().beeindig(date(2026, 3, 31), Reden.werk), date(2026, 4, 30), "al-beeindigd"),
    ],
)
def test_a_case_ends_once_and_not_before_it_started(case, einddatum, code):
    with pytest.raises(RegelFout) as caught:
        case().beeindig(einddatum, Reden.werk)
    assert caught.value.code == code

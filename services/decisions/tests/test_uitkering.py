"""Participatiewet art. 11 jo. art. 13: bijstand from the 18th birthday; a case ends once, not
before it started; a case starts or ends at most 6 months ahead; a new case of a person may not pay
the days an earlier one pays."""

from datetime import date

import pytest

from decisions.domain.fouten import RegelFout
from decisions.domain.uitkering import Reden, Status, Uitkering

VANDAAG = date(2026, 11, 30)


def open_(geboortedatum=date(1990, 5, 1), startdatum=date(2026, 1, 1)) -> Uitkering:
    return Uitkering.open("id", "999993653", "GM0363", geboortedatum, startdatum, VANDAAG)


def test_bijstand_starts_at_eighteen_at_the_earliest():
    assert open_(date(2008, 1, 1)).status is Status.lopend
    with pytest.raises(RegelFout) as caught:
        open_(date(2008, 1, 2))
    assert caught.value.code == "te-jong" and caught.value.field == "startdatum"


def test_ending_a_case():
    ended = open_().beeindig(date(2026, 3, 31), Reden.werk, VANDAAG)
    assert (ended.status, ended.einddatum, ended.reden) == (Status.beeindigd, date(2026, 3, 31), Reden.werk)
    assert open_().beeindig(date(2026, 1, 1), Reden.overig, VANDAAG).einddatum == date(
        2026, 1, 1
    )  # one day of bijstand


@pytest.mark.parametrize(
    "case,einddatum,code",
    [
        (lambda: open_(), date(2025, 12, 31), "einddatum-voor-startdatum"),
        (lambda: open_().beeindig(date(2026, 3, 31), Reden.werk, VANDAAG), date(2026, 4, 30), "al-beeindigd"),
        (lambda: open_(), date(2027, 6, 1), "einddatum-te-ver-vooruit"),
    ],
)
def test_a_case_ends_once_and_not_before_it_started(case, einddatum, code):
    with pytest.raises(RegelFout) as caught:
        case().beeindig(einddatum, Reden.werk, VANDAAG)
    assert caught.value.code == code


def test_a_case_starts_and_ends_at_most_six_months_ahead():
    """Decided on 30 November 2026: up to and including 31 May 2027."""
    assert open_(startdatum=date(2027, 5, 31)).startdatum == date(2027, 5, 31)
    assert open_().beeindig(date(2027, 5, 31), Reden.werk, VANDAAG).einddatum == date(2027, 5, 31)
    with pytest.raises(RegelFout) as caught:
        open_(startdatum=date(2027, 6, 1))
    assert (caught.value.code, caught.value.field) == ("startdatum-te-ver-vooruit", "startdatum")
    assert "uiterlijk 2027-05-31" in str(caught.value)


def test_a_new_case_may_not_pay_days_an_earlier_one_pays():
    lopend, beeindigd = open_(), open_().beeindig(date(2026, 6, 30), Reden.werk, VANDAAG)
    assert lopend.overlapt(date(2030, 1, 1))
    assert beeindigd.overlapt(date(2026, 6, 30)) and beeindigd.overlapt(date(2025, 1, 1))
    assert not beeindigd.overlapt(date(2026, 7, 1))

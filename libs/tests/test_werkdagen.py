"""Working days skip weekends and the public holidays of the Algemene termijnenwet."""

from datetime import date

from schakel.primitives.werkdagen import feestdagen, is_werkdag, pasen, werkdagen_na


def test_easter_falls_on_the_published_sundays():
    # the dates in the Dutch calendar: early (2008), late (2038) and ordinary years
    assert [pasen(j) for j in (2008, 2024, 2026, 2027, 2038)] == [
        date(2008, 3, 23),
        date(2024, 3, 31),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2038, 4, 25),
    ]


def test_the_holidays_of_2026_and_kingsday_moving_off_a_sunday():
    assert sorted(feestdagen(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 4, 27),
        date(2026, 5, 5),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    ]
    assert date(2031, 4, 26) in feestdagen(2031) and date(2031, 4, 27) not in feestdagen(2031)  # the 27th a Sunday
    assert is_werkdag(date(2026, 4, 3)), "Good Friday is no holiday under the Algemene termijnenwet"


def test_working_days_skip_weekends_and_holidays():
    assert werkdagen_na(date(2027, 1, 15), 1) == date(2027, 1, 18)  # Friday to Monday
    # Thursday 24 December 2026: Christmas Friday, the weekend, then Monday 28th
    assert werkdagen_na(date(2026, 12, 24), 1) == date(2026, 12, 28)
    # Ascension Day 2026 is Thursday 14 May
    assert werkdagen_na(date(2026, 5, 13), 2) == date(2026, 5, 18)

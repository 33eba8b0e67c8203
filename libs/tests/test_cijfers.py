"""The programme's figures withhold small groups (AVG art. 89 lid 1: safeguards for statistics): no
figure, nor a difference or sum of figures, may say something about a group of 1 to 9 persons. Under
10 persons no figure; no share whose part or rest is under 10; no quantile without 10 values on
either side; numbers rounded to fives; periods are ended calendar quarters; and a municipality
withheld alone beside the country takes another with it."""

from datetime import date

import pytest

from schakel.errors import Refused
from schakel.primitives.cijfers import (
    Cijfer,
    Periode,
    aandeel,
    aantal,
    aanvullend,
    getoond,
    kwantiel,
    op_afronding,
    samen,
    vastgesteld,
    voorlopig,
    vrijgegeven,
)


def gepubliceerd(eenheden, groepen=()):
    """As the route publishes them: every figure `aanvullend` withholds, withheld."""
    return getoond(eenheden, aanvullend(eenheden, groepen))


def test_numbers_are_rounded_to_the_nearest_five_a_half_upwards():
    assert [op_afronding(n) for n in (0, 2, 3, 10, 12, 13, 17, 18, 412)] == [0, 0, 5, 10, 10, 15, 15, 20, 410]


def test_a_share_is_taken_of_the_rounded_numbers():
    assert aandeel("x", 20, 30) == Cijfer("x", 0.667, 30)
    # 10/22 = 0,455 would name the base behind the rounded 20 (no other near it gives that share)
    assert aandeel("x", 10, 22) == Cijfer("x", 0.5, 20)
    assert aandeel("x", 13, 27) == Cijfer("x", 0.6, 25)


def test_a_share_under_the_threshold_is_withheld_with_its_base():
    assert aandeel("x", 5, 9) == Cijfer("x", None, None, "minder-dan-drempel")
    assert aandeel("x", 0, 0) == Cijfer("x", None, None, "minder-dan-drempel")


def test_a_share_whose_part_or_rest_is_under_ten_none_included_is_withheld_but_its_rounded_base_shown():
    assert aandeel("x", 3, 42) == Cijfer("x", None, 40, "kleine-groep")
    assert aandeel("x", 38, 43) == Cijfer("x", None, 45, "kleine-groep")
    # 0 or 1 says what everyone did, also a withheld group inside the base (a month in a quarter)
    assert aandeel("x", 0, 40) == Cijfer("x", None, 40, "kleine-groep")
    assert aandeel("x", 12, 12) == Cijfer("x", None, 10, "kleine-groep")


def test_a_quantile_is_shown_with_ten_values_at_or_below_and_at_or_above_it():
    negentien = list(range(19))
    assert kwantiel("m", negentien, 0.5) == Cijfer("m", 9.0, 20)  # the 10th of 19: 10 on each side
    assert kwantiel("m", negentien[:18], 0.5).reden == "minder-dan-drempel"
    negentig = list(range(90))
    assert kwantiel("p", negentig, 0.9) == Cijfer("p", 80.0, 90)  # the 81st: 10 at or above it
    assert kwantiel("p", negentig[:89], 0.9).reden == "minder-dan-drempel"
    assert kwantiel("p", list(range(50)), 0.9).reden == "minder-dan-drempel", "the 45th of 50: 6 above"


def test_a_count_is_shown_rounded_when_none_or_at_least_ten():
    assert aantal("n", 0) == Cijfer("n", 0.0, 0)
    assert aantal("n", 10) == Cijfer("n", 10.0, 10)
    assert aantal("n", 13) == Cijfer("n", 15.0, 15)
    assert aantal("n", 4).reden == "minder-dan-drempel"


WEG = "aanvullend-onderdrukt"


def test_a_municipality_withheld_alone_beside_the_country_takes_the_smallest_shown_with_it():
    land, klein, groot, grootst = aantal("n", 64), aantal("n", 4), aantal("n", 20), aantal("n", 40)
    assert gepubliceerd({None: [land], "GM0003": [klein], "GM0002": [grootst], "GM0001": [groot]}) == {
        None: [land],
        "GM0003": [klein],
        "GM0002": [grootst],
        "GM0001": [Cijfer("n", None, None, WEG)],
    }
    # a shown none is no cover: hiding it hides nothing
    nul = gepubliceerd({None: [aantal("n", 24)], "GM0001": [aantal("n", 0)], "GM0002": [klein], "GM0003": [groot]})
    assert (nul["GM0001"], nul["GM0003"]) == ([aantal("n", 0)], [Cijfer("n", None, None, WEG)])
    # with no other to hide, the country is withheld
    alleen = gepubliceerd({None: [aantal("n", 14)], "GM0001": [klein], "GM0002": [aantal("n", 0)]})
    assert alleen[None] == [Cijfer("n", None, None, WEG)]


def test_withheld_municipalities_together_must_rest_on_ten():
    drie, vier, zes, zeven = (aantal("n", k) for k in (3, 4, 6, 7))
    samen = {None: [aantal("n", 47)], "GM0001": [drie], "GM0002": [vier], "GM0003": [aantal("n", 40)]}
    assert gepubliceerd(samen)["GM0003"] == [Cijfer("n", None, None, WEG)], "3 and 4 together: still a small group"
    genoeg = {None: [aantal("n", 53)], "GM0001": [zes], "GM0002": [zeven], "GM0003": [aantal("n", 40)]}
    assert gepubliceerd(genoeg) == genoeg


def test_the_one_taken_along_is_withheld_in_every_figure_resting_on_its_persons():
    """Its count would give away its base, and with it the withheld one's share (a review's case: 4 who
    all returned beside 28, the country's share and the other's base pinned the 4)."""
    a = [aantal("n", 4), aandeel("s", 4, 4)]
    b = [aantal("n", 28), aandeel("s", 9, 28)]
    land = [aantal("n", 32), aandeel("s", 13, 32)]
    uit = gepubliceerd({None: land, "GM0001": a, "GM0002": b}, [("n", "s")])
    assert uit["GM0002"] == [Cijfer("n", None, None, WEG), Cijfer("s", None, None, WEG)]
    assert gepubliceerd({None: land, "GM0001": a, "GM0002": b})["GM0002"][1].aantal == 30, "without the group"


def test_withheld_shares_together_must_have_ten_in_their_part_and_ten_in_their_rest():
    c = aandeel("s", 20, 40)
    alleen = gepubliceerd({None: [aandeel("s", 23, 80)], "GM0001": [aandeel("s", 3, 40)], "GM0002": [c]})
    assert alleen["GM0002"] == [Cijfer("s", None, None, WEG)], "a small part behind a base of 40"
    # none back among 60: the country less the third would say so
    geen = {None: [aandeel("s", 20, 100)], "GM0001": [aandeel("s", 0, 30)], "GM0002": [aandeel("s", 0, 30)]}
    assert gepubliceerd(geen | {"GM0003": [c]})["GM0003"] == [Cijfer("s", None, None, WEG)]
    samen = {None: [aandeel("s", 30, 100)], "GM0001": [aandeel("s", 4, 30)], "GM0002": [aandeel("s", 6, 30)]}
    assert gepubliceerd(samen | {"GM0003": [c]}) == samen | {"GM0003": [c]}, "10 back of 60 together"


def test_a_country_that_shows_only_its_base_is_subtracted_from_too():
    land = aandeel("s", 5, 206)  # withheld as a share, its base 205 shown
    assert land.aantal == 205
    uit = gepubliceerd({None: [land], "GM0001": [aandeel("s", 0, 6)], "GM0002": [aandeel("s", 5, 200)]})
    assert uit[None] == [Cijfer("s", None, None, WEG)], "205 less 200 would give the 6"


def test_with_none_to_take_along_the_country_is_withheld_in_every_figure_of_the_group():
    land = [aantal("n", 14), aantal("m", 14)]
    uit = gepubliceerd(
        {None: land, "GM0001": [aantal("n", 4), aantal("m", 4)], "GM0002": [aantal("n", 10)]}, [("n", "m")]
    )
    assert uit[None] == [Cijfer("n", None, None, WEG), Cijfer("m", None, None, WEG)]
    assert uit["GM0002"] == [Cijfer("n", None, None, WEG)], "taken along first, and not enough"


def test_one_taken_along_for_a_figure_covers_the_next_of_its_group():
    """Taken along for the count, B is withheld in the share too, so A's share has its cover."""
    a = [aantal("n", 4), aandeel("s", 2, 4)]
    b, c = [aantal("n", 20), aandeel("s", 10, 20)], [aantal("n", 40), aandeel("s", 20, 40)]
    land = [aantal("n", 64), aandeel("s", 32, 64)]
    uit = gepubliceerd({None: land, "GM0001": a, "GM0002": b, "GM0003": c}, [("n", "s")])
    assert uit["GM0002"] == [Cijfer("n", None, None, WEG), Cijfer("s", None, None, WEG)]
    assert uit["GM0003"] == c and uit[None] == land


def test_a_figure_withheld_for_another_reason_is_cover_and_keeps_its_reason():
    """A review's case: realisation withheld for want of a ministerial number, with 40 and 50 persons
    behind it, covers Rotterdam's 5 (the country less the rest gives 95 together, not 5)."""
    geen = Cijfer("r", None, None, "geen-taakstelling", (40,))
    land = Cijfer("r", 0.5, 95, None, (95,))
    uit = gepubliceerd(
        {None: [land], "GM0599": [Cijfer("r", None, None, "minder-dan-drempel", (5,))], "GM0344": [geen]}
    )
    assert uit[None] == [land] and uit["GM0344"] == [geen]
    # one taken along keeps a reason it had: only what it showed is withheld
    a, b = [aantal("n", 4), geen], [aantal("n", 20), Cijfer("r", 0.5, 20, None, (20,))]
    uit = gepubliceerd({None: [aantal("n", 24), land], "GM0001": a, "GM0002": b}, [("n", "r")])
    assert uit["GM0001"] == a and uit["GM0002"] == [Cijfer("n", None, None, WEG), Cijfer("r", None, None, WEG)]


def test_a_shown_figure_without_its_exact_groups_is_withheld_beside_a_small_group_not_a_crash():
    uit = gepubliceerd({None: [Cijfer("x", 0.5, 20)], "GM0001": [aantal("x", 4)]})
    assert uit[None] == [Cijfer("x", None, None, WEG)]


def test_what_is_not_a_small_group_is_left_as_it_is():
    land, groot = aantal("n", 30), aantal("n", 30)
    leeg = aandeel("n", 0, 0)  # nothing behind it
    assert gepubliceerd({None: [land], "GM0001": [leeg], "GM0002": [groot]})["GM0002"] == [groot]
    later = Cijfer("n", None, None, "nog-niet-meetbaar")
    assert gepubliceerd({None: [land], "GM0001": [later], "GM0002": [groot]})["GM0002"] == [groot]
    # a 90th percentile of 50 is withheld for its rank, not a small group: nothing to subtract
    p90 = {None: [kwantiel("p", list(range(150)), 0.9)], "GM0001": [kwantiel("p", list(range(50)), 0.9)]}
    assert gepubliceerd(p90 | {"GM0002": [kwantiel("p", list(range(100)), 0.9)]})["GM0002"][0].waarde == 89.0
    verborgen = {None: [aantal("n", 7)], "GM0001": [aantal("n", 7)], "GM0002": [aantal("n", 0)]}
    assert gepubliceerd(verborgen) == verborgen, "the country withheld itself"
    assert gepubliceerd({"GM0001": [aantal("n", 4)]}) == {"GM0001": [aantal("n", 4)]}, "a municipality's own"


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
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_a_reader_asks_over_an_ended_calendar_quarter(van, tot):
    assert Periode.afgesloten(van, tot, VANDAAG) == Periode(van, tot)


@pytest.mark.parametrize(
    "van, tot, veld",
    [
        (date(2026, 1, 2), date(2026, 3, 31), "van"),  # not from the first
        (date(2026, 2, 1), date(2026, 4, 30), "van"),  # three months, not a quarter
        (date(2026, 1, 1), date(2026, 3, 30), "tot"),  # a day short: the 31st would be the difference
        (date(2026, 1, 1), date(2026, 1, 31), "tot"),  # a month inside a quarter
        (date(2025, 1, 1), date(2025, 12, 31), "tot"),  # a year, whose quarters are nested in it
        (date(2026, 4, 1), date(2026, 7, 31), "tot"),  # a day over
    ],
)
def test_any_other_period_is_refused_naming_the_end_that_is_off(van, tot, veld):
    with pytest.raises(Refused) as fout:
        Periode.afgesloten(van, tot, VANDAAG)
    assert (fout.value.code, fout.value.field) == ("periode-ongeldig", veld)


def test_a_quarters_figures_come_on_the_first_of_the_second_month_after_it():
    """What is recorded late about a quarter (an end, a handover's outcome) comes in the month after."""
    with pytest.raises(Refused) as fout:
        Periode.afgesloten(date(2026, 10, 1), date(2026, 12, 31), VANDAAG)
    assert (fout.value.code, fout.value.field) == ("periode-lopend", "tot")
    for vroeg in (date(2026, 9, 30), date(2026, 10, 31)):
        with pytest.raises(Refused):
            Periode.afgesloten(date(2026, 7, 1), date(2026, 9, 30), vroeg)
    assert Periode.afgesloten(date(2026, 7, 1), date(2026, 9, 30), date(2026, 11, 1))
    assert vrijgegeven(Periode(date(2026, 10, 1), date(2026, 12, 31))) == date(2027, 2, 1)


def test_a_fixed_quarter_changes_only_where_a_figure_was_withheld_for_a_while():
    later = Cijfer("terug", None, None, "nog-niet-meetbaar")
    taak = Cijfer("realisatie", None, None, "geen-taakstelling")
    eerder = {None: [aantal("n", 34), later], "GM0001": [aantal("n", 4), taak]}
    assert voorlopig(eerder) and not voorlopig({None: [aantal("n", 4), aandeel("a", 3, 30)]})
    assert vastgesteld(None, eerder) == eerder, "nothing fixed yet: what the service counts now"
    nu = {
        None: [aantal("n", 40), aandeel("terug", 10, 40)],
        "GM0001": [aantal("n", 10), Cijfer("realisatie", None, None, "geen-taakstelling")],
        "GM0002": [aantal("n", 6)],  # no figures when the quarter was fixed: none now either
    }
    assert vastgesteld(eerder, nu) == {
        None: [aantal("n", 34), aandeel("terug", 10, 40)],
        "GM0001": [aantal("n", 4), taak],
    }
    assert vastgesteld({None: [later]}, {}) == {None: [later]}, "a figure the service no longer gives stays as fixed"


def test_what_was_withheld_beside_the_country_stays_withheld_when_a_figure_comes_later():
    """The review's attack: registration's place counts fixed, the realisation computed anew until the
    minister's number comes. One place recorded late in GM0001 raised its base above GM0002's, so the
    smallest shown one was GM0002 the second time: the country less GM0001 the second time and less
    GM0002 the first gave GM0003's 5."""
    groepen = [("n", "r")]

    def eenheden(r1: int) -> dict:
        r = [Cijfer("r", None, None, "geen-taakstelling", (p,)) for p in (30, r1, 13, 5)]
        n = [aantal("n", 30), aantal("n", 12), aantal("n", 13), aantal("n", 5)]
        return dict(zip([None, "GM0001", "GM0002", "GM0003"], ([a, b] for a, b in zip(n, r, strict=True)), strict=True))

    eerst = aanvullend(eenheden(12), groepen)
    assert {g for g, _ in eerst} == {"GM0001"}, "the smallest shown one"
    assert {g for g, _ in aanvullend(eenheden(14), groepen)} == {"GM0002"}, "asked afresh: another choice"
    daarna = aanvullend(eenheden(14), groepen, eerst)
    assert daarna == eerst, "seeded with the first choice, nothing more is needed"
    assert getoond(eenheden(14), daarna)["GM0002"][0] == aantal("n", 13)


def test_a_municipalitys_figure_waits_while_the_countrys_does_and_comes_with_it():
    wacht = {None: [Cijfer("r", None, None, "geen-taakstelling", (30,))], "GM0001": [Cijfer("r", 0.5, 20, None, (20,))]}
    assert samen(wacht)["GM0001"] == [Cijfer("r", None, None, "geen-taakstelling")]
    assert samen(wacht)["GM0001"][0].delen == (20,), "its persons still count where they count"
    klaar = {None: [Cijfer("r", 0.4, 30, None, (30,))], "GM0001": [Cijfer("r", 0.5, 20, None, (20,))]}
    assert samen(klaar) == klaar
    assert voorlopig(samen(wacht)) and not voorlopig(klaar | {"GM0002": [Cijfer("r", None, None, "geen-taakstelling")]})


def test_the_quarter_a_day_is_in():
    assert Periode.kwartaal(date(2026, 12, 5)) == Periode(date(2026, 10, 1), date(2026, 12, 31))
    assert Periode.kwartaal(date(2026, 4, 1)) == Periode(date(2026, 4, 1), date(2026, 6, 30))
    assert Periode.kwartaal(date(2028, 3, 31)) == Periode(date(2028, 1, 1), date(2028, 3, 31))


def test_a_withheld_share_that_publishes_its_base_does_not_hide_the_base_of_another():
    """A share withheld for a small part shows its base: the country's base less the shown ones and
    that one would give the base of a municipality withheld under the threshold (8 persons)."""
    eenheden = {
        None: [aandeel("x", 25, 50)],
        "GM0001": [aandeel("x", 15, 30)],
        "GM0002": [aandeel("x", 9, 12)],  # kleine-groep: its base (10) is shown
        "GM0003": [aandeel("x", 1, 8)],  # minder-dan-drempel: nothing shown
    }
    assert aanvullend(eenheden) == {("GM0001", "x")}, "the smallest shown base goes along"
    assert gepubliceerd(eenheden)["GM0002"] == [Cijfer("x", None, 10, "kleine-groep")]

"""Vrijlatingen: art. 31 lid 2 onder n, r, y, z, aa, and art. 34a (Participatiewet in balans)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from decisions.adapters.parameters import laad
from decisions.domain.situatie import Huishouden, Regime, Situatie
from decisions.domain.vrijlating import Klok, bepaal, klokstand, niet_toegepast
from schakel.primitives import Maand

P = laad()
ALLEENSTAAND = Situatie(date(2025, 1, 1), Huishouden.alleenstaand)
DERTIG, TWINTIG = date(1996, 1, 1), date(2005, 1, 1)
WERK = frozenset({"123456782L01/1"})


def reeks(situatie, geboren, maanden, inkomen=100000, dienstverbanden=lambda m: WERK):
    """(ground, amount, k, n) per month, applying the clock in order."""
    klok, result = Klok(), []
    for maand in maanden:
        v, klok = bepaal(maand, inkomen, geboren, situatie, klok, dienstverbanden(maand), P)
        result.append(None if v is None else (v.grond, v.bedrag, v.maand_nummer, v.maanden))
    return result


def maanden(van: Maand, aantal: int) -> list[Maand]:
    result = [van]
    while len(result) < aantal:
        result.append(result[-1].volgende())
    return result


def test_n_is_25_percent_capped_per_date_for_6_months_from_27():
    assert reeks(ALLEENSTAAND, DERTIG, [Maand(2026, 1)]) == [("n", 25000, 1, 6)]
    assert reeks(ALLEENSTAAND, DERTIG, [Maand(2026, 1)], inkomen=200000) == [("n", 28500, 1, 6)]
    assert reeks(ALLEENSTAAND, DERTIG, [Maand(2025, 7)], inkomen=200000) == [("n", 27800, 1, 6)]
    assert reeks(ALLEENSTAAND, DERTIG, [Maand(2025, 3)], inkomen=200000) == [("n", 27300, 1, 6)]
    assert reeks(ALLEENSTAAND, DERTIG, maanden(Maand(2026, 1), 7))[5:] == [("n", 25000, 6, 6), None]
    assert reeks(ALLEENSTAAND, TWINTIG, [Maand(2026, 1)]) == [None], "never under 27"


def test_months_without_income_do_not_use_the_clock():
    klok = Klok()
    v, klok = bepaal(Maand(2026, 1), 0, DERTIG, ALLEENSTAAND, klok, frozenset(), P)
    assert v is None and klok.maanden("n") == 0


def test_y_after_n_without_limit_and_instead_of_z():
    medisch = replace(ALLEENSTAAND, medisch_urenbeperkt=True, loonkostensubsidie=True)
    result = reeks(medisch, DERTIG, maanden(Maand(2025, 1), 24), inkomen=200000)
    assert result[6] == ("y", 17635, 1, None) and result[23] == ("y", 18019, 18, None)
    assert reeks(medisch, TWINTIG, [Maand(2026, 1)]) == [("y", 15000, 1, None)], "y has no age limit"


def test_z_for_12_months_after_n_then_aa_only_when_more_hours_are_impossible():
    lks = replace(ALLEENSTAAND, loonkostensubsidie=True)
    result = reeks(lks, DERTIG, maanden(Maand(2025, 1), 19))
    assert [r[0] for r in result[:6]] == ["n"] * 6
    assert result[6] == ("z", 15000, 1, 12) and result[17] == ("z", 15000, 12, 12) and result[18] is None
    aa = reeks(replace(lks, meer_uren_niet_mogelijk=True), DERTIG, maanden(Maand(2025, 1), 20))
    assert aa[18] == ("aa", 15000, 1, None)


def test_r_for_a_single_parent_of_a_child_under_12_after_n():
    ouder = Situatie(date(2025, 1, 1), Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(2020, 1, 1))
    result = reeks(ouder, DERTIG, maanden(Maand(2025, 1), 24))
    assert result[6] == ("r", 12500, 1, 30) and result[23] == ("r", 12500, 18, 30)
    bijna_op = Klok(gebruikt=(("n", 6), ("r", 29)))
    v, klok = bepaal(Maand(2026, 6), 100000, DERTIG, ouder, bijna_op, WERK, P)
    assert (v.grond, v.maand_nummer) == ("r", 30)
    assert bepaal(Maand(2026, 7), 100000, DERTIG, ouder, klok, WERK, P)[0] is None, "at most 30 months"
    assert reeks(ouder, DERTIG, [Maand(2026, 1)], inkomen=200000) == [("n", 28500, 1, 6)]
    groot = replace(ouder, jongste_kind_geboortedatum=date(2013, 1, 1))
    assert reeks(groot, DERTIG, maanden(Maand(2025, 1), 7))[6] is None, "child 12 or older"


def test_in_balans_15_percent_without_cap_or_age_limit_restarting_with_new_work():
    opt_in = replace(ALLEENSTAAND, regime=Regime.in_balans)
    assert reeks(opt_in, TWINTIG, [Maand(2026, 1)], inkomen=300000) == [("werk", 45000, 1, 12)]
    assert reeks(opt_in, TWINTIG, [Maand(2025, 12)], inkomen=300000) == [None], "opt-in only from 2026"
    assert reeks(ALLEENSTAAND, TWINTIG, [Maand(2027, 1)]) == [("werk", 15000, 1, 12)], "by law from 2027"
    dertien = maanden(Maand(2026, 1), 14)
    assert reeks(opt_in, DERTIG, dertien)[12:] == [None, None]
    # a new employment in month 13 starts a new 12 months
    switch = reeks(
        opt_in, DERTIG, dertien, dienstverbanden=lambda m: WERK if m < Maand(2027, 1) else frozenset({"803123450L01/7"})
    )
    assert switch[12] == ("werk", 15000, 1, 12)


def test_in_balans_medical_and_aow():
    opt_in = replace(ALLEENSTAAND, regime=Regime.in_balans)
    assert reeks(replace(opt_in, medisch_urenbeperkt=True), DERTIG, maanden(Maand(2026, 1), 14))[13] == (
        "medisch",
        15000,
        14,
        None,
    )
    assert reeks(opt_in, date(1958, 1, 1), [Maand(2026, 1)], inkomen=200000) == [("aow", 22600, 1, None)]
    assert reeks(opt_in, date(1958, 1, 1), [Maand(2026, 1)], inkomen=40000)[0][1] == 10000


def test_percentages_round_half_up_to_the_cent():
    v, _ = bepaal(Maand(2026, 1), 100002, DERTIG, ALLEENSTAAND, Klok(), WERK, P)  # 25% of 1000,02 = 250,005
    assert v.bedrag == 25001 and v.percentage == Decimal("25")


def test_the_clock_is_the_highest_month_number_per_ground_of_the_settled_months():
    """The months used per ground (art. 31 lid 2, art. 34a), as passed on to a re-application."""
    n = [bepaal(m, 100000, DERTIG, ALLEENSTAAND, Klok(), WERK, P)[0] for m in maanden(Maand(2026, 1), 1)]
    gezet = [replace(n[0], maand_nummer=k) for k in (1, 3, 2)] + [None, replace(n[0], grond="y", maand_nummer=4)]
    assert klokstand(gezet) == {"n": 3, "y": 4}
    assert list(klokstand(reversed(gezet))) == ["n", "y"], "in order of the ground"
    assert klokstand([None]) == {}


def per_maand(situatie, geboren, inkomens):
    """(ground, k) per month of `inkomens` (month → net work income), applying the clock in order."""
    klok, result = Klok(), []
    for maand, inkomen in inkomens.items():
        v, klok = bepaal(maand, inkomen, geboren, situatie, klok, WERK, P)
        result.append(None if v is None else (v.grond, v.maand_nummer))
    return result


def test_in_balans_runs_12_consecutive_months_from_the_first_with_work_income():
    """Art. 34a: 12 consecutive months; months without work income in between count all the same."""
    opt_in = replace(ALLEENSTAAND, regime=Regime.in_balans)
    jaar = maanden(Maand(2026, 1), 14)
    inkomens = {m: 0 if Maand(2026, 3) <= m <= Maand(2026, 6) else 100000 for m in jaar}
    result = per_maand(opt_in, DERTIG, inkomens)
    assert result[:2] == [("werk", 1), ("werk", 2)] and result[2:6] == [None] * 4
    assert result[6] == ("werk", 7) and result[11] == ("werk", 12), "July is the 7th month, December the 12th"
    assert result[12:] == [None, None]


def test_r_runs_30_consecutive_months_from_its_first():
    """Art. 31 lid 2 onder r: "gedurende een aaneengesloten periode van ten hoogste 30 maanden"."""
    ouder = Situatie(date(2025, 1, 1), Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(2020, 1, 1))
    om_de_maand = {m: 100000 if i % 2 == 0 else 0 for i, m in enumerate(maanden(Maand(2025, 1), 24))}
    result = [r for r in per_maand(ouder, DERTIG, om_de_maand) if r is not None]
    # n in six months with work (January to November 2025), r from January 2026: month 1, 3, 5, ... 11
    assert result == [("n", k) for k in range(1, 7)] + [("r", k) for k in range(1, 12, 2)]
    zes = (("n", 6),)
    begonnen = Klok(zes, WERK, (("r", Maand(2024, 7)),))
    assert bepaal(Maand(2026, 12), 100000, DERTIG, ouder, begonnen, WERK, P)[0].maand_nummer == 30
    eerder = Klok(zes, WERK, (("r", Maand(2024, 6)),))
    assert bepaal(Maand(2026, 12), 100000, DERTIG, ouder, eerder, WERK, P)[0] is None, "31 months after its first"


def test_the_months_on_a_consecutive_clock_are_calendar_months():
    assert Maand(2025, 7).verschoven(29) == Maand(2027, 12) and Maand(2026, 1).verschoven(-1) == Maand(2025, 12)
    assert Maand(2025, 7).tot(Maand(2027, 12)) == 29 and Maand(2026, 1).tot(Maand(2025, 12)) == -1
    r = P.vrijlating_op(date(2026, 1, 1))["r"]
    assert Klok(reeksen=(("r", Maand(2025, 7)),)).maand_nummer("r", r, Maand(2027, 12)) == 30
    assert Klok(gebruikt=(("r", 4),)).maand_nummer("r", r, Maand(2026, 1)) == 5, "an earlier benefit's months go first"


def test_a_month_whose_vrijlating_changed_nothing_uses_none_of_it():
    voor = Klok(gebruikt=(("n", 2),), dienstverbanden=WERK)
    _, na = bepaal(Maand(2026, 3), 300000, DERTIG, ALLEENSTAAND, voor, WERK | {"803123450L01/7"}, P)
    assert na.maanden("n") == 3
    terug = niet_toegepast(voor, na)
    assert terug.maanden("n") == 2 and terug.dienstverbanden == na.dienstverbanden, "the new job stays seen"
    opt_in = replace(ALLEENSTAAND, regime=Regime.in_balans)
    _, balans = bepaal(Maand(2026, 3), 300000, DERTIG, opt_in, Klok(), WERK, P)
    assert niet_toegepast(Klok(), balans).begin("werk") == Maand(2026, 3), "in balans' 12 months run on"
    ouder = Situatie(date(2025, 1, 1), Huishouden.alleenstaande_ouder, jongste_kind_geboortedatum=date(2020, 1, 1))
    zes = Klok(gebruikt=(("n", 6),), dienstverbanden=WERK)
    _, r = bepaal(Maand(2026, 3), 300000, DERTIG, ouder, zes, WERK, P)
    assert r.begin("r") == Maand(2026, 3) and niet_toegepast(zes, r).begin("r") is None, "r begins when applied"

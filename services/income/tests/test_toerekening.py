"""Attribution to calendar months (DOMAIN.md §2, art. 32 lid 1b) and the override rule."""

from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from income.adapters.inkomstensoorten import laad
from income.domain.overschrijving import Overschrijving, polis_versies, vaststellen
from income.domain.polis import Netto
from income.domain.toerekening import (
    Aandeel,
    Regel,
    Toerekening,
    maandinkomens,
    toerekenen,
    verdeel,
    verhoudingen_beeindigd,
)
from income.tests.test_polis import aangifte
from schakel.primitives import Maand

SOORTEN = laad()

JAN, FEB, MRT = Maand(2026, 1), Maand(2026, 2), Maand(2026, 3)
VIER_WEKEN = dict(tijdvak_begin=date(2026, 1, 26), tijdvak_einde=date(2026, 2, 22))


def regel(versie=1, **changes) -> Regel:
    return Regel(aangifte(**changes), versie)


def naar_rato(_dag: date) -> Toerekening:
    """One municipality's default policy on every day."""
    return Toerekening.naar_rato


def test_four_week_period_spread_by_days():
    # 26 January-22 February: 6/28 in January, 22/28 in February
    parts = toerekenen(
        regel(**VIER_WEKEN, fiscaal_loon=140000, ingehouden_loonheffing=0), None, Toerekening.naar_rato, SOORTEN
    )
    assert [(b.maand, b.dagen, b.loon) for b in parts] == [(JAN, 6, 30000), (FEB, 22, 110000)]


def test_four_week_period_to_its_end_month_by_policy():
    parts = toerekenen(
        regel(**VIER_WEKEN, fiscaal_loon=140000, ingehouden_loonheffing=0),
        None,
        Toerekening.einde_tijdvak,
        SOORTEN,
    )
    assert [(b.maand, b.dagen, b.loon) for b in parts] == [(FEB, 28, 140000)]


def test_parts_add_up_exactly_to_the_period_total():
    parts = toerekenen(
        regel(**VIER_WEKEN, fiscaal_loon=100001, ingehouden_loonheffing=0), None, Toerekening.naar_rato, SOORTEN
    )
    assert sum(b.loon for b in parts) == 100001


@given(st.integers(-(10**9), 10**9), st.lists(st.integers(0, 400), min_size=1, max_size=5))
def test_split_always_sums_to_the_total(totaal, gewichten):
    parts = verdeel(totaal, gewichten)
    assert sum(parts) == (totaal if sum(gewichten) else 0)
    assert all(p == 0 for p, g in zip(parts, gewichten, strict=True) if g == 0)


def test_days_before_the_benefit_started_count_nowhere():
    # benefit from 1 February: January's 6 days drop out, February keeps its 22/28
    parts = toerekenen(
        regel(**VIER_WEKEN, fiscaal_loon=140000, ingehouden_loonheffing=0),
        date(2026, 2, 1),
        Toerekening.naar_rato,
        SOORTEN,
    )
    assert [(b.maand, b.loon) for b in parts] == [(FEB, 110000)]
    # also under the end-month policy only the counted days' share moves to February
    parts = toerekenen(
        regel(**VIER_WEKEN, fiscaal_loon=140000, ingehouden_loonheffing=0),
        date(2026, 2, 1),
        Toerekening.einde_tijdvak,
        SOORTEN,
    )
    assert [(b.maand, b.dagen, b.loon) for b in parts] == [(FEB, 22, 110000)]
    assert toerekenen(regel(), date(2026, 2, 1), Toerekening.naar_rato, SOORTEN) == []


def test_holiday_allowance_counts_in_the_month_it_is_paid():
    parts = toerekenen(
        regel(**VIER_WEKEN, fiscaal_loon=140000, ingehouden_loonheffing=0, vakantiebijslag_betaald=28000),
        None,
        Toerekening.naar_rato,
        SOORTEN,
    )
    assert [(b.maand, b.loon, b.vakantiebijslag) for b in parts] == [(JAN, 24000, 0), (FEB, 88000, 28000)]


def test_two_employers_in_one_month_are_summed():
    a = regel(fiscaal_loon=80000, ingehouden_loonheffing=0)
    b = regel(loonheffingennummer="803123450L01", fiscaal_loon=45000, ingehouden_loonheffing=5000)
    inkomens = maandinkomens([a, b], None, naar_rato, {JAN, FEB}, SOORTEN)
    assert inkomens[JAN].loon == 80000 + 40000 and len(inkomens[JAN].bijdragen) == 2
    assert inkomens[FEB].loon == 0 and inkomens[FEB].bijdragen == ()


def test_nil_correction_withdraws_the_income():
    nihil = regel(versie=2, fiscaal_loon=0, ingehouden_loonheffing=0)
    assert maandinkomens([nihil], None, naar_rato, {JAN}, SOORTEN)[JAN].loon == 0


def test_after_a_move_each_period_follows_the_policy_of_the_municipality_in_charge_on_its_first_day():
    """Until 31 January a municipality that attributes a period to its end month, from 1 February one
    that spreads by days: each period is attributed once and whole, under one of the two."""

    def verhuisd(dag: date) -> Toerekening:
        return Toerekening.einde_tijdvak if dag < date(2026, 2, 1) else Toerekening.naar_rato

    netto = dict(fiscaal_loon=140000, ingehouden_loonheffing=0)
    over_de_verhuizing = regel(tijdvak_begin=date(2026, 1, 19), tijdvak_einde=date(2026, 2, 15), **netto)
    erna = regel(inkomstenverhouding=2, tijdvak_begin=date(2026, 2, 16), tijdvak_einde=date(2026, 3, 15), **netto)
    inkomens = maandinkomens([over_de_verhuizing, erna], None, verhuisd, {JAN, FEB, MRT}, SOORTEN)
    # the first wholly in February (its end month: none of its 13 January days), the second 13/28 and 15/28
    assert [inkomens[m].loon for m in (JAN, FEB, MRT)] == [0, 140000 + 65000, 75000]
    alleen_naar_rato = maandinkomens([over_de_verhuizing], None, naar_rato, {JAN, FEB}, SOORTEN)
    assert [alleen_naar_rato[m].loon for m in (JAN, FEB)] == [65000, 75000], "one policy for both differs"


def test_override_wins_until_a_newer_polis_version_arrives_then_needs_review():
    polis = maandinkomens([regel()], None, naar_rato, {JAN}, SOORTEN)[JAN]
    override = Overschrijving(JAN, 99000, "loonstrook", polis_versies(polis))
    assert vaststellen(polis, None) == vaststellen(polis, None)
    assert (vaststellen(polis, None).loon, vaststellen(polis, None).bron) == (130000, "polis")
    held = vaststellen(polis, override)
    assert (held.loon, held.bron, held.te_beoordelen) == (99000, "overschrijving", False)
    corrected = maandinkomens([regel(versie=2, fiscaal_loon=160000)], None, naar_rato, {JAN}, SOORTEN)[JAN]
    flagged = vaststellen(corrected, override)
    assert (flagged.loon, flagged.te_beoordelen) == (99000, True)
    # once flagged it stays flagged, even if the polis returns to what was seen
    assert vaststellen(polis, replace(override, te_beoordelen=True)).te_beoordelen


def test_the_employments_ended_when_every_one_that_paid_in_the_month_reported_its_end():
    def aandeel(loon: int, einde: date | None) -> Aandeel:
        netto = Netto(loon, 0, 0, 0, 0, 0, loon, 0)
        return Aandeel("123456789L01", 1, einde, date(2026, 10, 1), date(2026, 10, 31), 1, 31, 31, loon, 0, netto)

    einde = date(2026, 10, 15)
    assert verhoudingen_beeindigd([aandeel(50000, einde), aandeel(0, None)]), "one that paid nothing does not count"
    assert not verhoudingen_beeindigd([aandeel(50000, einde), aandeel(100, None)])
    assert not verhoudingen_beeindigd([]), "no employment: nothing ended (no income either)"

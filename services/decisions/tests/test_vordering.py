"""Recovery without a debt spiral (Participatiewet art. 58, 60; Rv art. 475dc): claims are netted
against back-payments first, oldest first, then against the running benefit above the beslagvrije
voet only (95% of the applicable norm from 2021, or of a lower income)."""

import random
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from decisions.adapters.parameters import laad
from decisions.domain.fouten import Geweigerd
from decisions.domain.verrekening import Beweging
from decisions.domain.vordering import (
    BIJ_OPEN,
    STANDAARD,
    Aflossing,
    Boeking,
    Soort,
    Terugvordering,
    Verhoging,
    Verhogingsgrond,
    Vordering,
    Vorderingsbeleid,
    beslagvrije_voet,
    bewegingen,
    geldend,
    gestorneerd,
    houd_in,
    inhouding,
    los_af,
    nabetaling_uitleg,
    ruimte,
    terugbetaald,
    uitleg,
    verhoging_op,
    verrekend_met,
    verwerk,
    vorderingen,
)
from schakel.primitives import Maand

P = laad()
DAG = date(2026, 3, 1)
NORM = 140150  # single, 2026, holiday allowance included


def test_the_beslagvrije_voet_is_95_percent_of_the_norm_or_of_a_lower_income():
    assert beslagvrije_voet(NORM, NORM, DAG, P) == 133143  # 1.331,43 (half up)
    assert ruimte(NORM, NORM, DAG, P) == 7007, "only bijstand: 5% of the norm may go to the claims"
    assert beslagvrije_voet(NORM, 100000, DAG, P) == 95000 and ruimte(NORM, 100000, DAG, P) == 5000
    assert ruimte(NORM, 180000, DAG, P) == 180000 - 133143, "above the norm: the income over 95% of the norm"


def test_a_back_payment_pays_off_the_oldest_claim_first_and_the_rest_goes_to_the_person():
    vorderingen = [Vordering(Maand(2026, 4), 5000), Vordering(Maand(2026, 2), 3000)]
    open_, afgelost, over = los_af(vorderingen, 6000)
    assert afgelost == [Aflossing(Maand(2026, 2), 3000), Aflossing(Maand(2026, 4), 3000)]
    assert (open_, over) == ([Vordering(Maand(2026, 4), 2000)], 0)
    assert los_af(open_, 2500) == ([], [Aflossing(Maand(2026, 4), 2000)], 500)


def test_the_running_benefit_withholds_at_most_the_room_and_the_instalment():
    open_ = [Vordering(Maand(2026, 2), 50000)]
    room = ruimte(NORM, NORM, DAG, P)
    assert inhouding(open_, 133143, room) == 7007
    assert inhouding(open_, 133143, min(room, 5000)) == 5000, "a municipality's instalment may be lower"
    assert inhouding([Vordering(Maand(2026, 2), 1200)], 133143, room) == 1200
    assert inhouding(open_, 0, room) == 0


FEB, MRT, APR, MEI = Maand(2026, 2), Maand(2026, 3), Maand(2026, 4), Maand(2026, 5)


def _na(claims: list[Terugvordering], boekingen: list[Boeking]) -> list[Terugvordering]:
    return vorderingen([b for t in claims for b in t.boekingen] + boekingen)


def verwerk_een(claims: list[Terugvordering], maand: Maand, oud: int, nieuw: int, drempel: int):
    """One month's change in a run: its bookings, and what of it is paid out."""
    boekingen, uit = verwerk([b for t in claims for b in t.boekingen], [(maand, oud, nieuw)], drempel)
    return boekingen, uit[maand]


def test_a_month_paid_too_much_becomes_a_claim_and_a_later_back_payment_pays_it_off():
    boekingen, uit = verwerk_een([], FEB, 0, -20000, 0)
    assert (boekingen, uit) == ([Boeking(FEB, Soort.ontstaan, 20000, FEB)], 0)
    claims = vorderingen(boekingen)
    boekingen, uit = verwerk_een(claims, MRT, 0, 5000, 0)
    assert (boekingen, uit) == ([Boeking(FEB, Soort.nabetaling, 5000, MRT)], 0), "the back-payment goes to the claim"
    [feb] = _na(claims, boekingen)
    assert (feb.bedrag, feb.afgelost, feb.open, feb.status) == (20000, 5000, 15000, "open")


def test_a_revision_in_the_persons_favour_lowers_its_own_claim_first_and_pays_out_the_rest():
    claims = vorderingen([Boeking(FEB, Soort.ontstaan, 20000, FEB), Boeking(APR, Soort.ontstaan, 3000, APR)])
    boekingen, uit = verwerk_een(claims, APR, -3000, 1000, 0)
    assert boekingen == [Boeking(APR, Soort.herzien, -3000, APR), Boeking(FEB, Soort.nabetaling, 1000, APR)]
    assert uit == 0
    feb, apr = _na(claims, boekingen)
    assert (apr.bedrag, apr.status, feb.open) == (0, "vervallen", 19000)
    boekingen, uit = verwerk_een(_na(claims, boekingen), FEB, -20000, 500, 0)
    assert boekingen == [Boeking(FEB, Soort.herzien, -20000, FEB), Boeking(FEB, Soort.teruggave, 1000, FEB)]
    assert uit == 1500, "1000 already paid off comes back"


def test_more_owed_on_a_revision_raises_the_same_claim_and_a_small_claim_is_not_recovered():
    claims = vorderingen([Boeking(FEB, Soort.ontstaan, 2000, FEB), Boeking(FEB, Soort.kwijtschelding, 2000, FEB)])
    assert claims[0].status == "buiten-invordering"
    boekingen, _ = verwerk_een(claims, FEB, -2000, -9000, 5000)
    [feb] = _na(claims, boekingen)
    assert boekingen == [Boeking(FEB, Soort.herzien, 7000, FEB), Boeking(FEB, Soort.kwijtschelding, -2000, FEB)]
    assert (feb.bedrag, feb.open) == (9000, 9000), "over the threshold now: all of it is recovered"
    boekingen, _ = verwerk_een([], MRT, 0, -4000, 5000)
    assert vorderingen(boekingen)[0].status == "buiten-invordering"


def test_the_threshold_judges_the_amount_a_claim_comes_to_not_the_way_it_got_there():
    """A claim of 30 lowered to 20 is not recovered, as a claim of 20 from the start is not; one of 20
    raised to 30 is recovered in full, as one of 30 from the start is (threshold 25). What was paid off
    stays paid off."""
    boekingen, _ = verwerk_een([], MRT, 0, -3000, 2500)
    lager, _ = verwerk_een(vorderingen(boekingen), MRT, -3000, -2000, 2500)
    [mrt] = _na(vorderingen(boekingen), lager)
    assert (mrt.bedrag, mrt.open, mrt.kwijtgescholden, mrt.status) == (2000, 0, 2000, "buiten-invordering")
    boekingen, _ = verwerk_een([], MRT, 0, -2000, 2500)
    hoger, _ = verwerk_een(vorderingen(boekingen), MRT, -2000, -3000, 2500)
    [mrt] = _na(vorderingen(boekingen), hoger)
    assert (mrt.bedrag, mrt.open, mrt.kwijtgescholden, mrt.status) == (3000, 3000, 0, "open")
    tekst = uitleg(mrt, hoger, STANDAARD, "95", None, True)
    assert "ook de € 20,00 die wij eerst niet terugvorderden, vorderen wij nu terug" in tekst
    assert "vervalt met de lagere vordering" not in tekst
    # a revision in the person's favour never recovers what was not: also not under a threshold lowered since
    lager, _ = verwerk_een(vorderingen(boekingen), MRT, -2000, -1900, 1000)
    [mrt] = _na(vorderingen(boekingen), lager)
    assert (mrt.bedrag, mrt.open, mrt.kwijtgescholden) == (1900, 0, 1900)
    oud = [Boeking(MRT, Soort.ontstaan, 2000, MRT), Boeking(MRT, Soort.kwijtschelding, 2000, MRT)]
    oud.append(Boeking(MRT, Soort.herzien, 1000, MRT))  # raised over it by the rule before: the step alone
    lager, _ = verwerk_een(vorderingen(oud), MRT, -3000, -2900, 2500)
    assert _na(vorderingen(oud), lager)[0].open == 900
    deels = [Boeking(MRT, Soort.ontstaan, 3000, MRT), Boeking(MRT, Soort.inhouding, 1000, APR)]
    lager, _ = verwerk_een(vorderingen(deels), MRT, -3000, -2000, 2500)
    [mrt] = _na(vorderingen(deels), lager)
    assert (mrt.bedrag, mrt.afgelost, mrt.open, mrt.kwijtgescholden) == (2000, 1000, 0, 1000)


def test_the_claims_text_says_the_whole_and_only_the_parts_there_are():
    """What was too much, then of that what is paid off and what is not recovered: a new claim names no
    € 0,00 paid off, and what is not recovered is not said to be claimed."""
    nieuw = Terugvordering(FEB, (Boeking(FEB, Soort.ontstaan, 20000, FEB),))
    tekst = uitleg(nieuw, nieuw.boekingen, STANDAARD, "95", None, True)
    assert "In totaal kreeg u over februari 2026 € 200,00 te veel. Er staat nog € 200,00 open." in tekst
    assert "€ 0,00" not in tekst and "vorderen wij" not in tekst.split("In totaal")[1].split("open.")[0]
    deels = (
        Boeking(MRT, Soort.ontstaan, 3000, MRT),
        Boeking(MRT, Soort.inhouding, 1000, APR),
        Boeking(MRT, Soort.herzien, -1000, MRT),
        Boeking(MRT, Soort.kwijtschelding, 1000, MRT),
    )
    tekst = uitleg(Terugvordering(MRT, deels), deels[2:], STANDAARD, "95", None, True)
    assert (
        "In totaal kreeg u over maart 2026 € 20,00 te veel. Daarvan is € 10,00 al terugbetaald en vorderen wij "
        "€ 10,00 niet terug. Er staat nog € 0,00 open."
    ) in tekst


def test_the_running_benefit_pays_off_the_oldest_claim_first():
    claims = vorderingen([Boeking(MRT, Soort.ontstaan, 5000, MRT), Boeking(FEB, Soort.ontstaan, 3000, FEB)])
    assert houd_in(claims, MEI, 7007) == [
        Boeking(FEB, Soort.inhouding, 3000, MEI),
        Boeking(MRT, Soort.inhouding, 4007, MEI),
    ]


def test_a_municipalitys_policy_caps_the_instalment_within_the_law():
    assert geldend([Vorderingsbeleid(date(2026, 6, 1), 2500)], DAG) == STANDAARD
    beleid = geldend([Vorderingsbeleid(date(2026, 1, 1), 2500, 5000)], DAG)
    assert (beleid.maximale_termijn, beleid.drempel) == (2500, 5000)
    with pytest.raises(Geweigerd):
        Vorderingsbeleid(DAG, maximale_termijn=0)


def test_a_months_back_payments_that_paid_off_claims_are_summed_per_claim_over_its_revisions():
    jan, feb, mrt, apr = (Maand(2026, m) for m in range(1, 5))
    boekingen = [
        Boeking(jan, Soort.ontstaan, 5_000, jan),
        Boeking(feb, Soort.ontstaan, 2_000, feb),
        Boeking(jan, Soort.nabetaling, 3_000, mrt),
        Boeking(jan, Soort.nabetaling, 2_000, mrt),  # a revision of March paid more
        Boeking(feb, Soort.nabetaling, 2_000, mrt),
        Boeking(feb, Soort.inhouding, 1_000, apr),  # withheld, not a back-payment: not March's
    ]
    assert verrekend_met(boekingen, mrt) == {jan: 5_000, feb: 2_000}
    assert verrekend_met(boekingen, apr) == {}
    assert nabetaling_uitleg(mrt, verrekend_met(boekingen, mrt)).startswith(
        "Van de nabetaling over maart 2026 ging € 70,00 naar wat u nog terug moest betalen over "
        "januari 2026 en februari 2026:"
    )
    # read by a partner who joined in February: January's claim was the household's before them
    assert nabetaling_uitleg(mrt, {feb: 2_000}, eerder=5_000) == (
        "Van de nabetaling over maart 2026 ging € 70,00 naar wat u nog terug moest betalen over februari 2026 "
        "en naar vorderingen van het huishouden van vóór uw komst: dat deel is niet aan u overgemaakt, het loste "
        "(een deel van) die vorderingen af (zie uw vorderingen)."
    )


def test_a_caseworkers_raise_adds_to_the_beslagvrije_voet_per_ground_and_version_never_above_the_income():
    w, z = Verhogingsgrond.woonkosten, Verhogingsgrond.zorgpremie
    verhogingen = [
        Verhoging(date(2026, 1, 1), w, 4_596, "huur boven de normhuur"),
        Verhoging(date(2026, 2, 1), z, 3_000, "premie boven de zorgtoeslag"),
        Verhoging(date(2026, 4, 1), w, 0, "verhuisd naar een goedkopere woning"),
    ]
    assert verhoging_op(verhogingen, date(2025, 12, 31)) == 0
    assert verhoging_op(verhogingen, date(2026, 1, 1)) == 4_596
    assert verhoging_op(verhogingen, date(2026, 3, 1)) == 4_596 + 3_000
    assert verhoging_op(verhogingen, date(2026, 4, 1)) == 3_000, "a later version of a ground replaces it"
    assert beslagvrije_voet(NORM, NORM, DAG, P, 4_596) == 133143 + 4_596
    assert ruimte(NORM, NORM, DAG, P, 4_596) == 7007 - 4_596
    assert ruimte(NORM, NORM, DAG, P, 10_000) == 0 and beslagvrije_voet(NORM, NORM, DAG, P, 10_000) == NORM


@pytest.mark.parametrize(
    ("bedrag", "reden", "veld"), [(-1, "x", "bedrag"), (200_001, "x", "bedrag"), (100, "  ", "reden")]
)
def test_a_raise_is_bounded_and_has_a_reason(bedrag, reden, veld):
    with pytest.raises(Geweigerd) as e:
        Verhoging(DAG, Verhogingsgrond.overig, bedrag, reden)
    assert e.value.field == veld


def test_in_one_run_a_months_own_revision_cancels_its_claim_before_another_back_payment_pays_it_off():
    """January's back-payment and July's revision in the person's favour in one run: July's claim is
    cancelled by July's own revision, so January's back-payment is paid out, not booked as paying off a
    claim that July's revision cancels (the person read both, about one claim)."""
    JAN, JUL = Maand(2026, 1), Maand(2026, 7)
    alle = [Boeking(JUL, Soort.ontstaan, 3000, JUL)]
    boekingen, uit = verwerk(alle, [(JUL, -3000, 0), (JAN, 0, 5000)], 0)
    assert boekingen == [Boeking(JUL, Soort.herzien, -3000, JUL)]
    assert uit == {JAN: 5000, JUL: 0}
    # a claim that arises in the same run is paid off by that run's back-payment, as one arisen earlier
    boekingen, uit = verwerk([], [(JAN, 0, 5000), (JUL, 0, -3000)], 0)
    assert boekingen == [Boeking(JUL, Soort.ontstaan, 3000, JUL), Boeking(JUL, Soort.nabetaling, 3000, JAN)]
    assert uit == {JAN: 2000, JUL: 0}


def test_a_correction_in_the_persons_favour_lowers_a_claim_not_recovered_before_paying_out():
    """A claim under the threshold was not recovered; a correction shows the month paid too little after
    all: the claim goes, its waiver with it, and only what the month is still owed is paid out."""
    claims = vorderingen([Boeking(FEB, Soort.ontstaan, 38_108, FEB), Boeking(FEB, Soort.kwijtschelding, 38_108, FEB)])
    boekingen, uit = verwerk_een(claims, FEB, -38_108, 33_142, 50_000)
    assert boekingen == [Boeking(FEB, Soort.herzien, -38_108, FEB), Boeking(FEB, Soort.kwijtschelding, -38_108, FEB)]
    assert uit == 33_142
    [feb] = _na(claims, boekingen)
    assert (feb.bedrag, feb.kwijtgescholden, feb.open, feb.status) == (0, 0, 0, "vervallen")


def test_a_refund_that_meets_a_waived_part_says_it_of_the_lowering_not_of_the_waived_part():
    """March's claim of 300, 200 of it withheld, was lowered to 250 under the threshold of 260: the 50 open
    is not recovered. A correction lowers it by 100 more: the 50 not recovered falls away, and 50 of what
    was withheld goes back. The text says the 50 paid back was part of the lowering, not of the waived 50."""
    alle = [
        Boeking(MRT, Soort.ontstaan, 30_000, MRT),
        Boeking(MRT, Soort.inhouding, 20_000, APR),
        Boeking(MRT, Soort.herzien, -5_000, MRT),
        Boeking(MRT, Soort.kwijtschelding, 5_000, MRT),
    ]
    boekingen, uit = verwerk(alle, [(MRT, -25_000, -15_000)], 26_000)
    assert boekingen == [
        Boeking(MRT, Soort.herzien, -10_000, MRT),
        Boeking(MRT, Soort.teruggave, 5_000, MRT),
        Boeking(MRT, Soort.kwijtschelding, -5_000, MRT),
    ]
    assert uit == {MRT: 5_000}
    [mrt] = vorderingen(alle + boekingen)
    tekst = uitleg(mrt, boekingen, STANDAARD, "95", None, True)
    assert (
        "is de vordering € 100,00 lager; wat u daarna nog tegoed heeft, betalen wij u na. Daarvan was € 50,00 al "
        "terugbetaald"
    ) in tekst
    assert "vervalt met de lagere vordering. Daarvan" not in tekst


def test_what_a_run_moved_per_month_is_read_from_its_bookings_not_from_the_difference():
    """The settlement's text says what its run moved: a claim withheld in part and then corrected in the
    person's favour is lowered by what is still open, and the rest (the withheld part too) is paid out;
    a raise under the threshold is not recovered; a back-payment that paid off another month's claim."""
    JAN, MRT = Maand(2026, 1), Maand(2026, 3)
    gedeeltelijk = [Boeking(MRT, Soort.ontstaan, 38_108, MRT), Boeking(MRT, Soort.inhouding, 32_007, Maand(2026, 4))]
    boekingen, uit = verwerk(gedeeltelijk, [(MRT, -38_108, 33_142)], 0)
    assert bewegingen(boekingen, uit) == {MRT: Beweging(vordering=-38_108, terug=32_007, bij=65_149)}
    boekingen, uit = verwerk([], [(MRT, 0, -7_125)], 50_000)
    assert bewegingen(boekingen, uit) == {MRT: Beweging(vordering=7_125, kwijt=7_125, ontstaan=True)}
    boekingen, uit = verwerk([Boeking(MRT, Soort.ontstaan, 3_000, MRT)], [(JAN, 0, 5_000)], 0)
    assert bewegingen(boekingen, uit) == {JAN: Beweging(bij=2_000, afgelost=3_000)}, "3.000 to March's claim"


def test_a_reversed_repayment_is_open_again_once_and_a_refund_it_paid_for_is_owed():
    """February's claim of 300 was paid back (TX-1); a correction lowered it to 100 and the 200 paid off
    beyond it went back to the person. Then the bank reversed TX-1: nothing was paid, 200 went back, so
    300 is open, and the claim comes to 300 paid off nothing (that refund was paid too much over February
    too; what was paid off never goes below nothing, as the contract says). A later lowering by 50 lowers
    only that: no refund of money never paid, and under a threshold of 150 nothing is waived."""
    alle = [Boeking(FEB, Soort.ontstaan, 30_000, FEB), Boeking(FEB, Soort.terugbetaling, 30_000, MRT, "TX-1")]
    alle += verwerk(alle, [(FEB, -30_000, -10_000)], 0)[0]
    apr = Maand(2026, 4)
    with pytest.raises(Geweigerd) as onbekend:
        gestorneerd(vorderingen(alle), "TX-2", apr, apr)
    with pytest.raises(Geweigerd) as te_vroeg:
        gestorneerd(vorderingen(alle), "TX-1", FEB, apr)
    assert (onbekend.value.field, te_vroeg.value.field) == ("kenmerk", "gestorneerdIn")

    [storno] = gestorneerd(vorderingen(alle), "TX-1", apr, apr)
    assert storno == Boeking(FEB, Soort.terugbetaling, -30_000, apr, "TX-1")
    alle.append(storno)
    assert gestorneerd(vorderingen(alle), "TX-1", apr, apr) == [], "reported again: reversed already"
    [feb] = vorderingen(alle)
    assert (feb.bedrag, feb.afgelost, feb.open, feb.status) == (30_000, 0, 30_000, "open")
    tekst = uitleg(feb, [storno], STANDAARD, "95", None, True)
    assert "Een terugbetaling van € 300,00 is in april 2026 teruggedraaid" in tekst
    assert "In totaal kreeg u over februari 2026 € 300,00 te veel. Er staat nog € 300,00 open." in tekst

    for drempel in (0, 15_000):
        boekingen, uit = verwerk(alle, [(FEB, -10_000, -5_000)], drempel)
        assert boekingen == [Boeking(FEB, Soort.herzien, -5_000, FEB)] and uit == {FEB: 0}
        [na] = vorderingen(alle + boekingen)
        assert (na.bedrag, na.afgelost, na.open) == (25_000, 0, 25_000)


def test_a_refund_owed_after_a_reversal_is_paid_off_as_the_rest_of_the_claim_and_judged_with_it():
    """February's claim of 300 was paid back (TX-1), lowered to 100 with the 200 refunded, and TX-1 reversed:
    300 owed. What is withheld since pays it off: the claim stays 300, and a threshold of 150 judges it by
    that, so neither a revision raising it nor the reversal of a later repayment waives what is still owed.
    Lowered to nothing before the reversal, the claim withheld in full is paid off, not 'vervallen'."""
    alle = [Boeking(FEB, Soort.ontstaan, 30_000, FEB), Boeking(FEB, Soort.terugbetaling, 30_000, MRT, "TX-1")]
    nul = alle + verwerk(alle, [(FEB, -30_000, 0)], 0)[0]  # lowered to nothing: all 300 went back
    nul += gestorneerd(vorderingen(nul), "TX-1", APR, APR)
    [betaald] = vorderingen(nul + houd_in(vorderingen(nul), MEI, 30_000))
    assert (betaald.bedrag, betaald.afgelost, betaald.open, betaald.status) == (30_000, 30_000, 0, "afgelost")

    alle += verwerk(alle, [(FEB, -30_000, -10_000)], 0)[0]
    alle += gestorneerd(vorderingen(alle), "TX-1", APR, APR)
    ingehouden = houd_in(vorderingen(alle), MEI, 25_000)
    alle += ingehouden
    [feb] = vorderingen(alle)
    assert (feb.bedrag, feb.afgelost, feb.open) == (30_000, 25_000, 5_000)
    assert (
        "In totaal kreeg u over februari 2026 € 300,00 te veel. Daarvan is € 250,00 al terugbetaald. Er staat "
        "nog € 50,00 open." in uitleg(feb, ingehouden, STANDAARD, "95", None, True)
    )

    assert verwerk(alle, [(FEB, -10_000, -11_000)], 15_000)[0] == [Boeking(FEB, Soort.herzien, 1_000, FEB)]
    alle.append(terugbetaald(vorderingen(alle), FEB, 5_000, MEI, "TX-2", MEI))
    storno = Boeking(FEB, Soort.terugbetaling, -5_000, MEI, "TX-2")
    assert gestorneerd(vorderingen(alle), "TX-2", MEI, MEI, 15_000) == [storno]


STAPPEN = st.lists(
    st.one_of(
        st.tuples(st.just(Soort.herzien), st.sampled_from([FEB, MRT]), st.sampled_from([-30_000, -10_000, 0, 5_000])),
        st.tuples(st.just(Soort.terugbetaling), st.sampled_from([FEB, MRT]), st.sampled_from([100, 50])),
        st.tuples(st.just(Soort.terugbetaling), st.none(), st.integers(0, 3)),
        st.tuples(st.just(Soort.inhouding), st.none(), st.sampled_from([5_000, 20_000])),
    ),
    max_size=10,
)


@settings(max_examples=300)
@given(STAPPEN, st.sampled_from([0, 15_000]), st.booleans())
@example(  # paid back, lowered (the refund), reversed, then withheld: that pays off the claim, not lowers it
    [
        (Soort.herzien, FEB, -30_000),
        (Soort.terugbetaling, FEB, 100),
        (Soort.herzien, FEB, -10_000),
        (Soort.terugbetaling, None, 0),
        (Soort.inhouding, None, 5_000),
    ],
    0,
    True,
)
def test_repayments_reversals_revisions_and_instalments_keep_every_cent_and_the_contract(stappen, drempel, teruggave):
    """Whatever the order: what is open and waived is what the months paid too much, less what was withheld
    and paid back (a reversal takes back its repayment), plus what back-payments paid out; a claim is
    never open below nothing nor above its amount, paid off below nothing, nor refunds below nothing. A
    payment (withheld, paid back) leaves a claim's amount as it was and adds to what was paid off; the
    store's sum of what is open is the claims' (`BIJ_OPEN`)."""
    alle, verschil, uitbetaald, ontvangen, kenmerken = [], {}, 0, 0, []
    for soort, maand, waarde in stappen:
        claims = vorderingen(alle)
        voor = {t.bron: (t.bedrag, t.afgelost) for t in claims}
        if soort is Soort.herzien and verschil.get(maand, 0) != waarde:
            nieuw, uit = verwerk(alle, [(maand, verschil.get(maand, 0), waarde)], drempel, teruggave)
            verschil[maand], uitbetaald = waarde, uitbetaald + sum(uit.values())
        elif soort is Soort.terugbetaling and maand is not None:
            open_ = next((t.open for t in claims if t.bron == maand), 0)
            nieuw = [terugbetaald(claims, maand, open_ * waarde // 100, APR, f"TX-{len(alle)}", APR)] if open_ else []
            kenmerken += [b.kenmerk for b in nieuw]
        elif soort is Soort.terugbetaling and kenmerken:
            nieuw = gestorneerd(claims, kenmerken[waarde % len(kenmerken)], APR, APR, drempel)
        elif soort is Soort.inhouding:
            nieuw = houd_in(claims, APR, waarde)
        else:
            nieuw = []
        alle += nieuw
        ontvangen += sum(b.bedrag for b in nieuw if b.soort in (Soort.terugbetaling, Soort.inhouding))
        claims = vorderingen(alle)
        assert sum(t.open + t.kwijtgescholden for t in claims) == -sum(verschil.values()) + uitbetaald - ontvangen
        assert all(0 <= t.open <= t.bedrag and t.afgelost >= 0 and t.kwijtgescholden >= 0 for t in claims)
        assert all(b.bedrag >= 0 for b in alle if b.soort is Soort.teruggave)
        assert sum(-b.bedrag if b.soort not in BIJ_OPEN else b.bedrag for b in alle) == sum(t.open for t in claims)
        if nieuw and all(b.soort in (Soort.terugbetaling, Soort.inhouding) and b.bedrag > 0 for b in nieuw):
            betaald = {t.bron: sum(b.bedrag for b in nieuw if b.bron == t.bron) for t in claims}
            assert {t.bron: (t.bedrag, t.afgelost - betaald[t.bron]) for t in claims} == voor


def test_a_reversed_repayment_of_a_claim_under_the_threshold_is_not_recovered_either():
    """February's claim of 300 (a threshold of 250) was paid 200 (TX-1); a correction lowered it to 240, under
    the threshold: the 40 open is not recovered. Then TX-1 is reversed: the claim still comes to 240, so the
    200 open again is not recovered either, as it would not have been had it never been paid. Over the
    threshold, the reversal only opens it again."""
    alle = [Boeking(FEB, Soort.ontstaan, 30_000, FEB), Boeking(FEB, Soort.terugbetaling, 20_000, MRT, "TX-1")]
    alle += verwerk(alle, [(FEB, -30_000, -24_000)], 25_000)[0]
    assert vorderingen(alle)[0].status == "buiten-invordering"

    storno = Boeking(FEB, Soort.terugbetaling, -20_000, APR, "TX-1")
    assert gestorneerd(vorderingen(alle), "TX-1", APR, APR, 25_000) == [
        storno,
        Boeking(FEB, Soort.kwijtschelding, 20_000, FEB),
    ]
    [feb] = vorderingen([*alle, *gestorneerd(vorderingen(alle), "TX-1", APR, APR, 25_000)])
    assert (feb.open, feb.kwijtgescholden, feb.status) == (0, 24_000, "buiten-invordering")
    assert gestorneerd(vorderingen(alle), "TX-1", APR, APR, 20_000) == [storno]


def test_a_reversal_that_raises_a_claim_over_the_threshold_recovers_what_was_waived_under_it():
    """February's claim of 300 was paid back (TX-1), lowered to 100 with the 200 refunded, then raised to 110:
    under a threshold of 150, the 10 is not recovered. TX-1 is reversed: the claim comes to 310 with the
    refund, over the threshold, so the 10 is recovered too, as after a revision raising it over; the text
    does not say 310 is under the threshold."""
    alle = [Boeking(FEB, Soort.ontstaan, 30_000, FEB), Boeking(FEB, Soort.terugbetaling, 30_000, MRT, "TX-1")]
    alle += verwerk(alle, [(FEB, -30_000, -10_000)], 15_000)[0]
    alle += verwerk(alle, [(FEB, -10_000, -11_000)], 15_000)[0]
    assert vorderingen(alle)[0].kwijtgescholden == 1_000

    nieuw = gestorneerd(vorderingen(alle), "TX-1", APR, APR, 15_000)
    assert nieuw == [
        Boeking(FEB, Soort.terugbetaling, -30_000, APR, "TX-1"),
        Boeking(FEB, Soort.kwijtschelding, -1_000, FEB),
    ]
    [feb] = vorderingen(alle + nieuw)
    assert (feb.bedrag, feb.kwijtgescholden, feb.open) == (31_000, 0, 31_000)
    assert "ook de € 10,00 die wij eerst niet terugvorderden, vorderen wij nu terug" in uitleg(
        feb, nieuw, STANDAARD, "95", None, True
    )

    # read with all its bookings, a waiver that lapsed with a lowering says so, after a raise too
    onder = [Boeking(FEB, Soort.ontstaan, 10_000, FEB), Boeking(FEB, Soort.kwijtschelding, 10_000, FEB)]
    onder += verwerk(onder, [(FEB, -10_000, -11_000)], 15_000)[0]
    onder += verwerk(onder, [(FEB, -11_000, -6_000)], 15_000)[0]
    [t] = vorderingen(onder)
    assert onder[-1] == Boeking(FEB, Soort.kwijtschelding, -5_000, FEB)
    tekst = uitleg(t, t.boekingen, STANDAARD, "95", None, True)
    assert "Het deel dat wij niet terugvorderden, € 50,00, vervalt met de lagere vordering." in tekst


def test_a_claim_lowered_below_what_was_paid_off_books_the_refund_and_the_money_is_the_same():
    """February's claim of 300 was withheld in full; a correction shows February paid only 100 too much.
    The claim comes to 100 paid off 100, as if it had been 100 from the start, and the 200 paid off
    beyond it goes back with February's back-payment, first to March's open claim. Without refunds (not
    every instance reads them yet) the claim keeps 300 paid off 300, and the money is the same."""
    alle = [
        Boeking(FEB, Soort.ontstaan, 30_000, FEB),
        Boeking(FEB, Soort.inhouding, 30_000, MRT),
        Boeking(MRT, Soort.ontstaan, 5_000, MRT),
    ]
    boekingen, uit = verwerk(alle, [(FEB, -30_000, -10_000)], 0)
    assert boekingen == [
        Boeking(FEB, Soort.herzien, -20_000, FEB),
        Boeking(FEB, Soort.teruggave, 20_000, FEB),
        Boeking(MRT, Soort.nabetaling, 5_000, FEB),
    ]
    assert uit == {FEB: 15_000}
    feb, mrt = vorderingen(alle + boekingen)
    assert (feb.bedrag, feb.afgelost, feb.open, feb.status) == (10_000, 10_000, 0, "afgelost")
    assert (mrt.open, mrt.status) == (0, "afgelost")
    assert bewegingen(boekingen, uit) == {FEB: Beweging(vordering=-20_000, terug=20_000, bij=15_000, afgelost=5_000)}
    tekst = uitleg(feb, boekingen[:2], STANDAARD, "95", None, True)
    assert "is de vordering € 200,00 lager" in tekst
    assert "Daarvan was € 200,00 al terugbetaald: dat gaat terug met de nabetaling over februari 2026" in tekst
    assert "In totaal kreeg u over februari 2026 € 100,00 te veel. Daarvan is € 100,00 al terugbetaald." in tekst

    zonder, uit_zonder = verwerk(alle, [(FEB, -30_000, -10_000)], 0, teruggave=False)
    assert zonder == [Boeking(MRT, Soort.nabetaling, 5_000, FEB)] and uit_zonder == uit
    # beyond the whole claim the month paid too little: the claim falls away, and the rest is its back-payment
    boekingen, uit = verwerk(alle[:2], [(FEB, -30_000, 4_000)], 0)
    assert boekingen == [Boeking(FEB, Soort.herzien, -30_000, FEB), Boeking(FEB, Soort.teruggave, 30_000, FEB)]
    assert uit == {FEB: 34_000}
    [feb] = vorderingen(alle[:2] + boekingen)
    assert (feb.bedrag, feb.afgelost, feb.open, feb.status) == (0, 0, 0, "vervallen")


@pytest.mark.parametrize("seed", range(200))
def test_with_refunds_every_run_moves_the_same_money_as_without_them(seed):
    """Random runs on a few months (revisions either way, several months in one run, instalments, repayments)
    under no threshold: with refunds booked and without, each run pays out and nets against other claims the
    same, every claim is left as open, and no part of a claim goes below nothing; a refunded claim is paid."""
    rng = random.Random(seed)
    maanden = [Maand(2026, m) for m in range(1, 7)]
    met, zonder, geboekt = [], [], {}
    for stap in range(rng.randint(1, 10)):
        if (kans := rng.random()) < 0.6:
            wijzigingen = []
            for maand in rng.sample(maanden, rng.choice([1, 1, 2, 3])):
                wijzigingen.append((maand, geboekt.get(maand, 0), rng.choice([0, rng.randint(-600, 300) * 100])))
                geboekt[maand] = wijzigingen[-1][2]
            nieuw, uit = verwerk(met, wijzigingen, 0)
            oud, uit_oud = verwerk(zonder, wijzigingen, 0, teruggave=False)
            assert uit == uit_oud
            assert [b for b in nieuw if b.soort is Soort.nabetaling] == [b for b in oud if b.soort is Soort.nabetaling]
            met += nieuw
            zonder += oud
            terug = {b.bron for b in nieuw if b.soort is Soort.teruggave}
            assert all(t.open == 0 for t in vorderingen(met) if t.bron in terug)
        elif kans < 0.8:
            bedrag = min(rng.randint(1, 400) * 100, sum(t.open for t in vorderingen(met)))
            nieuw = houd_in(vorderingen(met), maanden[-1], bedrag)
            assert nieuw == houd_in(vorderingen(zonder), maanden[-1], bedrag)
            met += nieuw
            zonder += nieuw
        elif open_ := [t for t in vorderingen(met) if t.open]:
            t = rng.choice(open_)
            betaald = Boeking(t.bron, Soort.terugbetaling, rng.randint(1, t.open), t.bron, f"BANK-{stap}")
            met.append(betaald)
            zonder.append(betaald)
        assert {t.bron: t.open for t in vorderingen(met)} == {t.bron: t.open for t in vorderingen(zonder)}
        assert all(min(t.bedrag, t.afgelost, t.kwijtgescholden, t.open) >= 0 for t in vorderingen(met))


def test_a_refunded_claim_raised_again_is_judged_against_the_threshold_by_the_amount_it_comes_to():
    """February's 300 was withheld in full, then a correction cancels it (the 300 goes back). A later one
    finds February paid 40 too much after all, under the municipality's threshold of 50. With refunds the
    claim is 40 and not recovered, as a claim of 40 from the start; without them it had kept its 300, so
    it comes to 340 and the 40 is recovered: the money of a later revision differs under a threshold."""
    alle = [Boeking(FEB, Soort.ontstaan, 30_000, FEB), Boeking(FEB, Soort.inhouding, 30_000, MRT)]
    met, _ = verwerk(alle, [(FEB, -30_000, 0)], 5_000)
    zonder, _ = verwerk(alle, [(FEB, -30_000, 0)], 5_000, teruggave=False)
    met += verwerk(alle + met, [(FEB, 0, -4_000)], 5_000)[0]
    zonder += verwerk(alle + zonder, [(FEB, 0, -4_000)], 5_000, teruggave=False)[0]
    [feb] = vorderingen(alle + met)
    assert (feb.bedrag, feb.open, feb.kwijtgescholden, feb.status) == (4_000, 0, 4_000, "buiten-invordering")
    [feb] = vorderingen(alle + zonder)
    assert (feb.bedrag, feb.open, feb.kwijtgescholden, feb.status) == (34_000, 4_000, 0, "open")

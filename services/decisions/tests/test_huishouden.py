"""Household income (Participatiewet art. 4, 11, 31 lid 2): a couple's bijstand is one household
benefit against the couple's norm; both partners' income counts, each partner's work income gets
its own vrijlating on their own grounds, age and clock; benefits and pensions get none (art. 31
lid 2 is for income from work); income of an unknown kind waits for a caseworker."""

from datetime import date

import pytest

from decisions.adapters.parameters import laad
from decisions.domain.fouten import Geweigerd
from decisions.domain.inkomen import BIJSTAND, ONBEKEND, OVERIG, Bijdrage, Inkomen, Oordeel
from decisions.domain.situatie import (
    Huishouden,
    Partner,
    Situatie,
    controleer,
    huishoudperioden,
    partnerperioden,
)
from decisions.domain.verrekening import Beweging, uitleg, verreken
from schakel.primitives import Maand

P = laad()
AANVRAGER, PARTNER, ANDERE = "999993653", "999990019", "999991905"
GEBOREN = date(1985, 5, 1)  # 40 in 2026
START = date(2026, 1, 1)
GEHUWD = [Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1)))]
A, B, UWV = "123456782L01", "803123450L01", "111111110L01"


def loon(maand: Maand, netto: int, werkgever: str = A, soort: str = "arbeid", vb: int = 0) -> Inkomen:
    b = Bijdrage(werkgever, 1, maand.eerste_dag, maand.laatste_dag, netto, soort, vb, "15")
    return Inkomen(netto, vb, (b,), netto + vb if soort == OVERIG else 0, netto + vb if soort == ONBEKEND else 0)


def maanden(*nummers: int) -> list[Maand]:
    return [Maand(2026, m) for m in nummers]


def test_one_partner_starts_working_then_the_other_each_with_their_own_clock():
    # the applicant works from January, the partner from April; 800,00 net each
    aanvrager = {m: loon(m, 80000) for m in maanden(*range(1, 9))}
    partner = {m: loon(m, 80000, B) for m in maanden(*range(4, 9))}
    result = verreken(START, None, GEBOREN, GEHUWD, aanvrager, {}, P, {PARTNER: partner}, {})
    assert result.te_beoordelen == []
    per_maand = {v.maand.maand: v for v in result.verrekeningen}
    assert per_maand[1].partner.inkomen.totaal == 0 and per_maand[1].partner.vrijlating is None
    # n: 25% up to 285,00 for 6 months, for each partner from their own first month
    assert [(m, per_maand[m].vrijlating and per_maand[m].vrijlating.maand_nummer) for m in (1, 6, 7)] == [
        (1, 1),
        (6, 6),
        (7, None),
    ]
    assert [per_maand[m].partner.vrijlating.maand_nummer for m in (4, 8)] == [1, 5]
    april = per_maand[4]
    # couple's norm 2.002,13 − ((800 − 200) + (800 − 200)) = 802,13
    assert (april.norm_bedrag, april.gekort_inkomen, april.bijstand) == (200213, 120000, 80213)


def test_each_partner_s_age_decides_their_own_vrijlating():
    jong = [Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(2001, 1, 1)))]  # 25: no n (art. 31 lid 2 n)
    maand = Maand(2026, 3)
    [v] = verreken(
        START, None, GEBOREN, jong, {maand: loon(maand, 80000)}, {}, P, {PARTNER: {maand: loon(maand, 80000)}}, {}
    ).verrekeningen
    assert v.vrijlating.grond == "n" and v.partner.vrijlating is None
    # the partner's own ground: medically limited hours (y) applies to the partner, not to the applicant
    medisch = [Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(2001, 1, 1), medisch_urenbeperkt=True))]
    [v] = verreken(START, None, GEBOREN, medisch, {}, {}, P, {PARTNER: {maand: loon(maand, 80000)}}, {}).verrekeningen
    assert (v.vrijlating, v.partner.vrijlating.grond, v.partner.vrijlating.bedrag) == (None, "y", 12000)
    # the ground in words, of whose it is: the partner's own reads "u", the applicant "uw partner"
    grond = "vrijlating voor wie medisch minder uren kan werken (artikel 31 lid 2 onder y)"
    assert "het inkomen uit werk van uw partner mag uw partner € 120,00 houden: 15%" in uitleg(v)
    assert "uw inkomen uit werk mag u € 120,00 houden: 15%" in uitleg(v, voor_partner=True)
    assert grond in uitleg(v) and grond in uitleg(v, voor_partner=True)


def test_the_explanation_says_whose_income_is_whose_without_a_bsn():
    maand = Maand(2026, 4)
    [v] = verreken(
        START, None, GEBOREN, GEHUWD, {maand: loon(maand, 80000)}, {}, P, {PARTNER: {maand: loon(maand, 50000, B)}}, {}
    ).verrekeningen
    tekst = uitleg(v)
    assert "Het inkomen van u en uw partner telt samen." in tekst
    assert "U verdiende netto € 800,00" in tekst and "Uw partner verdiende netto € 500,00" in tekst
    assert "Van het inkomen uit werk van uw partner mag uw partner € 125,00 houden: 25%" in tekst
    assert "Dit is de vrijlating voor wie aan het werk gaat (artikel 31 lid 2 onder n)." in tekst
    assert "vrijlating n" not in tekst
    assert PARTNER not in tekst and AANVRAGER not in tekst


def test_benefit_income_counts_in_full_without_a_vrijlating():
    maand = Maand(2026, 3)
    ww = loon(maand, 90000, UWV, soort=OVERIG)
    [v] = verreken(
        START, None, GEBOREN, [Situatie(START, Huishouden.alleenstaand)], {maand: ww}, {}, P, {}, {}
    ).verrekeningen
    assert (v.vrijlating, v.gekort_inkomen, v.bijstand) == (None, 90000, 140150 - 90000)
    assert "geldt geen vrijlating" in uitleg(
        v
    ) and "uitkering of pensioen van de instantie met loonheffingennummer 111111110L01" in uitleg(v)


def test_the_bijstand_itself_on_the_polis_is_named_but_not_counted():
    maand = Maand(2026, 3)
    werk = loon(maand, 60000)
    bijstand = Bijdrage("001234567L01", 1, maand.eerste_dag, maand.laatste_dag, 80000, BIJSTAND, 0, "43")
    alleen = [Situatie(START, Huishouden.alleenstaand)]
    [zonder] = verreken(START, None, GEBOREN, alleen, {maand: werk}, {}, P, {}, {}).verrekeningen
    met_polis = Inkomen(werk.netto, 0, (*werk.bijdragen, bijstand))  # income leaves it out of the totals
    [v] = verreken(START, None, GEBOREN, alleen, {maand: met_polis}, {}, P, {}, {}).verrekeningen
    assert (v.gekort_inkomen, v.bijstand) == (zonder.gekort_inkomen, zonder.bijstand)
    assert "De bijstand zelf staat ook op de polis (€ 800,00 netto): die telt niet als inkomen." in uitleg(v)
    assert "U verdiende netto € 600,00: € 600,00 bij de werkgever met loonheffingennummer 123456782L01" in uitleg(v)


def test_an_unknown_kind_waits_for_a_caseworker_and_settles_after_their_judgement():
    maand = Maand(2026, 3)
    vreemd = loon(maand, 60000, B, soort=ONBEKEND)
    alleen = [Situatie(START, Huishouden.alleenstaand)]
    result = verreken(START, None, GEBOREN, alleen, {maand: vreemd}, {}, P, {}, {})
    [vraag] = result.te_beoordelen
    assert result.verrekeningen == [] and (vraag.maand, vraag.wie) == (maand, "aanvrager")
    assert "803123450L01/1 (soort 15)" in vraag.reden
    for soort, arbeid, vrijlating in (("arbeid", 60000, 15000), ("overig", 0, 0)):
        oordeel = {(B, 1): Oordeel(B, 1, soort, "loonstrook bekeken")}
        [v] = verreken(START, None, GEBOREN, alleen, {maand: vreemd}, {}, P, {}, oordeel).verrekeningen
        assert (v.inkomen.arbeid, v.vrijlating.bedrag if v.vrijlating else 0) == (arbeid, vrijlating)


def test_a_partner_without_a_bsn_waits_for_a_caseworker():
    maand = Maand(2026, 3)
    zonder = [Situatie(START, Huishouden.gehuwd, Partner(None, date(1987, 2, 1)))]
    result = verreken(START, None, GEBOREN, zonder, {maand: loon(maand, 50000)}, {}, P, {}, {})
    assert result.verrekeningen == [] and [v.wie for v in result.te_beoordelen] == ["partner"]


def test_a_partner_s_income_counts_only_while_they_are_in_the_household():
    later = [
        Situatie(START, Huishouden.alleenstaand),
        Situatie(date(2026, 4, 1), Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1))),
    ]
    partner = {m: loon(m, 70000, B) for m in maanden(3, 4)}
    result = verreken(START, None, GEBOREN, later, {}, {}, P, {PARTNER: partner}, {})
    assert [v.maand for v in result.verrekeningen] == [Maand(2026, 4)], "March: not yet their household"


def test_partner_periods_follow_the_situations_and_the_end_of_the_case():
    situaties = [
        Situatie(START, Huishouden.alleenstaand),
        Situatie(date(2026, 3, 1), Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1))),
        Situatie(date(2026, 5, 1), Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1), medisch_urenbeperkt=True)),
        Situatie(date(2026, 7, 1), Huishouden.gehuwd, Partner(ANDERE, date(1980, 1, 1))),
    ]
    assert partnerperioden(situaties, None) == [
        (PARTNER, date(2026, 3, 1), date(2026, 6, 30)),
        (ANDERE, date(2026, 7, 1), None),
    ]
    assert partnerperioden(situaties, date(2026, 6, 15)) == [(PARTNER, date(2026, 3, 1), date(2026, 6, 15))]


def test_a_case_pays_for_a_partner_the_whole_months_settled_with_them():
    """A month settles with the household of its first day: PARTNER, who joined on 16 February and left
    on 10 May, is paid for from March to May; ANDERE, in and out within May, in no month of this case."""
    situaties = [
        Situatie(START, Huishouden.alleenstaand),
        Situatie(date(2026, 2, 16), Huishouden.gehuwd, Partner(PARTNER, date(1987, 2, 1))),
        Situatie(date(2026, 5, 10), Huishouden.gehuwd, Partner(ANDERE, date(1980, 1, 1))),
        Situatie(date(2026, 5, 20), Huishouden.alleenstaand),
    ]
    einde = date(2026, 7, 20)
    assert huishoudperioden(AANVRAGER, START, einde, situaties) == [
        (AANVRAGER, START, einde),
        (PARTNER, date(2026, 3, 1), date(2026, 5, 31)),
    ]
    inkomen = {b: {m: loon(m, 10_000, B) for m in maanden(*range(1, 8))} for b in (PARTNER, ANDERE)}
    result = verreken(START, einde, GEBOREN, situaties, {}, {}, P, inkomen, {})
    met_partner = [v.maand for v in result.verrekeningen if v.partner is not None]
    assert met_partner == maanden(3, 4, 5), "settled with the partner in the months they are paid for"


def test_a_month_whose_norm_a_caseworker_sets_waits_with_its_reason_and_the_later_months_are_settled():
    """A partner under 21 (art. 21, 22): the law leaves the couple's norm to the municipality. Those
    months are shown as waiting, not dropped, and their work income uses vrijlating months all the
    same; from the month the partner is 21 the rules settle."""
    jong = [Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(2005, 3, 15)))]  # 21 on 15 March 2026
    inkomen = {m: loon(m, 80000) for m in maanden(2, 3, 4)}
    result = verreken(START, None, GEBOREN, jong, inkomen, {}, P, {}, {})
    assert [(v.maand, v.vrijlating.maand_nummer) for v in result.verrekeningen] == [(Maand(2026, 4), 3)]
    assert [(t.maand, t.wie) for t in result.te_beoordelen] == [
        (Maand(2026, 2), "aanvrager"),
        (Maand(2026, 3), "aanvrager"),
    ]
    assert all("jongerennorm" in t.reden for t in result.te_beoordelen), "says what to record"


def test_the_caseworker_s_jongerennorm_settles_the_months_the_law_leaves_to_the_municipality():
    """The caseworker sets the couple's norm for the months the partner is under 21 (art. 20 lid 1); from
    the month the partner is 21 the law's norm settles, whatever the caseworker set."""
    jong = [Situatie(START, Huishouden.gehuwd, Partner(PARTNER, date(2005, 3, 15)), jongerennorm=150_000)]
    inkomen = {m: loon(m, 80000) for m in maanden(2, 3, 4)}
    result = verreken(START, None, GEBOREN, jong, inkomen, {}, P, {}, {})
    assert result.te_beoordelen == []
    februari, maart, april = result.verrekeningen
    omschrijving = "jongerennorm (Participatiewet artikel 20), door uw gemeente vastgelegd"
    assert (februari.norm.bedrag, februari.norm.omschrijving, maart.norm.bedrag) == (150_000, omschrijving, 150_000)
    assert april.norm.bedrag == P.normen_op(date(2026, 4, 1)).gehuwd, "the law's norm from 21"
    assert omschrijving in uitleg(februari)

    # recorded under the normenbrief of July 2025: not carried past the indexation of January 2026
    najaar = date(2025, 8, 1)
    jong = [Situatie(najaar, Huishouden.gehuwd, Partner(PARTNER, date(2006, 10, 1)), jongerennorm=150_000)]
    result = verreken(najaar, None, GEBOREN, jong, {m: loon(m, 80000) for m in maanden(1)}, {}, P, {}, {})
    [januari] = result.te_beoordelen
    assert result.verrekeningen == [] and "per 2026-01-01 gelden nieuwe normen" in januari.reden
    with pytest.raises(Geweigerd) as alleen:
        controleer(Situatie(START, Huishouden.alleenstaand, jongerennorm=50_000))
    assert (alleen.value.code, alleen.value.field) == ("jongerennorm-niet-van-toepassing", "jongerennorm")


def test_a_refund_of_a_couples_claim_is_not_said_to_be_paid_by_whoever_reads_it():
    """March's claim lowered by a correction, € 142,50 of it paid off already: by whom, the settlement
    does not know (repaid by either partner, withheld or netted), so neither partner reads that they paid it."""
    maand = Maand(2026, 3)
    [v] = verreken(START, None, GEBOREN, GEHUWD, {maand: loon(maand, 80000)}, {}, P, {PARTNER: {}}, {}).verrekeningen
    beweging = Beweging(vordering=-14_250, terug=14_250, bij=14_250, vorig=v.te_betalen, vorig_betaald=v.betaald)
    for tekst in (uitleg(v, beweging), uitleg(v, beweging, voor_partner=True)):
        assert "€ 142,50 daarvan was al terugbetaald: dat telt mee in wat u tegoed heeft" in tekst
        assert "had u al terugbetaald" not in tekst

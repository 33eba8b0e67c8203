"""Settlement per month (art. 31-32): norm − (income − vrijlating), 5% holiday allowance reserved,
compared with what was paid; months in order, the clock right after a correction."""

from dataclasses import replace
from datetime import date

from decisions.adapters.parameters import laad
from decisions.domain.inkomen import OVERIG, Bijdrage, Inkomen
from decisions.domain.situatie import Huishouden, Partner, Regime, Situatie
from decisions.domain.verrekening import Beweging, uitleg
from decisions.domain.verrekening import verreken as verreken_huishouden
from decisions.domain.vrijlating import Klok, Klokken
from schakel.primitives import Maand


def verreken(*args):
    """A single person's months (no partner, no caseworker's judgements)."""
    return verreken_huishouden(*args, {}, {}).verrekeningen


P = laad()
ALLEENSTAAND = [Situatie(date(2025, 1, 1), Huishouden.alleenstaand)]
GEBOREN = date(1990, 5, 1)
A, B = "123456782L01", "803123450L01"


def inkomen(netto: int, werkgever: str = A, maand: Maand = Maand(2026, 3), vakantiebijslag: int = 0) -> Inkomen:
    return Inkomen(netto, vakantiebijslag, (Bijdrage(werkgever, 1, maand.eerste_dag, maand.laatste_dag, netto),))


def test_worked_example_back_payment():
    [v] = verreken(
        date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {Maand(2026, 3): inkomen(100000)}, {Maand(2026, 3): 60000}, P
    )
    # 1.401,50 − (1.000,00 − 250,00 vrijlating n) = 651,50; 5% reserved = 32,58 (half up); payable 618,92
    assert (v.norm_bedrag, v.vrijlating.bedrag, v.bijstand, v.vakantietoeslag, v.te_betalen) == (
        140150,
        25000,
        65150,
        3258,
        61892,
    )
    assert v.verschil == 1892
    text = uitleg(v)
    assert "€ 1.401,50" in text and "mag u € 250,00 houden: 25%, maximaal € 285,00, maand 1 van 6. Dit is de " in text
    assert "vrijlating voor wie aan het werk gaat (artikel 31 lid 2 onder n)." in text and "vrijlating n" not in text
    assert "wij betalen u nog € 18,92 bij" in text and A in text
    assert "vakantietoeslag, die u in juni krijgt, of binnen drie maanden nadat uw bijstand stopt" in text


def test_the_text_names_what_settling_the_month_moved_and_a_revision_only_the_change():
    [v] = verreken(
        date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {Maand(2026, 3): inkomen(100000)}, {Maand(2026, 3): 60000}, P
    )  # € 618,92 due, € 600 advance
    eerst = "Over deze maand krijgt u € 618,92. U kreeg al € 600,00; wij betalen u nog € 18,92 bij."
    assert uitleg(v, Beweging(bij=1892)).endswith(eerst) and uitleg(v).endswith(eerst), "as before movements"
    geen = replace(v, betaald=0)
    assert uitleg(geen, Beweging(bij=61892)).endswith(
        "U kreeg over deze maand geen voorschot; wij betalen u nog € 618,92 bij."
    )
    # (movement, advance) -> the end of the text
    opnieuw = "Wij hebben deze maand opnieuw verrekend: eerder was dat € 700,00. Wat toen te veel of te weinig was, hebben wij toen al verrekend."
    grens = "de vordering over deze maand blijft onder de grens van uw gemeente."
    gevallen = {
        (Beweging(bij=892, vorig=70000, vorig_betaald=60000), 60000): f"{opnieuw} Wij betalen u nog € 8,92 bij.",
        (
            Beweging(vordering=3108, vorig=70000, vorig_betaald=60000, ontstaan=True),
            60000,
        ): f"{opnieuw} U heeft € 31,08 te veel gekregen, dat vorderen wij terug.",
        (Beweging(vordering=3108, kwijt=3108, vorig=70000, vorig_betaald=60000, ontstaan=True), 60000): f"{opnieuw} "
        f"U heeft € 31,08 te veel gekregen, maar wij vorderen € 31,08 niet terug: {grens}",
        (Beweging(vordering=3108, kwijt=5000, vorig=70000, vorig_betaald=60000), 60000): f"{opnieuw} Uw vordering "
        f"over deze maand wordt € 31,08 hoger, maar wij vorderen over deze maand niets meer terug, ook niet de "
        f"€ 18,92 van eerder: {grens}",
        (
            Beweging(vordering=1000, kwijt=-2000, vorig=70000, vorig_betaald=60000),
            60000,
        ): f"{opnieuw} Uw vordering over deze maand wordt € 10,00 hoger, dat vorderen wij terug, en omdat de vordering over deze maand nu niet meer onder de grens van uw gemeente blijft ook de € 20,00 die wij eerder niet terugvorderden.",
        (
            Beweging(vordering=-1000, kwijt=2000, vorig=60000, vorig_betaald=63000),
            63000,
        ): "Uw vordering over deze maand wordt € 10,00 lager; daarmee blijft zij onder de grens van uw gemeente, dus de € 20,00 die nog openstond vorderen wij niet terug.",
        (
            Beweging(bij=892, afgelost=1000, vorig=70000, vorig_betaald=60000),
            60000,
        ): f"{opnieuw} U heeft nog € 18,92 tegoed: daarvan verrekenen wij € 10,00 met openstaande vorderingen over andere maanden (zie de vorderingen) en betalen wij u € 8,92.",
        (
            Beweging(vordering=-3000, vorig=60000, vorig_betaald=63000),
            63000,
        ): "U kreeg al € 630,00; dat is € 11,08 te veel. Wij hebben deze maand opnieuw verrekend: eerder was dat € 600,00. Wat toen te veel of te weinig was, hebben wij toen al verrekend. Uw vordering over deze maand wordt € 30,00 lager.",
        (
            Beweging(vordering=-1000, bij=892, vorig=60000, vorig_betaald=61000),
            61000,
        ): "eerder was dat € 600,00. Wat toen te veel of te weinig was, hebben wij toen al verrekend. Uw vordering over deze maand wordt € 10,00 lager en wij betalen u nog € 8,92 bij.",
        (
            Beweging(vorig=61892, vorig_betaald=60000),
            60000,
        ): "U kreeg al € 600,00; dat is € 18,92 te weinig. Wij hebben deze maand opnieuw verrekend. Voor wat u krijgt, verandert er niets.",
        (
            Beweging(vordering=20000, vorig=61892, vorig_betaald=40000, ontstaan=True),
            60000,
        ): "Wij hebben deze maand opnieuw verrekend. Als voorschot kreeg u € 600,00; eerder stond daarvoor € 400,00 vastgelegd. U heeft € 200,00 te veel gekregen, dat vorderen wij terug.",
        (Beweging(), 61892): "Over deze maand krijgt u € 618,92. U kreeg al € 618,92; dat klopt precies.",
    }
    for (beweging, betaald), einde in gevallen.items():
        tekst = uitleg(replace(v, betaald=betaald), beweging)
        assert tekst.endswith(einde), (beweging, betaald, tekst)
    # on stable income a revision that recorded another advance names it once
    stabiel = uitleg(replace(v, betaald=80000, tussenrekening=True), Beweging(20000, vorig=61892, vorig_betaald=60000))
    assert stabiel.count("voorschot") == 1 and "eerder stond daarvoor € 600,00 vastgelegd" in stabiel


def test_a_correction_flips_a_month_from_recovery_to_back_payment():
    paid = {Maand(2026, 3): 70000}
    [before] = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {Maand(2026, 3): inkomen(100000)}, paid, P)
    [after] = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {Maand(2026, 3): inkomen(80000)}, paid, P)
    assert before.verschil < 0 < after.verschil
    assert "terug" in uitleg(before) and "bij" in uitleg(after)


def test_income_above_the_norm_means_no_bijstand():
    [v] = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {Maand(2026, 3): inkomen(250000)}, {}, P)
    assert (v.bijstand, v.te_betalen, v.verschil) == (0, 0, 0)


def test_two_employers_and_holiday_allowance_count_together():
    twee = Inkomen(
        90000,
        10000,
        (
            Bijdrage(A, 1, date(2026, 3, 1), date(2026, 3, 31), 60000),
            Bijdrage(B, 4, date(2026, 2, 23), date(2026, 3, 22), 30000),
        ),
    )
    [v] = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {Maand(2026, 3): twee}, {}, P)
    assert v.vrijlating.bedrag == 25000 and v.gekort_inkomen == 75000
    assert B in uitleg(v) and "vakantiegeld" in uitleg(v)


def test_first_and_last_month_are_prorated_by_days():
    inkomens = {Maand(2026, 1): inkomen(0, maand=Maand(2026, 1)), Maand(2026, 4): inkomen(0, maand=Maand(2026, 4))}
    first, last = verreken(date(2026, 1, 16), date(2026, 4, 10), GEBOREN, ALLEENSTAAND, inkomens, {}, P)
    assert (first.dagen, first.norm_bedrag) == (16, 72335)  # 1.401,50 × 16/31 = 723,35
    assert (last.dagen, last.norm_bedrag) == (10, 46717)  # × 10/30 = 467,17 (half up)
    assert "16 van de 31 dagen" in uitleg(first)


def test_months_outside_the_case_are_not_settled():
    assert verreken(date(2026, 2, 1), None, GEBOREN, ALLEENSTAAND, {Maand(2026, 1): inkomen(1)}, {}, P) == []


def test_months_after_the_end_that_were_paid_or_settled_are_settled_at_nil():
    """Ended on 31 March after April was settled and May paid: both months have no right, so
    everything paid for them is recovered; a month after the end neither paid nor settled, and the
    clock, are left alone."""
    maart, april, mei, juni = (Maand(2026, m) for m in (3, 4, 5, 6))
    inkomens = {m: inkomen(50000, maand=m) for m in (maart, april, juni)}
    betaald = {maart: 100000, april: 90000, mei: 100000}
    uit = verreken_huishouden(
        date(2026, 1, 1), date(2026, 3, 31), GEBOREN, ALLEENSTAAND, inkomens, betaald, P, {}, {}, eerder={april}
    ).verrekeningen
    assert [v.maand for v in uit] == [maart, april, mei]
    m, a, b = uit
    assert m.recht and m.te_betalen > 0
    assert [(v.recht, v.dagen, v.norm_bedrag, v.bijstand, v.te_betalen, v.betaald) for v in (a, b)] == [
        (False, 0, 0, 0, 0, 90000),
        (False, 0, 0, 0, 0, 100000),
    ]
    # the month's income stays known (Toeslagen counts it), without vrijlating: nothing is set against it
    assert (a.verschil, a.inkomen.totaal, a.vrijlating, b.inkomen.totaal) == (-90000, 50000, None, 0)
    assert a.klokken == b.klokken and a.klokken.aanvrager.gebruikt == (("n", 1),)  # March's month stays the last
    assert uitleg(b) == (
        "Uw bijstand is beëindigd vóór mei 2026: over deze maand heeft u geen recht op bijstand en krijgt u € 0,00. U kreeg voor deze maand een voorschot van € 1.000,00: dat vorderen wij terug, en ook een nabetaling als u die over deze maand kreeg (zie de vordering over mei 2026)."
    )
    lopend = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, inkomens, betaald, P)
    assert [v.maand for v in lopend] == [maart, april, juni] and all(v.recht for v in lopend)
    # an advance of nothing recorded after the end is no month to settle; a month settled before is,
    # and says what happens to a back-payment made for it
    [*_, nul] = verreken_huishouden(
        date(2026, 1, 1), date(2026, 3, 31), GEBOREN, ALLEENSTAAND, inkomens, {mei: 0}, P, {}, {}, eerder={april}
    ).verrekeningen
    assert nul.maand == april and "Kreeg u over deze maand een nabetaling, dan vorderen wij die terug" in uitleg(nul)


def test_a_later_correction_of_an_earlier_month_moves_the_clock_without_counting_twice():
    maanden = [Maand(2026, m) for m in range(2, 9)]
    inkomens = {m: inkomen(50000, maand=m) for m in maanden}
    before = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, inkomens, {}, P)
    assert [v.vrijlating and v.vrijlating.maand_nummer for v in before] == [1, 2, 3, 4, 5, 6, None]
    # January's income arrives months later: it becomes month 1 of n, August loses its vrijlating
    inkomens[Maand(2026, 1)] = inkomen(50000, maand=Maand(2026, 1))
    after = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, inkomens, {}, P)
    assert [v.vrijlating and v.vrijlating.maand_nummer for v in after] == [1, 2, 3, 4, 5, 6, None, None]


def test_a_couple_on_stable_income_has_the_partners_wage_on_the_account_too():
    """Bijstand is the household's and counts the partner's income: on stable income the partner's
    wage goes into the account too, or the balance would fall by it every month for ever."""
    from dataclasses import replace as with_

    from decisions.domain.situatie import Betaalmodel
    from decisions.domain.tussenrekening import boekingen

    partner = "999990019"
    stel = [
        Situatie(
            date(2026, 1, 1),
            Huishouden.gehuwd,
            Partner(partner, date(1988, 3, 1)),
            betaalmodel=Betaalmodel.stabiel_inkomen,
        )
    ]
    maanden = [Maand(2026, 3), Maand(2026, 4)]
    van_partner = {partner: {m: inkomen(100000, B, m) for m in maanden}}
    settled = verreken_huishouden(
        date(2026, 1, 1), None, GEBOREN, stel, {m: inkomen(0, maand=m) for m in maanden}, {}, P, van_partner, {}
    ).verrekeningen
    maart, april = boekingen(settled, 5)
    # 2.002,13 − (1.000 − 250 vrijlating n) = 1.252,13 bijstand, 62,61 reserved: 1.189,52 in; 1.902,02 out
    assert (maart.loon, maart.bijstand, maart.vast_bedrag) == (100000, 118952, 200213 - 10011)
    assert maart.saldo == 100000 + 118952 - 190202 == 28750, "the partner's vrijlating is theirs to keep"
    assert april.saldo == 2 * 28750
    # the same wage earned by the applicant gives the same account
    alleen = with_(stel[0], partner=Partner(partner, date(1988, 3, 1)))
    zelf = verreken_huishouden(
        date(2026, 1, 1),
        None,
        GEBOREN,
        [alleen],
        {m: inkomen(100000, B, m) for m in maanden},
        {},
        P,
        {partner: {m: inkomen(0, maand=m) for m in maanden}},
        {},
    ).verrekeningen
    assert [b.saldo for b in boekingen(zelf, 5)] == [28750, 57500]


def test_settling_from_a_month_on_its_starting_clocks_gives_the_months_the_whole_run_gives():
    """Each settled month keeps the clocks it started with (the applicant's and the partner's, by BSN);
    settling from it on those gives the same months from it on, and none before it."""
    partner = "999990019"
    situaties = [
        Situatie(date(2026, 1, 1), Huishouden.gehuwd, Partner(partner, date(1988, 3, 1))),
        Situatie(date(2026, 9, 1), Huishouden.alleenstaand),
    ]
    maanden = [Maand(2026, m) for m in range(1, 13)]
    eigen = {m: inkomen(50000, A if m.maand < 5 else B, m) for m in maanden}
    van_partner = {partner: {m: inkomen(30000, B, m) for m in maanden[2:]}}
    oud = Klok(gebruikt=(("n", 2),))

    def settle(start=None):
        return verreken_huishouden(
            date(2026, 1, 1), None, GEBOREN, situaties, eigen, {}, P, van_partner, {}, oud, start
        ).verrekeningen

    heel = settle()
    assert heel[0].klokken == Klokken(oud), "the first month starts on the clock of an earlier benefit"
    assert dict(heel[-1].klokken.partners)[partner].maanden("n") == 6, "the partner's clock is kept after they left"
    for i, v in enumerate(heel):
        assert settle((v.maand, v.klokken)) == heel[i:]
    assert settle((Maand(2026, 6), Klokken())) != heel[5:], "other clocks, other months"


def test_a_reopened_case_counts_on_from_the_months_the_person_used_before():
    """Participatiewet art. 31 lid 2 (onder n): the 25% of income from work is exempt for at most six
    months for the person, and the article names no benefit after which they start again."""
    maanden = [Maand(2026, m) for m in range(2, 6)]
    inkomens = {m: inkomen(50000, maand=m) for m in maanden}
    [gebruikt] = {v.vrijlating.grond for v in verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, inkomens, {}, P)}
    eerder = Klok(gebruikt=((gebruikt, 4),))
    heropend = verreken_huishouden(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, inkomens, {}, P, {}, {}, eerder)
    assert [v.vrijlating and v.vrijlating.maand_nummer for v in heropend.verrekeningen] == [5, 6, None, None]


def test_a_change_of_household_mid_year_uses_the_norm_from_its_date():
    situaties = ALLEENSTAAND + [
        Situatie(date(2026, 4, 1), Huishouden.gehuwd, partner=Partner("999993653", date(1991, 1, 1)))
    ]
    inkomens = {Maand(2026, m): inkomen(0, maand=Maand(2026, m)) for m in (3, 4)}
    march, april = verreken(date(2026, 1, 1), None, GEBOREN, situaties, inkomens, {}, P)
    assert (march.norm_bedrag, april.norm_bedrag) == (140150, 200213)


def test_the_under_27_rule_and_the_cost_sharing_norm_together():
    jong = date(2001, 1, 1)
    kostendeler = [Situatie(date(2025, 1, 1), Huishouden.alleenstaand, kostendelers=1)]
    [v] = verreken(date(2026, 1, 1), None, jong, kostendeler, {Maand(2026, 3): inkomen(40000)}, {}, P)
    assert v.vrijlating is None and (v.norm_bedrag, v.bijstand) == (100107, 60107)


def test_an_exit_is_proposed_after_enough_consecutive_months_above_the_norm():
    from decisions.domain.uitstroom import voorstel

    def maanden(*bedragen):
        inkomens = {Maand(2026, m): inkomen(b, maand=Maand(2026, m)) for m, b in bedragen}
        return reversed(verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, inkomens, {}, P))  # newest first

    hoog = 250000
    assert [v.maand for v in voorstel(maanden((2, hoog), (3, hoog), (4, hoog)), 3)] == [
        Maand(2026, 2),
        Maand(2026, 3),
        Maand(2026, 4),
    ]
    assert voorstel(maanden((2, hoog), (3, hoog)), 3) == [], "not long enough yet"
    assert voorstel(maanden((2, hoog), (3, hoog), (5, hoog)), 3) == [], "April is missing: not consecutive"
    assert voorstel(maanden((2, hoog), (3, hoog), (4, hoog), (5, 50000)), 3) == [], "the latest month is below"


def test_what_if_a_part_time_job_shows_where_the_vrijlating_ends():
    from decisions.domain.proefberekening import bereken, loon_per_maand

    jaar = bereken(GEBOREN, ALLEENSTAAND[0], 80000, Maand(2026, 2), False, P)
    assert len(jaar) == 12
    # n for six months, then nothing, until the 2027 regime (art. 34a) starts its own 12 months
    assert [v.vrijlating.grond if v.vrijlating else None for v in jaar] == ["n"] * 6 + [None] * 5 + ["werk"]
    # with vrijlating: 1.401,50 − (800 − 200) = 801,50; without: 601,50
    assert (jaar[0].bijstand, jaar[6].bijstand) == (80150, 60150)
    assert loon_per_maand(100000, True, Maand(2026, 3)) == 110714  # 31/28 of a 4-weekly wage
    assert loon_per_maand(100000, True, Maand(2026, 2)) == 100000


def test_stable_income_pays_the_same_every_month_and_keeps_the_difference_on_the_account():
    from dataclasses import replace as with_

    from decisions.domain.situatie import Betaalmodel
    from decisions.domain.tussenrekening import boekingen

    stabiel = [with_(ALLEENSTAAND[0], betaalmodel=Betaalmodel.stabiel_inkomen)]
    inkomens = {
        Maand(2026, 2): inkomen(0, maand=Maand(2026, 2)),
        Maand(2026, 3): inkomen(100000),
        Maand(2026, 4): inkomen(50000, maand=Maand(2026, 4)),
    }
    maanden = verreken(date(2026, 1, 1), None, GEBOREN, stabiel, inkomens, {}, P)
    boek = boekingen(maanden, 5)
    assert {b.vast_bedrag for b in boek} == {140150 - 7008}, "the same amount every month"
    # February: no wage, bijstand = the stable amount; March: wage 1.000 + 618,92 payable − 1.331,42;
    # April: wage 500 + (1.401,50 − 375 = 1.026,50 − 51,33 reserved) − 1.331,42: the vrijlating builds up
    assert [b.saldo for b in boek] == [0, 100000 + 61892 - 133142, 100000 + 61892 - 133142 + 50000 + 97517 - 133142]
    voorschot = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, inkomens, {}, P)
    assert boekingen(voorschot, 5) == [], "only months on stable income"
    assert "gaat naar de tussenrekening" in uitleg(maanden[1]) and "bij." not in uitleg(maanden[1])
    assert "tussenrekening" not in uitleg(voorschot[1]) and "wij betalen u nog € 618,92 bij" in uitleg(voorschot[1])
    # ended on 31 March after April was settled: April's wage was paid into the account all the same,
    # and no bijstand nor fixed amount belongs to April any more
    einde = verreken_huishouden(
        date(2026, 1, 1), date(2026, 3, 31), GEBOREN, stabiel, inkomens, {}, P, {}, {}, eerder={Maand(2026, 4)}
    ).verrekeningen
    *_, maart, april = boekingen(einde, 5)
    assert (april.maand, april.loon, april.bijstand, april.vast_bedrag) == (Maand(2026, 4), 50000, 0, 0)
    assert april.saldo == maart.saldo + 50000


def test_the_days_a_period_was_earned_on_follow_from_its_days_in_the_month():
    from decisions.domain.inkomen import verdiend_op

    sept = Maand(2026, 9)
    maand = (sept.eerste_dag, sept.laatste_dag)
    assert verdiend_op(sept, 15, maand, None) == (date(2026, 9, 16), date(2026, 9, 30)), "a job begun on the 16th"
    assert verdiend_op(sept, 14, maand, date(2026, 9, 14)) == (date(2026, 9, 1), date(2026, 9, 14)), "ended on the 14th"
    four_weeks = (date(2026, 8, 24), date(2026, 9, 20))
    assert verdiend_op(sept, 20, four_weeks, None) == (date(2026, 9, 1), date(2026, 9, 20))
    assert verdiend_op(sept, 28, four_weeks, None) is None, "a policy that puts a whole period in its last month"
    assert verdiend_op(sept, 30, maand, date(2026, 8, 31)) == maand, "a relationship ended before the period: whole"
    assert verdiend_op(sept, 0, maand, None) is None


def test_a_month_the_case_covers_in_part_counts_each_kind_of_income_for_its_days_only():
    from decisions.domain.inkomen import ONBEKEND, binnen, open_vragen

    sept = Maand(2026, 9)
    heel = (sept.eerste_dag, sept.laatste_dag)
    loon = Bijdrage(A, 1, *heel, 60000, vakantiebijslag=3000, fiscaal_loon=80000, verdiend=heel)
    ww = Bijdrage(B, 2, *heel, 30000, OVERIG, verdiend=(date(2026, 9, 1), date(2026, 9, 10)))
    onbekend = Bijdrage(B, 3, *heel, 9000, ONBEKEND, verdiend=(date(2026, 9, 16), date(2026, 9, 30)))
    oud = Bijdrage(A, 4, *heel, 1000)  # its days not known: whole
    maand = Inkomen(100000, 3000, (loon, ww, onbekend, oud), overig=30000, onbekend=9000)
    deel = binnen(maand, date(2026, 9, 1), date(2026, 9, 15))
    # wage 15/30 (its holiday allowance, paid on the 30th, not), the WW whole (its days lie within), the
    # unknown none
    assert [(b.netto, b.vakantiebijslag, b.buiten, b.buiten_vakantiebijslag) for b in deel.bijdragen] == [
        (30000, 0, 30000, 3000),
        (30000, 0, 0, 0),
        (0, 0, 9000, 0),
        (1000, 0, 0, 0),
    ]
    assert (deel.netto, deel.vakantiebijslag, deel.overig, deel.onbekend) == (61000, 0, 30000, 0)
    assert deel.arbeid == 31000
    eind = binnen(maand, date(2026, 9, 16), date(2026, 9, 30))  # from the 16th: paid within, so whole
    assert (eind.bijdragen[0].netto, eind.bijdragen[0].vakantiebijslag) == (30000, 3000)
    assert deel.bijdragen[0].fiscaal_loon == 80000, "toeslagen count the year's income whole"
    assert deel.ontvangen == maand.totaal, "on stable income all of it reaches the account, counted or not"
    assert open_vragen(replace(deel, onbekend=1)) == (), "a line earned wholly outside the case asks nothing"
    assert binnen(maand, sept.eerste_dag, sept.laatste_dag) == maand


def test_a_negative_line_in_a_month_the_case_covers_in_part_takes_off_no_more_than_there_is():
    """A correction line (negative) of another kind leaves the split as the income service makes it: a
    month with 1.200 wage and a −200 benefit line has 1.000 of work income, not a negative benefit."""
    from decisions.domain.inkomen import ONBEKEND, binnen

    sept = Maand(2026, 9)
    heel = (sept.eerste_dag, sept.laatste_dag)
    for soort in (OVERIG, ONBEKEND):
        maand = Inkomen(
            100000,
            0,
            (Bijdrage(A, 1, *heel, 120000, verdiend=heel), Bijdrage(B, 2, *heel, -20000, soort, verdiend=heel)),
        )
        deel = binnen(maand, date(2026, 9, 1), date(2026, 9, 15))
        assert (deel.netto, deel.overig, deel.onbekend, deel.arbeid) == (50000, 0, 0, 50000)


def test_a_judged_line_counts_as_judged_in_a_month_the_case_covers_in_part():
    """Judged after the cut: a negative line on the days after the end offset the unknown part of the
    whole month, and the cut brings it back; the caseworker's judgement of that line must still hold."""
    from decisions.domain.inkomen import ARBEID, ONBEKEND, Oordeel

    sept = Maand(2026, 9)
    heel = (sept.eerste_dag, sept.laatste_dag)
    regels = (
        Bijdrage(B, 2, *heel, 50000, ONBEKEND, verdiend=(date(2026, 9, 1), date(2026, 9, 15))),
        Bijdrage(B, 2, *heel, -60000, ONBEKEND, verdiend=(date(2026, 9, 16), date(2026, 9, 30))),
    )
    oordelen = {(B, 2): Oordeel(B, 2, ARBEID, "loon voor gewerkte uren")}
    resultaat = verreken_huishouden(
        date(2026, 1, 1),
        date(2026, 9, 15),
        GEBOREN,
        ALLEENSTAAND,
        {sept: Inkomen(-10000, 0, regels)},
        {},
        P,
        {},
        oordelen,
    )
    assert resultaat.te_beoordelen == []
    [v] = resultaat.verrekeningen
    assert (v.inkomen.arbeid, v.vrijlating.bedrag) == (50000, 12500)


def test_judged_lines_split_the_month_as_the_income_service_does_whatever_their_order():
    """A negative unknown line after a positive one: judged, the month has no unknown part left (it
    waited for ever, with no line left to judge) and no negative benefit part."""
    from decisions.domain.inkomen import ARBEID, ONBEKEND, Oordeel, beoordeeld

    sept = Maand(2026, 9)
    heel = (sept.eerste_dag, sept.laatste_dag)
    regels = (Bijdrage(B, 2, *heel, 50000, ONBEKEND), Bijdrage(B, 3, *heel, -10000, ONBEKEND))
    for soort in (ARBEID, OVERIG):
        oordelen = {(B, n): Oordeel(B, n, soort, "gewogen") for n in (2, 3)}
        for volgorde in (regels, regels[::-1]):
            judged = beoordeeld(Inkomen(40000, 0, volgorde, onbekend=40000), oordelen)
            assert (judged.onbekend, judged.overig) == (0, 40000 if soort == OVERIG else 0)


def test_a_vrijlating_that_changes_nothing_uses_no_month_and_the_explanation_says_so():
    """DOMAIN: a vrijlating's months are those in which it was actually applied. Above the norm even with
    it, there is no bijstand with it or without, so the month uses none of the six months of n."""
    maart, april, mei = Maand(2026, 3), Maand(2026, 4), Maand(2026, 5)
    inkomens = {
        maart: inkomen(300000, maand=maart),
        april: inkomen(150000, maand=april),
        mei: inkomen(50000, maand=mei),
    }
    boven, net, onder = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, inkomens, {}, P)
    assert (boven.bijstand, boven.vrijlating, boven.geen_vrijlating) == (0, None, "boven-norm")
    assert (
        "Ook met vrijlating is uw inkomen niet lager dan de norm, dus is er deze maand geen bijstand. Daarom geldt er geen vrijlating en gaat er geen maand van af."
        in uitleg(boven)
    )
    assert "houden" not in uitleg(boven)
    # 1.401,50 − (1.500,00 − 285,00): the vrijlating makes the bijstand, so April is month 1
    assert (net.bijstand, net.vrijlating.maand_nummer, onder.vrijlating.maand_nummer) == (18650, 1, 2)
    assert onder.klokken.aanvrager.maanden("n") == 1


def test_a_partners_vrijlating_that_changes_nothing_uses_none_of_their_months():
    partner = "999990019"
    stel = [Situatie(date(2026, 1, 1), Huishouden.gehuwd, Partner(partner, date(1988, 3, 1)))]
    maart, april = Maand(2026, 3), Maand(2026, 4)
    eigen = {maart: inkomen(250000, maand=maart), april: inkomen(0, maand=april)}
    van_partner = {partner: {m: inkomen(40000, B, m) for m in (maart, april)}}
    boven, daarna = verreken_huishouden(
        date(2026, 1, 1), None, GEBOREN, stel, eigen, {}, P, van_partner, {}
    ).verrekeningen
    assert boven.bijstand == 0 and boven.partner.vrijlating is None and boven.vrijlating is None
    assert "Uw bijstand is € 0,00. Over deze maand" in uitleg(boven) and "reserveren" not in uitleg(boven)
    assert "Ook met vrijlating is het inkomen van u en uw partner samen niet lager dan de norm" in uitleg(boven)
    assert "geen vrijlating voor uw partner en gaat er geen maand van af" in uitleg(boven)
    assert daarna.partner.vrijlating.maand_nummer == 1, "the partner's first month of n is April"


def test_a_negative_income_does_not_lift_the_bijstand_above_the_norm():
    """An employer's claw-back larger than the month's wage: the counted income is nil, not below."""
    maart = Maand(2026, 3)
    terug = Inkomen(-30000, 0, (Bijdrage(A, 1, maart.eerste_dag, maart.laatste_dag, -30000),))
    [v] = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {maart: terug}, {}, P)
    assert (v.gekort_inkomen, v.bijstand) == (0, v.norm_bedrag) == (0, 140150)
    assert "Per saldo is het inkomen negatief" in uitleg(v) and "We tellen € 0,00 als inkomen" in uitleg(v)
    assert "U verdiende netto min € 300,00: min € 300,00 bij de werkgever" in uitleg(v) and "-€" not in uitleg(v)


def test_the_explanation_says_why_work_income_had_no_vrijlating():
    maart = Maand(2026, 3)
    loon = {maart: inkomen(50000, maand=maart)}

    def zonder(situatie=ALLEENSTAAND[0], geboren=GEBOREN, klok=Klok()):
        [v] = verreken_huishouden(date(2026, 1, 1), None, geboren, [situatie], loon, {}, P, {}, {}, klok).verrekeningen
        assert v.vrijlating is None and v.bijstand > 0
        return v.geen_vrijlating, uitleg(v)

    jong, tekst = zonder(geboren=date(2003, 1, 1))
    assert jong == "jonger-dan-27" and "geen vrijlating: op 1 maart 2026 was u jonger dan 27." in tekst
    # 27 the day after the month's first day: the sentence stays true when it is read later
    jarig, tekst = zonder(geboren=date(1999, 3, 2))
    assert jarig == "jonger-dan-27" and "op 1 maart 2026 was u jonger dan 27" in tekst and "u bent" not in tekst
    assert zonder(klok=Klok(gebruikt=(("n", 6),)))[0] == "maanden-op"
    lks = replace(ALLEENSTAAND[0], loonkostensubsidie=True)
    assert zonder(lks, klok=Klok(gebruikt=(("n", 6), ("z", 12))))[0] == "loonkostensubsidie"
    balans = replace(ALLEENSTAAND[0], regime=Regime.in_balans)
    voorbij, tekst = zonder(
        balans, klok=Klok(dienstverbanden=frozenset({f"{A}/1"}), reeksen=(("werk", Maand(2025, 3)),))
    )
    assert voorbij == "reeks-voorbij" and "de 12 maanden vrijlating zijn voorbij" in tekst


def test_a_vrijlating_that_changes_nothing_in_a_month_of_negative_income_says_so_for_the_household():
    """Work 500,00 and a claw-back of 800,00 on other income: the counted income is nil with the
    vrijlating or without, so the whole norm is paid and n is not used; a couple's keep theirs together."""
    maart = Maand(2026, 3)
    werk_en_terug = Inkomen(
        -30000,
        0,
        (
            Bijdrage(A, 1, maart.eerste_dag, maart.laatste_dag, 50000),
            Bijdrage(B, 1, maart.eerste_dag, maart.laatste_dag, -80000, soort=OVERIG),
        ),
        overig=-80000,
    )
    [v] = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {maart: werk_en_terug}, {}, P)
    assert (v.bijstand, v.vrijlating, v.geen_vrijlating) == (140150, None, "negatief-inkomen")
    assert "Per saldo is uw inkomen niet meer dan nul, dus is de bijstand ook zonder vrijlating de hele norm" in uitleg(
        v
    )
    assert "niet lager dan de norm" not in uitleg(v)
    # a couple: without both vrijlatingen the counted income is above nil, so both were applied, together
    partner = "999990019"
    stel = [Situatie(date(2026, 1, 1), Huishouden.gehuwd, Partner(partner, date(1988, 3, 1)))]
    eigen = Inkomen(
        -30000,
        0,
        (
            Bijdrage(A, 1, maart.eerste_dag, maart.laatste_dag, 40000),
            Bijdrage(B, 1, maart.eerste_dag, maart.laatste_dag, -70000, soort=OVERIG),
        ),
        overig=-70000,
    )
    [samen] = verreken_huishouden(
        date(2026, 1, 1), None, GEBOREN, stel, {maart: eigen}, {}, P, {partner: {maart: inkomen(40000, B, maart)}}, {}
    ).verrekeningen
    assert (samen.vrijlating.bedrag, samen.partner.vrijlating.bedrag, samen.gekort_inkomen) == (10000, 10000, 0)
    # one needed alone, the other changing nothing with or without it: only that one is left out
    eigen = Inkomen(100000, 0, (Bijdrage(A, 1, maart.eerste_dag, maart.laatste_dag, 100000),))
    van_partner = Inkomen(
        -89462,
        0,
        (
            Bijdrage(B, 1, maart.eerste_dag, maart.laatste_dag, 28125),
            Bijdrage(A, 2, maart.eerste_dag, maart.laatste_dag, -117587, soort=OVERIG),
        ),
        overig=-117587,
    )
    [een] = verreken_huishouden(
        date(2026, 1, 1), None, GEBOREN, stel, {maart: eigen}, {}, P, {partner: {maart: van_partner}}, {}
    ).verrekeningen
    assert (een.vrijlating.bedrag, een.partner.vrijlating, een.partner.geen_vrijlating) == (
        25000,
        None,
        "negatief-inkomen",
    )


def test_a_vrijlating_without_a_limit_or_running_by_the_calendar_stays_in_a_month_above_the_norm():
    """Leaving it out would keep no month: y has no limit, in balans' 12 months run from the first month
    with work income."""
    maanden = [Maand(2026, 3), Maand(2026, 4)]
    inkomens = {maanden[0]: inkomen(300000, maand=maanden[0]), maanden[1]: inkomen(50000, maand=maanden[1])}
    for situatie, grond in (
        (replace(ALLEENSTAAND[0], medisch_urenbeperkt=True), "y"),
        (replace(ALLEENSTAAND[0], regime=Regime.in_balans), "werk"),
    ):
        boven, daarna = verreken(date(2026, 1, 1), None, date(2003, 1, 1), [situatie], inkomens, {}, P)
        assert boven.bijstand == 0 and boven.vrijlating.grond == grond and boven.geen_vrijlating is None
        assert daarna.vrijlating.maand_nummer == 2


def test_an_established_month_in_a_case_that_covers_it_in_part_counts_as_the_polis_would_but_its_amount():
    """A payslip's amount counts by the days; the polis's lines, as earned over the month, still give
    the holiday allowance (counted where it is paid, at the month's end) and the kinds a caseworker's
    judgement splits; the parts of consecutive days add up to the whole."""
    from decisions.domain.inkomen import ONBEKEND, Oordeel, binnen

    maart = Maand(2026, 3)
    heel = (maart.eerste_dag, maart.laatste_dag)
    werk = Bijdrage(A, 1, *heel, 60000, vakantiebijslag=3100)
    onbekend = Bijdrage(B, 1, *heel, 40000, ONBEKEND)
    oordeel = {(B, 1): Oordeel(B, 1, "overig", "WW")}
    for bron in ("polis", "overschrijving"):
        lijnen = (
            (werk, onbekend) if bron == "overschrijving" else tuple(replace(b, verdiend=heel) for b in (werk, onbekend))
        )
        maand = Inkomen(100000, 3100, lijnen, 0, 40000, overschreven=bron == "overschrijving")
        vanaf = verreken_huishouden(
            date(2026, 3, 16), None, GEBOREN, ALLEENSTAAND, {maart: maand}, {}, P, {}, oordeel
        ).verrekeningen[0]
        tot = verreken_huishouden(
            date(2026, 1, 1), date(2026, 3, 15), GEBOREN, ALLEENSTAAND, {maart: maand}, {}, P, {}, oordeel
        ).verrekeningen[-1]
        assert (vanaf.inkomen.netto, vanaf.inkomen.vakantiebijslag, vanaf.inkomen.overig) == (51613, 3100, 20645), bron
        assert (tot.inkomen.netto, tot.inkomen.vakantiebijslag) == (48387, 0), bron
        assert vanaf.inkomen.ontvangen + tot.inkomen.ontvangen == 2 * maand.totaal, bron
    i = Inkomen(100001, 3101, (), overschreven=True)  # no lines to go by: the allowance by the days too
    sept = [binnen(i, date(2026, 9, 1), date(2026, 9, 15)), binnen(i, date(2026, 9, 16), date(2026, 9, 30))]
    assert sum(d.totaal for d in sept) == i.totaal and sum(d.ontvangen for d in sept) == 2 * i.totaal
    tekst = uitleg(vanaf)
    assert (
        "Op de polis staat: € 600,00 bij de werkgever met loonheffingennummer" in tekst
        and "verdiend op dagen zonder" not in tekst
    )


def test_an_established_months_holiday_allowance_paid_before_the_case_began_does_not_count():
    """A 4-weekly period that ended on 12 March paid its allowance then: in a case from the 16th it
    counts for nothing, from the polis or under a stated amount; and the advance's estimate of a whole
    month scales the days' income up, not an allowance paid once."""
    from decisions.domain import kalender

    maart = Maand(2026, 3)
    lijn = Bijdrage(A, 1, date(2026, 2, 13), date(2026, 3, 12), 40000, vakantiebijslag=3100)
    for verdiend in ((date(2026, 3, 1), date(2026, 3, 12)), None):  # as kept now, and an established month of before
        polis = Inkomen(40000, 3100, (replace(lijn, verdiend=verdiend or (date(2026, 3, 1), date(2026, 3, 12))),))
        gesteld = Inkomen(40000, 3100, (replace(lijn, verdiend=verdiend),), overschreven=True)
        [vp] = verreken(date(2026, 3, 16), None, GEBOREN, ALLEENSTAAND, {maart: polis}, {}, P)
        [vs] = verreken(date(2026, 3, 16), None, GEBOREN, ALLEENSTAAND, {maart: gesteld}, {}, P)
        assert vp.inkomen.vakantiebijslag == vs.inkomen.vakantiebijslag == 0, verdiend
    heel = Bijdrage(A, 1, maart.eerste_dag, maart.laatste_dag, 100000, vakantiebijslag=3100)
    gesteld = Inkomen(100000, 3100, (heel,), overschreven=True)
    [deel] = verreken(date(2026, 3, 16), None, GEBOREN, ALLEENSTAAND, {maart: gesteld}, {}, P)
    [maand] = verreken(date(2026, 1, 1), None, GEBOREN, ALLEENSTAAND, {maart: gesteld}, {}, P)
    assert deel.inkomen.vakantiebijslag == 3100
    assert abs(kalender._hele_maand(deel) - maand.gekort_inkomen) <= 1

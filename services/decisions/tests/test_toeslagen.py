"""The toeslagen signal: the year's income as Toeslagen counts it (Awir art. 8, the toetsingsinkomen:
fiscal wage plus gross bijstand), estimated from the settled months, and a signal when a settled or
revised month moves it by more than the dated threshold."""

from datetime import date

from decisions.adapters.parameters import laad
from decisions.domain import toeslagen as t
from decisions.domain.inkomen import BIJSTAND, Bijdrage, Inkomen
from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.toeslagen import (
    fiscaal_deel,
    jaarschatting,
    maandinkomen,
    toelichting,
    uitleg,
)
from decisions.domain.verrekening import Verrekening, verreken
from decisions.domain.vrijlating import Klok
from schakel.primitives import Maand

P = laad()
ALLEENSTAAND = [Situatie(date(2025, 1, 1), Huishouden.alleenstaand)]
GEBOREN = date(1990, 5, 1)
WERKGEVER, GEMEENTE = "123456782L01", "803123450L01"


def loon(maand: Maand, netto: int, fiscaal: int | None) -> Inkomen:
    return Inkomen(
        netto, 0, (Bijdrage(WERKGEVER, 1, maand.eerste_dag, maand.laatste_dag, netto, fiscaal_loon=fiscaal),)
    )


def maanden(inkomens: dict[Maand, Inkomen], start: date = date(2026, 3, 1), einde: date | None = None):
    return verreken(start, einde, GEBOREN, ALLEENSTAAND, inkomens, {}, P, {}, {}, Klok()).verrekeningen


def signalen(before: dict[Maand, Verrekening], after: list[Verrekening]):
    """The signals of settling `after` where `before` was stored (as the service gives them)."""
    return t.signalen(
        {m: maandinkomen(v) for m, v in before.items()},
        {v.maand: maandinkomen(v) for v in after},
        [v.maand for v in after if before.get(v.maand) != v],
        None,
        P,
    )


def test_a_periods_fiscal_wage_counts_for_its_days_in_the_month():
    assert fiscaal_deel(280_000, 6, 28) == 60_000
    assert fiscaal_deel(100_000, 1, 3) == 33_333


def test_the_year_is_the_settled_months_plus_the_average_of_the_last_three_for_the_rest():
    mrt, apr, mei = Maand(2026, 3), Maand(2026, 4), Maand(2026, 5)
    settled = maanden({mrt: loon(mrt, 0, 0), apr: loon(apr, 40_000, 50_000), mei: loon(mei, 40_000, 50_000)})
    bijstand = [v.bijstand for v in settled]
    s = jaarschatting(2026, settled, None, P)
    assert (s.loon, s.bijstand, s.netto_maanden) == (100_000, sum(bijstand), 3)
    # June to December (7 months) as the average of March, April and May
    assert s.rest == round((100_000 + sum(bijstand)) * 7 / 3)
    assert s.jaarinkomen == 100_000 + sum(bijstand) + s.rest
    text = toelichting(s, partner=False)
    assert "maart tot en met mei 2026" in text and "januari en februari 2026 kent Schakel niet" in text
    assert "3 maand(en) telt netto mee" in text and "te laag" in text and "Schakel schat uw inkomen over 2026" in text


def test_the_municipalitys_own_declaration_on_the_polis_is_the_gross_bijstand():
    mrt = Maand(2026, 3)
    bijstandlijn = Bijdrage(GEMEENTE, 7, mrt.eerste_dag, mrt.laatste_dag, 0, BIJSTAND, 0, "43", 170_000)
    [v] = maanden({mrt: Inkomen(40_000, 0, (*loon(mrt, 40_000, 50_000).bijdragen, bijstandlijn))})
    m = maandinkomen(v)
    assert (m.loon, m.bijstand, m.bijstand_netto) == (50_000, 170_000, False)


def test_a_month_whose_fiscal_wage_schakel_did_not_keep_gives_no_estimate():
    mrt = Maand(2026, 3)
    assert jaarschatting(2026, maanden({mrt: loon(mrt, 40_000, None)}), None, P) is None


def test_a_month_the_case_covers_in_part_counts_as_a_whole_month_for_the_rest():
    mrt = Maand(2026, 3)
    [v] = maanden({mrt: loon(mrt, 0, 0)}, start=date(2026, 3, 17))  # 15 of 31 days
    s = jaarschatting(2026, [v], None, P)
    assert s.rest == round(v.bijstand * 31 / 15) * 9


def test_after_the_case_ends_the_rest_of_the_year_counts_the_wage_only():
    mrt = Maand(2026, 3)
    [v] = maanden({mrt: loon(mrt, 40_000, 50_000)}, einde=date(2026, 6, 30))
    s = jaarschatting(2026, [v], date(2026, 6, 30), P)
    assert s.rest == 9 * 50_000 + 3 * v.bijstand  # April to June with bijstand, to December the wage
    assert "na het einde van de uitkering alleen het loon" in toelichting(s, partner=False)


def test_a_year_after_the_cases_end_counts_the_wage_only_and_says_so():
    """A case ended on 31 December whose January was paid: January is settled at nil, and the new
    year's estimate is its wage, and says why no bijstand is in it."""
    dec, jan = Maand(2026, 12), Maand(2027, 1)
    einde = date(2026, 12, 31)
    # January's polis still has the municipality's bijstand line for the advance it paid
    bijstandlijn = Bijdrage(GEMEENTE, 7, jan.eerste_dag, jan.laatste_dag, 0, BIJSTAND, 0, "43", 90_000)
    januari = loon(jan, 150_000, 190_000)
    inkomens = {dec: loon(dec, 0, 0), jan: Inkomen(150_000, 0, januari.bijdragen + (bijstandlijn,))}
    settled = verreken(date(2026, 3, 1), einde, GEBOREN, ALLEENSTAAND, inkomens, {jan: 90_000}, P, {}, {}, eerder=[jan])
    [v] = [v for v in settled.verrekeningen if v.maand == jan]
    s = jaarschatting(2027, [v], einde, P)
    assert (v.bijstand, s.bijstand, s.rest) == (0, 90_000, 11 * 190_000), "no bijstand after the end"
    assert "na het einde van de uitkering alleen het loon" in toelichting(s, partner=False)


def test_a_new_job_that_moves_the_year_by_more_than_the_threshold_is_signalled_once():
    mrt, apr, mei = Maand(2026, 3), Maand(2026, 4), Maand(2026, 5)
    before = {v.maand: v for v in maanden({mrt: loon(mrt, 0, 0), apr: loon(apr, 0, 0)})}
    after = maanden({mrt: loon(mrt, 0, 0), apr: loon(apr, 0, 0), mei: loon(mei, 150_000, 190_000)})
    [s] = signalen(before, after)
    assert s.aanleiding == (mei,) and s.drempel == P.toeslagensignaal_op(date(2026, 1, 1)).drempel == 100_000
    assert s.verschil == s.na.jaarinkomen - s.voor.jaarinkomen > 100_000
    text = uitleg(s, partner=False)
    assert "Door de verrekening van mei 2026 is het verwachte inkomen over 2026 veranderd van" in text
    assert "hoger" in text and "Mijn toeslagen" in text
    # the same settlements again (a replay, a restart): nothing moved, no second signal
    assert signalen({v.maand: v for v in after}, after) == []


def test_a_small_change_or_a_first_month_is_not_signalled():
    mrt, apr = Maand(2026, 3), Maand(2026, 4)
    before = {v.maand: v for v in maanden({mrt: loon(mrt, 0, 0)})}
    small = maanden({mrt: loon(mrt, 0, 0), apr: loon(apr, 1_000, 1_200)})
    assert signalen(before, small) == []  # 12 euro more a month: well under the threshold
    assert signalen({}, small) == []  # nothing to compare with: the person's own estimate stands


def test_a_correction_of_a_settled_month_that_lowers_the_year_is_signalled():
    mrt, apr = Maand(2026, 3), Maand(2026, 4)
    before = {v.maand: v for v in maanden({mrt: loon(mrt, 0, 0), apr: loon(apr, 150_000, 190_000)})}
    after = maanden({mrt: loon(mrt, 0, 0), apr: loon(apr, 0, 0)})
    [s] = signalen(before, after)
    assert s.aanleiding == (apr,) and s.verschil < -100_000 and "lager" in uitleg(s, partner=False)


def test_a_couple_s_estimate_counts_both_partners_wage():
    mrt, partner = Maand(2026, 3), "999990019"
    gehuwd = [Situatie(date(2026, 3, 1), Huishouden.gehuwd, Partner(partner, date(1987, 2, 1)))]
    [v] = verreken(
        date(2026, 3, 1),
        None,
        GEBOREN,
        gehuwd,
        {mrt: loon(mrt, 40_000, 50_000)},
        {},
        P,
        {partner: {mrt: loon(mrt, 80_000, 100_000)}},
        {},
        Klok(),
    ).verrekeningen
    s = jaarschatting(2026, [v], None, P)
    assert (s.loon, s.bijstand) == (150_000, v.bijstand)
    assert "Schakel schat het inkomen van u en uw partner samen over 2026" in toelichting(s, partner=True)

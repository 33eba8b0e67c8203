"""Kinds of income (Participatiewet art. 31 lid 2: a vrijlating only on income from work): each polis
line is classified by its code "soort inkomstenverhouding" through the dated table (Belastingdienst,
Tabel soort inkomstenverhouding); an unknown code or none is `onbekend`, never guessed. And the
Max-WW overlap month: a WW benefit that ends on the 15th was earned up to then."""

from datetime import date

from income.adapters.inkomstensoorten import laad
from income.domain.inkomstensoort import ARBEID, BIJSTAND, ONBEKEND, OVERIG
from income.domain.overschrijving import Overschrijving, vaststellen
from income.domain.toerekening import Regel, Toerekening, maandinkomens, toerekenen, verdeling
from income.tests.test_polis import aangifte
from income.tests.test_toerekening import naar_rato
from schakel.primitives import Maand

SOORTEN = laad()
MRT = Maand(2026, 3)
UWV = "111111110L01"


def test_the_table_sorts_work_from_benefits_and_leaves_the_rest_to_a_caseworker():
    dag = date(2026, 3, 31)
    assert [SOORTEN.soort(code, dag) for code in ("15", "17", "33", "31", "40", "21")] == [ARBEID, ARBEID] + [
        OVERIG
    ] * 4
    assert [SOORTEN.soort(code, dag) for code in ("81", "99", None)] == [ONBEKEND] * 3
    assert SOORTEN.soort("15", date(2021, 12, 31)) == ONBEKEND, "before the table's first row nothing is known"


def test_the_bijstand_itself_on_the_polis_is_on_the_months_lines_but_counts_nowhere():
    """A municipality files wage declarations for the bijstand it pays (code 43): counted as income, the
    bijstand would be offset against itself every month."""
    loon = Regel(
        aangifte(tijdvak_begin=MRT.eerste_dag, tijdvak_einde=MRT.laatste_dag, soort_inkomstenverhouding="15"), 1
    )
    bijstand = Regel(
        aangifte(
            loonheffingennummer="001234567L01",
            tijdvak_begin=MRT.eerste_dag,
            tijdvak_einde=MRT.laatste_dag,
            fiscaal_loon=90000,
            ingehouden_loonheffing=5000,
            soort_inkomstenverhouding="43",
        ),
        1,
    )
    alleen_loon = maandinkomens([loon], None, naar_rato, {MRT}, SOORTEN)[MRT]
    maand = maandinkomens([loon, bijstand], None, naar_rato, {MRT}, SOORTEN)[MRT]
    assert SOORTEN.soort("43", MRT.laatste_dag) == BIJSTAND
    assert sorted(b.aandeel.inkomstensoort for b in maand.bijdragen) == [ARBEID, BIJSTAND], "kept for the record"
    assert (maand.loon, maand.vakantiebijslag) == (alleen_loon.loon, alleen_loon.vakantiebijslag)
    aandelen = [b.aandeel for b in maand.bijdragen]
    assert verdeling(maand.loon + maand.vakantiebijslag, aandelen) == (maand.loon + maand.vakantiebijslag, 0, 0)


def test_a_month_with_wage_and_ww_is_split_by_kind():
    loon = Regel(
        aangifte(tijdvak_begin=MRT.eerste_dag, tijdvak_einde=MRT.laatste_dag, soort_inkomstenverhouding="15"), 1
    )
    ww = Regel(
        aangifte(
            loonheffingennummer=UWV,
            tijdvak_begin=MRT.eerste_dag,
            tijdvak_einde=MRT.laatste_dag,
            fiscaal_loon=100000,
            ingehouden_loonheffing=10000,
            soort_inkomstenverhouding="33",
        ),
        1,
    )
    maand = maandinkomens([loon, ww], None, naar_rato, {MRT}, SOORTEN)[MRT]
    aandelen = [b.aandeel for b in maand.bijdragen]
    assert [a.inkomstensoort for a in aandelen] == [OVERIG, ARBEID]  # by employer: UWV first
    assert verdeling(maand.loon + maand.vakantiebijslag, aandelen) == (130000, 90000, 0)
    # an override states the month's total: the benefit stays as the polis says, the rest is work
    vast = vaststellen(maand, Overschrijving(MRT, 200000, "loonstrook maart", ""))
    assert verdeling(vast.loon + vast.vakantiebijslag, aandelen) == (110000, 90000, 0)


def test_the_max_ww_overlap_month_counts_the_ww_only_up_to_its_end_date():
    # WW paid for March ends on the 15th; bijstand starts on the 16th: the WW counts nowhere
    ww = Regel(
        aangifte(
            loonheffingennummer=UWV,
            aanvang_inkomstenverhouding=date(2024, 3, 16),
            einde_inkomstenverhouding=date(2026, 3, 15),
            tijdvak_begin=MRT.eerste_dag,
            tijdvak_einde=MRT.laatste_dag,
            fiscaal_loon=75000,
            ingehouden_loonheffing=0,
            soort_inkomstenverhouding="33",
        ),
        1,
    )
    assert toerekenen(ww, date(2026, 3, 16), Toerekening.naar_rato, SOORTEN) == []
    # from the 10th the last six days of WW count, spread over the 15 days the WW ran in March
    [deel] = toerekenen(ww, date(2026, 3, 10), Toerekening.naar_rato, SOORTEN)
    assert (deel.dagen, deel.dagen_tijdvak, deel.loon, deel.inkomstensoort) == (6, 15, 30000, OVERIG)

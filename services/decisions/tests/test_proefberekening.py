"""What-if (Simpel Switchen track 2): a job's wage with the rules of a settlement, and what it adds
compared to bijstand without work, month by month."""

from datetime import date

from decisions.adapters.parameters import laad
from decisions.domain.proefberekening import bereken, samenvatting
from decisions.domain.situatie import Huishouden, Situatie
from schakel.primitives import Maand

ALLEEN = Situatie(date(2026, 1, 1), Huishouden.alleenstaand)


def test_the_job_adds_its_vrijlating_and_nothing_once_the_vrijlating_ends():
    uitkomst = samenvatting(bereken(date(1990, 5, 1), ALLEEN, 100000, Maand(2026, 2), False, laad()))

    februari = uitkomst.maanden[0]
    assert (februari.inkomen, februari.zonder_werk, februari.verrekening.bijstand) == (100000, 140150, 65150)
    assert februari.totaal_netto == 100000 + 65150 and februari.erbij == februari.verrekening.vrijlating.bedrag
    assert uitkomst.maanden[6].verrekening.vrijlating is None and uitkomst.maanden[6].erbij == 0
    assert uitkomst.vrijlating_tot == Maand(2027, 1), "n until July 2026, in balans (art. 34a) from 2027"


def test_a_wage_above_the_norm_has_no_vrijlating_month_without_income():
    uitkomst = samenvatting(bereken(date(1990, 5, 1), ALLEEN, 0, Maand(2026, 2), False, laad()))
    assert uitkomst.vrijlating_tot is None and {m.erbij for m in uitkomst.maanden} == {0}

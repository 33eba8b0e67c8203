"""A jongerennorm holds under the normenbrief of the situation it was recorded in, also one dated before
Schakel's first table (a reopened case: test_service_huishouden)."""

from datetime import date

from decisions.domain.situatie import Huishouden, Partner, Situatie
from decisions.domain.verrekening import verreken
from decisions.tests.test_huishouden import P, loon
from schakel.primitives import Maand


def test_a_jongerennorm_of_a_situation_dated_before_the_first_table_waits_for_the_caseworker():
    jong = date(2005, 1, 1)
    s = [Situatie(date(2024, 11, 1), Huishouden.gehuwd, Partner("999990019", date(2006, 10, 1)), jongerennorm=150_000)]
    result = verreken(date(2024, 11, 1), None, jong, s, {Maand(2025, 2): loon(Maand(2025, 2), 80000)}, {}, P, {}, {})
    [februari] = result.te_beoordelen
    assert februari.soort == "norm" and "per 2025-01-01 gelden nieuwe normen" in februari.reden, februari

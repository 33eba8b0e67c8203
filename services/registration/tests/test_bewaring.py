"""Retention of participation facts (AVG art. 5 lid 1 onder e): kept while the person's status runs
or any fallback holds (the way back must not be lost, whatever happens to their bijstand), and
forgotten `retentie_maanden` after the last day the facts gave them anything."""

from dataclasses import replace
from datetime import date

from registration.domain.bewaring import einde
from registration.domain.deelname import Feit, Soort
from registration.service import bewaring
from registration.tests.fakes import ports
from schakel.clock import FixedClock


def feit(soort: Soort, datum: date, **gegevens) -> Feit:
    return Feit(soort, datum, "GM0363", gegevens)


DAGBESTEDING = [
    feit(Soort.dagbesteding_gestart, date(2024, 1, 8), indicatie="wmo", geldigTot="2025-06-30"),
    feit(Soort.dagbesteding_beeindigd, date(2024, 9, 30)),
]
SLAPEND = [
    feit(Soort.advies_aangevraagd, date(2024, 1, 8), aanvrager="gemeente"),
    feit(Soort.advies_uitgebracht, date(2024, 3, 1), uitkomst="positief"),
    feit(Soort.doelgroepregistratie_gestart, date(2024, 4, 1), grond="participatiewet"),
]


def test_the_end_is_the_last_fallback_not_the_last_fact():
    assert einde(DAGBESTEDING) == date(2025, 6, 30), "the indication stayed a fallback until it expired"
    assert einde(DAGBESTEDING[:1]) is None, "in dagbesteding: the status runs"


def test_a_sleeping_advice_or_a_running_registration_is_kept_without_end():
    assert einde(SLAPEND) is None
    beeindigd = [feit(Soort.wia_beeindigd, date(2024, 3, 1))]
    assert einde(beeindigd) == date(2029, 2, 28), "an ended WIA right can revive for five years (Wet WIA art. 57)"


def test_a_negative_advice_ends_with_itself():
    negatief = [feit(Soort.advies_uitgebracht, date(2024, 3, 1), uitkomst="negatief")]
    assert einde(negatief) == date(2024, 3, 1)


async def test_opschonen_forgets_only_whom_nothing_holds_any_more():
    p, uow = ports(date(2026, 6, 30))
    for persoon, feiten in (("a", DAGBESTEDING), ("b", SLAPEND)):
        for f in feiten:
            await uow.feiten.voeg_toe(persoon, "999993653", f, "gemeente", p.clock.now())
    assert await bewaring.opschonen(p, 12) == 0, "a's indication expired 2025-06-30: kept twelve months on"
    assert await bewaring.opschonen(replace(p, clock=FixedClock(date(2026, 7, 1))), 12) == 1
    assert set(await uow.feiten.alle()) == {"b"}, "b's sleeping advice is their way back"

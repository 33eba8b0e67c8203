"""Rules are ordered by the release that deployed them, never by a clock or an instance's start: an
instance of an earlier release (one still running, or restarted, in a rolling deploy; one whose clock
runs ahead) never settles every case back to its rules, so the later release's rules stay applied;
rules recorded without a release (before releases were recorded, or a record an operator cleared to
roll rules back deliberately) are taken over by the next instance to check."""

from dataclasses import replace
from datetime import date, timedelta

from decisions.service import verrekeningen
from decisions.service.ports import Regelstand
from decisions.service.verrekeningen import OUDE_ORDE
from decisions.tests.test_service import HERZIEN, VANDAAG, types
from decisions.tests.test_service_regelversie import A, B, hogere_norm_vanaf, settled_under_a
from schakel.clock import FixedClock
from schakel.events import models as events


def om(p, minuten: int):
    """The ports with a clock `minuten` after the test's start."""
    return replace(p, clock=FixedClock(VANDAAG, p.clock.now() + timedelta(minutes=minuten)))


async def b_recorded():
    p, uow = await settled_under_a()
    b = replace(om(p, 1), regelversie="B", parameters=hogere_norm_vanaf(date(2026, 3, 1), 1_000))
    assert await verrekeningen.herbereken_na_nieuwe_regels(b, B) == (2, 2)
    uow.published.clear()
    return p, b, uow


async def test_an_old_release_restarted_during_a_rolling_deploy_never_settles_cases_back():
    """It restarts after the new rules' round began (or its clock runs ahead): it leaves their record
    and their round, and the later release's instances keep the rules applied."""
    p, b, uow = await b_recorded()
    opgenomen = await uow.regelversie.lees()

    for oud in (om(p, 3), om(p, 60 * 24)):  # restarted at t0+3m; a clock a day ahead
        assert await verrekeningen.herbereken_na_nieuwe_regels(oud, A) == (0, 0)
        assert await uow.regelversie.lees() == opgenomen and not uow.published

    halfway = uow.regelversie.stand = Regelstand(f"{B} B", b.clock.now(), na=min(uow.verrekeningen.rijen))
    assert await verrekeningen.herbereken_na_nieuwe_regels(om(p, 3), A) == (0, 0)
    assert await uow.regelversie.lees() == halfway and not uow.published, "nor a round of them underway"
    assert await verrekeningen.herbereken_na_nieuwe_regels(om(b, 10), B) == (1, 0), "B finishes its round"
    assert await uow.regelversie.lees() == Regelstand(f"{B} B", b.clock.now())
    assert await verrekeningen.herbereken_na_nieuwe_regels(om(b, 10), B) == (0, 0)


async def test_the_same_release_with_other_rules_leaves_the_recorded_ones():
    """Rules are ordered by release only: two builds of one release with other rules do not settle
    every case back and forth (the operator clears the record to choose)."""
    p, b, uow = await b_recorded()
    opgenomen = await uow.regelversie.lees()
    assert await verrekeningen.herbereken_na_nieuwe_regels(om(p, 5), B) == (0, 0)
    assert await uow.regelversie.lees() == opgenomen and not uow.published


async def test_the_same_rules_of_another_release_are_not_settled_again_and_keep_their_record():
    p, b, uow = await b_recorded()
    opgenomen = await uow.regelversie.lees()
    for uitgave in ("0.18.0", "0.16.0"):
        assert await verrekeningen.herbereken_na_nieuwe_regels(om(b, 5), uitgave) == (0, 0)
        assert await uow.regelversie.lees() == opgenomen and not uow.published


async def test_a_later_release_takes_over_a_round_of_older_rules_underway():
    """A deploy of B while the round of an earlier release's rules C is halfway: B settles every case
    from the first, and C's instances leave B's rules and round."""
    p, uow = await settled_under_a()
    c = replace(p, regelversie="C")
    uow.regelversie.stand = Regelstand("0.16.5 C", p.clock.now(), na=min(uow.verrekeningen.rijen))
    uow.published.clear()
    b = replace(om(p, 1), regelversie="B", parameters=hogere_norm_vanaf(date(2026, 3, 1), 1_000))

    assert await verrekeningen.herbereken_na_nieuwe_regels(b, B) == (2, 2)
    assert types(uow) == [HERZIEN, HERZIEN]
    assert await verrekeningen.herbereken_na_nieuwe_regels(om(c, 2), "0.16.5") == (0, 0)
    assert await uow.regelversie.lees() == Regelstand(f"{B} B", OUDE_ORDE)


async def test_rules_recorded_without_a_release_are_taken_over():
    """As decisions 0.14 and earlier recorded them: the fingerprint alone."""
    p, uow = await settled_under_a()
    uow.regelversie.stand = Regelstand("A", p.clock.now())
    uow.published.clear()
    b = replace(om(p, 1), regelversie="B", parameters=hogere_norm_vanaf(date(2026, 3, 1), 1_000))

    assert await verrekeningen.herbereken_na_nieuwe_regels(b, B) == (2, 2)
    assert await uow.regelversie.lees() == Regelstand(f"{B} B", OUDE_ORDE)


async def test_a_deliberate_rollback_is_the_operator_clearing_the_record():
    """Rolled back to A's release (no instance of B's left), the operator clears the record: A's
    instances then settle every case under A's rules, the revision down making a claim as any does;
    and a later release's instance would settle forward again."""
    p, b, uow = await b_recorded()
    assert await verrekeningen.herbereken_na_nieuwe_regels(om(p, 30), A) == (0, 0), "not on its own"

    uow.regelversie.stand = Regelstand("", uow.regelversie.stand.vastgesteld_op)  # the operator's UPDATE
    teruggezet = om(p, 31)
    assert await verrekeningen.herbereken_na_nieuwe_regels(teruggezet, A) == (2, 4)
    assert [e.data["herziening"] for e in uow.published if e.type == HERZIEN] == [-950, -950]
    assert types(uow).count(events.VorderingOntstaan.TYPE) == 2
    assert await uow.regelversie.lees() == Regelstand(f"{A} A", OUDE_ORDE)
    assert await verrekeningen.herbereken_na_nieuwe_regels(om(p, 40), A) == (0, 0)

    uow.published.clear()
    assert (await verrekeningen.herbereken_na_nieuwe_regels(om(b, 50), B))[0] == 2, "rolled forward"
    assert [e.data["herziening"] for e in uow.published if e.type == HERZIEN] == [950, 950]

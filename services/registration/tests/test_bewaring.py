"""Retention of participation facts (AVG art. 5 lid 1 onder e): kept while the person's status runs
or any fallback holds (the way back must not be lost, whatever happens to their bijstand), and
forgotten `retentie_maanden` after the last day the facts gave them anything."""

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from registration.domain.bewaring import einde
from registration.domain.deelname import Feit, Soort
from registration.service import bewaring
from registration.tests.fakes import op_database, ports
from schakel.clock import FixedClock
from schakel.primitives.bewaring import bewaren_tot, uitgestroomd


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
    assert set(await uow.feiten.stil_voor(date.max, None, 10)) == {"b"}, "b's sleeping advice is their way back"


def verschoven(f: Feit, schuif: timedelta) -> Feit:
    gegevens = {k: str(date.fromisoformat(v) + schuif) if k == "geldigTot" else v for k, v in f.gegevens.items()}
    return replace(f, datum=f.datum + schuif, gegevens=gegevens)


async def test_the_database_gives_retention_everyone_it_may_forget(tmp_path):
    """Only persons quiet since before the retention's day are read and folded; the persons forgotten
    are those the rule gives over everyone's facts (a real database: SQLite here, PostgreSQL in CI)."""
    p, db = await op_database(tmp_path, date(2026, 7, 1))
    kies = random.Random(7)
    negatief = [feit(Soort.advies_uitgebracht, date(2024, 3, 1), uitkomst="negatief")]
    soorten = [DAGBESTEDING, DAGBESTEDING[:1], SLAPEND, negatief, [feit(Soort.wia_beeindigd, date(2021, 3, 1))]]
    iedereen = {}
    for n in range(120):  # each a history shifted by up to two years either way
        schuif = timedelta(days=kies.randrange(-730, 730))
        iedereen[f"p{n}"] = [verschoven(f, schuif) for f in kies.choice(soorten)]
    try:
        async with p.uow() as uow:
            for persoon, feiten in kies.sample(sorted(iedereen.items()), len(iedereen)):
                for f in feiten:
                    await uow.feiten.voeg_toe(persoon, "999993653", f, "gemeente", datetime(2026, 7, 1, tzinfo=UTC))
        tot = bewaren_tot(p.clock.today(), 12)
        async with p.uow() as uow:
            stil = {p_ for p_, feiten in iedereen.items() if max(f.datum for f in feiten) < tot}
            assert set(await uow.feiten.stil_voor(tot, None, 1000)) == stil, "only the quiet are read"
        vergeten = uitgestroomd({p_: [einde(f)] for p_, f in iedereen.items()}, tot)
        assert 10 < len(vergeten) < 110, "some go, some stay"
        assert await bewaring.opschonen(p, 12, per=7) == len(vergeten), "seven persons a transaction"
        async with p.uow() as uow:
            assert sorted(await uow.feiten.stil_voor(date.max, None, 1000)) == sorted(set(iedereen) - set(vergeten))
    finally:
        await db.dispose()


async def test_a_fact_that_arrived_after_retention_read_keeps_its_person(tmp_path):
    """Retention deletes only the facts it read: one committed in between (a new advice request) is
    the person's new way in, not something to forget with the old."""
    p, db = await op_database(tmp_path, date(2026, 7, 1))
    try:
        async with p.uow() as uow:
            oud = await uow.feiten.voeg_toe("x", "999993653", SLAPEND[0], "gemeente", p.clock.now())
            nieuw = await uow.feiten.voeg_toe("x", "999993653", SLAPEND[0], "burger", p.clock.now())
            ander = await uow.feiten.voeg_toe("y", "999990019", SLAPEND[0], "gemeente", p.clock.now())
            await uow.feiten.vergeet({"x": [oud.volgnummer], "y": [ander.volgnummer]})  # what was read of them
            assert [f.volgnummer for f in await uow.feiten.van("x")] == [nieuw.volgnummer]
            assert await uow.feiten.van("y") == []
    finally:
        await db.dispose()


async def test_a_person_a_run_alongside_forgot_between_the_reads_of_a_page_is_passed_over():
    """Two runs at once (past midnight the new day takes the turn): the other forgets a person between the
    two reads of this run's page (their persons, then their facts), which reads the person without facts.
    Nothing is left of them to forget; the run goes on with the others, it does not fail."""
    p, uow = ports(date(2026, 7, 1))
    for f in DAGBESTEDING:
        await uow.feiten.voeg_toe("a", "999993653", f, "gemeente", p.clock.now())
    stil_voor = uow.feiten.stil_voor

    async def met_vergetene(tot: date, na: str | None, aantal: int) -> dict[str, list[Feit]]:
        return ({"0-al-vergeten": []} if na is None else {}) | await stil_voor(tot, na, aantal)

    uow.feiten.stil_voor = met_vergetene
    assert await bewaring.opschonen(p, 12) == 1
    assert await stil_voor(date.max, None, 10) == {}, "a is forgotten"

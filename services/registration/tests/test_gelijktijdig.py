"""Facts about the same person at once (UWV's mutation on one instance, a municipality's report on
another) take turns: each is judged on the timeline with the other, and the last status change
published says what the whole timeline says; the same fact again (a retry, or twice at once) is kept
once. On a real database (SQLite here, one writer at a time; PostgreSQL in CI, where the two would
otherwise each fold the timeline without the other)."""

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import timedelta

import orjson
import sqlalchemy as sa

from registration.domain.deelname import Feit, Soort, vouw
from registration.service import bewaring, deelname
from registration.tests.fakes import op_database, ports
from registration.tests.test_service import AMSTERDAM, BSN, RETENTIE, ROTTERDAM, UWV, VANDAAG, feit
from schakel.caller import Caller
from schakel.clock import FixedClock
from schakel.events.models import DeelnamestatusGewijzigd
from schakel.messaging.tables import outbox
from tests.support.builders import bsn


async def test_facts_about_a_person_at_once_end_in_the_status_of_the_whole_timeline(tmp_path):
    p, db = await op_database(tmp_path, VANDAAG)
    # either alone changes the status; together the registration comes before the dagbesteding
    registratie = feit(Soort.doelgroepregistratie_gestart, 10, grond="participatiewet")
    dagbesteding = feit(Soort.dagbesteding_gestart, 10, indicatie="wmo")
    bsns = [bsn() for _ in range(30)]

    async def neem_op(b: str, f) -> None:
        async with p.uow() as uow:
            await deelname.neem_op(p, uow, p.pseudonym(b), b, f, "bron")

    try:
        await asyncio.gather(*(neem_op(b, f) for b in bsns for f in (registratie, dagbesteding)))

        async with db.transaction() as conn:
            rijen = (await conn.execute(sa.select(outbox.c.key, outbox.c.headers, outbox.c.value))).all()
        laatste: dict[str, tuple[str, str]] = {}
        for r in rijen:
            if r.headers["ce_type"] == DeelnamestatusGewijzigd.TYPE:
                laatste[r.key] = max(laatste.get(r.key, ("", "")), (r.headers["ce_sequence"], r.value))
        async with p.uow() as uow:
            verwacht = {p.pseudonym(b): vouw(await uow.feiten.van(p.pseudonym(b)), VANDAAG).status for b in bsns}
        assert set(verwacht.values()) == {"doelgroepregister"}
        assert {k: orjson.loads(v)["status"] for k, (_, v) in laatste.items()} == verwacht
    finally:
        await db.dispose()


def _verklaring(dagen_geleden: int) -> Feit:
    partij = {"naam": "x", "datum": (VANDAAG - timedelta(days=dagen_geleden)).isoformat()}
    getekend = {"werkgever": partij, "gemeente": partij, "client": partij}
    return Feit(Soort.driehoeksverklaring, VANDAAG - timedelta(days=dagen_geleden), "GM0363", getekend)


# a fact of every kind, in an order the timeline takes (the school registration aside)
ALLE: list[tuple[Caller, Feit]] = [
    (UWV, feit(Soort.advies_aangevraagd, 300, aanvrager="gemeente", nieuweFeiten=False)),
    (UWV, feit(Soort.advies_uitgebracht, 290, uitkomst="positief", redenen=[])),
    (AMSTERDAM, feit(Soort.beschut_werk_vastgesteld, 280)),
    (AMSTERDAM, feit(Soort.ander_aanbod, 275, omschrijving="werkervaringsplek")),
    (AMSTERDAM, feit(Soort.beschutte_plek_gestart, 270, werkgever="Pantar", urenPerWeek=24, vorm="regulier")),
    (AMSTERDAM, feit(Soort.beschutte_plek_beeindigd, 200)),
    (AMSTERDAM, feit(Soort.baan_gestart, 190, werkgever="Bakkerij")),
    (UWV, feit(Soort.doelgroepregistratie_gestart, 185, grond="participatiewet")),
    (AMSTERDAM, _verklaring(150)),
    (UWV, feit(Soort.doelgroepregistratie_beeindigd, 149)),
    (AMSTERDAM, feit(Soort.baan_beeindigd, 140)),
    (AMSTERDAM, feit(Soort.dagbesteding_gestart, 130, indicatie="wlz", geldigTot="2030-12-31")),
    (AMSTERDAM, feit(Soort.dagbesteding_beeindigd, 120)),
    (UWV, feit(Soort.wajong_gestart, 110)),
    (UWV, feit(Soort.wajong_beeindigd, 100, aowDatum="2060-01-01")),
    (UWV, feit(Soort.wia_werkhervatting, 90)),
    (UWV, feit(Soort.wia_beeindigd, 80)),
    (ROTTERDAM, feit(Soort.verhuisd, 0, "GM0599")),
]


async def test_the_same_fact_reported_again_is_kept_once_and_changes_nothing():
    """A retry after a time-out comes with a new Idempotency-Key: the fact it reports is already on the
    timeline, so it is answered with the status as it is, stores nothing and announces nothing (a
    second advice would count twice in the programme's figures and show twice in the history)."""
    p, uow = ports(VANDAAG)
    assert {f.soort for _, f in ALLE} == set(Soort)
    for caller, f in ALLE:
        if f.soort is Soort.verhuisd:
            p.brp.personen[BSN] = "GM0599"
        eerst = await deelname.meld(p, caller, BSN, f)
        opgeslagen, gepubliceerd = len(uow.feiten.rijen), len(uow.published)
        assert await deelname.meld(p, caller, BSN, f) == eerst, f.soort
        assert (len(uow.feiten.rijen), len(uow.published)) == (opgeslagen, gepubliceerd), f.soort
    assert len(uow.feiten.rijen) == len(ALLE)


async def test_the_same_advice_twice_at_once_is_one_advice(tmp_path):
    """Sent again while the first still runs: the second waits for the first (the person's hold) and
    finds it on the timeline."""
    p, db = await op_database(tmp_path, VANDAAG)
    advies = feit(Soort.advies_uitgebracht, 10, uitkomst="positief", redenen=[])
    try:
        await asyncio.gather(*(deelname.meld(p, UWV, BSN, advies) for _ in range(2)))
        async with p.uow() as uow:
            assert [f.soort for f in await uow.feiten.van(p.pseudonym(BSN))] == [Soort.advies_uitgebracht]
        assert await _aangekondigd(db) == Counter({p.pseudonym(BSN): 1})
    finally:
        await db.dispose()


async def test_a_municipality_setting_its_number_twice_at_once_keeps_one(tmp_path):
    """A request sent again while the first still runs (a client's retry, two officials)."""
    p, db = await op_database(tmp_path, VANDAAG)
    try:
        await asyncio.gather(*(deelname.zet_taakstelling(p, AMSTERDAM, "GM0363", 2028, n) for n in (40, 50)))

        async with p.uow() as uow:
            assert await uow.taakstellingen.van("GM0363", 2028) in {40, 50}
    finally:
        await db.dispose()


async def _aangekondigd(db) -> Counter[str]:
    """How many status changes each person has in the outbox."""
    async with db.transaction() as conn:
        rijen = (await conn.execute(sa.select(outbox.c.key, outbox.c.headers))).all()
    return Counter(r.key for r in rijen if r.headers["ce_type"] == DeelnamestatusGewijzigd.TYPE)


async def _vooruit(p, bsns: list[str]):
    """Each registered ten days ahead: announced by the hourly task on that day (the clock it gets)."""
    dag = VANDAAG + timedelta(days=10)
    for b in bsns:
        await deelname.meld(p, UWV, b, Feit(Soort.doelgroepregistratie_gestart, dag, "GM0363", {"grond": "wajong"}))
    return dag, replace(p, clock=FixedClock(dag))


async def test_two_announcement_runs_at_once_announce_everyone_once(tmp_path):
    """The hourly task on two instances at once (a deploy, a second replica): each holds the persons
    it read, and the second, asking again once it holds them, finds them announced."""
    p, db = await op_database(tmp_path, VANDAAG)
    bsns = [bsn() for _ in range(40)]
    try:
        _, op_de_dag = await _vooruit(p, bsns)
        runs = await asyncio.gather(deelname.kondig_aan(op_de_dag, RETENTIE), deelname.kondig_aan(op_de_dag, RETENTIE))
        assert sum(runs) == len(bsns)
        assert await _aangekondigd(db) == Counter({p.pseudonym(b): 1 for b in bsns})
    finally:
        await db.dispose()


async def test_two_retention_runs_at_once_forget_everyone_once(tmp_path):
    """Past midnight the new day takes the turn while yesterday's run may still be going: each run holds the
    persons it forgets, and a person the other forgot between the two reads of a page (their persons, then
    their facts) is passed over, not folded without facts."""
    p, db = await op_database(tmp_path, VANDAAG)
    bsns = [bsn() for _ in range(60)]
    try:
        for b in bsns:  # a withdrawal's trace and a fact, both long gone by retention
            await deelname.meld(p, UWV, b, feit(Soort.wia_werkhervatting, 20))
            await deelname.meld(p, UWV, b, weg := feit(Soort.wajong_gestart, 30))
            await deelname.trek_in(p, UWV, b, weg)
        p.clock.advance(timedelta(days=800))
        morgen = replace(p, clock=FixedClock(VANDAAG, p.clock.now() + timedelta(days=1)))
        runs = await asyncio.gather(bewaring.opschonen(p, RETENTIE, per=3), bewaring.opschonen(morgen, RETENTIE, per=3))
        assert sum(runs) == len(bsns)
    finally:
        await db.dispose()

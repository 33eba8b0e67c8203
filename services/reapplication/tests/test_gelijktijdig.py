"""Writes about the same person at once (two caseworkers, UWV's notification twice, a request on one
instance and an event on another) take turns: each sees what the other wrote. On a real database
(SQLite here, one writer at a time; PostgreSQL in CI, where both would otherwise read the same
handover or application, and one's step, outcome or decision would be lost or made twice)."""

import asyncio
import uuid
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa

from reapplication.domain.fouten import AlAfgerond, AlBesloten, HeraanvraagLoopt
from reapplication.entrypoints import consumers
from reapplication.service import heraanvragen, overdrachten, termijnen
from reapplication.tests.fakes import op_database, ports
from reapplication.tests.test_service import AMSTERDAM, BEEINDIGD, GEOPEND, VANDAAG, beeindigd, geopend, simpel
from schakel.events import models as events
from schakel.messaging.tables import outbox
from tests.support.builders import bsn

GROND = {"soort": "toestemming", "referentie": "UWV-1"}


async def gepubliceerd(db) -> Counter:
    """(event type, person) -> how many the outbox holds."""
    async with db.transaction() as conn:
        rijen = (await conn.execute(sa.select(outbox.c.key, outbox.c.headers))).all()
    return Counter((r.headers["ce_type"], r.key) for r in rijen)


async def test_a_handover_notified_twice_stepped_and_closed_at_once_keeps_every_step_and_one_outcome(tmp_path):
    """Its outcome three ways at once: work found, no bijstand needed, and a bijstand case opened."""
    p, db = await op_database(ports(VANDAAG)[0], tmp_path)
    bsns = [bsn() for _ in range(15)]
    handle = consumers.handlers(lambda conn: p)
    try:
        gemeld = await asyncio.gather(
            *(overdrachten.meld(p, b, "GM0363", VANDAAG + timedelta(days=60), GROND, None) for b in bsns + bsns)
        )
        assert Counter(uitkomst for uitkomst, _ in gemeld) == {"nieuw": 15, "ongewijzigd": 15}
        ids = {o.overdracht_id: b for b, (uitkomst, o) in zip(bsns + bsns, gemeld, strict=True) if uitkomst == "nieuw"}

        gedaan = await asyncio.gather(
            *(
                aanroep
                for i, b in ids.items()
                for aanroep in (
                    overdrachten.stap(p, AMSTERDAM, i, "contact-gelegd", VANDAAG),
                    overdrachten.stap(p, AMSTERDAM, i, "re-integratie-gestart", VANDAAG),
                    overdrachten.uitkomst(p, AMSTERDAM, i, "werk-gevonden", VANDAAG),
                    overdrachten.uitkomst(p, AMSTERDAM, i, "geen-bijstand-nodig", VANDAAG),
                    handle[GEOPEND](None, geopend(b, uitkering_id=str(uuid.uuid4()))),
                )
            ),
            return_exceptions=True,
        )

        fouten = [g for g in gedaan if isinstance(g, Exception)]
        assert {type(f) for f in fouten} == {AlAfgerond} and 15 <= len(fouten) <= 30, "one outcome each"
        async with p.uow() as uow:
            for i in ids:
                overdracht, _ = await uow.overdrachten.met_id(i)
                assert sorted(stap for stap, _ in overdracht.stappen) == ["contact-gelegd", "re-integratie-gestart"]
                assert (overdracht.uitkomst is None) != (overdracht.besluit_op is None)
        telling = await gepubliceerd(db)
        personen = {p.pseudonym(b) for b in bsns}
        for soort in (events.OverdrachtOpgepakt.TYPE, events.BijstandBesloten.TYPE):
            assert {k: n for (t, k), n in telling.items() if t == soort} == dict.fromkeys(personen, 1), soort
    finally:
        await db.dispose()


async def test_two_caseworkers_deciding_one_application_at_once_make_one_decision(tmp_path):
    p, db = await op_database(ports(VANDAAG)[0], tmp_path)
    bsns = [bsn() for _ in range(15)]
    handle = consumers.handlers(lambda conn: p)
    try:
        ids = []
        for b in bsns:
            await handle[BEEINDIGD](None, beeindigd(b, uitkering_id=str(uuid.uuid4())))
            ids.append((await heraanvragen.dien_in(p, AMSTERDAM, b, simpel(VANDAAG, "adres"))).heraanvraag_id)

        besloten = await asyncio.gather(
            *(
                heraanvragen.besluit(p, AMSTERDAM, i, toekennen, "beoordeeld")
                for i in ids
                for toekennen in (True, False)
            ),
            return_exceptions=True,
        )

        assert Counter(type(b) for b in besloten if isinstance(b, Exception)) == {AlBesloten: 15}
        gelukt = {b.heraanvraag_id: b.status for b in besloten if not isinstance(b, Exception)}
        async with p.uow() as uow:
            assert {i: (await uow.heraanvragen.lees(i)).status for i in ids} == gelukt
        toegekend = {k for (t, k), n in (await gepubliceerd(db)).items() if t == events.HeraanvraagToegekend.TYPE}
        assert toegekend == {p.pseudonym(b) for b, i in zip(bsns, ids, strict=True) if gelukt[i] == "toegekend"}
    finally:
        await db.dispose()


async def test_two_applications_for_one_person_at_once_make_one(tmp_path):
    """A double submission (two channels, a retry with a new Idempotency-Key): without the person held,
    both found the window open and were granted, and decisions refused the second case."""
    p, db = await op_database(ports(VANDAAG)[0], tmp_path)
    bsns = [bsn() for _ in range(15)]
    handle = consumers.handlers(lambda conn: p)
    try:
        for b in bsns:
            await handle[BEEINDIGD](None, beeindigd(b, uitkering_id=str(uuid.uuid4())))

        ingediend = await asyncio.gather(
            *(heraanvragen.dien_in(p, AMSTERDAM, b, simpel()) for b in bsns + bsns), return_exceptions=True
        )

        assert Counter(type(i) for i in ingediend if isinstance(i, Exception)) == {HeraanvraagLoopt: 15}
        toegekend = {k: n for (t, k), n in (await gepubliceerd(db)).items() if t == events.HeraanvraagToegekend.TYPE}
        assert toegekend == {p.pseudonym(b): 1 for b in bsns}
        assert len(await heraanvragen.lijst(p, AMSTERDAM, None)) == 15
    finally:
        await db.dispose()


async def test_status_changes_of_a_person_applied_at_once_leave_the_latest(tmp_path):
    """A rebalance can hand a person's events to a second instance while the first still works on them."""
    p, db = await op_database(ports(VANDAAG)[0], tmp_path)
    personen = [p.pseudonym(bsn()) for _ in range(15)]
    try:
        await asyncio.gather(
            *(
                heraanvragen.deelnamestatus(p, persoon, f"grond-{n}", n, VANDAAG)
                for persoon in personen
                for n in range(1, 5)
            )
        )

        async with p.uow() as uow:
            assert {q: (await uow.doelgroepen.van(q), await uow.doelgroepen.volgnummer(q)) for q in personen} == (
                dict.fromkeys(personen, ("grond-4", 4))
            )
    finally:
        await db.dispose()


async def test_a_benefit_ending_handled_twice_at_once_opens_one_window(tmp_path):
    """The same event on two instances at once (a rebalance, a replay from the dead-letter topic)."""
    p, db = await op_database(ports(VANDAAG)[0], tmp_path)
    handle = consumers.handlers(lambda conn: p)
    geeindigd = [beeindigd(bsn(), uitkering_id=str(uuid.uuid4())) for _ in range(15)]
    try:
        await asyncio.gather(*(handle[BEEINDIGD](None, e) for e in geeindigd + geeindigd))

        geopend = {k: n for (t, k), n in (await gepubliceerd(db)).items() if t == events.HeraanvraagtermijnGeopend.TYPE}
        assert geopend == dict.fromkeys((e.key for e in geeindigd), 1)
    finally:
        await db.dispose()


async def test_a_municipality_setting_its_window_twice_at_once_keeps_one(tmp_path):
    """A request sent again while the first still runs (a client's retry, two officials)."""
    p, db = await op_database(ports(VANDAAG)[0], tmp_path)
    try:
        await asyncio.gather(*(termijnen.zet_beleid(p, AMSTERDAM, VANDAAG, n) for n in (6, 9)))

        _, rijen = await termijnen.beleid(p, AMSTERDAM)
        assert rijen in ([(VANDAAG, 6)], [(VANDAAG, 9)])
    finally:
        await db.dispose()

"""Retention (AVG art. 5(1)(e)): a person is forgotten `retentie_maanden` after their last window,
re-application, handover or case ended, with everything kept about them, and never while a window
is open, a re-application waits for a decision or a case runs. The same people against the fakes and against the
SQL repositories on a real database."""

import logging
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import sqlalchemy as sa

from reapplication.adapters import tables
from reapplication.domain.heraanvraag import Aanvraag, Heraanvraag, Uitkering
from reapplication.domain.overdracht import LAAT_GEOPEND, Overdracht
from reapplication.domain.termijn import Heraanvraagtermijn
from reapplication.service import bewaring, heraanvragen, termijnen
from reapplication.tests.fakes import op_database, ports
from schakel.clock import FixedClock
from schakel.events.models import UitkeringBeeindigd, UitkeringGeopend
from schakel.telemetry.metrics import EVENTS_SUPERSEDED as SUPERSEDED

GEOPEND, BEEINDIGD = UitkeringGeopend.TYPE, UitkeringBeeindigd.TYPE

# A's window ran out on 2027-01-01; B's window is open; C's handover was decided on 2026-03-01;
# D's re-application (its window long gone) still waits for a caseworker; G's re-application was
# granted long ago and its case runs (without it, G would be forgotten while the case runs)
A, B, C, D, G = "p-a", "p-b", "p-c", "p-d", "p-g"
E, F = "p-e", "p-f"  # re-applications decided (the SQL test)
ZAAK = "7d1b2c3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d"  # a case whose end was recorded long after it came


def heraanvraag(persoon: str, gemeld: date, besloten_op: datetime | None = None) -> Heraanvraag:
    """A re-application reported on `gemeld`: waiting, or refused at `besloten_op`."""
    status = "beoordelen" if besloten_op is None else "afgewezen"
    moment = datetime.combine(gemeld, datetime.min.time(), UTC)
    aanvraag = Aanvraag(gemeld, gemeld, ())
    return Heraanvraag(
        str(uuid.uuid4()), persoon, "999990020", "GM0363", aanvraag, None, None, (), gemeld, moment, status, besloten_op
    )


async def vul(uow) -> None:
    await uow.termijnen.zet(A, Heraanvraagtermijn("u-a", "GM0363", date(2026, 1, 1), date(2027, 1, 1)))
    await uow.termijnen.zet(B, Heraanvraagtermijn("u-b", "GM0363", date(2027, 6, 30), date(2028, 6, 30)))
    await uow.termijnen.zet(D, Heraanvraagtermijn("u-d", "GM0363", date(2024, 1, 1), date(2025, 1, 1)))
    await uow.overdrachten.bewaar(
        C,
        "999993653",
        Overdracht(
            str(uuid.uuid4()),
            "GM0363",
            date(2026, 2, 28),
            {"soort": "toestemming", "referentie": "r"},
            besluit_op=date(2026, 3, 1),
        ),
    )
    await uow.heraanvragen.voeg_toe(heraanvraag(D, date(2025, 1, 1)))
    lang_geleden = datetime(2025, 1, 2, tzinfo=UTC)
    await uow.heraanvragen.voeg_toe(replace(heraanvraag(G, date(2025, 1, 1), lang_geleden), status="toegekend"))
    await uow.uitkeringen.geopend(G, Uitkering("u-g", geopend=("GM0363", date(2026, 1, 1), date(2026, 1, 1))))
    await uow.uitkeringen.beeindigd(A, "u-a", date(2026, 1, 1), None)  # opened unseen
    for persoon in (B, D):
        await uow.doelgroepen.zet(persoon, "wajong", 1, date(2025, 1, 1))
    for persoon in (A, C):  # said nothing long ago: goes once nothing holds them
        await uow.doelgroepen.zet(persoon, None, 1, date(2025, 1, 1))


async def test_a_person_is_forgotten_a_retention_after_their_last_record_ended():
    p, uow = ports(date(2027, 6, 1))
    await vul(uow)
    assert await bewaring.opschonen(p, 12) == 1, "C: decided more than 12 months ago, with its ground that says nothing"
    later = replace(p, clock=FixedClock(date(2028, 2, 1)))
    assert await bewaring.opschonen(later, 12) == 1, "then A"
    assert set(uow.doelgroepen.gronden) == {B, D}
    assert {p for p, _ in uow.termijnen.rijen.values()} == {B, D} and not uow.overdrachten.rijen
    assert {p for p, _ in uow.uitkeringen.rijen.values()} == {G}


async def test_a_re_application_ends_on_the_dutch_day_it_was_decided():
    p, uow = ports(date(2028, 2, 1))
    for persoon, besloten_op in [  # 31 January at 23:30 and 1 February at 00:30 in the Netherlands
        (E, datetime(2027, 1, 31, 22, 30, tzinfo=UTC)),
        (F, datetime(2027, 1, 31, 23, 30, tzinfo=UTC)),
    ]:
        await uow.heraanvragen.voeg_toe(heraanvraag(persoon, date(2027, 1, 1), besloten_op))
    assert await bewaring.opschonen(p, 12) == 1
    assert [h.persoon for h in uow.heraanvragen.rijen.values()] == [F]


async def test_the_sql_retention_deletes_every_row_of_the_forgotten(tmp_path):
    p, db = await op_database(ports(date(2028, 2, 1))[0], tmp_path)
    async with p.uow() as uow:
        await vul(uow)
        for persoon, besloten_op in [  # decided on the Dutch day before the retention's, and on it (00:30)
            (E, datetime(2027, 1, 31, 22, 30, tzinfo=UTC)),
            (F, datetime(2027, 1, 31, 23, 30, tzinfo=UTC)),
        ]:
            await uow.heraanvragen.voeg_toe(heraanvraag(persoon, date(2027, 1, 1), besloten_op))

    assert await bewaring.opschonen(p, 12) == 3, "A, C and E, with A's and C's grounds that say nothing"

    async with db.transaction() as conn:
        over = {
            t.name: {r.persoon for r in await conn.execute(sa.select(t))}
            for t in tables.metadata.sorted_tables
            if "persoon" in t.c
        }
    await db.dispose()
    assert over == {
        "heraanvraagtermijnen": {B, D},
        "heraanvragen": {D, F, G},
        "overdrachten": set(),
        "doelgroepen": {B, D},
        "uitkeringen": {G},
    }


async def test_a_doelgroep_ground_is_registrations_it_stays_while_it_runs_and_goes_after_it_said_nothing(tmp_path):
    """registration reports everyone's status. A ground of someone nothing here holds stayed for ever;
    one of a person forgotten went with them, also while the register still held it, and was never
    sent again (the next re-application missed its exemption). Now a ground stays while it says
    something and goes the retention after it said nothing, its sequence number with it: an older
    status replayed meanwhile cannot bring a ground back."""
    for fake in (True, False):
        p, db = ports(date(2027, 6, 1))[0], None
        if not fake:
            p, db = await op_database(p, tmp_path / "sql")
        async with p.uow() as uow:
            await vul(uow)
        await heraanvragen.deelnamestatus(p, E, None, 6, date(2026, 6, 15))  # said nothing since
        await heraanvragen.deelnamestatus(p, F, "participatiewet", 1, date(2020, 1, 1))  # runs
        await heraanvragen.deelnamestatus(p, G, None, 1, date(2025, 1, 1))  # held by its running case
        await heraanvragen.deelnamestatus(p, C, "wajong", 2, date(2025, 1, 1))  # runs, C is forgotten now

        assert await bewaring.opschonen(p, 12) == 1, fake  # C
        assert await bewaring.vergeet_los(p, 12) == 0, fake  # C's ground runs; E's said nothing not a year yet
        async with p.uow() as uow:
            assert await uow.doelgroepen.van(C) == "wajong", "the register still holds it: kept for a next time"
        await heraanvragen.deelnamestatus(p, E, "participatiewet", 5, date(2026, 1, 1))  # replayed: older
        async with p.uow() as uow:
            assert [await uow.doelgroepen.van(x) for x in (E, F, G)] == [None, "participatiewet", None]
            assert await uow.doelgroepen.volgnummer(E) == 6
        later = replace(p, clock=FixedClock(date(2028, 2, 1)))
        assert await bewaring.opschonen(later, 12) == 1, fake  # A, with its ground that says nothing
        assert await bewaring.vergeet_los(later, 12) == 1, fake  # E's, nothing here held E
        async with p.uow() as uow:
            assert await uow.doelgroepen.volgnummer(E) is None and await uow.doelgroepen.van(F) == "participatiewet"
            assert await uow.doelgroepen.van(B) == "wajong", "B's window keeps B, and B's ground runs"
        if db is not None:
            await db.dispose()


async def test_a_copy_of_an_event_of_a_case_retention_forgot_brings_nothing_back(tmp_path, caplog):
    """A case whose end was recorded long after it came (here: now, for January 2025) is forgotten at
    once, while copies of its events live on (a dead-letter topic replayed, a consumer group set back).
    Applied, its opening recorded a running case and held the person for good, and its end opened a
    window again. Its id and number stay while a copy can arrive; then they go too."""
    for fake in (True, False):
        p, db = ports(date(2027, 6, 1))[0], None
        if not fake:
            p, db = await op_database(p, tmp_path / "sql")

        async def geopend(p, volgnummer):
            await termijnen.uitkering_geopend(
                p, "p-h", "999993653", "GM0363", date(2024, 1, 1), date(2024, 1, 1), None, ZAAK, volgnummer
            )

        async def beeindigd(p, volgnummer):
            await termijnen.uitkering_beeindigd(
                p, "p-h", "999993653", ZAAK, "GM0363", date(2025, 1, 31), None, volgnummer
            )

        async def bekend(p):
            async with p.uow() as uow:
                return await uow.uitkeringen.van("p-h"), await uow.termijnen.van("p-h")

        await geopend(p, 3)
        await beeindigd(p, 4)
        assert await bewaring.opschonen(p, 12) == 1, fake
        geteld = [SUPERSEDED.labels(t, r)._value.get() for t in (GEOPEND, BEEINDIGD) for r in ("forgotten", "newer")]
        with caplog.at_level(logging.INFO, "schakel.volgorde"):
            await geopend(p, 3)
            await beeindigd(p, 4)
        assert await bekend(p) == ([], []), fake
        assert "skipped: its subject was forgotten by retention (after sequence 4)" in caplog.text, "says why"
        nu = [SUPERSEDED.labels(t, r)._value.get() for t in (GEOPEND, BEEINDIGD) for r in ("forgotten", "newer")]
        assert [b - a for a, b in zip(geteld, nu, strict=True)] == [1, 0, 1, 0], "counted as forgotten, not newer"
        assert await bewaring.opschonen(p, 12) == 0, "nobody came back"

        geen_kopie_meer = replace(p, clock=FixedClock(date(2027, 6, 2) + LAAT_GEOPEND))
        await bewaring.opschonen(geen_kopie_meer, 12)
        await geopend(geen_kopie_meer, 3)  # could no longer arrive: shows the id and number went
        assert [u.uitkering_id for u in (await bekend(p))[0]] == [ZAAK], fake
        if db is not None:
            await db.dispose()


async def test_a_newer_event_of_a_forgotten_case_is_applied(tmp_path):
    p, _ = ports(date(2027, 6, 1))
    await termijnen.uitkering_beeindigd(p, "p-h", "999993653", ZAAK, "GM0363", date(2025, 1, 31), None, 4)
    assert await bewaring.opschonen(p, 12) == 1
    await termijnen.uitkering_geopend(
        p, "p-h", "999993653", "GM0363", date(2027, 6, 1), date(2027, 6, 1), None, ZAAK, 5
    )  # decisions opened it again
    async with p.uow() as uow:
        assert [(u.uitkering_id, u.einddatum) for u in await uow.uitkeringen.van("p-h")] == [(ZAAK, None)]

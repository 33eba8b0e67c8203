"""One person forgotten everywhere (AVG art. 5 lid 1 onder e): a resident with a case, polis income,
a re-application window and a dagbesteding that ended, followed through the four services'
databases until, years on, no table of any service holds their BSN or pseudonym. A neighbour
whose beschut werk advice sleeps keeps it: it is their way back (registration's own legal ground).

What stays, by design: the processing log (`verwerkingen`, five years, pseudonym only), the
transport tables (an outbox row until its event is published, inbox ids, Idempotency-Key answers for 24 hours), and
decisions' outflow record of a case ended for work (`uitstroom`, the programme's fall-back figure:
36 months, under a pseudonym of its own that is neither the BSN nor the message key)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from schakel.api import Rol
from schakel.persistence import Database
from tests.support import builders
from tests.support.polis import aangifte, deliver, months, open_case
from tests.support.stack import SERVICES, eventually, pseudonym, start_stack

pytestmark = pytest.mark.integration
TRANSPORT = {"verwerkingen", "outbox", "inbox", "idempotency_keys", "alembic_version"}
LATER = "2029-01-02"  # more than twelve months after everything of the person ended


def mentions(stack, name: str, *needles: str) -> list[str]:
    """The tables of a service's database with a row that holds any of `needles`."""

    async def scan() -> list[str]:
        db = Database(stack.services[name].env[f"{name.upper()}_DATABASE_URL"])
        try:
            async with db.engine.connect() as conn:
                tables = await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names())
                found = []
                for table in sorted(set(tables) - TRANSPORT):
                    rows = (await conn.execute(sa.text(f'SELECT * FROM "{table}"'))).all()
                    if any(n in str(tuple(row)) for row in rows for n in needles):
                        found.append(table)
                return found
        finally:
            await db.dispose()

    return asyncio.run(scan())


@pytest.fixture
def stack(tmp_path_factory):
    stack = start_stack(tmp_path_factory.mktemp("vergeten"), list(SERVICES))
    yield stack
    stack.close()
    stack.collector.close()


DAGBESTEDING = {"soort": "dagbesteding-gestart", "datum": "2026-01-05", "indicatie": "wmo", "geldigTot": "2027-06-30"}


def test_a_person_who_left_is_forgotten_by_every_service_and_a_sleeping_advice_is_kept(stack):
    bsn, buur = builders.bsn("GM0363"), builders.bsn("GM0363")
    uitkering_id = open_case(stack, bsn)
    assert deliver(stack, [aangifte(bsn, "2026-09-01", "2026-09-30")]).status_code == 201
    eventually(lambda: "2026-09" in months(stack, bsn))
    with stack.client("decisions", Rol.municipality) as decisions:
        beeindigd = decisions.post(
            f"/uitkeringen/{uitkering_id}/_beeindig", json={"einddatum": "2026-10-31", "reden": "werk"}
        )
        assert beeindigd.status_code == 200
    with stack.client("registration", Rol.municipality) as registration:
        vroeg = {"bsn": bsn, "soort": "dagbesteding-beeindigd", "datum": "2026-08-31"}  # reported in error
        for pad, feit in (
            ("/mutaties", {**DAGBESTEDING, "bsn": bsn}),
            ("/mutaties", vroeg),
            ("/mutaties/_intrekken", vroeg),
            ("/mutaties", {"bsn": bsn, "soort": "dagbesteding-beeindigd", "datum": "2026-09-30"}),
        ):
            assert registration.post(pad, json=feit).status_code == (200 if "_intrekken" in pad else 201), feit
    with stack.client("registration", Rol.uwv) as uwv:
        for feit in (
            {
                "bsn": buur,
                "soort": "advies-aangevraagd",
                "datum": "2026-01-05",
                "aanvrager": "gemeente",
                "gemeentecode": "GM0363",
            },
            {
                "bsn": buur,
                "soort": "advies-uitgebracht",
                "datum": "2026-03-02",
                "uitkomst": "positief",
                "gemeentecode": "GM0363",
            },
            {
                "bsn": buur,
                "soort": "doelgroepregistratie-gestart",
                "datum": "2026-04-01",
                "grond": "participatiewet",
                "gemeentecode": "GM0363",
            },
        ):
            assert uwv.post("/mutaties", json=feit).status_code == 201, feit
    with stack.client("reapplication", Rol.municipality) as reapplication:
        eventually(lambda: reapplication.post("/heraanvraagtermijnen/_zoek", json={"bsn": bsn}).json()["openTermijn"])

    persoon = bsn, pseudonym(bsn)
    for name in SERVICES:
        assert eventually(lambda name=name: mentions(stack, name, *persoon)), (
            f"{name} knows the person (the test bites)"
        )

    for name in SERVICES:  # years on: a new day of the service's clock, so each retention job runs as it starts
        stack.services[name].stop()
        stack.start(name, SCHAKEL_TODAY=LATER)

    def remembered() -> dict[str, list[str]]:
        return {name: tables for name in SERVICES if (tables := mentions(stack, name, *persoon))}

    try:
        eventually(lambda: not remembered())
    except AssertionError:
        raise AssertionError(f"still held: {remembered()}") from None
    assert mentions(stack, "registration", buur), "the sleeping advice is the neighbour's way back"

"""The payment calendar's SQL adapter on a migrated database: the dated policy, the cases still
without an advance for a month, and the first settlement of each month from the case history."""

from dataclasses import replace
from datetime import date, timedelta

from decisions.domain.kalender import Voorschotbeleid
from decisions.domain.situatie import Huishouden, Situatie
from decisions.entrypoints import consumers
from decisions.service import kalender, uitkeringen, verrekeningen
from decisions.tests.opslag import sql_ports
from schakel.caller import Caller, Rol
from schakel.primitives import Maand
from tests.support.events import maandinkomen, received

AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
START = date(2026, 9, 1)


async def test_the_sql_calendar_keeps_policies_proposals_and_first_settlements(tmp_path):
    db, p = await sql_ports(tmp_path, date(2026, 11, 2))
    try:
        ids = [
            (
                await uitkeringen.open_uitkering(
                    p, AMSTERDAM, bsn, date(1990, 5, 1), START, Situatie(START, Huishouden.alleenstaand)
                )
            ).uitkering.uitkering_id
            for bsn in ("999993653", "999990019")
        ]
        await verrekeningen.betaal(p, AMSTERDAM, ids[1], Maand(2026, 11), 100_000)
        later = Voorschotbeleid(date(2026, 12, 1), percentage=95)
        for versie in (later, Voorschotbeleid(date(2026, 10, 1)), replace(later, maanden=6)):
            await kalender.zet_beleid(p, AMSTERDAM, versie)
        assert await kalender.beleid(p, AMSTERDAM) == [Voorschotbeleid(date(2026, 10, 1)), replace(later, maanden=6)]

        async with p.uow() as uow:
            assert await uow.kalender.zonder_voorschot(Maand(2026, 11)) == [ids[0]], "the other is paid"
        assert await kalender.stel_voorschotten_voor(p) == 1
        assert await kalender.stel_voorschotten_voor(p) == 0
        async with p.uow() as uow:
            assert await uow.kalender.zonder_voorschot(Maand(2026, 11)) == []
            assert list(await uow.kalender.voorgesteld(ids[0])) == [Maand(2026, 11)]

        await consumers.on_maandinkomens(lambda conn: p).handle(
            None, [received("p-999993653", maandinkomen("999993653", "2026-09", 60_000))]
        )
        async with p.uow() as uow:
            vandaag = p.clock.today()
            eerste = ("GM0363", Maand(2026, 9), vandaag, 1)
            assert await uow.kalender.eerste_verrekeningen("GM0363") == [eerste]
            assert await uow.kalender.eerste_verrekeningen(None, vandaag, vandaag) == [eerste]
            assert await uow.kalender.eerste_verrekeningen(None, vandaag + timedelta(days=1)) == []
            assert await uow.kalender.eerste_verrekeningen(None, None, vandaag - timedelta(days=1)) == []
            assert await uow.kalender.eerste_verrekeningen("GM0599") == []
    finally:
        await db.dispose()

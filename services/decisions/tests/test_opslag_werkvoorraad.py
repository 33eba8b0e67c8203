"""The worklist on a migrated database (SQLite, or PostgreSQL when SCHAKEL_TEST_POSTGRES_URL names a
server): each municipality reads its own waiting months, longest waiting first, page by page after a
position (its time read back as stored); a month whose reason changes keeps since when it waits; a
month settled leaves it, and so does a forgotten person's case."""

from dataclasses import replace
from datetime import date, timedelta

import sqlalchemy as sa

from decisions.adapters.tables import uitkeringen as uitkeringen_tabel
from decisions.adapters.tables import werkvoorraad as werkvoorraad_tabel
from decisions.domain.inkomen import Oordeel
from decisions.domain.situatie import Huishouden, Situatie
from decisions.entrypoints import consumers
from decisions.service import uitkeringen, werkvoorraad
from decisions.tests.opslag import sql_ports
from decisions.tests.test_service import AMSTERDAM, GEBOREN, ROTTERDAM, START
from schakel import logboek
from schakel.clock import FixedClock
from tests.support.builders import bsn
from tests.support.events import maandinkomen, received
from tests.support.fakes import FakeBrp

VANDAAG = date(2026, 11, 2)
ANDERE_WERKGEVER = "111111110L01"


def klok(dagen: int) -> FixedClock:
    return FixedClock(VANDAAG + timedelta(days=dagen))


async def binnen(p, wie: str, maand: str, tweede: bool = False) -> None:
    """Income of an unknown kind for the month (from a second relationship too, when `tweede`)."""
    inkomen = maandinkomen(wie, maand, 50000, soort="onbekend")
    if tweede:
        extra = inkomen.bijdragen[0].model_copy(
            update={"loonheffingennummer": ANDERE_WERKGEVER, "inkomstenverhouding": 2}
        )
        bedragen = inkomen.huidige.model_copy(update={"nettoInkomen": 100000, "onbekendInkomen": 100000})
        inkomen = inkomen.model_copy(update={"bijdragen": [*inkomen.bijdragen, extra], "huidige": bedragen})
    await consumers.on_maandinkomens(lambda conn: p).handle(None, [received(p.pseudonym(wie), inkomen)])


async def test_each_municipality_pages_through_its_own_worklist_and_a_settled_month_leaves_it(tmp_path):
    db, p = await sql_ports(tmp_path, VANDAAG)
    personen = [bsn() for _ in range(4)]
    p = replace(p, brp=FakeBrp({personen[3]: "GM0599"}))
    try:
        zaken = []
        for dag, (wie, gemeente) in enumerate(zip(personen, [AMSTERDAM] * 3 + [ROTTERDAM], strict=True)):
            q = replace(p, clock=klok(dag))
            alleen = Situatie(START, Huishouden.alleenstaand)
            zaken.append((await uitkeringen.open_uitkering(q, gemeente, wie, GEBOREN, START, alleen)).uitkering)
            await binnen(q, wie, "2026-02")
            await binnen(q, wie, "2026-03")

        alle = await werkvoorraad.lijst(p, AMSTERDAM, None, None, 100)
        assert [(w.uitkering_id, str(w.maand)) for w in alle] == [
            (z.uitkering_id, m) for z in zaken[:3] for m in ("2026-02", "2026-03")
        ]
        assert alle[0].sinds == klok(0).now() and alle[-1].sinds == klok(2).now()
        gelezen, na = [], None
        for _ in alle:
            pagina = await werkvoorraad.lijst(p, AMSTERDAM, "inkomstensoort", na, 1)
            gelezen, na = gelezen + pagina, pagina[-1].positie
        assert gelezen == alle and await werkvoorraad.lijst(p, AMSTERDAM, "inkomstensoort", na, 1) == []
        assert await werkvoorraad.lijst(p, AMSTERDAM, "partner", None, 100) == []
        [rotterdam_feb, _] = await werkvoorraad.lijst(p, ROTTERDAM, None, None, 100)
        # whose months a page shows is on record, though it names no BSN: not the month read beyond it
        verwerking = logboek.Verwerking("decisions", p.pseudonym, AMSTERDAM.oin, {"lees": "x"}, naam="lees")
        with logboek.binnen(verwerking):
            await werkvoorraad.lijst(p, AMSTERDAM, None, None, 4, getoond=3)
        assert list(verwerking.betrokkenen) == [p.pseudonym(personen[0]), p.pseudonym(personen[1])]
        assert rotterdam_feb.uitkering_id == zaken[3].uitkering_id

        # a second relationship of an unknown kind in February: the reason names both, since as before
        later = replace(p, clock=klok(9))
        await binnen(later, personen[0], "2026-02", tweede=True)
        februari = (await werkvoorraad.lijst(p, AMSTERDAM, None, None, 1))[0]
        assert (februari.sinds, str(februari.maand)) == (alle[0].sinds, "2026-02")
        assert februari.inkomstenverhoudingen == (("123456782L01", 1), (ANDERE_WERKGEVER, 2))
        assert ANDERE_WERKGEVER in februari.reden and ANDERE_WERKGEVER not in alle[0].reden

        # judged: the first case's months settle and leave; the forgotten person's leave with their case
        for verhouding in (("123456782L01", 1), (ANDERE_WERKGEVER, 2)):
            oordeel = Oordeel(*verhouding, "arbeid", "loon")
            await uitkeringen.beoordeel_inkomstensoort(later, AMSTERDAM, zaken[0].uitkering_id, oordeel)
        async with p.uow() as uow:
            await uow.bewaring.vergeet([p.pseudonym(personen[1])])
        rest = await werkvoorraad.lijst(p, AMSTERDAM, None, None, 100)
        assert {w.uitkering_id for w in rest} == {zaken[2].uitkering_id}

        # a case forgotten by an instance that did not know the worklist left its months: the retention's
        # loose round takes them
        async with db.engine.begin() as conn:
            await conn.execute(
                uitkeringen_tabel.delete().where(uitkeringen_tabel.c.uitkering_id == zaken[2].uitkering_id)
            )
        async with p.uow() as uow:
            assert await uow.bewaring.vergeet_los(VANDAAG) >= 2
        async with db.engine.begin() as conn:
            assert (await conn.execute(sa.select(sa.func.count()).select_from(werkvoorraad_tabel))).scalar() == 2
    finally:
        await db.dispose()

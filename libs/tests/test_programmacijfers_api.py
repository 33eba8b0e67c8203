"""The one `GET /programmacijfers` every service mounts (schakel.api.programmacijfers.router): a
municipality and the operator read, others are refused, the period is checked, the service's figures
come back in the shared shape, and a quarter's figures are fixed when first asked, with what the
secondary suppression withheld, and a municipality reads its part of them (on a real database:
SQLite, or PostgreSQL with SCHAKEL_TEST_POSTGRES_URL)."""

import asyncio
import uuid
from datetime import date
from types import SimpleNamespace

import httpx
import pytest

from schakel.api import Authenticator, Rol, create_app
from schakel.api import programmacijfers as cijfers
from schakel.clock import FixedClock
from schakel.persistence import Database
from schakel.persistence.programmacijfers import VastgesteldeCijfers, metadata
from schakel.primitives.cijfers import Cijfer, Periode, aandeel, aantal
from tests.support.stack import new_database_url

DERDE_KWARTAAL = {"van": "2026-07-01", "tot": "2026-09-30"}
PERIODE = Periode(date(2026, 7, 1), date(2026, 9, 30))
# what the service's use case answers now: the country and two municipalities, one of them withheld
LAND = {None: [aantal("n", 34)], "GM0001": [aantal("n", 4)], "GM0002": [aantal("n", 30)]}
NOG_NIET = Cijfer("terugInBijstandBinnen12Maanden", None, None, "nog-niet-meetbaar")


async def lees(ports, periode, gemeente):
    ports.gelezen.append((gemeente, periode))
    return ports.land if gemeente is None else {gemeente: ports.eigen}


@pytest.fixture
async def maak(tmp_path):
    databases = []

    async def app(groepen=()):
        db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"cijfers-{uuid.uuid4().hex[:8]}"))
        databases.append(db)
        async with db.transaction() as conn:
            await conn.run_sync(metadata.create_all)
        app = create_app(
            title="t",
            version="1.2.3",
            description="d",
            routers=[cijfers.router(lees, "terugval.", cijfers.voorbeeld(("x", 0.5, 10, None)), groepen)],
        )
        app.state.authenticator = Authenticator(audience="a", issuer="i", secret="x" * 32)
        app.state.ports = SimpleNamespace(clock=FixedClock(date(2026, 11, 30)), land=LAND, eigen=[NOG_NIET], gelezen=[])
        app.state.programmacijfers = VastgesteldeCijfers(db)
        return app

    yield app
    for db in databases:
        await db.dispose()


@pytest.fixture
async def app(maak):
    return await maak()


def client(app, rol: Rol, gemeente: str | None = None) -> httpx.AsyncClient:
    token = app.state.authenticator.issue(oin="00000001003214345000", rol=rol, gemeente=gemeente)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1", headers={"Authorization": f"Bearer {token}"}
    )


async def vraag(app, rol: Rol, gemeente: str | None = None) -> dict:
    async with client(app, rol, gemeente) as c:
        response = await c.get("/programmacijfers", params=DERDE_KWARTAAL)
    assert response.status_code == 200, response.text
    return response.json()


def per_gemeente(antwoord: dict) -> list[tuple]:
    return [(e["gemeentecode"], [(c["aantal"], c["reden"]) for c in e["cijfers"]]) for e in antwoord["eenheden"]]


async def test_a_municipality_without_figures_in_the_country_reads_its_own_in_the_shared_shape(app):
    assert await vraag(app, Rol.municipality, "GM0363") == {
        "van": "2026-07-01",
        "tot": "2026-09-30",
        "drempel": 10,
        "afronding": 5,
        "vastgesteldOp": "2026-11-30",
        "eenheden": [
            {
                "gemeentecode": "GM0363",
                "cijfers": [
                    {
                        "naam": "terugInBijstandBinnen12Maanden",
                        "waarde": None,
                        "aantal": None,
                        "reden": "nog-niet-meetbaar",
                    }
                ],
            }
        ],
    }
    assert app.state.ports.gelezen == [(None, PERIODE), ("GM0363", PERIODE)], "the country is fixed first"
    operation = app.openapi()["paths"]["/programmacijfers"]["get"]
    assert operation["operationId"] == "leesProgrammacijfers" and operation["summary"].endswith("Hier: terugval.")


async def test_a_municipality_reads_its_part_of_the_country_as_the_operator_sees_it(app):
    """One publication: a municipality's own figure, shown beside a withheld one while the operator's
    answer withholds it, would give the withheld one by difference to whoever holds both."""
    landelijk = await vraag(app, Rol.operator)
    # the country less GM0002 would give GM0001's 4: GM0002 is withheld beside it
    assert per_gemeente(landelijk) == [
        (None, [(35, None)]),
        ("GM0001", [(None, "minder-dan-drempel")]),
        ("GM0002", [(None, "aanvullend-onderdrukt")]),
    ]
    eigen = await vraag(app, Rol.municipality, "GM0002")
    assert per_gemeente(eigen) == [("GM0002", [(None, "aanvullend-onderdrukt")])]
    assert eigen["vastgesteldOp"] == landelijk["vastgesteldOp"]
    assert app.state.ports.gelezen == [(None, PERIODE)], "read once, for the country"


async def test_only_municipalities_and_the_operator_read_and_a_period_is_a_quarter_whose_figures_came(app):
    async with client(app, Rol.operator) as c:
        for van, tot, veld, code in [
            ("2026-11-30", "2026-01-01", "tot", "periode-ongeldig"),
            ("2026-01-01", "2026-03-30", "tot", "periode-ongeldig"),
            ("2026-07-01", "2026-07-31", "tot", "periode-ongeldig"),
            ("2026-02-01", "2026-04-30", "van", "periode-ongeldig"),
            ("2026-10-01", "2026-12-31", "tot", "periode-lopend"),
        ]:
            geweigerd = await c.get("/programmacijfers", params={"van": van, "tot": tot})
            assert geweigerd.status_code == 422, (van, tot)
            assert geweigerd.json()["code"] == code and geweigerd.json()["invalidParams"][0]["name"] == veld
        assert (await c.get("/programmacijfers", params={"van": "2026-01-01"})).status_code == 400
        app.state.ports.clock = FixedClock(date(2026, 10, 31))  # the third quarter comes on 1 November
        vroeg = await c.get("/programmacijfers", params=DERDE_KWARTAAL)
        assert vroeg.status_code == 422 and vroeg.json()["code"] == "periode-lopend"
    assert app.state.ports.gelezen == [], "nothing computed, nothing fixed"
    async with client(app, Rol.uwv) as c:
        assert (await c.get("/programmacijfers", params=DERDE_KWARTAAL)).status_code == 403


async def test_a_quarter_is_fixed_when_first_asked_and_a_figure_withheld_for_a_while_when_it_comes(app):
    """A corrected end or a backdated case changes what the service counts now; asked again, the
    quarter gives what it gave, so the difference cannot show that person. Only a figure that was not
    yet measurable is computed anew, and fixed once it is."""
    poorten = app.state.ports
    eerst = await vraag(app, Rol.operator)
    poorten.clock = FixedClock(date(2026, 12, 15))
    poorten.land = {None: [aantal("n", 35)], "GM0001": [aantal("n", 5)], "GM0002": [aantal("n", 30)]}
    poorten.land |= {"GM0003": [aantal("n", 20)]}
    assert await vraag(app, Rol.operator) == eerst and eerst["vastgesteldOp"] == "2026-11-30"
    # without figures when the country was fixed: its own, fixed on its first ask
    eigen = await vraag(app, Rol.municipality, "GM0003")
    assert (eigen["vastgesteldOp"], per_gemeente(eigen)) == ("2026-12-15", [("GM0003", [(None, "nog-niet-meetbaar")])])
    assert poorten.gelezen == [(None, PERIODE), ("GM0003", PERIODE)], "the country is not read again"
    poorten.clock = FixedClock(date(2027, 8, 1))
    poorten.eigen = [Cijfer(NOG_NIET.naam, 0.5, 20, None, (10, 10)), aantal("later", 40)]
    nu = await vraag(app, Rol.municipality, "GM0003")
    assert nu["vastgesteldOp"] == "2026-12-15", "the day the quarter was first fixed"
    assert nu["eenheden"][0]["cijfers"] == [{"naam": NOG_NIET.naam, "waarde": 0.5, "aantal": 20, "reden": None}], (
        "the measurable figure comes; a figure not there when the quarter was fixed does not"
    )
    poorten.eigen = [Cijfer(NOG_NIET.naam, 0.4, 25, None, (10, 15))]
    assert await vraag(app, Rol.municipality, "GM0003") == nu, "and is fixed"
    assert poorten.gelezen[2:] == [("GM0003", PERIODE)], "once more, to complete it"


async def test_what_was_withheld_beside_the_country_stays_withheld_when_a_figure_comes_later(maak):
    """The review's attack on registration: the place counts fixed, the realisation computed anew until
    the minister's numbers come. A place recorded late in GM0001 raises its base above GM0002's;
    chosen afresh, GM0002 would be withheld instead of GM0001, and the two answers together would give
    GM0003's 5."""
    app = await maak([("n", "r")])

    def land(r1: int) -> dict:
        r = [Cijfer("r", None, None, "geen-taakstelling", (p,)) for p in (30, r1, 13, 5)]
        n = [aantal("n", p) for p in (30, 12, 13, 5)]
        return dict(zip([None, "GM0001", "GM0002", "GM0003"], ([a, b] for a, b in zip(n, r, strict=True)), strict=True))

    app.state.ports.land = land(12)
    eerst = await vraag(app, Rol.operator)
    assert [g for g, cs in per_gemeente(eerst) if (None, "aanvullend-onderdrukt") in cs] == ["GM0001"]
    app.state.ports.land = land(14)
    assert await vraag(app, Rol.operator) == eerst
    assert len(app.state.ports.gelezen) == 1, "a national count: looked at once a day"
    app.state.ports.clock = FixedClock(date(2026, 12, 1))
    assert await vraag(app, Rol.operator) == eerst
    assert len(app.state.ports.gelezen) == 2, "computed again the next day: the realisation is still to come"


async def test_instances_answering_the_first_ask_at_once_fix_one_answer(app):
    """Every instance stores its figures only if none are stored (or completed) since it read: the
    other's are then the quarter's, and both answer them."""
    opslag: VastgesteldeCijfers = app.state.programmacijfers
    van, weg = date(2026, 7, 1), frozenset({("GM0002", "n")})
    een, twee = {None: [aantal("n", 34)]}, {None: [aantal("n", 35)]}
    eerste = await opslag.leg_vast(van, "", een, weg, date(2026, 11, 30), None)
    assert await opslag.leg_vast(van, "", twee, frozenset(), date(2026, 11, 30), None) == eerste
    assert (await opslag.lees(van, "")).eenheden == een and eerste.versie == 1
    assert (await opslag.lees(van, "")).weg == weg
    assert (await opslag.lees(van, "")).eenheden[None][0].delen == (), "all came: the exact sizes are not kept"
    # completing a figure withheld for a while: only against the version read
    wacht = {None: [NOG_NIET, aantal("n", 4)]}
    basis = await opslag.leg_vast(van, "GM0001", wacht, frozenset(), date(2026, 11, 30), None)
    assert (await opslag.lees(van, "GM0001")).eenheden[None][1].delen == (4,), "kept while a figure is to come"
    af = await opslag.leg_vast(van, "GM0001", een, weg, date(2027, 8, 1), basis)
    assert (af.versie, af.op) == (2, date(2026, 11, 30))
    assert await opslag.leg_vast(van, "GM0001", twee, frozenset(), date(2027, 8, 1), basis) == af, "completed first"
    assert (await opslag.lees(van, "GM0001")).eenheden == een


async def test_a_municipalitys_figure_comes_with_the_countrys_not_before(maak):
    """The second review's attack: GM0001's leavers all left in July, so its fall-back share could be
    counted two months before the country's. Shown then, and taken along beside GM0003's small group
    once the country's came, the earlier answer would have given GM0003's few by difference."""
    app = await maak([("n", "s")])
    nog_niet = Cijfer("s", None, None, "nog-niet-meetbaar")

    def land(*s: Cijfer) -> dict:
        n = [aantal("n", p) for p in (75, 20, 30, 25)]
        return dict(zip([None, "GM0001", "GM0002", "GM0003"], ([a, b] for a, b in zip(n, s, strict=True)), strict=True))

    app.state.ports.land = land(nog_niet, aandeel("s", 10, 20), nog_niet, nog_niet)
    eerst = await vraag(app, Rol.operator)
    assert per_gemeente(eerst)[1] == ("GM0001", [(20, None), (None, "nog-niet-meetbaar")]), "it waits for the country"
    app.state.ports.land = land(aandeel("s", 25, 75), aandeel("s", 10, 20), aandeel("s", 15, 30), aandeel("s", 0, 25))
    app.state.ports.clock = FixedClock(date(2027, 11, 1))
    daarna = await vraag(app, Rol.operator)
    assert daarna["vastgesteldOp"] == eerst["vastgesteldOp"]
    getoond = {
        (e["gemeentecode"], c["naam"]) for e in daarna["eenheden"] for c in e["cijfers"] if c["waarde"] is not None
    }
    assert (None, "s") in getoond and ("GM0003", "s") not in getoond
    # the country less the shown ones leaves the withheld ones' returns together: ten or more
    terug = 25 - sum(p for g, p in (("GM0001", 10), ("GM0002", 15)) if (g, "s") in getoond)
    assert terug >= 10

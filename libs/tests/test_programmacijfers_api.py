"""The one `GET /programmacijfers` every service mounts (schakel.api.programmacijfers.router): a
municipality and the operator read, others are refused, the period is checked, the service's figures
come back in the shared shape, and a quarter's figures are fixed per reader when first asked (on a
real database: SQLite, or PostgreSQL with SCHAKEL_TEST_POSTGRES_URL)."""

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
from schakel.primitives.cijfers import Cijfer, Periode, aantal
from tests.support.stack import new_database_url

gelezen: list = []
DERDE_KWARTAAL = {"van": "2026-07-01", "tot": "2026-09-30"}
# what the service's use case answers now: the country and two municipalities, one of them withheld
OPERATOR = {None: [aantal("n", 34)], "GM0001": [aantal("n", 4)], "GM0002": [aantal("n", 30)]}
NOG_NIET = Cijfer("terugInBijstandBinnen12Maanden", None, None, "nog-niet-meetbaar")


async def lees(ports, caller, periode):
    gelezen.append((caller.rol, caller.gemeente, periode))
    return ports.antwoord if caller.rol is Rol.operator else {caller.gemeente: ports.eigen}


@pytest.fixture
async def app(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"cijfers-{uuid.uuid4().hex[:8]}"))
    async with db.transaction() as conn:
        await conn.run_sync(metadata.create_all)
    app = create_app(
        title="t",
        version="1.2.3",
        description="d",
        routers=[cijfers.router(lees, "terugval.", cijfers.voorbeeld(("x", 0.5, 10, None)))],
    )
    app.state.authenticator = Authenticator(audience="a", issuer="i", secret="x" * 32)
    app.state.ports = SimpleNamespace(clock=FixedClock(date(2026, 11, 30)), antwoord=OPERATOR, eigen=[NOG_NIET])
    app.state.programmacijfers = VastgesteldeCijfers(db)
    gelezen.clear()
    yield app
    await db.dispose()


def client(app, rol: Rol, gemeente: str | None = None) -> httpx.AsyncClient:
    token = app.state.authenticator.issue(oin="00000001003214345000", rol=rol, gemeente=gemeente)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1", headers={"Authorization": f"Bearer {token}"}
    )


async def test_a_municipality_reads_its_figures_in_the_shared_shape(app):
    async with client(app, Rol.municipality, "GM0363") as c:
        response = await c.get("/programmacijfers", params=DERDE_KWARTAAL)
    assert response.status_code == 200
    assert response.json() == {
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
    assert gelezen == [(Rol.municipality, "GM0363", Periode(date(2026, 7, 1), date(2026, 9, 30)))]
    operation = app.openapi()["paths"]["/programmacijfers"]["get"]
    assert operation["operationId"] == "leesProgrammacijfers" and operation["summary"].endswith("Hier: terugval.")


async def test_only_municipalities_and_the_operator_read_and_a_period_is_an_ended_calendar_quarter(app):
    async with client(app, Rol.operator) as c:
        landelijk = await c.get("/programmacijfers", params=DERDE_KWARTAAL)
        assert landelijk.status_code == 200
        # the country less GM0002 would give GM0001's 4: GM0002 is withheld beside it
        assert [
            (e["gemeentecode"], e["cijfers"][0]["aantal"], e["cijfers"][0]["reden"])
            for e in landelijk.json()["eenheden"]
        ] == [(None, 35, None), ("GM0001", None, "minder-dan-drempel"), ("GM0002", None, "aanvullend-onderdrukt")]
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
    async with client(app, Rol.uwv) as c:
        assert (await c.get("/programmacijfers", params=DERDE_KWARTAAL)).status_code == 403


async def test_a_quarter_is_fixed_per_reader_when_first_asked_and_a_figure_withheld_for_a_while_when_it_comes(app):
    """A corrected end or a backdated case changes what the service counts now; asked again, the
    quarter gives what it gave, so the difference cannot show that person. Only a figure that was not
    yet measurable is computed anew, and fixed once it is."""
    poorten = app.state.ports
    async with client(app, Rol.operator) as c:
        eerst = (await c.get("/programmacijfers", params=DERDE_KWARTAAL)).json()
        poorten.clock = FixedClock(date(2026, 12, 15))
        poorten.antwoord = {None: [aantal("n", 35)], "GM0001": [aantal("n", 5)], "GM0002": [aantal("n", 30)]}
        poorten.antwoord |= {"GM0003": [aantal("n", 20)]}
        assert (await c.get("/programmacijfers", params=DERDE_KWARTAAL)).json() == eerst
        assert eerst["vastgesteldOp"] == "2026-11-30"
    assert [rol for rol, *_ in gelezen] == [Rol.operator], "fixed: the service is not asked again"
    async with client(app, Rol.municipality, "GM0001") as c:  # a reader of its own: fixed on its first ask
        eigen = (await c.get("/programmacijfers", params=DERDE_KWARTAAL)).json()
        assert (
            eigen["vastgesteldOp"] == "2026-12-15"
            and eigen["eenheden"][0]["cijfers"][0]["reden"] == "nog-niet-meetbaar"
        )
        poorten.clock = FixedClock(date(2027, 8, 1))
        poorten.eigen = [Cijfer("terugInBijstandBinnen12Maanden", 0.5, 20, None, (10, 10)), aantal("later", 40)]
        nu = (await c.get("/programmacijfers", params=DERDE_KWARTAAL)).json()
        assert nu["vastgesteldOp"] == "2026-12-15", "the day the quarter was first fixed"
        assert nu["eenheden"][0]["cijfers"] == [
            {"naam": "terugInBijstandBinnen12Maanden", "waarde": 0.5, "aantal": 20, "reden": None}
        ], "the measurable figure comes; a figure not there when the quarter was fixed does not"
        poorten.eigen = [Cijfer("terugInBijstandBinnen12Maanden", 0.4, 25, None, (10, 15))]
        assert (await c.get("/programmacijfers", params=DERDE_KWARTAAL)).json() == nu, "and is fixed"
    assert [rol for rol, *_ in gelezen] == [Rol.operator, Rol.municipality, Rol.municipality]


async def test_instances_answering_the_first_ask_at_once_fix_one_answer(app):
    """Every instance stores its figures only if none are stored (or completed) since it read: the
    other's are then the quarter's, and both answer them."""
    opslag: VastgesteldeCijfers = app.state.programmacijfers
    van = date(2026, 7, 1)
    een, twee = {None: [aantal("n", 34)]}, {None: [aantal("n", 35)]}
    eerste = await opslag.leg_vast(van, "", een, date(2026, 11, 30), None)
    assert await opslag.leg_vast(van, "", twee, date(2026, 11, 30), None) == eerste
    assert (await opslag.lees(van, "")).eenheden == een and eerste.versie == 1
    # completing a figure withheld for a while: only against the version read
    voorlopig = {None: [NOG_NIET]}
    basis = await opslag.leg_vast(van, "GM0001", voorlopig, date(2026, 11, 30), None)
    af = await opslag.leg_vast(van, "GM0001", een, date(2027, 8, 1), basis)
    assert (af.versie, af.op) == (2, date(2026, 11, 30))
    assert await opslag.leg_vast(van, "GM0001", twee, date(2027, 8, 1), basis) == af, "the other completed it first"
    assert (await opslag.lees(van, "GM0001")).eenheden == een

"""The one `GET /programmacijfers` every service mounts (schakel.api.programmacijfers.router): a
municipality and the operator read, others are refused, the period is checked, and the service's
figures come back in the shared shape."""

from datetime import date
from types import SimpleNamespace

import httpx
import pytest

from schakel.api import Authenticator, Rol, create_app
from schakel.api import programmacijfers as cijfers
from schakel.clock import FixedClock
from schakel.primitives.cijfers import Cijfer, Periode, aantal

gelezen: list = []
POORTEN = SimpleNamespace(clock=FixedClock(date(2026, 11, 30)))
DERDE_KWARTAAL = {"van": "2026-07-01", "tot": "2026-09-30"}


async def lees(ports, caller, periode):
    gelezen.append((ports, caller.rol, caller.gemeente, periode))
    if caller.rol is Rol.operator:  # the country and two municipalities, one of them withheld
        return {None: [aantal("n", 34)], "GM0001": [aantal("n", 4)], "GM0002": [aantal("n", 30)]}
    return {caller.gemeente: [Cijfer("terugInBijstandBinnen12Maanden", None, None, "nog-niet-meetbaar")]}


@pytest.fixture
def app():
    app = create_app(
        title="t",
        version="1.2.3",
        description="d",
        routers=[cijfers.router(lees, "terugval.", cijfers.voorbeeld(("x", 0.5, 10, None)))],
    )
    app.state.authenticator = Authenticator(audience="a", issuer="i", secret="x" * 32)
    app.state.ports = POORTEN
    return app


def client(app, rol: Rol, gemeente: str | None = None) -> httpx.AsyncClient:
    token = app.state.authenticator.issue(oin="00000001003214345000", rol=rol, gemeente=gemeente)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1", headers={"Authorization": f"Bearer {token}"}
    )


async def test_a_municipality_reads_its_figures_in_the_shared_shape(app):
    gelezen.clear()
    async with client(app, Rol.municipality, "GM0363") as c:
        response = await c.get("/programmacijfers", params=DERDE_KWARTAAL)
    assert response.status_code == 200
    assert response.json() == {
        "van": "2026-07-01",
        "tot": "2026-09-30",
        "drempel": 10,
        "afronding": 5,
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
    assert gelezen == [(POORTEN, Rol.municipality, "GM0363", Periode(date(2026, 7, 1), date(2026, 9, 30)))]
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

"""The app factory's conventions, on a small app of its own."""

from datetime import UTC, datetime
from typing import Annotated, Literal

import httpx
import pytest
from fastapi import Depends, Query
from pydantic import AwareDatetime, Field, TypeAdapter, ValidationError
from sqlalchemy.exc import DBAPIError

from schakel.api import Authenticator, Principal, Rol, create_app, requires
from schakel.api.router import Router
from schakel.api.types import ALS_MOMENT, BsnVeld, Datum, Model, Moment

router = Router()


class Invoer(Model):
    bsn: BsnVeld
    datum: Datum


@router.post("/dingen", operation_id="maakDing")
async def maak(body: Invoer, principal: Annotated[Principal, Depends(requires(Rol.uwv))]) -> dict:
    return {"ok": True}


class Begin(Model):
    soort: Literal["begin"]


class Einde(Model):
    soort: Literal["einde"]


@router.post("/meldingen", operation_id="meld")
async def meld(
    body: Annotated[Begin | Einde, Field(discriminator="soort")],
    principal: Annotated[Principal, Depends(requires(Rol.uwv))],
) -> dict:
    return {"ok": True}


@router.get("/dingen", operation_id="leesDingen")
async def lees(
    principal: Annotated[Principal, Depends(requires(Rol.uwv))], pagina: Annotated[int, Query(ge=1)] = 1
) -> dict:
    if pagina == 13:
        raise RuntimeError(f"boom with {'999' * 2}653")  # as a database error can quote a BSN
    if pagina == 14:
        raise DBAPIError("SELECT …", None, Deadlock(f"deadlock over {'999' * 2}653"))
    return {"pagina": pagina}


class Deadlock(Exception):
    sqlstate = "40P01"  # as the driver reports a transaction PostgreSQL rolled back to break a deadlock


async def broken_check() -> None:
    raise OSError("down")


@pytest.fixture
def client():
    app = create_app(title="t", version="1.2.3", description="d", routers=[router], checks={"broker": broken_check})
    app.state.authenticator = Authenticator(audience="a", issuer="i", secret="x" * 32)
    token = app.state.authenticator.issue(oin="00000001003214345000", rol=Rol.uwv)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(
        transport=transport, base_url="http://t/api/v1", headers={"Authorization": f"Bearer {token}"}
    )


async def test_validation_errors_are_400_problems_naming_each_field(client):
    response = await client.post("/dingen", json={"bsn": "123456789", "datum": "0", "extra": 1})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["API-Version"] == "1.2.3"
    problem = response.json()
    assert problem["code"] == "ongeldige-invoer"
    assert {p["name"] for p in problem["invalidParams"]} == {"bsn", "datum", "extra"}
    assert "123456789" not in response.text, "the input is never echoed"


def test_a_moment_is_read_only_in_the_contract_s_form_never_as_a_unix_time():
    moment = TypeAdapter(Annotated[AwareDatetime, ALS_MOMENT])
    assert moment.validate_python("2026-12-05T10:00:00+01:00") == datetime(2026, 12, 5, 9, tzinfo=UTC)
    for anders in (1_700_000_000, "1700000000", 1.5, True, None):
        with pytest.raises(ValidationError):
            moment.validate_python(anders)
    assert TypeAdapter(Annotated[AwareDatetime | None, ALS_MOMENT]).validate_python(None) is None


def test_a_moment_lies_within_the_years_schakel_takes_also_where_its_offset_would_carry_it_past_the_calendar():
    """0001-01-01T00:00:00+14:00 lies in year 0 in UTC: converted, as every store does, it raised (a 500)."""
    moment = TypeAdapter(Moment)
    assert moment.validate_python("2026-12-05T10:00:00+01:00") == datetime(2026, 12, 5, 9, tzinfo=UTC)
    assert moment.validate_python("2026-12-05T10:00:00+01:00").tzinfo is UTC, "as stored"
    for buiten in (
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-14:00",
        "1899-12-31T23:59:59Z",
        "2101-01-01T00:00Z",
    ):
        with pytest.raises(ValidationError, match="ligt niet tussen 1900 en 2100"):
            moment.validate_python(buiten)


async def test_a_union_told_apart_by_a_field_names_that_field_and_never_echoes_its_value(client):
    bsn = "999993653"  # typed into the wrong field
    unknown = await client.post("/meldingen", json={"soort": bsn})
    missing = await client.post("/meldingen", json={})
    assert unknown.status_code == missing.status_code == 400 and bsn not in unknown.text
    assert [(p["name"], p["reason"]) for p in unknown.json()["invalidParams"]] == [
        ("soort", "Input should be one of 'begin', 'einde'")
    ]
    assert [(p["name"], p["reason"]) for p in missing.json()["invalidParams"]] == [("soort", "Field required")]


async def test_a_query_parameter_given_twice_is_refused(client):
    response = await client.get("/dingen", params=[("pagina", "1"), ("pagina", "2")])
    assert response.status_code == 400
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [("pagina", "herhaalde-parameter")]


async def test_a_name_the_caller_chose_is_not_echoed_if_it_could_be_a_bsn(client):
    unknown = await client.get("/dingen", params={"999993653": "1"})
    extra = await client.post("/dingen", json={"bsn": "999993653", "datum": "2026-01-01", "999990019": 1})
    assert [p["name"] for p in unknown.json()["invalidParams"]] == ["*********"]
    assert [p["name"] for p in extra.json()["invalidParams"]] == ["*********"]


async def test_unknown_query_parameters_are_refused(client):
    response = await client.get("/dingen", params={"pagna": 2})
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "pagna"
    assert (await client.get("/dingen", params={"pagina": 2})).json() == {"pagina": 2}


async def test_unknown_paths_methods_and_crashes_are_problems_too(client, caplog):
    for response, status in [
        (await client.get("/nergens"), 404),
        (await client.delete("/dingen"), 405),
        (await client.get("/dingen", params={"pagina": 13}), 500),
    ]:
        assert response.status_code == status and response.headers["content-type"] == "application/problem+json"
        assert response.headers["API-Version"] == "1.2.3"
    assert "999993653" not in (await client.get("/dingen", params={"pagina": 13})).text
    assert "RuntimeError" in caplog.text and "999993653" not in caplog.text, "logged without its message"


async def test_a_path_with_a_trailing_slash_is_not_found_not_redirected(client):
    """NL API Design Rules, API-48: a trailing slash gets a 404, not a redirect to the path without it;
    without a token too (the redirect came before the token was looked at)."""
    for response in (
        await client.post("/dingen/", json={"bsn": "999993653", "datum": "2026-01-01"}),
        await client.get("/dingen/"),
        await client.get("/dingen/", headers={"Authorization": ""}),
    ):
        assert response.status_code == 404, response.status_code
        assert response.headers["content-type"] == "application/problem+json" and "location" not in response.headers


async def test_a_method_the_path_does_not_take_is_answered_with_those_it_does(client):
    """RFC 9110 15.5.6: a 405 names the methods the resource takes (every route on the path)."""
    for response in (await client.delete("/dingen"), await client.put("/dingen")):
        assert response.status_code == 405 and response.headers["Allow"] == "GET, POST"
    assert (await client.put("/meldingen")).headers["Allow"] == "POST"


async def test_a_passing_database_failure_is_a_503_to_ask_again(client, caplog):
    response = await client.get("/dingen", params={"pagina": 14})
    assert response.status_code == 503 and response.headers["content-type"] == "application/problem+json"
    assert response.headers["Retry-After"] and response.json()["code"] == "niet-beschikbaar"
    assert "999993653" not in response.text and "999993653" not in caplog.text


async def test_health_needs_no_token_and_readiness_names_what_is_down(client):
    client.headers.pop("Authorization")
    assert (await client.get("/health/live")).status_code == 200
    ready = await client.get("/health/ready")
    assert ready.status_code == 503 and "broker" in ready.json()["detail"]
    assert (await client.get("/dingen")).status_code == 401


async def test_openapi_documents_roles_errors_and_the_version_header(client):
    spec = (await client.get("/openapi.json")).json()
    assert spec["servers"] == [{"url": "/api/v1"}] and "/dingen" in spec["paths"]
    post = spec["paths"]["/dingen"]["post"]
    assert post["x-rollen"] == ["uwv"] and {"400", "401", "403", "500"} <= set(post["responses"])
    # not FastAPI's default 422 (validation errors are 400): the edge's refusal of a NUL character
    assert "HTTPValidationError" not in str(post["responses"]["422"]) and "nul-teken" in str(post["responses"]["422"])
    assert post["responses"]["200"]["headers"]["API-Version"] == {"$ref": "#/components/headers/API-Version"}

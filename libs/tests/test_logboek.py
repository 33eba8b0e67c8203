"""The processing log at the API, in process: the persons a request asks about or is answered
about are on record with the caller and the operation, a refusal too, and an answer whose record
cannot be written is a 503 that shows nothing."""

from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends

from schakel import logboek
from schakel.api import Authenticator, Principal, Rol, create_app, requires
from schakel.api.logboek import Logboek
from schakel.api.problems import standard
from schakel.api.types import BsnVeld, Model
from schakel.events import Pseudonymiser
from schakel.logboek import ERROR, OK, Verwerking

router = APIRouter()
auth = Authenticator(audience="a", issuer="i", secret="x" * 32)
GEMEENTE = auth.issue(oin="00000001002220647000", rol=Rol.municipality, gemeente="GM0363", sub="medewerker-9")
pseudonym = Pseudonymiser(b"k" * 32)
ASKED, ANSWERED = "999993653", "999990019"


class Vraag(Model):
    bsn: BsnVeld


class Antwoord(Model):
    partner: BsnVeld


@router.post("/personen/_zoek", operation_id="zoekPersoon", response_model=Antwoord)
async def zoek(vraag: Vraag, _: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    if vraag.bsn != ASKED:
        raise standard(404, "Onbekend.")
    return {"partner": ANSWERED}


class Boek:
    def __init__(self, fails: bool = False) -> None:
        self.fails, self.written = fails, []

    async def schrijf(self, verwerking: Verwerking, status: str) -> None:
        if self.fails:
            raise OSError("the database is away")
        self.written += verwerking.records(status, verwerking.open())


def client(boek: Boek) -> httpx.AsyncClient:
    activiteiten = {"zoekPersoon": "urn:schakel:verwerkingsactiviteit:test:1"}
    app = create_app(
        title="t",
        version="1",
        description="d",
        routers=[router],
        logboek=Logboek(activiteiten, lambda: Verwerking("test", pseudonym, "0" * 20, activiteiten), boek.schrijf),
    )
    app.state.authenticator = auth
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://t/api/v1",
        headers={"Authorization": f"Bearer {GEMEENTE}"},
    )


async def test_who_was_asked_about_and_answered_about_is_on_record_with_the_caller():
    boek = Boek()
    response = await client(boek).post("/personen/_zoek", json={"bsn": ASKED})
    assert response.status_code == 200
    assert [r["betrokkene"] for r in boek.written] == [pseudonym(ASKED), pseudonym(ANSWERED)]
    for record in boek.written:
        assert record["status"] == OK and record["naam"] == "zoekPersoon"
        assert record["activiteit"] == "urn:schakel:verwerkingsactiviteit:test:1"
        assert (record["organisatie"], record["gebruiker"]) == ("00000001002220647000", "medewerker-9")
        assert ASKED not in str(record) and ANSWERED not in str(record)


async def test_a_refused_lookup_is_on_record_as_an_error():
    boek = Boek()
    other = "999990123"
    assert (await client(boek).post("/personen/_zoek", json={"bsn": other})).status_code == 404
    assert [(r["betrokkene"], r["status"]) for r in boek.written] == [(pseudonym(other), ERROR)]


async def test_an_answer_that_cannot_be_put_on_record_is_not_given():
    response = await client(Boek(fails=True)).post("/personen/_zoek", json={"bsn": ASKED})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert ANSWERED not in response.text and response.json()["status"] == 503


async def test_a_request_without_personal_data_writes_nothing():
    boek = Boek()
    response = await client(boek).post("/personen/_zoek", json={"bsn": "123"})  # no valid BSN: refused unread
    assert response.status_code == 400 and boek.written == []


def test_outside_a_processing_noting_does_nothing():
    assert logboek.huidige() is None
    logboek.noteer("p")
    assert logboek.noteer_bsn(ASKED) == ASKED


@pytest.mark.parametrize("name", ["zoekPersoon"])
def test_the_contract_names_the_activity(name):
    app = client(Boek())._transport.app  # type: ignore[attr-defined]
    operation = app.openapi()["paths"]["/personen/_zoek"]["post"]
    assert operation["operationId"] == name
    assert operation["x-verwerkingsactiviteit"] == "urn:schakel:verwerkingsactiviteit:test:1"

"""Idempotency-Key on every POST that changes state, generated from the committed contracts: a
repeat with the same key gets the same answer and changes nothing, another request under the
same key is refused, a key belongs to one organisation and municipality, concurrent duplicates
apply once, and a key expires."""

import asyncio
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from schakel.api import Rol
from schakel.api.idempotency import IdempotencyStore, idempotency_keys
from schakel.persistence import Database
from tests.support import builders
from tests.support.idempotency import GEMEENTE, SCENARIOS
from tests.support.stack import OINS, eventually

pytestmark = pytest.mark.integration

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts" / "openapi"
# POSTs that only read: the BSN goes in the body, never in a URL
READ_ONLY = {
    "zoekMaandinkomens",
    "zoekLaatsteMaandinkomen",
    "zoekAangiften",
    "zoekHeraanvraagtermijn",
    "zoekDeelnamestatus",
    "zoekUitkeringen",
    "zoekHeraanvragen",
    "zoekOverdracht",
    "maakProefberekening",
    "zoekVerwerkingen",
}
# a delivery carries its own key in the body (leveringId): same answer, one change, 409 for another
# delivery under the same id (tests/test_income.py); a second key in a header could only disagree
OWN_KEY = {"leverAangiften"}


def post_operations() -> dict[str, dict]:
    return {
        op["operationId"]: op
        for contract in sorted(CONTRACTS.glob("*.yaml"))
        for path in yaml.safe_load(contract.read_text())["paths"].values()
        for method, op in path.items()
        if method == "post"
    }


def documents_the_key(operation: dict) -> bool:
    return any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))


def test_every_post_that_changes_state_documents_the_key_and_has_a_scenario():
    operations = post_operations()
    changing = set(operations) - READ_ONLY - OWN_KEY
    assert {o for o in changing if not documents_the_key(operations[o])} == set()
    assert {o for o in READ_ONLY | OWN_KEY if documents_the_key(operations[o])} == set()
    assert changing - set(SCENARIOS) == set(), "add a scenario in tests/support/idempotency.py"
    assert set(SCENARIOS) - changing == set(), "a scenario for an operation that no longer exists"


def post(stack, scenario, path: str, body: dict, key: str, gemeente: str = GEMEENTE):
    with stack.client(scenario.service, scenario.role, gemeente) as client:
        return client.post(path, json=body, headers={"Idempotency-Key": key})


@pytest.mark.parametrize("operation", sorted(SCENARIOS))
def test_a_repeat_gets_the_same_answer_and_changes_nothing(stack, operation):
    scenario = SCENARIOS[operation]
    context = scenario.prepare(stack)
    call, key = scenario.call(context), f"{operation}-{uuid.uuid4()}"

    first = post(stack, scenario, call.path, call.body, key)
    assert first.status_code < 300, first.text
    changed = scenario.state(stack, context, first.json())
    second = post(stack, scenario, call.path, call.body, key)
    other = post(stack, scenario, call.path, call.other, key)

    assert (second.status_code, second.json(), second.headers.get("location")) == (
        first.status_code,
        first.json(),
        first.headers.get("location"),
    )
    assert (other.status_code, other.json()["code"]) == (409, "idempotency-key-hergebruikt")
    assert scenario.state(stack, context, first.json()) == changed
    # a documented Location is sent, on the path the contract names
    if (
        documented := post_operations()[operation]["responses"][str(first.status_code)]
        .get("headers", {})
        .get("Location")
    ):
        template = re.search(r"`(/api/v1/[^`]+)`", documented["description"]).group(1)
        assert re.fullmatch(re.sub(r"\\{[A-Za-z]+\\}", "[^/]+", re.escape(template)), first.headers.get("location", ""))


@pytest.mark.parametrize("operation", sorted(SCENARIOS))
def test_every_remembered_answer_is_kept_encrypted(stack, operation):
    """A remembered answer often holds a BSN: a copy of the database does not show it, nor the answer."""
    scenario = SCENARIOS[operation]
    call, key = scenario.call(scenario.prepare(stack)), f"versleuteld-{uuid.uuid4()}"
    first = post(stack, scenario, call.path, call.body, key)
    assert first.status_code < 300, first.text
    stored = eventually(lambda: asyncio.run(remembered(stack, scenario.service, key)))  # stored after the answer
    assert first.content not in stored
    assert all(bsn.encode() not in stored for bsn in re.findall(r"\b[0-9]{9}\b", first.text + str(call.body)))
    assert post(stack, scenario, call.path, call.body, key).content == first.content


async def remembered(stack, service: str, key: str) -> bytes:
    db = database(stack, service)
    try:
        async with db.engine.connect() as conn:
            return (
                await conn.execute(sa.select(idempotency_keys.c.body).where(idempotency_keys.c.key == key))
            ).scalar_one_or_none()
    finally:
        await db.dispose()


def test_a_remembered_answer_holding_a_webhook_secret_is_kept_encrypted(stack):
    scenario = SCENARIOS["abonneer"]
    call, key = scenario.call(scenario.prepare(stack)), f"geheim-{uuid.uuid4()}"
    geheim = post(stack, scenario, call.path, call.body, key).json()["geheim"]
    stored = eventually(lambda: asyncio.run(remembered(stack, "decisions", key)))
    assert geheim.encode() not in stored, "a copy of the database cannot sign webhooks"
    assert post(stack, scenario, call.path, call.body, key).json()["geheim"] == geheim


def test_a_key_belongs_to_one_municipality(stack):
    scenario, key = SCENARIOS["openUitkering"], f"gedeeld-{uuid.uuid4()}"
    here, there = builders.uitkering(), builders.uitkering(builders.bsn("GM0599"))
    assert post(stack, scenario, "/uitkeringen", here, key).status_code == 201
    elsewhere = post(stack, scenario, "/uitkeringen", there, key, gemeente="GM0599")
    assert elsewhere.status_code == 201, "another municipality's key is another key"
    assert elsewhere.json()["bsn"] == there["bsn"]


def test_concurrent_duplicates_apply_once(stack):
    scenario = SCENARIOS["wijzigUitkering"]
    context = scenario.prepare(stack)
    call, key = scenario.call(context), f"gelijktijdig-{uuid.uuid4()}"
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: post(stack, scenario, call.path, call.body, key), range(8)))

    done = [a for a in answers if a.status_code == 200]
    assert done and all(a.json() == done[0].json() for a in done)
    assert {a.json()["code"] for a in answers if a.status_code != 200} <= {"idempotency-key-in-gebruik"}
    assert scenario.state(stack, context, None).count("nl.participatiewet.uitkering.gewijzigd") == 1


def database(stack, service: str) -> Database:
    return Database(stack.services[service].env[f"{service.upper()}_DATABASE_URL"])


def execute(stack, service: str, statement) -> int:
    async def run():
        db = database(stack, service)
        try:
            async with db.transaction() as conn:
                return (await conn.execute(statement)).rowcount
        finally:
            await db.dispose()

    return asyncio.run(run())


def row_of(key: str):
    c = idempotency_keys.c
    return sa.and_(c.oin == OINS[Rol.municipality], c.gemeente == GEMEENTE, c.key == key)


def set_back(stack, key: str) -> int:
    """Ages a stored key past the default 24 hours."""
    return execute(
        stack,
        "registration",
        idempotency_keys.update().where(row_of(key)).values(created_at=datetime.now(UTC) - timedelta(hours=25)),
    )


def test_an_interrupted_request_holds_its_key_until_it_expires_then_the_key_is_new(stack):
    scenario = SCENARIOS["meldMutatie"]
    context = scenario.prepare(stack)
    call, key = scenario.call(context), f"verlopen-{uuid.uuid4()}"
    assert post(stack, scenario, call.path, call.body, key).status_code == 201
    # a crash between the commit and storing the answer leaves the claim without an answer
    assert (
        execute(
            stack,
            "registration",
            idempotency_keys.update().where(row_of(key)).values(status=None, headers=None, body=None),
        )
        == 1
    )
    held = post(stack, scenario, call.path, call.body, key)
    assert (held.status_code, held.json()["code"]) == (409, "idempotency-key-in-gebruik")

    assert set_back(stack, key) == 1
    again = post(stack, scenario, call.path, call.other, key)
    assert again.status_code == 201, "an expired key counts as new"
    assert [(g["soort"], g["datum"]) for g in scenario.state(stack, context, None)["geschiedenis"]] == [
        ("dagbesteding-gestart", "2025-01-06"),
        ("dagbesteding-beeindigd", "2025-04-30"),
    ]


def test_housekeeping_forgets_expired_keys(stack):
    scenario = SCENARIOS["meldMutatie"]
    context = scenario.prepare(stack)
    call, old, new = scenario.call(context), f"oud-{uuid.uuid4()}", f"nieuw-{uuid.uuid4()}"
    assert post(stack, scenario, call.path, call.body, old).status_code == 201
    assert post(stack, scenario, call.path, call.other, new).status_code == 201
    assert set_back(stack, old) == 1

    async def purge():
        db = database(stack, "registration")
        try:
            await IdempotencyStore(db, timedelta(hours=24)).purge()
            async with db.transaction() as conn:
                return {
                    r.key
                    for r in await conn.execute(
                        sa.select(idempotency_keys.c.key).where(idempotency_keys.c.key.in_([old, new]))
                    )
                }
        finally:
            await db.dispose()

    assert asyncio.run(purge()) == {new}

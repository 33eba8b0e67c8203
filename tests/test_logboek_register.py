"""The register of processing activities (contracts/verwerkingsactiviteiten.yaml) and the contracts
hold each other: every operation and every handled event either names an activity of the register
or is listed as processing no personal data, an operation that takes or answers a BSN always names
one, and the contracts carry what the register says."""

import importlib
from functools import cache

import pytest
import yaml

from deploy.contracts import CONTRACTS, OPENAPI
from deploy.services import SERVICES
from deploy.token import development
from schakel import logboek
from schakel.messaging import BatchHandler
from tests.test_doelbinding import _takes_bsn

REGISTER = logboek.register()
SPECS = {name: yaml.safe_load((OPENAPI / f"{name}.yaml").read_text()) for name in SERVICES}
AVG_30 = {"naam", "doel", "grondslag", "betrokkenen", "persoonsgegevens", "ontvangers", "bewaartermijn"}


def _operations(name: str):
    for item in SPECS[name]["paths"].values():
        for operation in item.values():
            if "health" not in operation.get("tags", []):
                yield operation


def _answers_bsn(spec: dict, operation: dict) -> bool:
    for response in operation["responses"].values():
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema and _takes_bsn(spec, schema):
            return True
    return False


@cache
def _handled(name: str) -> frozenset[str]:
    service, _ = importlib.import_module(f"{name}.bootstrap").build(development())
    return frozenset(t for runner in service.runners for t in runner.event_types)


def test_every_activity_describes_what_article_30_asks_and_has_a_versioned_id():
    for id_, activiteit in REGISTER.activiteiten.items():
        assert AVG_30 <= set(activiteit), id_
        assert id_.startswith("urn:schakel:verwerkingsactiviteit:") and id_.rsplit(":", 1)[1].isdigit(), id_


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_names_an_activity_or_processes_no_personal_data(name):
    operaties, _ = REGISTER.van_dienst(name)
    zonder = REGISTER.zonder_persoonsgegevens.get(name, frozenset())
    ids = set()
    for operation in _operations(name):
        op = operation["operationId"]
        ids.add(op)
        assert (op in operaties) != (op in zonder), f"{name} {op}: in the register once, as an activity or without"
        assert operation.get("x-verwerkingsactiviteit") == operaties.get(op), f"{name} {op}: the contract says so"
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if _takes_bsn(SPECS[name], body) or _answers_bsn(SPECS[name], operation):
            assert op in operaties, f"{name} {op} takes or answers a BSN: it processes personal data"
    assert set(operaties) | zonder <= ids, "the register names only operations that exist"


@pytest.mark.parametrize("name", SERVICES)
def test_every_background_job_names_an_activity_or_keeps_the_house(name):
    """A job that changes or sends a person's data (an advance proposed, a status announced) is a
    processing of its own; retention and purges are not on anyone's record."""
    service, _ = importlib.import_module(f"{name}.bootstrap").build(development())
    jobs = {health.name for _, _, health in service._periodic}
    taken = {t for (s, t) in REGISTER.taken if s == name}
    assert taken <= jobs, "the register names only jobs that exist"
    for job in jobs:
        assert (job in taken) != (job in REGISTER.huishouding), f"{name} {job}: an activity's, or the house's"


@pytest.mark.parametrize("name", SERVICES)
def test_a_batch_handler_takes_one_event_type(name):
    """A run of a batch handler is one processing, named after the type of its first event: a handler
    of two types would put the second's persons on record under the first's name."""
    service, _ = importlib.import_module(f"{name}.bootstrap").build(development())
    for runner in service.runners:
        batch = [id(h) for h in runner._handlers.values() if isinstance(h, BatchHandler)]
        assert len(batch) == len(set(batch)), f"{name}: one batch handler for several types"


@pytest.mark.parametrize("name", SERVICES)
def test_every_handled_event_names_an_activity_in_the_register_and_the_contract(name):
    _, gebeurtenissen = REGISTER.van_dienst(name)
    assert set(gebeurtenissen) == _handled(name)
    asyncapi = yaml.safe_load((CONTRACTS / "asyncapi.yaml").read_text())
    stated = {
        t: a
        for op in asyncapi["operations"].values()
        if op["x-service"] == name
        for t, a in op.get("x-verwerkingsactiviteiten", {}).items()
    }
    assert stated == gebeurtenissen

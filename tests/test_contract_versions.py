"""The version rule for integrators: a committed contract is the release of its version (a change
without a new version fails), each version's change is no bigger than its SemVer step allows, a
removal was announced by `deprecated: true` first, and the changelog describes every version."""

import functools
import re

import pytest
import yaml

from deploy import contracts
from deploy.compatibility import ADDITIVE, BREAKING, PATCH, compare, needed
from deploy.contracts import CONTRACTS, EVENTS, REGELS, current, regels, version_of
from deploy.services import SERVICES

APIS = [*SERVICES, EVENTS]
released = functools.cache(contracts.released)  # read once for the tests below (no test writes one)


@pytest.mark.parametrize("api", APIS)
def test_a_committed_contract_is_the_release_of_its_version(api):
    contract = current(api)
    assert released(api).get(version_of(contract)) == contract, (
        f"{api} changed without a new version: raise info.version, run `make contracts`, describe it in the changelog"
    )


@pytest.mark.parametrize("api", SERVICES)
def test_each_version_steps_as_far_as_its_changes_need(api):
    versions = list(released(api).items())
    for (old_version, old), (new_version, new) in zip(versions, versions[1:], strict=False):
        changes = compare(old, new)
        assert needed(old_version, new_version, changes.kind) is None, (changes.breaking, changes.additive)
        assert not changes.undeprecated_removals, f"{new_version} removes what {old_version} did not deprecate"


@pytest.mark.parametrize("api", APIS)
def test_the_changelog_describes_every_released_version(api):
    changelog = (CONTRACTS / "CHANGELOG.md").read_text()
    section = re.search(rf"^## {api}\n(.*?)(?=^## |\Z)", changelog, re.M | re.S)
    assert section, f"no section for {api}"
    described = set(re.findall(r"^### (\d+\.\d+\.\d+)", section.group(1), re.M))
    assert set(released(api)) <= described


def spec(paths: dict | None = None, schemas: dict | None = None) -> dict:
    return {"paths": paths or {}, "components": {"schemas": schemas or {}}}


def post(request: str, response: str, parameters: list | None = None, deprecated: bool = False) -> dict:
    return {
        "post": {
            "parameters": parameters or [],
            "deprecated": deprecated,
            "requestBody": {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{request}"}}}},
            "responses": {
                "201": {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{response}"}}}}
            },
        }
    }


IN = {"properties": {"bsn": {}, "datum": {}}, "required": ["bsn"]}
OUT = {"properties": {"id": {}, "status": {"enum": ["open", "dicht"]}}, "required": ["id", "status"]}
BASE = spec({"/dingen": post("In", "Uit")}, {"In": IN, "Uit": OUT})


@pytest.mark.parametrize(
    "new, kind",
    [
        (spec({"/dingen": post("In", "Uit")}, {"In": IN, "Uit": OUT}), PATCH),
        (spec({"/dingen": post("In", "Uit"), "/andere": post("In", "Uit")}, {"In": IN, "Uit": OUT}), ADDITIVE),
        (
            spec(
                {"/dingen": post("In", "Uit")},
                {"In": {**IN, "properties": {**IN["properties"], "extra": {}}}, "Uit": OUT},
            ),
            ADDITIVE,
        ),
        (spec({"/dingen": post("In", "Uit")}, {"In": {**IN, "required": ["bsn", "datum"]}, "Uit": OUT}), BREAKING),
        (spec({"/dingen": post("In", "Uit")}, {"In": IN, "Uit": {**OUT, "required": ["id"]}}), BREAKING),
        (
            spec(
                {"/dingen": post("In", "Uit")},
                {"In": IN, "Uit": {**OUT, "properties": {"id": {}, "status": {"enum": ["open"]}}}},
            ),
            BREAKING,
        ),
        (
            spec(
                {"/dingen": post("In", "Uit", [{"in": "query", "name": "q", "required": True}])}, {"In": IN, "Uit": OUT}
            ),
            BREAKING,
        ),
        (spec({}, {"In": IN, "Uit": OUT}), BREAKING),
    ],
)
def test_changes_are_classified(new, kind):
    assert compare(BASE, new).kind == kind


def test_a_removal_must_have_been_deprecated_and_needs_a_major_version():
    changes = compare(BASE, spec({}, {"In": IN, "Uit": OUT}))
    assert changes.undeprecated_removals == ["POST /dingen"]
    announced = spec({"/dingen": post("In", "Uit", deprecated=True)}, {"In": IN, "Uit": OUT})
    assert compare(announced, spec({}, {"In": IN, "Uit": OUT})).undeprecated_removals == []
    assert needed("1.4.2", "1.5.0", BREAKING) and needed("1.4.2", "2.0.0", BREAKING) is None
    assert needed("0.3.0", "0.4.0", BREAKING) is None and needed("0.3.0", "0.3.1", BREAKING)
    assert needed("1.4.2", "1.4.3", ADDITIVE) and needed("1.4.2", "1.4.3", PATCH) is None
    assert needed("1.4.2", "1.4.2", PATCH)


def test_decisions_rules_are_recorded_with_their_release():
    """Decisions settles every case again under the rules of a later release only (rules are ordered by
    release): rules changed under the same version would never reach the months already settled."""
    vastgelegd, geweigerd = regels(version_of(current("decisions")))
    assert geweigerd is None, geweigerd
    assert yaml.safe_load(REGELS.read_text()) == vastgelegd, "run `make contracts`"

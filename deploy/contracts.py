"""`make contracts`: writes each app's OpenAPI document to contracts/openapi/<service>.yaml, and
the ingest event's schema from the same model as the HTTP delivery, so both channels accept
exactly the same declarations. A test fails when the code and the committed documents drift apart.

Each contract version is kept as released in contracts/released/<api>/<version>.yaml: a new
version is written there, and a contract that changed while its version did not is refused (bump
`info.version` and add the version to contracts/CHANGELOG.md)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import yaml

from deploy.services import SERVICES
from deploy.token import development

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
OPENAPI = CONTRACTS / "openapi"
RELEASED = CONTRACTS / "released"
EVENTS = "events"  # the AsyncAPI document with the event schemas: one contract, one version
AANGIFTE_EVENT = CONTRACTS / "events" / "aangifte-aangeleverd.schema.json"


def render(name: str) -> str:
    _, app = importlib.import_module(f"{name}.bootstrap").build(development())
    return yaml.safe_dump(app.openapi(), sort_keys=False, allow_unicode=True, width=100)


def aangifte_event(income_openapi: str) -> str:
    """The ingest event: an AangifteInvoer of `POST /leveringen` plus its delivery id."""
    invoer = yaml.safe_load(income_openapi)["components"]["schemas"]["AangifteInvoer"]
    properties = {k: {a: b for a, b in v.items() if a != "title"} for k, v in invoer["properties"].items()}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:schakel:events:aangifte-aangeleverd:1",
        "title": "aangifte-aangeleverd",
        "description": "Een gegevensleverancier levert één polisaangifte (één inkomstenverhouding, één tijdvak) "
        "aan: dezelfde velden en regels als een AangifteInvoer van POST /leveringen (income), "
        "plus het leveringId. Bedragen in eurocenten. Gegenereerd door `make contracts`.",
        "type": "object",
        "additionalProperties": False,
        "required": ["leveringId", *invoer["required"]],
        "properties": {
            "leveringId": {
                "type": "string",
                "minLength": 1,
                "maxLength": 100,
                "pattern": "^[A-Za-z0-9._:-]+$",
                "description": "Kenmerk van de levering, uniek per leverancier; de verwerkingsstatus staat onder "
                "GET /leveringen/{leveringId}.",
            },
            **properties,
        },
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def current(api: str) -> dict:
    """The committed contract of an API as one document."""
    if api != EVENTS:
        return yaml.safe_load((OPENAPI / f"{api}.yaml").read_text())
    return {
        "asyncapi": yaml.safe_load((CONTRACTS / "asyncapi.yaml").read_text()),
        "schemas": {p.name: json.loads(p.read_text()) for p in sorted((CONTRACTS / "events").glob("*.json"))},
    }


def version_of(contract: dict) -> str:
    return (contract["asyncapi"] if "asyncapi" in contract and "schemas" in contract else contract)["info"]["version"]


def released(api: str) -> dict[str, dict]:
    """Every released version of an API, oldest first."""
    found = {p.stem: yaml.safe_load(p.read_text()) for p in (RELEASED / api).glob("*.yaml")}
    return dict(sorted(found.items(), key=lambda item: tuple(int(n) for n in item[0].split("."))))


def release(api: str) -> str | None:
    """Keeps the current contract as its version's release; the reason when it cannot."""
    contract = current(api)
    target = RELEASED / api / f"{version_of(contract)}.yaml"
    if target.exists():
        if yaml.safe_load(target.read_text()) != contract:
            return (
                f"{api}: the contract changed but its version {version_of(contract)} did not; raise "
                f"info.version (SemVer) and add it to contracts/CHANGELOG.md"
            )
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(contract, sort_keys=False, allow_unicode=True, width=100))
    print(f"released {api} {version_of(contract)}: describe it in contracts/CHANGELOG.md")
    return None


def main() -> None:
    OPENAPI.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        (OPENAPI / f"{name}.yaml").write_text(render(name))
        print(f"wrote contracts/openapi/{name}.yaml")
    AANGIFTE_EVENT.write_text(aangifte_event((OPENAPI / "income.yaml").read_text()))
    print(f"wrote contracts/events/{AANGIFTE_EVENT.name}")
    refusals = [reason for api in (*SERVICES, EVENTS) if (reason := release(api))]
    if refusals:
        raise SystemExit("\n".join(refusals))


if __name__ == "__main__":
    main()

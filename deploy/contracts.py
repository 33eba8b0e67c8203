"""`make contracts`: writes each app's OpenAPI document to contracts/openapi/<service>.yaml, and
the ingest event's schema from the same model as the HTTP delivery, so both channels accept
exactly the same declarations. A test fails when the code and the committed documents drift apart."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import yaml

from deploy.services import SERVICES

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
OPENAPI = CONTRACTS / "openapi"
AANGIFTE_EVENT = CONTRACTS / "events" / "aangifte-aangeleverd.schema.json"


def render(name: str) -> str:
    _, app = importlib.import_module(f"{name}.bootstrap").build()
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
        "type": "object", "additionalProperties": False,
        "required": ["leveringId", *invoer["required"]],
        "properties": {"leveringId": {
            "type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[A-Za-z0-9._:-]+$",
            "description": "Kenmerk van de levering, uniek per leverancier; de verwerkingsstatus staat onder "
                           "GET /leveringen/{leveringId}."}, **properties},
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    OPENAPI.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        (OPENAPI / f"{name}.yaml").write_text(render(name))
        print(f"wrote contracts/openapi/{name}.yaml")
    AANGIFTE_EVENT.write_text(aangifte_event((OPENAPI / "income.yaml").read_text()))
    print(f"wrote contracts/events/{AANGIFTE_EVENT.name}")


if __name__ == "__main__":
    main()

"""`make contracts`: writes each app's OpenAPI document to contracts/openapi/<service>.yaml.
A test fails when the code and the committed documents drift apart."""

from __future__ import annotations

import importlib
from pathlib import Path

import yaml

from deploy.services import SERVICES

OPENAPI = Path(__file__).resolve().parent.parent / "contracts" / "openapi"


def render(name: str) -> str:
    _, app = importlib.import_module(f"{name}.bootstrap").build()
    return yaml.safe_dump(app.openapi(), sort_keys=False, allow_unicode=True, width=100)


def main() -> None:
    OPENAPI.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        (OPENAPI / f"{name}.yaml").write_text(render(name))
        print(f"wrote contracts/openapi/{name}.yaml")


if __name__ == "__main__":
    main()

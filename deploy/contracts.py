"""`make contracts`: writes each app's OpenAPI document to contracts/openapi/<service>.yaml, each
event's schema to contracts/events/ from its model (schakel.events.models; the ingest event's from
income's, the same declaration as the HTTP delivery), and contracts/asyncapi.yaml
(deploy/asyncapi.py). A test fails when the code and the committed documents drift apart.

Each contract version is kept as released in contracts/released/<api>/<version>.yaml: a new
version is written there, and a contract that changed while its version did not is refused (bump
`info.version` and add the version to contracts/CHANGELOG.md). So are decisions' rules
(services/decisions/regels.yaml: the fingerprint of its parameters and rule modules per release):
decisions settles every case again under the rules of a later release only, so rules that changed
while the version did not are refused too."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import yaml

from deploy import asyncapi
from deploy.services import SERVICES
from deploy.token import development
from schakel.events.models import json_schema

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"
OPENAPI = CONTRACTS / "openapi"
RELEASED = CONTRACTS / "released"
EVENTS = "events"  # the AsyncAPI document with the event schemas: one contract, one version
EVENT_SCHEMAS = CONTRACTS / "events"


def render(name: str) -> str:
    _, app = importlib.import_module(f"{name}.bootstrap").build(development())
    return yaml.safe_dump(app.openapi(), sort_keys=False, allow_unicode=True, width=100)


def event_schemas() -> dict[str, str]:
    """contracts/events/<name>.schema.json of every event, from its model."""
    return {
        f"{model.SCHEMA}.schema.json": json.dumps(json_schema(model, model.SCHEMA), indent=2, ensure_ascii=False) + "\n"
        for topic in asyncapi.TOPICS
        for model in topic.events
    }


class _Dumper(yaml.SafeDumper):
    """Writes a text of several lines as a block, as a person would."""


_Dumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None),
)


README = CONTRACTS / "README.md"
TOPICS_BEGIN, TOPICS_END = "<!-- topics: make contracts -->\n", "<!-- /topics -->\n"


def readme() -> str:
    """contracts/README.md with its table of topics generated from the operations."""
    text = README.read_text()
    begin, end = text.index(TOPICS_BEGIN) + len(TOPICS_BEGIN), text.index(TOPICS_END)
    return text[:begin] + asyncapi.topic_table() + text[end:]


def asyncapi_document() -> str:
    return yaml.dump(asyncapi.document(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def _lees(path: Path) -> Any:
    # libyaml's parser: the pure-Python one took some 20 s for an API's released versions (14 MB)
    return yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def current(api: str) -> dict:
    """The committed contract of an API as one document."""
    if api != EVENTS:
        return _lees(OPENAPI / f"{api}.yaml")
    return {
        "asyncapi": _lees(CONTRACTS / "asyncapi.yaml"),
        "schemas": {p.name: json.loads(p.read_text()) for p in sorted((CONTRACTS / "events").glob("*.json"))},
    }


def version_of(contract: dict) -> str:
    return (contract["asyncapi"] if "asyncapi" in contract and "schemas" in contract else contract)["info"]["version"]


def released(api: str) -> dict[str, dict]:
    """Every released version of an API, oldest first."""
    found = {p.stem: _lees(p) for p in (RELEASED / api).glob("*.yaml")}
    return dict(sorted(found.items(), key=lambda item: tuple(int(n) for n in item[0].split("."))))


REGELS = Path(__file__).resolve().parent.parent / "services" / "decisions" / "regels.yaml"


def regels(versie: str) -> tuple[dict[str, str], str | None]:
    """Decisions' rules per release with this release's added (its version and fingerprint); the reason
    when its rules changed while its version did not."""
    from decisions.adapters.parameters import regelversie

    vastgelegd = yaml.safe_load(REGELS.read_text()) or {}
    vingerafdruk = regelversie()
    if vastgelegd.get(versie, vingerafdruk) != vingerafdruk:
        return vastgelegd, (
            f"decisions: its rules (parameters.yaml or domain/*.py) changed but its version {versie} did not; raise "
            f"it (the rules of a later release are settled again over every case) and add it to contracts/CHANGELOG.md"
            f" (an unreleased version: delete its line in {REGELS.name})"
        )
    return vastgelegd | {versie: vingerafdruk}, None


def release(api: str) -> str | None:
    """Keeps the current contract as its version's release; the reason when it cannot."""
    contract = current(api)
    target = RELEASED / api / f"{version_of(contract)}.yaml"
    if target.exists():
        if _lees(target) != contract:
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
    # the events first: an app consumes only the types the written contract holds
    for name, text in event_schemas().items():
        (EVENT_SCHEMAS / name).write_text(text)
    (CONTRACTS / "asyncapi.yaml").write_text(asyncapi_document())
    README.write_text(readme())
    print("wrote contracts/events/*.schema.json, contracts/asyncapi.yaml and the topics of contracts/README.md")
    OPENAPI.mkdir(parents=True, exist_ok=True)
    for name in SERVICES:
        (OPENAPI / f"{name}.yaml").write_text(render(name))
        print(f"wrote contracts/openapi/{name}.yaml")
    refusals = [reason for api in (*SERVICES, EVENTS) if (reason := release(api))]
    vastgelegd, geweigerd = regels(version_of(current("decisions")))
    REGELS.write_text(yaml.safe_dump(vastgelegd, sort_keys=False))
    refusals += [geweigerd] if geweigerd else []
    if refusals:
        raise SystemExit("\n".join(refusals))


if __name__ == "__main__":
    main()

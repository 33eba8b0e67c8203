"""The committed OpenAPI documents follow the NL API Design Rules that can be checked
mechanically (the rules Logius's Spectral ruleset checks, re-checked here without Node)."""

import re

import pytest
import yaml

from deploy.contracts import OPENAPI
from deploy.services import SERVICES

CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
SEGMENT = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*|\{[a-z][a-zA-Z0-9]*\}|_[a-z]+)$")
METHODS = {"get", "put", "post", "patch", "delete"}


def documents():
    return [(name, yaml.safe_load((OPENAPI / f"{name}.yaml").read_text())) for name in SERVICES]


def operations(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


@pytest.mark.parametrize("name,spec", documents())
def test_servers_info_and_paths(name, spec):
    assert spec["openapi"].startswith("3.")
    assert [s["url"] for s in spec["servers"]] and all(s["url"].endswith("/api/v1") for s in spec["servers"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", spec["info"]["version"]), "info.version is SemVer"
    assert {"name", "url", "email"} <= set(spec["info"]["contact"])
    for path in spec["paths"]:
        assert not path.startswith("/api/"), f"{path}: the major version belongs in servers only"
        assert path == "/" or not path.endswith("/"), f"{path}: no trailing slash"
        assert all(SEGMENT.fullmatch(s) for s in path.strip("/").split("/")), f"{path}: lower-case kebab-case"
        assert "bsn" not in path.lower(), f"{path}: a BSN never goes in a URL"


@pytest.mark.parametrize("name,spec", documents())
def test_operations_document_errors_and_the_version_header(name, spec):
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        assert CAMEL.fullmatch(operation["operationId"]), where
        responses = operation["responses"]
        for status, response in responses.items():
            if status.startswith("2"):
                assert "API-Version" in response.get("headers", {}), f"{where} {status}: API-Version header"
            if status[0] in "45":
                assert list(response["content"]) == ["application/problem+json"], f"{where} {status}"
        # every operation refuses an unknown or repeated query parameter, one without parameters too
        assert "400" in responses, f"{where}: documents 400"
        if operation.get("security"):
            assert {"401", "403"} <= set(responses), f"{where}: 401 and 403"
            assert operation.get("x-rollen"), f"{where}: which roles may call it"
        else:
            assert path.startswith("/health/"), f"{where}: every endpoint except health needs a token"
        for parameter in operation.get("parameters", []):
            if parameter["in"] in ("query", "path"):
                assert CAMEL.fullmatch(parameter["name"]), f"{where}: parameter {parameter['name']}"


@pytest.mark.parametrize("name,spec", documents())
def test_properties_are_lower_camel_case_and_dates_have_a_format(name, spec):
    for schema_name, schema in spec["components"]["schemas"].items():
        for prop, definition in schema.get("properties", {}).items():
            assert CAMEL.fullmatch(prop), f"{schema_name}.{prop}"
            if prop.endswith("datum") or prop in ("sinds", "geldigTot"):
                variants = definition.get("anyOf", [definition])
                assert any(v.get("format") == "date" for v in variants), f"{schema_name}.{prop}: format date"
    fout = spec["components"]["schemas"]["Fout"]
    assert {"status", "title", "code"} <= set(fout["required"]) and "invalidParams" in fout["properties"]

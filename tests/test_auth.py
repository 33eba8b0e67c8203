"""Every non-health operation of every service, read from the committed OpenAPI documents (so a
new endpoint cannot skip this): no token 401, a bad token 401, a role it does not admit 403, all
before the body is read (a malformed body does not turn them into 400); every body is bounded."""

import re

import httpx
import jwt
import pytest
import yaml

from deploy.contracts import OPENAPI
from deploy.services import SERVICES
from schakel.api import Rol
from tests.support.stack import token

pytestmark = pytest.mark.integration

PATH_EXAMPLE = "5f0c6a43-5b7e-4d0a-9c1e-0a3c2b1d4e5f"


def secured_operations():
    for name in SERVICES:
        spec = yaml.safe_load((OPENAPI / f"{name}.yaml").read_text())
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                if operation.get("security"):
                    yield pytest.param(name, method, path, operation["x-rollen"], id=f"{name} {method.upper()} {path}")


def call(stack, name, method, path, headers, content: bytes | None = b"{niet-json"):
    url = stack.services[name].url + re.sub(r"\{[^}]+\}", PATH_EXAMPLE, path)
    if method not in ("post", "put", "patch"):
        content = None
    return httpx.request(method, url, headers=headers | {"Content-Type": "application/json"}, content=content)


@pytest.mark.parametrize("name,method,path,roles", list(secured_operations()))
def test_missing_invalid_and_wrong_role_tokens_are_refused(stack, name, method, path, roles):
    response = call(stack, name, method, path, {})
    assert response.status_code == 401 and response.headers["content-type"] == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"

    forged = jwt.encode({"oin": "0" * 20, "role": roles[0], "gemeente": "GM0363"}, "wrong-secret-of-enough-length-000")
    assert call(stack, name, method, path, {"Authorization": f"Bearer {forged}"}).status_code == 401

    for role in [r for r in Rol if r.value not in roles]:  # none when every role may call it
        response = call(stack, name, method, path, {"Authorization": f"Bearer {token(role)}"})
        assert response.status_code == 403, f"{role.value} must not reach {method.upper()} {path}"
        assert response.json()["code"] == "geen-toegang"


def test_a_municipality_sees_only_its_own_cases(stack):
    from tests.support import builders

    body = builders.uitkering()
    with stack.client("decisions", Rol.municipality, gemeente="GM0363") as amsterdam:
        created = amsterdam.post("/uitkeringen", json=body)
    assert created.status_code == 201
    uitkering = f"/uitkeringen/{created.json()['uitkeringId']}"
    with stack.client("decisions", Rol.municipality, gemeente="GM0599") as rotterdam:
        assert rotterdam.get(uitkering).status_code == 404
        assert (
            rotterdam.post(
                f"{uitkering}/_beeindig", json={"einddatum": "2026-03-31", "reden": "verhuizing"}
            ).status_code
            == 404
        )
        # not Rotterdam's resident per the BRP (test_doelbinding.py: every operation, and a move)
        refused = rotterdam.post("/uitkeringen", json=body)
        assert refused.status_code == 404 and refused.json()["code"] == "geen-ingezetene"


def test_a_body_over_the_limit_is_413_also_when_it_streams_without_a_length(stack):
    def chunks():
        for _ in range(5):
            yield b" " * (16 * 1024)  # 80 KiB in all, over the 64 KiB of an ordinary operation

    for content in (b" " * (80 * 1024), chunks()):
        response = call(
            stack, "decisions", "post", "/uitkeringen", {"Authorization": f"Bearer {token(Rol.municipality)}"}, content
        )
        assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "invoer-te-groot" and "API-Version" in response.headers

"""How a route puts its examples in the contract: a request body and a 2xx response example for
`openapi_extra`, and parameter examples for `openapi_examples`."""

from __future__ import annotations

from typing import Any


def voorbeeld(antwoord: object, verzoek: object = None, status: int = 200) -> dict[str, Any]:
    """The operation's `openapi_extra`: the example request body (if any) and 2xx response."""
    extra: dict[str, Any] = {"responses": {str(status): {"content": {"application/json": {"example": antwoord}}}}}
    if verzoek is not None:
        extra["requestBody"] = {"content": {"application/json": {"example": verzoek}}}
    return extra


def parameter(waarde: object) -> dict[str, Any]:
    """The `openapi_examples` of a path or query parameter."""
    return {"voorbeeld": {"value": waarde}}

"""How a route puts its examples in the contract: a request body and a 2xx response example for
`openapi_extra`, and parameter examples for `openapi_examples`."""

from __future__ import annotations

from typing import Any


def voorbeeld(
    antwoord: object, verzoek: object = None, status: int = 200, location: str | None = None
) -> dict[str, Any]:
    """The operation's `openapi_extra`: the example request body (if any) and 2xx response; `location`:
    the path template of what a 201 made, named in its `Location` header."""
    extra: dict[str, Any] = {"responses": {str(status): {"content": {"application/json": {"example": antwoord}}}}}
    if location is not None:
        extra["responses"][str(status)]["headers"] = {
            "Location": {
                "description": f"Het pad van wat is aangemaakt: `/api/v1{location}`.",
                "schema": {"type": "string"},
            }
        }
    if verzoek is not None:
        extra["requestBody"] = {"content": {"application/json": {"example": verzoek}}}
    return extra


def parameter(waarde: object) -> dict[str, Any]:
    """The `openapi_examples` of a path or query parameter."""
    return {"voorbeeld": {"value": waarde}}

"""Errors as application/problem+json (RFC 9457) with a stable machine `code`."""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from schakel import errors
from schakel.persistence import is_unavailable
from schakel.telemetry.redaction import gemaskeerd

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


class OngeldigeParameter(BaseModel):
    name: str = Field(description="Het veld, bijv. `bsn` of `adres.postcode`.")
    code: str = Field(description="Machineleesbare code van de regel.")
    reason: str = Field(description="Uitleg in gewone taal.")


class Fout(BaseModel):
    """Problem details (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str = Field(description="Stabiele, machineleesbare foutcode.")
    invalidParams: list[OngeldigeParameter] | None = None


class Problem(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str | None = None,
        invalid_params: list[OngeldigeParameter] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.invalid_params, self.headers = invalid_params, headers

    def response(self, instance: str | None = None) -> JSONResponse:
        body = Fout(
            title=self.title,
            status=self.status,
            detail=self.detail,
            code=self.code,
            instance=None if instance is None else gemaskeerd(instance),  # a BSN put in the path by mistake
            invalidParams=self.invalid_params,
        )
        return JSONResponse(
            body.model_dump(exclude_none=True), status_code=self.status, media_type=MEDIA_TYPE, headers=self.headers
        )


STANDARD = {
    400: ("ongeldige-invoer", "De invoer is ongeldig."),
    401: ("niet-geauthenticeerd", "Een geldig bearer-token is nodig."),
    403: ("geen-toegang", "Uw rol of gemeente geeft geen toegang tot deze gegevens."),
    404: ("niet-gevonden", "De gevraagde resource bestaat niet."),
    405: ("methode-niet-toegestaan", "Deze methode is op deze resource niet toegestaan."),
    406: ("niet-aanvaardbaar", "Het gevraagde mediatype wordt niet geleverd."),
    408: ("invoer-te-traag", "De invoer kwam te traag binnen."),
    409: ("conflict", "Het verzoek botst met de huidige toestand."),
    422: ("geweigerd", "Een regel staat dit verzoek niet toe."),
    413: ("invoer-te-groot", "De invoer is groter dan deze operatie toestaat."),
    415: ("mediatype-niet-ondersteund", "Het mediatype van de invoer wordt niet ondersteund."),
    429: ("te-veel-verzoeken", "Te veel verzoeken; wacht het aantal seconden in Retry-After."),
    500: ("interne-fout", "Er ging iets mis aan onze kant."),
    503: ("niet-beschikbaar", "De dienst is tijdelijk niet beschikbaar."),
}


def later(seconds: int = errors.Unavailable.retry_after) -> dict[str, str]:
    """The header of a 503: when asking again may work."""
    return {"Retry-After": str(seconds)}


def standard(
    status: int,
    detail: str | None = None,
    *,
    invalid_params: list[OngeldigeParameter] | None = None,
    headers: dict[str, str] | None = None,
) -> Problem:
    code, title = STANDARD.get(status, ("fout", "Fout"))
    return Problem(status, code, title, detail, invalid_params, headers)


def onjuist_veld(field: str, code: str, title: str, reason: str, regel: str | None = None) -> Problem:
    """A 422 about one field: input the schema cannot judge (a period back to front, a lapsed cursor).
    `regel` is the field's own rule code where it differs from the problem's."""
    return Problem(422, code, title, reason, [OngeldigeParameter(name=field, code=regel or code, reason=reason)])


async def on_problem(request: Request, exc: Problem) -> JSONResponse:
    return exc.response(request.url.path)


GEEN_JSON = "De invoer is geen geldige JSON (UTF-8)."


async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    params = [
        # a syntax error's location is a character position, not a field
        OngeldigeParameter(name="body", code="json_invalid", reason=GEEN_JSON)
        if e["type"] == "json_invalid"
        else OngeldigeParameter(name=field_of(e), code=e["type"], reason=reason_of(e))
        for e in exc.errors()
    ]
    return standard(400, "Een of meer velden zijn ongeldig; zie invalidParams.", invalid_params=params).response(
        request.url.path
    )


HTTP_METHODS = frozenset({"get", "head", "post", "put", "patch", "delete", "options"})


def _toegestaan(request: Request) -> list[str]:
    """The methods the OpenAPI document gives the request's path (RFC 9110 15.5.6: a 405 names them all;
    Starlette names only the first route's): of the path templates that match it, the one with the fewest
    parameters, as routing picks a literal `_zoek` before an `{id}` beside it. Read from the document,
    since FastAPI includes a router as one route without methods of its own."""
    spec = request.app.openapi()
    base = spec.get("servers", [{}])[0].get("url", "")
    passend = [
        (template.count("{"), item)
        for template, item in spec.get("paths", {}).items()
        if re.fullmatch(
            re.escape(base)
            + "".join("/" + ("[^/]+" if d.startswith("{") else re.escape(d)) for d in template.split("/")[1:]),
            request.url.path,
        )
    ]
    if not passend:
        return []
    return sorted(m.upper() for m in min(passend, key=lambda p: p[0])[1] if m in HTTP_METHODS)


async def on_http(request: Request, exc: HTTPException) -> JSONResponse:
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:  # Starlette's, and a `_zoek` path's refusal of its other methods (app.zoekpad)
        headers = {**(headers or {}), "Allow": ", ".join(_toegestaan(request))}
    if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
        # FastAPI's own words for a body it could not decode (not UTF-8, nested too deep)
        params = [OngeldigeParameter(name="body", code="json_invalid", reason=GEEN_JSON)]
        return standard(400, GEEN_JSON, invalid_params=params).response(request.url.path)
    return standard(exc.status_code, exc.detail if isinstance(exc.detail, str) else None, headers=headers).response(
        request.url.path
    )


def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    if is_unavailable(exc):  # the database away, or a deadlock it broke: asking again will work
        log.warning("%s on %s %s: answered 503", exc.__class__.__name__, request.method, gemaskeerd(request.url.path))
        detail = "De database is even niet beschikbaar; probeer het opnieuw."
        return standard(503, detail, headers=later()).response(request.url.path)
    # the class and the stack, not the message: a database error's message can quote personal data
    log.error(
        "unhandled %s on %s %s\n%s",
        exc.__class__.__name__,
        request.method,
        gemaskeerd(request.url.path),
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    return standard(500).response(request.url.path)


def field_of(error: Mapping[str, Any]) -> str:
    loc = list(error["loc"])
    if error["type"] in _TAG:  # a union told apart by one field: that field is the one at fault
        loc.append(error["ctx"]["discriminator"].strip("'"))
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return gemaskeerd(".".join(parts)) or "body"  # an unknown property's name is the caller's: a BSN?


def reason_of(error: Mapping[str, Any]) -> str:
    """The rule broken, never the input: pydantic's message for a union's unknown tag quotes it."""
    if error["type"] == "union_tag_invalid":
        return f"Input should be one of {error['ctx']['expected_tags']}"
    if error["type"] == "union_tag_not_found":
        return "Field required"
    # pydantic puts a custom validator's message after "Value error, "
    message: str = error["msg"]
    return message.removeprefix("Value error, ")


_TAG = ("union_tag_invalid", "union_tag_not_found")


# the answer to each category of domain error; the error's own code and field go with it
DOMAIN_STATUS = {
    errors.NotFound: 404,
    errors.Forbidden: 403,
    errors.Conflict: 409,
    errors.Refused: 422,
    errors.Invalid: 400,
    errors.Unavailable: 503,
}


def from_domain(exc: errors.DomainError) -> Problem:
    status = next((s for category, s in DOMAIN_STATUS.items() if isinstance(exc, category)), 500)
    title = STANDARD.get(status, ("fout", "Fout"))[1]
    params = [OngeldigeParameter(name=exc.field, code=exc.code, reason=exc.detail)] if exc.field else None
    headers = later(exc.retry_after) if isinstance(exc, errors.Unavailable) else None
    return Problem(status, exc.code, title, exc.detail, params, headers)


async def on_domain_error(request: Request, exc: errors.DomainError) -> JSONResponse:
    return from_domain(exc).response(request.url.path)

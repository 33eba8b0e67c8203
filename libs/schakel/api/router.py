"""Every API's router: a JSON body is read as I-JSON (RFC 7493) asks, a name at most once in an
object. Python's parser takes the last of two; a gateway, a log or the caller's own check that takes
the first would see another request than Schakel applies, so such a body is refused (400) instead."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from schakel.api.problems import OngeldigeParameter, standard
from schakel.telemetry.redaction import gemaskeerd

# a name is shown back only this long: the caller chose it, and it may be as long as the body
GETOONDE_NAAM = 64


class _DubbeleNaam(ValueError):
    def __init__(self, naam: str) -> None:
        super().__init__("a name twice in one object")
        self.naam = naam


def _eenmaal(paren: list[tuple[str, Any]]) -> dict[str, Any]:
    object_ = dict(paren)
    if len(object_) < len(paren):
        gezien: set[str] = set()
        for naam, _ in paren:
            if naam in gezien:
                raise _DubbeleNaam(naam)
            gezien.add(naam)
    return object_


def loads(tekst: bytes | str) -> Any:
    """JSON as a route reads it: a ValueError for a name twice in one object, as for malformed JSON."""
    return json.loads(tekst, object_pairs_hook=_eenmaal)


class _Verzoek(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class Route(APIRoute):
    """A route that reads its JSON body with every name at most once per object."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            try:
                return await handler(_Verzoek(request.scope, request.receive))
            except HTTPException as exc:  # FastAPI's answer to a body it could not read, caused by ours
                if not isinstance(exc.__cause__, _DubbeleNaam):
                    raise
                reden = "Deze naam staat meer dan eens in hetzelfde object; dat kan maar één keer (RFC 7493)."
                params = [OngeldigeParameter(name=_getoond(exc.__cause__.naam), code="json_dubbele_naam", reason=reden)]
                raise standard(400, reden, invalid_params=params) from None

        return route_handler


def _getoond(naam: str) -> str:
    """The name as the problem shows it: masked as an unknown property's is (a BSN?), before it is cut
    (cut first, eight of its nine digits would stand), and a lone surrogate (JSON lets `\\ud800` stand for
    one) as `?`: UTF-8 has no byte for it, and the answer would fail to encode (500)."""
    return gemaskeerd(naam)[:GETOONDE_NAAM].encode("utf-8", "replace").decode()


def Router(**kwargs: Any) -> APIRouter:  # noqa: N802 - stands in for APIRouter, a class
    """An APIRouter whose routes refuse a JSON body that names a member twice in one object."""
    return APIRouter(route_class=Route, **kwargs)

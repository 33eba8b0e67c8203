"""The app factory: every Schakel API gets the same paths, errors, headers, health and OpenAPI."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Lifespan, Message, Receive, Scope, Send

from schakel.api import problems
from schakel.api.cors import Cors
from schakel.api.docs import add_docs
from schakel.api.edge import (
    BODY_BYTES_PER_SECOND,
    BODY_GRACE_SECONDS,
    DEFAULT_MAX_BODY,
    PAUSE_SECONDS,
    Edge,
    Policy,
    dependants,
    policy,
    size,
)
from schakel.api.guards import RateLimiter, SecurityHeaders
from schakel.api.idempotency import IdempotencyMiddleware, documented_responses, idempotent
from schakel.api.logboek import Logboek, Verwerkingslog
from schakel.api.problems import Fout, standard
from schakel.api.router import Route, Router
from schakel.errors import DomainError
from schakel.telemetry import metrics
from schakel.telemetry.redaction import gemaskeerd

API_PREFIX = "/api/v1"
CONTACT = {"name": "Schakel", "url": "https://schakel.example.nl", "email": "api@schakel.example.nl"}

Check = Callable[[], Awaitable[None]]
E = TypeVar("E", bound=Exception)


class NotReady(Exception):
    """Raised by a readiness check whose message is safe to show (no personal data)."""


class _Api(FastAPI):
    """A Schakel API, whose OpenAPI document is completed with each operation's policy."""

    policies: dict[tuple[str, str], Policy]
    operations: list[APIRoute]
    activiteiten: Mapping[str, str]  # operationId -> processing activity
    large_bodies: int | None  # the edge's budget of large bodies, if it keeps one

    def openapi(self) -> dict[str, Any]:
        return _openapi(self, self.policies, self.operations)


def create_app(
    *,
    title: str,
    version: str,
    description: str,
    routers: Iterable[APIRouter],
    checks: dict[str, Check] | None = None,
    lifespan: Lifespan[FastAPI] | None = None,
    cors_origins: list[str] | None = None,
    rate_limit: int | None = None,
    large_bodies: int | None = None,
    logboek: Logboek | None = None,
) -> FastAPI:
    """`rate_limit`: requests per minute each client (OIN) may make to each operation;
    `large_bodies`: the bytes of large bodies (a route with `MaxBody`) taken at once; `logboek`:
    the service's processing log (the console, which keeps no personal data, has none)."""
    routers = list(routers)
    app = _Api(
        title=title,
        version=version,
        description=description,
        contact=CONTACT,
        servers=[{"url": API_PREFIX}],
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # NL API Design Rules (API-48): a path with a trailing slash is a 404, not a redirect to the path
        # without it (a 307 answered before the token is looked at, naming the Host the caller sent)
        redirect_slashes=False,
    )
    _on(app, problems.Problem, problems.on_problem)
    _on(app, DomainError, problems.on_domain_error)
    _on(app, RequestValidationError, problems.on_validation)
    _on(app, HTTPException, problems.on_http)
    _idempotency(app, routers)
    app.add_middleware(ApiVersion, version=version)
    app.include_router(_health(checks or {}))
    for router in routers:
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(_known_query_parameters)])
    app.operations = [route for router in routers for route in router.routes if isinstance(route, APIRoute)]
    if plain := [route.path for route in app.operations if not isinstance(route, Route)]:
        raise TypeError(f"routes not made by schakel.api's Router (they take a name twice in JSON): {plain}")
    app.policies = {
        (API_PREFIX + route.path, method.lower()): policy(route)
        for route in app.operations
        for method in route.methods or ()
    }
    app.activiteiten = logboek.activiteiten if logboek else {}
    if logboek:
        app.add_middleware(Verwerkingslog, logboek=logboek)  # inside the edge: the caller is known
    # authentication, roles, request budget and body limits before anything reads the body: added
    # after the middlewares that read it, so it runs before them
    limiter = RateLimiter(rate_limit) if rate_limit else None
    app.large_bodies = large_bodies
    app.add_middleware(Edge, policies=app.policies, limiter=limiter, large_bodies=large_bodies)
    add_docs(app, API_PREFIX)
    app.add_route("/metrics", metrics.exposition, include_in_schema=False)
    # errors carry it too; the preflights it answers itself carry the API-Version, a refusal as problem+json
    app.add_middleware(Cors, openapi_path=f"{API_PREFIX}/openapi.json", origins=cors_origins or [], version=version)
    app.add_middleware(SecurityHeaders)  # outside the edge: its refusals carry them too
    app.add_middleware(metrics.HttpMetrics)  # outermost: every answer is counted, refusals at the edge too
    return app


class ApiVersion:
    """Pure ASGI (a function middleware costs a task and a stream per request): every answer carries
    the API-Version header, and an unexpected error is answered here, so that no server logs its
    message."""

    def __init__(self, app: ASGIApp, version: str) -> None:
        self.app, self._version = app, version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def versioned(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["API-Version"] = self._version
            await send(message)

        try:
            await self.app(scope, receive, versioned)
        except Exception as exc:  # noqa: BLE001 - answered here so that no server logs its message
            if started:
                raise
            response = problems.on_unexpected(Request(scope), exc)
            response.headers["API-Version"] = self._version
            await response(scope, receive, send)


def _on(app: FastAPI, kind: type[E], handler: Callable[[Request, E], Awaitable[Response]]) -> None:
    # Starlette types every handler as taking any Exception; it only ever passes it a `kind`
    app.add_exception_handler(kind, handler)  # type: ignore[arg-type]


def _idempotency(app: FastAPI, routers: list[APIRouter]) -> None:
    """Idempotency-Key for the POST operations with the `Idempotent` marker. Added before the
    API-Version middleware, so inside it: replayed answers carry that header too. The service puts
    its store in `app.state.idempotency`."""
    paths = [
        API_PREFIX + route.path
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        and "POST" in (route.methods or ())
        and any(d.call is idempotent for d in dependants(route))
    ]
    app.add_middleware(IdempotencyMiddleware, paths=paths)


def zoekpad(router: APIRouter, path: str) -> None:
    """A `_zoek` path (POST only) beside an `{id}` read of the same collection: a GET of it would reach the
    read and be refused as a malformed id (400). Added before that read, it answers 405, as any method the
    path does not take."""

    async def niet_toegestaan() -> None:
        raise HTTPException(405)  # its Allow, as every 405's, from the OpenAPI document (POST)

    router.add_api_route(path, niet_toegestaan, methods=["GET"], include_in_schema=False)


async def app_ports(request: Request) -> Any:
    """A route's dependency on the service's ports (bootstrap sets `app.state.ports`); a route
    types it as its own service's `Ports`. Async: FastAPI runs a plain function in a thread."""
    return request.app.state.ports


async def _known_query_parameters(request: Request) -> None:
    """A misspelt query parameter is an error, not silently ignored (?paginagrootte=5 would
    otherwise return the default page size without a word), and so is one given twice (every
    parameter takes one value: ?status=a&status=b would otherwise answer for b alone)."""
    route = request.scope.get("route")
    known = {p.alias for d in dependants(route) for p in d.query_params} if route else set()
    given = request.query_params
    params = [
        problems.OngeldigeParameter(
            name=gemaskeerd(name), code="onbekende-parameter", reason="deze parameter bestaat niet"
        )
        for name in sorted(set(given) - known)
    ] + [
        problems.OngeldigeParameter(name=name, code="herhaalde-parameter", reason="deze parameter heeft één waarde")
        for name in sorted(name for name in set(given) & known if len(given.getlist(name)) > 1)
    ]
    if params:
        raise standard(400, "Onbekende of herhaalde queryparameter(s).", invalid_params=params)


def _health(checks: dict[str, Check]) -> APIRouter:
    router = Router(prefix=f"{API_PREFIX}/health", tags=["health"])

    @router.get("/live", summary="Leeft de dienst?", operation_id="liveness")
    async def live() -> dict[str, str]:
        return {"status": "UP"}

    @router.get(
        "/ready",
        summary="Kan de dienst werk aannemen (database en broker bereikbaar, achtergrondtaken gezond)?",
        operation_id="readiness",
        responses={503: {"model": Fout, "description": "Niet gereed."}},
    )
    async def ready() -> dict[str, str]:
        failed = []
        for name, check in checks.items():
            try:
                await asyncio.wait_for(check(), 3)
            except NotReady as exc:
                failed.append(f"{name} ({exc})")
            except Exception:  # noqa: BLE001 - any failure means not ready; its message may hold data
                failed.append(name)
        if failed:
            raise standard(503, f"Niet gereed: {', '.join(sorted(failed))}.")
        return {"status": "UP"}

    return router


def _openapi(app: _Api, policies: dict[tuple[str, str], Policy], routes: list[APIRoute]) -> dict[str, Any]:
    """Generates the contract once: path keys relative to the server URL (/api/v1), and for every
    operation its security, roles (x-rollen), error responses and the API-Version header."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        contact=app.contact,
        servers=app.servers,
    )
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update({"Fout": Fout.model_json_schema(ref_template="#/components/schemas/{model}")})
    schemas.update(Fout.model_json_schema(ref_template="#/components/schemas/{model}").pop("$defs", {}))
    schemas["Fout"].pop("$defs", None)
    components["headers"] = {
        "API-Version": {
            "description": "De versie van de API (SemVer).",
            "schema": {"type": "string", "example": app.version},
        }
    }
    _restore_null_examples(routes, spec)
    paths: dict[str, Any] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            _complete(operation, policies.get((path, method)), "{" in path, app.large_bodies is not None)
            if activiteit := app.activiteiten.get(operation.get("operationId", "")):
                operation["x-verwerkingsactiviteit"] = activiteit
        paths[path.removeprefix(API_PREFIX)] = operations
    spec["paths"] = paths
    _whole_bounds(spec)
    app.openapi_schema = spec
    return spec


def _restore_null_examples(routes: list[APIRoute], spec: dict[str, Any]) -> None:
    """FastAPI encodes the document without None values, inside examples too; a response example
    must keep its null fields (a nullable field is still required), so they are put back."""
    for route in routes:
        for method in route.methods or ():
            if operation := spec["paths"].get(API_PREFIX + route.path, {}).get(method.lower()):
                _put_examples(operation, route.openapi_extra or {})
                for status, response in route.responses.items():
                    _put_examples(operation["responses"].get(str(status), {}), response)


def _put_examples(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if key == "example":
            target[key] = jsonable_encoder(value)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _put_examples(target[key], value)


def _whole_bounds(node: object) -> None:
    """FastAPI's OpenAPI model turns every bound into a float; an integer field's bounds are whole."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("minimum", "maximum") and isinstance(value, float) and value.is_integer():
                node[key] = int(value)
            else:
                _whole_bounds(value)
    elif isinstance(node, list):
        for item in node:
            _whole_bounds(item)


def _complete(operation: dict[str, Any], rule: Policy | None, has_path_params: bool, budget: bool) -> None:
    """`budget`: whether the edge keeps a budget of large bodies (edge._busy, edge._too_slow)."""
    responses = operation["responses"]
    for status, response in responses.items():
        if status.startswith("2"):
            response.setdefault("headers", {})["API-Version"] = {"$ref": "#/components/headers/API-Version"}
    # every operation refuses an unknown or repeated query parameter, also one that takes none
    errors = {500: "Interne fout.", 400: "Ongeldige invoer; invalidParams noemt elk veld en de reden."}
    if has_path_params:
        errors[404] = "Niet gevonden."
    if operation.get("requestBody"):
        errors[400] = (
            "Ongeldige invoer, ook JSON die in één object een naam twee keer noemt; invalidParams noemt elk veld "
            "en de reden."
        )
    if rule and operation.get("requestBody"):
        errors[413] = f"De invoer is groter dan {size(rule.max_body)}."
    budgeted = budget and rule is not None and rule.max_body > DEFAULT_MAX_BODY
    if budgeted:
        errors[408] = (
            f"De invoer kwam te traag binnen: na {BODY_GRACE_SECONDS:.0f} seconden minder dan "
            f"{size(BODY_BYTES_PER_SECOND)}/s. Er is niets van verwerkt."
        )
    if rule and rule.roles:
        operation["security"] = [{"HTTPBearer": []}]
        operation["x-rollen"] = sorted(r.value for r in rule.roles)
        errors[401] = "Geen of een ongeldig token."
        errors[403] = "De rol of gemeente heeft geen toegang."
        errors[429] = (
            "Te veel verzoeken van u (uw organisatie, of als burger uzelf) voor deze operatie; Retry-After zegt hoe lang te wachten."
        )
        # the token's keys, the processing log and any source asked can each be away for a moment
        errors[503] = (
            "Nu niet te beantwoorden: de sleutels van de identity provider, het logboek van verwerkingen of een "
            "bron is niet bereikbaar. Retry-After zegt wanneer opnieuw te proberen (een wijziging met dezelfde "
            "Idempotency-Key)."
        )
    if budgeted:
        errors[503] = errors.get(503, "Nu niet te beantwoorden.") + (
            " Of: deze instantie verwerkt al zoveel grote invoer als zij tegelijk kan."
        )
        errors[429] = errors.get(429, "Te veel verzoeken.") + (
            f" Of: uw vorige grote invoer kwam te traag binnen (408); de volgende pas na {PAUSE_SECONDS} seconden."
        )
    documented_responses(operation)
    if "HTTPValidationError" in str(responses.get("422")):
        del responses["422"]  # FastAPI's default; Schakel answers validation errors with 400
    if rule and operation.get("requestBody"):  # the edge refuses it (edge._nul): the schema cannot say
        nul = "De invoer bevat een NUL-teken (`nul-teken`): dat is geen tekst."
        if "422" in responses:
            responses["422"]["description"] += f" Of: {nul}"
        else:
            errors[422] = nul
    for status, description in errors.items():
        if status == 503 and "503" in responses:  # the route's own reason, and the platform's still apply
            responses["503"]["description"] += f" Of: {description}"
        else:
            responses.setdefault(str(status), {"description": description})
    for status, response in responses.items():
        if status[0] in "45":
            response["content"] = {problems.MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Fout"}}}
    for status in {"429", "503"} if rule and rule.roles or budgeted else set():
        responses[status]["headers"] = {
            "Retry-After": {"description": "Seconden tot het volgende verzoek.", "schema": {"type": "integer"}}
        }
    operation["responses"] = dict(sorted(responses.items()))

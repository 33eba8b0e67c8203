"""The edge of every Schakel API: who calls, and how much they may send, is settled before the body
is read. FastAPI reads and parses a body before the route's dependencies run, so without this
layer a 40 MB body without a token would be read and parsed, and a malformed one answered 400
instead of 401. Large bodies (a route with `MaxBody`) also share a budget per process: worked off, a
body holds about nine times its size in memory, so deliveries without a bound at once would take a
process past its memory limit, and every request on it with it."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Iterator
from dataclasses import dataclass

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schakel.api.auth import PRINCIPAL, Principal, RoleGuard, authenticate
from schakel.api.guards import RateLimiter
from schakel.api.problems import Problem, later, onjuist_veld, standard
from schakel.caller import Rol
from schakel.telemetry.metrics import LARGE_BODIES, LARGE_BODIES_REFUSED

log = logging.getLogger(__name__)
KiB = 1024
MiB = 1024 * KiB
DEFAULT_MAX_BODY = 64 * KiB
ROUTE = "schakel.route"  # the matched route's path template, in the request scope
# when to try a large body again that the budget refused: about what a delivery of 50.000
# declarations takes one process to handle (0,3 ms of CPU each)
BUSY_SECONDS = 15
# a large body holds its share of the budget while it arrives: it must keep coming, or a client
# trickling one would hold the others off. After the grace, what has arrived must keep up with the
# rate; a client that stops is refused once it falls behind, not after the time its size would have
BODY_GRACE_SECONDS = 30.0
BODY_BYTES_PER_SECOND = 64 * KiB
# and an organisation whose large body fell behind sends no other here for a while: else, trickling
# one body after another, it would hold a share a grace at a time
PAUSE_SECONDS = 300


class MaxBody:
    """A marker dependency for a route that takes larger bodies than the default:
    `dependencies=[Depends(MaxBody(48 * MiB))]`. The edge enforces it; the OpenAPI documents it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    async def __call__(self) -> None:
        return None


@dataclass(frozen=True)
class Policy:
    guards: tuple[RoleGuard, ...]
    max_body: int

    @property
    def roles(self) -> tuple[Rol, ...] | None:
        return self.guards[0].roles if self.guards else None


OPEN = Policy((), DEFAULT_MAX_BODY)  # unknown paths and the health endpoints


def policy(route: APIRoute) -> Policy:
    calls = [d.call for d in dependants(route)]
    return Policy(
        tuple(c for c in calls if isinstance(c, RoleGuard)),
        max((c.limit for c in calls if isinstance(c, MaxBody)), default=DEFAULT_MAX_BODY),
    )


def dependants(route: APIRoute) -> Iterator[Dependant]:
    """The route's dependant and all its sub-dependencies."""
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        yield dependant
        stack.extend(dependant.dependencies)


def _client(principal: Principal) -> str:
    """Whose budget a request spends: a citizen's own (every DigiD login comes with its portal's OIN,
    so one citizen would spend everyone's), else the organisation's in its role (and municipality)."""
    return f"{principal.oin}/{principal.rol.value}/{principal.bsn or principal.gemeente or ''}"


class Edge:
    """Pure ASGI, outside every layer that reads the body: authenticates and authorizes the route's
    roles (the principal goes into the scope for RoleGuard), holds each client to its request
    budget per operation, and bounds the body, by Content-Length and while it streams. `large_bodies`:
    the bytes of bodies on routes with a limit over the default that the process takes at once,
    whatever each body's own size; one more is refused with 503 before it is read, unless none is in
    hand (each fits alone)."""

    def __init__(
        self,
        app: ASGIApp,
        policies: dict[tuple[str, str], Policy],
        limiter: RateLimiter | None,
        large_bodies: int | None = None,
    ) -> None:
        self.app, self._limiter, self._large_bodies, self._in_hand = app, limiter, large_bodies, 0
        self._paused: dict[str, float] = {}  # client (`_client`) → until when, in the loop's time
        if large_bodies is not None:
            for reason in ("busy", "too_slow", "paused"):  # at 0 from the start: a first refusal shows
                LARGE_BODIES_REFUSED.labels(reason)
        self._policies = [
            (compile_path(path)[0], method.upper(), path, rule) for (path, method), rule in policies.items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rule = self._policy(scope)  # also names the route for the metrics (ROUTE), before any refusal
        try:
            if rule.guards:
                principal = await authenticate(scope["app"].state.authenticator, _header(scope, b"authorization"))
                for guard in rule.guards:
                    guard.admit(principal)
                scope[PRINCIPAL] = principal
                if self._limiter:
                    self._limiter.admit(_client(principal), f"{scope['method']} {scope[ROUTE]}")
            # with Transfer-Encoding the body is framed by it, whatever Content-Length says (RFC 9112
            # 6.3; httptools refuses the two together, h11 takes the chunks)
            chunked = _header(scope, b"transfer-encoding") is not None
            length = None if chunked else _header(scope, b"content-length")
            if length and length.isdigit() and int(length) > rule.max_body:
                raise _too_large(rule.max_body)
            size = self._counted(rule, length)
            if size:
                self._admit_after_pause(scope)
            if size and self._in_hand and self._in_hand + size > (self._large_bodies or 0):
                log.warning(
                    "large bodies: %d bytes in hand, %d more of %s refused (503)", self._in_hand, size, _wie(scope)
                )
                LARGE_BODIES_REFUSED.labels("busy").inc()
                raise _busy()
        except Problem as problem:
            await _answer(problem, scope, receive, send)
            return
        if not size:
            await self._bounded(scope, receive, send, rule.max_body, paced=False)
            return
        self._in_hand += size
        LARGE_BODIES.set(self._in_hand)
        held = True

        def give_back() -> None:
            nonlocal held
            if held:
                self._in_hand -= size
                LARGE_BODIES.set(self._in_hand)
                held = False

        async def answering(message: Message) -> None:
            # once the answer starts the body is worked off: a client slow to read the answer (or never
            # reading it) holds no share of the budget
            if message["type"] == "http.response.start":
                give_back()
            await send(message)

        try:
            refusal = await self._bounded(scope, receive, answering, rule.max_body, paced=True)
        finally:
            give_back()
        if refusal is not None and refusal.status == 408 and PRINCIPAL in scope:
            self._paused[_client(scope[PRINCIPAL])] = asyncio.get_running_loop().time() + PAUSE_SECONDS

    def _admit_after_pause(self, scope: Scope) -> None:
        """429 for a large body of a client (as its request budget counts it: a citizen their own, else the
        organisation in its role and municipality) whose last one fell behind, until its pause ends."""
        now = asyncio.get_running_loop().time()
        self._paused = {client: until for client, until in self._paused.items() if until > now}
        until = self._paused.get(_client(scope[PRINCIPAL])) if PRINCIPAL in scope else None
        if until is not None:
            log.warning("large bodies: one more of %s refused while it waits out its pause (429)", _wie(scope))
            LARGE_BODIES_REFUSED.labels("paused").inc()
            raise standard(
                429,
                f"Uw vorige grote invoer kwam te traag binnen; stuur de volgende over {math.ceil(until - now)} "
                "seconden.",
                headers={"Retry-After": str(math.ceil(until - now))},
            )

    def _counted(self, rule: Policy, length: str | None) -> int:
        """What a body counts in the large bodies' budget: its length, a chunked one its limit (it
        may grow to it); 0 outside the budget."""
        if self._large_bodies is None or rule.max_body <= DEFAULT_MAX_BODY:
            return 0
        return int(length) if length and length.isdigit() else rule.max_body

    def _policy(self, scope: Scope) -> Policy:
        for pattern, method, path, rule in self._policies:
            if method == scope["method"] and pattern.match(scope["path"]):
                scope[ROUTE] = path
                return rule
        return OPEN

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, limit: int, paced: bool) -> Problem | None:
        """Counts a body as it streams (a chunked body has no Content-Length), and looks for a NUL
        character, which no text holds and PostgreSQL refuses to store. At the limit, at a NUL, or
        when a large (`paced`) body falls behind (`_deadline`), the app is told the client left, and
        whatever it answers to that is replaced by the 413, 422 or 408: an exception raised into the
        app would reach us wrapped or turned into a 400 or 500. Once the whole body is in, nothing the
        app waits for (a disconnect, while it streams its answer) has a deadline. Returns the refusal it answered."""
        received, refusal, started, tail, whole = 0, None, False, b"", False
        begun = asyncio.get_running_loop().time()

        async def bounded_receive() -> Message:
            nonlocal received, refusal, tail, whole
            if refusal:
                return {"type": "http.disconnect"}
            try:
                if not paced or whole:
                    message = await receive()
                else:
                    async with asyncio.timeout_at(_deadline(begun, received)):
                        message = await receive()
            except TimeoutError:
                refusal = _too_slow()
                LARGE_BODIES_REFUSED.labels("too_slow").inc()
                log.warning(
                    "large bodies: one of %s fell behind after %d bytes (408; its next waits %d s)",
                    _wie(scope),
                    received,
                    PAUSE_SECONDS,
                )
                return {"type": "http.disconnect"}
            if message["type"] == "http.request":
                body = message.get("body", b"")
                received += len(body)
                if received > limit:
                    refusal = _too_large(limit)
                elif b"\x00" in body or NUL in body or NUL in tail + body[: len(NUL) - 1]:
                    refusal = _nul()
                tail = body[-(len(NUL) - 1) :]
                whole = not message.get("more_body", False)
                if refusal:
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refusal and not started:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, guarded_send)
        except Exception:
            if not refusal or started:
                raise
        if refusal and not started:
            await _answer(refusal, scope, receive, send)
            return refusal
        return None


def _wie(scope: Scope) -> str:
    """Whose request, for the log: the organisation's OIN, so the operator knows whom to call; never a person."""
    return scope[PRINCIPAL].oin if PRINCIPAL in scope else "an unauthenticated caller"


def _header(scope: Scope, name: bytes) -> str | None:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k == name), None)


def size(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit % MiB == 0 else f"{limit // KiB} KiB"


def _too_large(limit: int) -> Problem:
    return standard(413, f"De invoer is groter dan {size(limit)}.")


def _deadline(begun: float, received: int) -> float:
    """When more of a large body begun at `begun` must have arrived, with `received` bytes in: the
    grace, and a second for every BODY_BYTES_PER_SECOND that came."""
    return begun + BODY_GRACE_SECONDS + received / BODY_BYTES_PER_SECOND


def _too_slow() -> Problem:
    return standard(
        408,
        f"De invoer kwam te traag binnen (minder dan {size(BODY_BYTES_PER_SECOND)}/s na de eerste "
        f"{BODY_GRACE_SECONDS:.0f} seconden); er is niets van verwerkt. Stuur de volgende grote invoer pas "
        f"over {PAUSE_SECONDS} seconden.",
        # the rest of the body may still be on its way: closed, the connection is not kept open for it
        # (RFC 9110 15.5.9), and uvicorn closes it after the answer
        headers={"Connection": "close"},
    )


def _busy() -> Problem:
    return standard(
        503,
        f"Deze instantie verwerkt al zoveel grote invoer als zij tegelijk kan; probeer het over {BUSY_SECONDS} "
        "seconden opnieuw.",
        headers=later(BUSY_SECONDS),
    )


# JSON's escape of the NUL character (a text with a backslash before "u0000" is refused too: rare)
NUL = b"\\u0000"


def _nul() -> Problem:
    # 422: the schema lets a string hold any character; this one no text holds
    reden = "De invoer bevat een NUL-teken (\\u0000): dat is geen tekst."
    return onjuist_veld("body", "nul-teken", "NUL-teken in de invoer", reden)


async def _answer(problem: Problem, scope: Scope, receive: Receive, send: Send) -> None:
    # the app's own middleware sets API-Version; this answer never reaches it
    response = problem.response(scope["path"])
    response.headers["API-Version"] = scope["app"].version
    await response(scope, receive, send)

"""Idempotency-Key on every POST that changes state: a repeat with the same key and the same
request gets the first answer (status, body, Location) and changes nothing.

A route opts in with the `Idempotent` marker (which documents the header). `IdempotencyMiddleware`
replays a stored answer or refuses a mismatch before the route runs, and stores the answer after
it. "One change" holds across a crash and a concurrent duplicate because the claim on the key is
inserted inside the request's own state-changing transaction (`claim_in`, called by
`Service.transaction`): it commits with the change or not at all. Keys are scoped to the
organisation and municipality and expire after a configured period. A replayed answer is on the
processing log as its first request was: the operation and the persons (pseudonyms) are kept with it."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Annotated, Any, Protocol

import sqlalchemy as sa
from fastapi import Depends, Header
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schakel import logboek
from schakel.api.auth import PRINCIPAL, Principal
from schakel.api.problems import OngeldigeParameter, Problem, standard
from schakel.api.router import loads
from schakel.clock import SYSTEM
from schakel.persistence import Database, is_unavailable
from schakel.persistence.upsert import dialect_insert

_KEY = re.compile(r"[\x21-\x7e]{1,200}")
REMEMBER_ATTEMPTS = 4  # over about 1.4 s

metadata = sa.MetaData()
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("oin", sa.String(20), primary_key=True),
    sa.Column("gemeente", sa.String(6), primary_key=True),  # "" for roles without a municipality
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.Integer),  # null: claimed, the answer not (yet) stored
    sa.Column("headers", sa.JSON),
    sa.Column("body", sa.LargeBinary),
    # the operation and the persons (pseudonyms) its first request processed: a repeat is on record too
    sa.Column("naam", sa.String(120)),
    sa.Column("betrokkenen", sa.JSON),
    sa.Index("idempotency_keys_created_at", "created_at"),
)

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Maakt een herhaald verzoek veilig: met dezelfde sleutel en hetzelfde verzoek volgt hetzelfde "
        "antwoord zonder tweede wijziging. Geldig per organisatie en gemeente, tot de sleutel verloopt.",
    ),
]


async def idempotent(idempotency_key: IdempotencyKey = None) -> None:
    """Route marker: documents (and validates) the header; IdempotencyMiddleware does the work."""


Idempotent = Depends(idempotent)


def documented_responses(operation: dict[str, Any]) -> None:
    """The answer an operation with the header can give because of it (409)."""
    if not any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])):
        return
    conflict = (
        "Idempotency-Key al gebruikt voor een ander verzoek (idempotency-key-hergebruikt) of nog in "
        "gebruik (idempotency-key-in-gebruik)."
    )
    responses = operation["responses"]
    if "409" in responses:
        responses["409"]["description"] += f" Of: {conflict}"
    else:
        responses["409"] = {"description": conflict}


@dataclass
class Claim:
    """A request's hold on its key, taken in the request's own transaction."""

    oin: str
    gemeente: str
    key: str
    fingerprint: str
    now: datetime
    expired_before: datetime
    committed: bool = False

    def params(self) -> dict[str, object]:
        return {"k_oin": self.oin, "k_gemeente": self.gemeente, "k_key": self.key}

    async def insert(self, conn: AsyncConnection, answer: Mapping[str, object] | None = None) -> bool:
        """Stores the key (with the answer, when known) in one statement: an expired row of it counts
        as new and is replaced. False when the key is held (a concurrent duplicate waits for the
        holder's transaction to end, then finds it)."""
        row = {
            "oin": self.oin,
            "gemeente": self.gemeente,
            "key": self.key,
            "fingerprint": self.fingerprint,
            "created_at": self.now,
            "status": None,
            "headers": sa.null(),
            "body": None,
            "naam": None,
            "betrokkenen": sa.null(),
            "verlopen": self.expired_before,
        } | dict(answer or {})
        return (await conn.execute(_claiming(conn.dialect.name), row)).rowcount == 1


@cache
def _claiming(dialect: str) -> sa.Insert:
    """The key's row inserted, or an expired one replaced; built once (an upsert costs more to build
    than to run)."""
    t = idempotency_keys.c
    insert = dialect_insert(dialect, idempotency_keys)
    return insert.on_conflict_do_update(
        index_elements=[t.oin, t.gemeente, t.key],
        set_={
            name: insert.excluded[name]
            for name in ("fingerprint", "created_at", "status", "headers", "body", "naam", "betrokkenen")
        },
        where=t.created_at < sa.bindparam("verlopen"),
    )


# Every request with a key runs these two; built once, like the upsert, with the key as parameters.
_KEYED = sa.and_(
    idempotency_keys.c.oin == sa.bindparam("k_oin"),
    idempotency_keys.c.gemeente == sa.bindparam("k_gemeente"),
    idempotency_keys.c.key == sa.bindparam("k_key"),
)
_EARLIER = sa.select(idempotency_keys).where(_KEYED, idempotency_keys.c.created_at >= sa.bindparam("verlopen"))
_ANSWERED = idempotency_keys.update().where(_KEYED)  # SET: the columns its parameters name


_claim: ContextVar[Claim | None] = ContextVar("idempotency_claim", default=None)


async def claim_in(conn: AsyncConnection) -> Claim | None:
    """Inserts the current request's claim in `conn`'s transaction, once; None when there is none.
    A concurrent duplicate waits on the key and then fails here, so it never applies twice."""
    claim = _claim.get()
    if claim is None or claim.committed:
        return None
    if not await claim.insert(conn):
        raise _in_use()
    return claim


class Cipher(Protocol):
    """Encrypts the remembered answers (Fernet is one)."""

    def encrypt(self, data: bytes) -> bytes: ...

    def decrypt(self, token: bytes) -> bytes: ...


class IdempotencyStore:
    def __init__(self, db: Database, ttl: timedelta, clock: Callable[[], datetime] = SYSTEM.now) -> None:
        self.db, self.ttl, self._clock = db, ttl, clock
        self.cipher: Cipher | None = None  # a service whose answers hold a secret keeps them encrypted

    def body(self, row: sa.Row[Any]) -> bytes:
        """A remembered answer's body, as it was sent (one remembered before it was encrypted, by the
        version before, as it is)."""
        stored: bytes = row.body
        if self.cipher is None or not stored:
            return stored
        try:
            return self.cipher.decrypt(stored)
        except Exception:  # noqa: BLE001 - Fernet's InvalidToken: remembered in plain text
            return stored

    def claim(self, oin: str, gemeente: str | None, key: str, fingerprint: str) -> Claim:
        now = self._clock()
        return Claim(oin, gemeente or "", key, fingerprint, now, now - self.ttl)

    async def earlier(self, claim: Claim) -> sa.Row[Any] | None:
        async with self.db.alone() as conn:
            return (await conn.execute(_EARLIER, claim.params() | {"verlopen": claim.expired_before})).first()

    async def remember(self, claim: Claim, status: int, headers: dict[str, str], body: bytes) -> None:
        """One statement, atomic by itself. A success that changed nothing (no claim in a transaction)
        is remembered all the same, unless a concurrent duplicate stored its answer first. With it the
        operation and the persons the request processed (the processing log's, by pseudonym)."""
        verwerking = logboek.huidige()
        answer = {
            "status": status,
            "headers": headers,
            "body": body if self.cipher is None else self.cipher.encrypt(body),
            "naam": verwerking.naam if verwerking else None,
            "betrokkenen": dict(verwerking.betrokkenen) if verwerking else {},
        }
        for attempt in range(REMEMBER_ATTEMPTS):
            try:
                async with self.db.alone() as conn:
                    if claim.committed:
                        await conn.execute(_ANSWERED, claim.params() | answer)
                    else:
                        await claim.insert(conn, answer)
                return
            except Exception as exc:
                # the change committed: a key left without its answer would answer "in use" until it
                # expires, so a database that blinked is asked again
                if not is_unavailable(exc) or attempt + 1 == REMEMBER_ATTEMPTS:
                    raise
                await asyncio.sleep(0.2 * 2**attempt)

    async def purge(self) -> int:
        """Housekeeping: forgets expired keys."""
        async with self.db.transaction() as conn:
            result = await conn.execute(
                idempotency_keys.delete().where(idempotency_keys.c.created_at < self._clock() - self.ttl)
            )
        return result.rowcount


class IdempotencyMiddleware:
    """Pure ASGI, so that it sees the request body before the route and the answer after it. Works
    only on routes with the `Idempotent` marker, for a request with the header; it runs inside the
    edge, which has authenticated the caller and bounded the body already."""

    def __init__(self, app: ASGIApp, paths: list[str]) -> None:
        self.app, self._paths = app, [compile_path(p)[0] for p in paths]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        keys = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == b"idempotency-key"]
        key = keys[0] if keys else None
        store: IdempotencyStore | None = getattr(scope["app"].state, "idempotency", None)
        if len(keys) > 1 and any(p.match(scope["path"]) for p in self._paths):
            # the route reads the first, a proxy or a log may take the last: which key holds the request
            # is not to be guessed (read as the one that passed, a repeat under the other changed twice)
            await _twee_sleutels().response(scope["path"])(scope, receive, send)
            return
        if (
            key is None
            or store is None
            or not _KEY.fullmatch(key)
            or not any(p.match(scope["path"]) for p in self._paths)
        ):
            await self.app(scope, receive, send)
            return
        # the edge authenticated the request and bounded its body
        principal: Principal | None = scope.get(PRINCIPAL)
        if principal is None:
            await self.app(scope, receive, send)
            return
        body = await _read(receive)
        if body is None:
            return  # nobody to answer; the edge answers 413 to a body over its limit
        claim = store.claim(principal.oin, principal.gemeente, key, _fingerprint(scope, body))
        earlier = await store.earlier(claim)
        if earlier is not None:
            if earlier.fingerprint == claim.fingerprint and earlier.status is not None and earlier.naam:
                # the answer shows what the first request processed: on record for this caller too
                logboek.handelt(principal, earlier.naam)
                # (a list: stored by a version before platform_0012, which kept no capacity)
                betrokkenen = earlier.betrokkenen or {}
                for persoon in betrokkenen:
                    logboek.noteer(persoon, betrokkenen.get(persoon) if isinstance(betrokkenen, dict) else None)
            await _answer(earlier, store.body(earlier), claim, scope["path"])(scope, receive, send)
            return
        answer = _Recorder(send)
        token = _claim.set(claim)
        try:
            await self.app(scope, _replaying(body, receive), answer.send)
        finally:
            _claim.reset(token)
        try:
            # a failure that changed nothing is not remembered, so a retry runs again
            if claim.committed or 200 <= answer.status < 300:
                await store.remember(claim, answer.status, answer.kept_headers(), b"".join(answer.body))
        finally:
            # the answer goes out once remembered: a client that repeats the request the moment it has the
            # answer finds it, not a key "in use"; a change committed is answered even when remembering failed
            await answer.release()


async def _read(receive: Receive) -> bytes | None:
    """The whole body, or None when the client left (or the edge cut it off at its limit)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The body read already, then the client's own messages (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _fingerprint(scope: Scope, body: bytes) -> str:
    """The operation and the request; JSON compared by content, not by spelling. A body that names a
    member twice is read as the route reads it (refused): by its bytes, else it would match the body
    that names it once with the last value, and get that one's answer replayed."""
    try:
        canonical = json.dumps(loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        canonical = body
    digest = hashlib.sha256()
    for part in (scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), canonical):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _answer(row: sa.Row[Any], body: bytes, claim: Claim, instance: str) -> Response:
    if row.fingerprint != claim.fingerprint:
        return Problem(
            409,
            "idempotency-key-hergebruikt",
            "Idempotency-Key al gebruikt",
            "Deze Idempotency-Key hoort bij een ander verzoek.",
        ).response(instance)
    if row.status is None:
        return _in_use().response(instance)
    return Response(body, status_code=row.status, headers=row.headers)


def _twee_sleutels() -> Problem:
    reden = "Deze header staat meer dan eens in het verzoek; een verzoek heeft één Idempotency-Key."
    return standard(
        400, reden, invalid_params=[OngeldigeParameter(name="Idempotency-Key", code="herhaalde-header", reason=reden)]
    )


def _in_use() -> Problem:
    return Problem(
        409,
        "idempotency-key-in-gebruik",
        "Idempotency-Key in gebruik",
        "Een verzoek met deze Idempotency-Key is nog in behandeling, of werd verwerkt zonder dat het "
        "antwoord bewaard bleef; probeer het later opnieuw of lees op wat het verzoek aanmaakte. Een nieuwe "
        "sleutel kan de wijziging herhalen.",
    )


class _Recorder:
    """Keeps the answer to store, and holds it back until `release` (after it is remembered)."""

    KEPT = ("content-type", "location")

    def __init__(self, send: Send) -> None:
        self._send, self.status = send, 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self._held: list[Message] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status, self.headers = message["status"], message.get("headers", [])
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))
        self._held.append(message)

    async def release(self) -> None:
        held, self._held = self._held, []
        for message in held:
            await self._send(message)

    def kept_headers(self) -> dict[str, str]:
        return {
            k.decode("latin-1"): v.decode("latin-1")
            for k, v in self.headers
            if k.decode("latin-1").lower() in self.KEPT
        }

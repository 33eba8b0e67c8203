"""The Idempotency-Key store on a real database (SQLite, or PostgreSQL with SCHAKEL_TEST_POSTGRES_URL):
a claim is one statement that takes a free or expired key and refuses a held one; an expired key's
old answer goes with it; an answer stored after the change is the one a repeat finds."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from schakel.api.auth import PRINCIPAL
from schakel.api.idempotency import IdempotencyMiddleware, IdempotencyStore, claim_in, idempotency_keys, metadata
from schakel.caller import Caller, Rol
from schakel.persistence import Database
from tests.support.stack import new_database_url

TTL = timedelta(hours=24)


async def test_a_claim_takes_a_free_or_expired_key_in_one_statement_and_refuses_a_held_one(tmp_path):
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"keys-{uuid.uuid4().hex[:8]}"))
    now = datetime(2026, 11, 30, 12, tzinfo=UTC)
    clock = [now]
    store = IdempotencyStore(db, TTL, clock=lambda: clock[0])
    statements: list[str] = []
    sa.event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        async with db.transaction() as conn:
            await conn.run_sync(metadata.create_all)
        first = store.claim("00000001002220647000", "GM0363", "sleutel", "a")
        statements.clear()
        async with db.transaction() as conn:
            assert await first.insert(conn)
        assert [s.split()[0] for s in statements if not s.startswith("BEGIN")] == ["INSERT"]
        first.committed = True
        await store.remember(first, 201, {"location": "/x"}, b"{}")
        async with db.transaction() as conn:
            assert not await store.claim("00000001002220647000", "GM0363", "sleutel", "b").insert(conn), "held"
        assert (await store.earlier(first)).status == 201

        clock[0] = now + TTL + timedelta(seconds=1)
        later = store.claim("00000001002220647000", "GM0363", "sleutel", "b")
        assert await store.earlier(later) is None, "expired"
        async with db.transaction() as conn:
            assert await later.insert(conn), "an expired key counts as new"
        async with db.transaction() as conn:
            row = (await conn.execute(sa.select(idempotency_keys))).one()
        assert (row.fingerprint, row.status, row.headers, row.body) == ("b", None, None, None)
    finally:
        await db.dispose()


async def test_an_answer_remembered_before_the_store_encrypted_is_replayed_as_it_was(tmp_path):
    """A rolling upgrade: the version before remembered it in plain text."""
    from types import SimpleNamespace

    from cryptography.fernet import Fernet

    store = IdempotencyStore(None, TTL)
    store.cipher = Fernet(Fernet.generate_key())
    assert store.body(SimpleNamespace(body=b'{"a": 1}')) == b'{"a": 1}'
    assert store.body(SimpleNamespace(body=store.cipher.encrypt(b'{"b": 2}'))) == b'{"b": 2}'


async def test_an_answer_is_remembered_after_a_database_that_blinked(tmp_path):
    """The change committed; a key left without its answer would say "in use" until it expires."""
    from contextlib import asynccontextmanager

    from sqlalchemy.exc import OperationalError

    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"keys-{uuid.uuid4().hex[:8]}"))
    store = IdempotencyStore(db, TTL)
    try:
        async with db.transaction() as conn:
            await conn.run_sync(metadata.create_all)
        claim = store.claim("00000001002220647000", "GM0363", "sleutel", "a")
        async with db.transaction() as conn:
            assert await claim.insert(conn)
        claim.committed = True
        alone, blinks = db.alone, []

        @asynccontextmanager
        async def blinking():
            if len(blinks) < 2:
                blinks.append(1)
                raise OperationalError("SELECT 1", {}, Exception("connection refused"))
            async with alone() as conn:
                yield conn

        db.alone = blinking
        await store.remember(claim, 201, {"location": "/x"}, b"{}")
        db.alone = alone
        assert len(blinks) == 2 and (await store.earlier(claim)).status == 201
    finally:
        await db.dispose()


CALLER = Caller("00000001002220647000", Rol.municipality, "GM0363")


def created(db: Database, body: bytes):
    """A route that changes something (its claim committed, as Service.transaction marks it) and answers 201."""

    async def route(scope, receive, send):
        await receive()
        async with db.transaction() as conn:
            claim = await claim_in(conn)
        claim.committed = True
        await send({"type": "http.response.start", "status": 201, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    return route


def posted(store: IdempotencyStore, *keys: bytes) -> dict:
    """A POST under these Idempotency-Keys (k-1 without), as the edge hands it on (the caller verified)."""
    return {
        "type": "http",
        "method": "POST",
        "path": "/dingen",
        "query_string": b"",
        "headers": [(b"idempotency-key", key) for key in keys or (b"k-1",)],
        "app": SimpleNamespace(state=SimpleNamespace(idempotency=store)),
        PRINCIPAL: CALLER,
    }


async def test_the_answer_reaches_the_client_only_once_it_is_remembered(tmp_path):
    """A client that repeats the request the moment it has the answer (a retry loop, a second click)
    finds the answer, not a key "in use"."""
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"keys-{uuid.uuid4().hex[:8]}"))
    store = IdempotencyStore(db, TTL)
    seen: list[int | None] = []

    async def client(message):
        if message["type"] == "http.response.body":  # the client has the whole answer now
            earlier = await store.earlier(store.claim(CALLER.oin, CALLER.gemeente, "k-1", ""))
            seen.append(earlier.status if earlier else None)

    async def request():
        return {"type": "http.request", "body": b'{"a": 1}', "more_body": False}

    try:
        async with db.transaction() as conn:
            await conn.run_sync(metadata.create_all)
        await IdempotencyMiddleware(created(db, b'{"id": 1}'), ["/dingen"])(posted(store), request, client)
        assert seen == [201], "remembered before the client had it"
    finally:
        await db.dispose()


async def test_a_body_that_names_a_member_twice_does_not_get_the_answer_to_its_last_value(tmp_path):
    """The route refuses it (400 json_dubbele_naam); read as its last value it would be the request made
    before with that value under the same key, and get that one's answer: a gateway reading the first
    value would see 1000 accepted where 2000 was."""
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"keys-{uuid.uuid4().hex[:8]}"))
    store = IdempotencyStore(db, TTL)

    async def post(body: bytes) -> int:
        answered: list[int] = []

        async def request():
            return {"type": "http.request", "body": body, "more_body": False}

        async def client(message):
            if message["type"] == "http.response.start":
                answered.append(message["status"])

        await IdempotencyMiddleware(created(db, b'{"bedrag": 2000}'), ["/dingen"])(posted(store), request, client)
        return answered[0]

    try:
        async with db.transaction() as conn:
            await conn.run_sync(metadata.create_all)
        assert await post(b'{"bedrag": 2000}') == 201
        assert await post(b'{ "bedrag" : 2000 }') == 201, "the same request, spelt otherwise: its answer"
        assert await post(b'{"bedrag": 1000, "bedrag": 2000}') == 409, "another request under the same key"
    finally:
        await db.dispose()


async def test_a_request_with_two_idempotency_keys_is_refused_not_run_without_either(tmp_path):
    """The route's header validation reads the first, the middleware read the last: a valid key with an
    invalid one after it (a proxy's, a library's default) ran the change unguarded, and a repeat under the
    same two keys with another body changed it again instead of getting 409."""
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"keys-{uuid.uuid4().hex[:8]}"))
    store = IdempotencyStore(db, TTL)
    ran: list[bytes] = []

    async def route(scope, receive, send):
        ran.append((await receive())["body"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def post(*keys: bytes) -> tuple[int, bytes]:
        answered: list = []

        async def request():
            return {"type": "http.request", "body": b'{"bedrag": 1}', "more_body": False}

        async def client(message):
            answered.append(message.get("status") or message.get("body"))

        await IdempotencyMiddleware(route, ["/dingen"])(posted(store, *keys), request, client)
        return answered[0], answered[1]

    try:
        async with db.transaction() as conn:
            await conn.run_sync(metadata.create_all)
        for keys in ((b"k-1", b"met spatie"), (b"k-1", b"k-2")):
            status, body = await post(*keys)
            assert status == 400 and b"herhaalde-header" in body, keys
        assert ran == [], "not run"
        assert await post(b"k-1") == (200, b"{}")
    finally:
        await db.dispose()

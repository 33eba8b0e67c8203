"""The edge: a request is authenticated, authorized and bounded before its body is read."""

import asyncio
from collections.abc import Callable
from typing import Annotated

import httpx
import pytest
from fastapi import Depends, Path, Request
from fastapi.responses import StreamingResponse
from prometheus_client import REGISTRY

from schakel.api import Authenticator, Principal, Rol, create_app, edge, requires, zoekpad
from schakel.api.edge import BUSY_SECONDS, DEFAULT_MAX_BODY, KiB, MaxBody, MiB
from schakel.api.router import GETOONDE_NAAM, Router
from schakel.api.types import Model
from tests.support.bodies import Held, padded

router = Router()
auth = Authenticator(audience="a", issuer="i", secret="x" * 32)
UWV = auth.issue(oin="00000001003214345000", rol=Rol.uwv)
ANDER = auth.issue(oin="00000001001234567000", rol=Rol.uwv)  # another organisation in the same role
GEMEENTE = auth.issue(oin="00000001002220647000", rol=Rol.municipality, gemeente="GM0363")


class Invoer(Model):
    tekst: str


@router.post("/dingen", operation_id="maakDing", responses={503: {"description": "Eigen reden."}})
async def maak(body: Invoer, principal: Annotated[Principal, Depends(requires(Rol.uwv))]) -> dict:
    return {"oin": principal.oin, "lengte": len(body.tekst)}


@router.post("/dingen/_zoek", operation_id="zoekDingen")
async def zoek(body: Invoer, _: Annotated[Principal, Depends(requires(Rol.uwv))]) -> list:
    return []


zoekpad(router, "/dingen/_zoek")


@router.get("/dingen/{dingId}", operation_id="leesDing")
async def lees(
    dingId: Annotated[str, Path(pattern=r"^[0-9a-f]{4}$")], _: Annotated[Principal, Depends(requires(Rol.uwv))]
) -> dict:
    return {"dingId": dingId}


@router.post("/bulk", operation_id="leverBulk", dependencies=[Depends(MaxBody(2 * MiB))])
async def bulk(body: list[Invoer], _: Annotated[Principal, Depends(requires(Rol.uwv))]) -> dict:
    return {"aantal": len(body)}


@router.post("/bulk/gemeente", operation_id="leverBulkGemeente", dependencies=[Depends(MaxBody(2 * MiB))])
async def bulk_gemeente(body: list[Invoer], _: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    return {"aantal": len(body)}


@router.post("/bulk/stroom", operation_id="leverBulkStroom", dependencies=[Depends(MaxBody(2 * MiB))])
async def bulk_stroom(request: Request, _: Annotated[Principal, Depends(requires(Rol.uwv))]) -> StreamingResponse:
    """A large body answered in pieces, the last one after the body's deadline."""
    await request.body()

    async def stukken():
        yield b"een "
        await asyncio.sleep(1.5)  # the answer's own pace: past the grace of 0.5 s the test gives
        yield b"twee"

    return StreamingResponse(stukken(), media_type="text/plain")


@pytest.fixture
def client():
    app = create_app(title="t", version="1.2.3", description="d", routers=[router])
    app.state.authenticator = auth
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1")


class Chunks:
    """A 40 MB body streamed in 1 MB chunks (no Content-Length) that counts what was read of it."""

    def __init__(self, chunks: int = 40, chunk: bytes = b"[" + b" " * (MiB - 1)) -> None:
        self.chunks, self.chunk, self.read = chunks, chunk, 0

    async def __aiter__(self):
        for _ in range(self.chunks):
            self.read += 1
            yield self.chunk


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


async def test_a_body_without_a_token_is_refused_unread(client):
    body = Chunks()
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}, {"Authorization": UWV}):
        response = await client.post("/dingen", content=body, headers=headers)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "niet-geauthenticeerd" and response.headers["API-Version"] == "1.2.3"
    assert body.read == 0, "not a byte of the body was read"


async def test_a_malformed_body_without_a_token_is_401_not_400(client):
    response = await client.post("/dingen", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 401


async def test_a_role_without_access_is_refused_before_the_body(client):
    body = Chunks()
    response = await client.post("/dingen", content=body, headers=bearer(GEMEENTE))
    assert response.status_code == 403 and response.json()["code"] == "geen-toegang"
    assert body.read == 0


async def test_the_principal_verified_at_the_edge_reaches_the_route(client):
    response = await client.post("/dingen", json={"tekst": "x" * 1000}, headers=bearer(UWV))
    assert response.json() == {"oin": "00000001003214345000", "lengte": 1000}


async def test_an_oversized_body_is_413_by_its_content_length(client):
    response = await client.post("/dingen", content=b"x" * (DEFAULT_MAX_BODY + 1), headers=bearer(UWV))
    assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invoer-te-groot" and response.headers["API-Version"] == "1.2.3"


async def test_an_oversized_chunked_body_is_stopped_while_it_streams(client):
    body = Chunks(chunks=40, chunk=b" " * (16 * 1024))
    response = await client.post("/dingen", content=body, headers=bearer(UWV))
    assert response.status_code == 413 and response.json()["code"] == "invoer-te-groot"
    assert body.read == DEFAULT_MAX_BODY // len(body.chunk) + 1, "read up to the limit, not on"


class Delen:
    """A body in the pieces given."""

    def __init__(self, *delen: bytes) -> None:
        self.delen = delen

    async def __aiter__(self):
        for deel in self.delen:
            yield deel


@pytest.mark.parametrize(
    "body",
    [
        b'{"tekst": "a\\u0000b"}',  # the JSON escape
        b'{"tekst": "a\x00b"}',  # the raw byte
        Delen(b'{"tekst": "a\\u0', b'000b"}'),  # the escape split over two pieces
    ],
    ids=["escape", "byte", "split"],
)
async def test_a_nul_character_is_refused_as_not_text_before_anything_runs(client, body):
    """PostgreSQL stores no NUL in text: refused at the edge (422: the schema allows any character in a
    string), not a 500 from the database."""
    response = await client.post("/dingen", content=body, headers=bearer(UWV))
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [("body", "nul-teken")]


@pytest.mark.parametrize(
    "body", [b'{"tekst": "a"', b'{"tekst": "\xff"}', b"[" * 30_000], ids=["cut-short", "not-utf8", "too-deep"]
)
async def test_a_body_that_is_not_json_is_400_naming_the_body_in_dutch(client, body):
    response = await client.post("/dingen", content=body, headers=bearer(UWV))
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    [fout] = response.json()["invalidParams"]
    assert (fout["name"], fout["code"], fout["reason"]) == (
        "body",
        "json_invalid",
        "De invoer is geen geldige JSON (UTF-8).",
    )


@pytest.mark.parametrize(
    "path,body,naam",
    [
        ("/dingen", b'{"tekst": "laag", "tekst": "hoog"}', "tekst"),
        ("/bulk", b'[{"tekst": "a"}, {"tekst": "b", "x": {"y": 1, "y": 2}}]', "y"),
        ("/dingen", b'{"%s": 1, "%s": 2, "tekst": "a"}' % (b"n" * 100, b"n" * 100), "n" * GETOONDE_NAAM),
        # shown as an unknown property's name is: a BSN masked, also where the name is cut
        ("/dingen", b'{"999993653": 1, "999993653": 2, "tekst": "a"}', "*********"),
        ("/dingen", b'{"%s": 1, "%s": 2, "tekst": "a"}' % ((b"n" * 56 + b"999993653",) * 2), "n" * 56 + "*" * 8),
        # a lone surrogate, which no UTF-8 answer can hold
        ("/dingen", b'{"\\ud800": 1, "\\ud800": 2, "tekst": "a"}', "?"),
    ],
    ids=["top", "nested", "long-name", "bsn", "bsn-at-the-cut", "lone-surrogate"],
)
async def test_a_body_that_names_a_member_twice_in_one_object_is_400_naming_it(client, path, body, naam):
    """The parser takes the last of two; a gateway or log that takes the first sees another request."""
    response = await client.post(path, content=body, headers=bearer(UWV))
    assert response.status_code == 400 and response.headers["content-type"] == "application/problem+json"
    [fout] = response.json()["invalidParams"]
    assert (fout["name"], fout["code"]) == (naam, "json_dubbele_naam")
    assert "RFC 7493" in fout["reason"]


def test_an_app_refuses_a_router_of_fastapi_s_own():
    """Its routes would take the last of a name given twice: every Schakel API is built from Router."""
    from fastapi import APIRouter

    plain = APIRouter()

    @plain.post("/x", operation_id="x")
    async def x(body: Invoer) -> dict:
        return {}

    with pytest.raises(TypeError, match="/x"):
        create_app(title="t", version="1.2.3", description="d", routers=[router, plain])


async def test_the_same_name_in_two_objects_is_taken(client):
    body = b'[{"tekst": "a"}, {"tekst": "b"}]'
    response = await client.post("/bulk", content=body, headers=bearer(UWV))
    assert response.status_code == 200 and response.json() == {"aantal": 2}


async def test_text_that_merely_mentions_a_backslash_is_taken(client):
    response = await client.post("/dingen", json={"tekst": "C:\\u0001 en \\x00"}, headers=bearer(UWV))
    assert response.status_code == 200


async def test_a_route_declares_a_larger_limit(client):
    items = b",".join([b'{"tekst": "%s"}' % (b"x" * 1000)] * 1500)  # 1.5 MB, far above the default

    async def stream():
        yield b"["
        for start in range(0, len(items), 64 * 1024):
            yield items[start : start + 64 * 1024]
        yield b"]"

    for content in (b"[" + items + b"]", stream()):
        response = await client.post("/bulk", content=content, headers=bearer(UWV))
        assert response.status_code == 200 and response.json() == {"aantal": 1500}
    too_large = await client.post("/bulk", content=b" " * (2 * MiB + 1), headers=bearer(UWV))
    assert too_large.status_code == 413


async def test_a_search_path_beside_a_read_by_id_answers_other_methods_with_405(client):
    """GET /dingen/_zoek would reach the read by id and be refused as a malformed id."""
    zoek = await client.get("/dingen/_zoek", headers=bearer(UWV))
    assert (zoek.status_code, zoek.headers["allow"]) == (405, "POST")
    assert zoek.headers["content-type"] == "application/problem+json"
    # any other method the path does not take names the same (not the read by id's GET beside it)
    for method in ("PUT", "DELETE", "PATCH"):
        anders = await client.request(method, "/dingen/_zoek", headers=bearer(UWV))
        assert (anders.status_code, anders.headers["allow"]) == (405, "POST"), method
    assert (await client.get("/dingen/abcd", headers=bearer(UWV))).status_code == 200
    assert (await client.get("/dingen/xyz", headers=bearer(UWV))).status_code == 400, "a malformed id stays 400"
    assert "get" not in (await client.get("/openapi.json")).json()["paths"]["/dingen/_zoek"]


async def test_openapi_documents_413_with_each_operations_limit(client):
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert "64 KiB" in paths["/dingen"]["post"]["responses"]["413"]["description"]
    assert "2 MiB" in paths["/bulk"]["post"]["responses"]["413"]["description"]
    assert paths["/dingen"]["post"]["x-rollen"] == ["uwv"] and {"401", "403"} <= set(
        paths["/bulk"]["post"]["responses"]
    )


def budgeted(large_bodies: int | None) -> httpx.AsyncClient:
    app = create_app(title="t", version="1.2.3", description="d", routers=[router], large_bodies=large_bodies)
    app.state.authenticator = auth
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t/api/v1")


def refusals() -> dict[str, float]:
    """The large bodies' refusals counted so far, by reason (none yet before the first edge is built)."""
    return {
        r: REGISTRY.get_sample_value("schakel_http_large_bodies_refused_total", {"reason": r}) or 0.0
        for r in ("busy", "too_slow", "paused")
    }


async def test_large_bodies_beyond_the_process_budget_are_503_unread(caplog):
    """Parsed, a body takes about nine times its size: past the budget a large body waits its turn,
    refused before a byte is read; small bodies and other routes go on."""
    client = budgeted(3 * MiB)
    refused = refusals()
    first = Held(2 * MiB)
    in_hand = asyncio.create_task(client.post("/bulk", content=first, headers=first.headers(UWV)))
    await asyncio.wait_for(first.started.wait(), 10)  # bounded: a defect fails, not hangs
    second, chunked = Held(2 * MiB), Chunks(chunks=2)
    for content, headers in ((second, second.headers(UWV)), (chunked, bearer(UWV))):  # chunked: counts as its limit
        # bounded: were it taken, its held body would never end
        busy = await asyncio.wait_for(client.post("/bulk", content=content, headers=headers), 10)
        assert busy.status_code == 503 and busy.headers["content-type"] == "application/problem+json"
        assert busy.headers["Retry-After"] == str(BUSY_SECONDS) and busy.json()["code"] == "niet-beschikbaar"
        assert f"over {BUSY_SECONDS} seconden" in busy.json()["detail"]
    assert second.read == chunked.read == 0, "not a byte of the refused bodies was read"
    assert "more of 00000001003214345000 refused (503)" in caplog.text, "the runbook's line names the organisation"
    assert REGISTRY.get_sample_value("schakel_http_large_bodies_in_hand_bytes") == 2 * MiB, "operators see it"
    assert refusals() == refused | {"busy": refused["busy"] + 2}, "counted for the alert"
    fits = await client.post("/bulk", content=padded(MiB), headers=bearer(UWV))  # 2 + 1 MiB: within 3
    other = await client.post("/dingen", json={"tekst": "x"}, headers=bearer(UWV))
    assert fits.status_code == other.status_code == 200
    first.release.set()
    assert (await asyncio.wait_for(in_hand, 10)).status_code == 200
    turn = await client.post("/bulk", content=padded(2 * MiB), headers=bearer(UWV))
    assert turn.status_code == 200 and turn.json() == {"aantal": 0}
    assert REGISTRY.get_sample_value("schakel_http_large_bodies_in_hand_bytes") == 0


async def test_a_large_body_that_ends_in_a_refusal_gives_its_share_back():
    client = budgeted(3 * MiB)
    for content, status in ((Chunks(chunks=3), 413), (b"[" + b"x" * MiB, 400), (padded(2 * MiB), 200)):
        assert (await client.post("/bulk", content=content, headers=bearer(UWV))).status_code == status
    first = Held(2 * MiB)  # had any share stayed in hand, this and the next would not fit together
    in_hand = asyncio.create_task(client.post("/bulk", content=first, headers=first.headers(UWV)))
    await asyncio.wait_for(first.started.wait(), 10)  # bounded: a defect fails, not hangs
    assert (await client.post("/bulk", content=padded(MiB), headers=bearer(UWV))).status_code == 200
    first.release.set()
    assert (await asyncio.wait_for(in_hand, 10)).status_code == 200


async def test_a_large_body_above_the_budget_is_taken_alone():
    assert (await budgeted(MiB).post("/bulk", content=padded(2 * MiB), headers=bearer(UWV))).status_code == 200


async def test_openapi_documents_the_budget_of_large_bodies_as_a_503():
    paths = (await budgeted(3 * MiB).get("/openapi.json")).json()["paths"]
    assert "grote invoer" in paths["/bulk"]["post"]["responses"]["503"]["description"]
    assert "grote invoer" not in paths["/dingen"]["post"]["responses"]["503"]["description"]
    eigen = paths["/dingen"]["post"]["responses"]["503"]["description"]
    assert eigen.startswith("Eigen reden. Of: Nu niet te beantwoorden"), (
        "a route's own 503 keeps the platform's reasons"
    )
    assert "Retry-After" in paths["/bulk"]["post"]["responses"]["503"]["headers"]
    assert "te traag" in paths["/bulk"]["post"]["responses"]["408"]["description"]
    assert "te traag" in paths["/bulk"]["post"]["responses"]["429"]["description"]
    assert "te traag" not in paths["/dingen"]["post"]["responses"]["429"]["description"]
    assert "408" not in paths["/dingen"]["post"]["responses"]
    unbudgeted = (await budgeted(None).get("/openapi.json")).json()["paths"]["/bulk"]["post"]["responses"]
    assert "408" not in unbudgeted and "grote invoer" not in unbudgeted["503"]["description"], "only what it does"


async def test_a_large_body_that_stops_coming_is_408_and_gives_its_share_back(monkeypatch):
    """A client trickling a body would hold its share of the budget, and the others off, for as long as it
    likes: a large body must arrive within the grace and at the minimum rate after it."""
    # the same rule at a test's pace, with room for a loaded machine to read the bodies that do come
    monkeypatch.setattr(edge, "BODY_GRACE_SECONDS", 0.5)
    monkeypatch.setattr(edge, "BODY_BYTES_PER_SECOND", 1024 * MiB)
    client = budgeted(3 * MiB)
    refused = refusals()
    stuck = Held(2 * MiB)  # never released
    response = await asyncio.wait_for(client.post("/bulk", content=stuck, headers=stuck.headers(UWV)), 10)
    assert response.status_code == 408 and response.headers["content-type"] == "application/problem+json"
    assert refusals() == refused | {"too_slow": refused["too_slow"] + 1}
    assert response.json()["code"] == "invoer-te-traag" and "niets van verwerkt" in response.json()["detail"]
    assert response.headers["connection"] == "close", "the rest of a trickled body is not waited for"
    # 2 + 2 MiB would not fit in 3: its share went back
    assert (await client.post("/bulk", content=padded(2 * MiB), headers=bearer(ANDER))).status_code == 200
    small = await client.post("/dingen", json={"tekst": "x"}, headers=bearer(UWV))
    assert small.status_code == 200, "a small body has no deadline of its own"


async def test_an_organisation_whose_large_body_fell_behind_waits_before_its_next(monkeypatch, caplog):
    """Else it could start a trickled body after each 408 and hold a share a grace at a time. Its
    small requests and other organisations' large ones go on."""
    monkeypatch.setattr(edge, "BODY_GRACE_SECONDS", 0.5)
    monkeypatch.setattr(edge, "PAUSE_SECONDS", 2)
    client = budgeted(3 * MiB)
    stuck = Held(2 * MiB)  # never released
    loop = asyncio.get_running_loop()
    assert (
        await asyncio.wait_for(client.post("/bulk", content=stuck, headers=stuck.headers(UWV)), 10)
    ).status_code == 408
    fell_behind = loop.time()
    refused = refusals()
    paused = await client.post("/bulk", content=padded(MiB), headers=bearer(UWV))
    assert paused.status_code == 429 and paused.json()["code"] == "te-veel-verzoeken"
    assert refusals() == refused | {"paused": refused["paused"] + 1}
    wait = paused.headers["Retry-After"]
    assert wait in ("1", "2") and f"over {wait} seconden" in paused.json()["detail"], "what is left of it"
    assert "one more of 00000001003214345000 refused while it waits out its pause (429)" in caplog.text
    assert (await client.post("/bulk", content=padded(MiB), headers=bearer(ANDER))).status_code == 200
    assert (await client.post("/dingen", json={"tekst": "x"}, headers=bearer(UWV))).status_code == 200
    await asyncio.sleep(fell_behind + 2 - loop.time())  # the pause's own length
    assert (await client.post("/bulk", content=padded(MiB), headers=bearer(UWV))).status_code == 200


async def test_a_pause_is_the_client_s_whose_body_fell_behind_not_everyone_s_under_its_oin(monkeypatch):
    """One OIN may act for several municipalities (a shared social service), and every citizen's DigiD
    login comes with its portal's OIN: the request budget is therefore per client (`_client`), and so
    must the pause be, or one trickled body locks out every other client under that OIN."""
    monkeypatch.setattr(edge, "BODY_GRACE_SECONDS", 0.5)
    client = budgeted(3 * MiB)
    samen = auth.issue(oin="00000001002220647000", rol=Rol.municipality, gemeente="GM0344")  # GEMEENTE's OIN
    stuck = Held(2 * MiB)
    assert (
        await asyncio.wait_for(client.post("/bulk/gemeente", content=stuck, headers=stuck.headers(GEMEENTE)), 10)
    ).status_code == 408
    assert (await client.post("/bulk/gemeente", content=padded(MiB), headers=bearer(GEMEENTE))).status_code == 429
    assert (await client.post("/bulk/gemeente", content=padded(MiB), headers=bearer(samen))).status_code == 200


async def test_a_large_body_that_stops_coming_is_408_once_behind_not_after_the_time_its_size_would_have(monkeypatch):
    """At 64 KiB/s its 2 MiB would have had 32 s: a client that sends a byte and stops is refused at the
    end of the grace."""
    monkeypatch.setattr(edge, "BODY_GRACE_SECONDS", 0.2)
    stuck = Held(2 * MiB)  # never released
    loop = asyncio.get_running_loop()
    begun = loop.time()
    response = await asyncio.wait_for(budgeted(3 * MiB).post("/bulk", content=stuck, headers=stuck.headers(UWV)), 10)
    assert response.status_code == 408 and loop.time() - begun < 5


async def test_a_large_body_that_keeps_coming_at_the_rate_is_taken_after_its_grace(monkeypatch):
    """Each 256 KiB that arrives buys 0,5 s more: the body takes about 1,05 s, twice the grace, and is
    taken; with only the grace it would be 408 at its fourth piece. The least slack, before the
    second piece, is 0,85 s (a loaded CI machine)."""
    monkeypatch.setattr(edge, "BODY_GRACE_SECONDS", 0.5)
    monkeypatch.setattr(edge, "BODY_BYTES_PER_SECOND", 512 * KiB)
    piece = 256 * KiB

    async def steady():
        yield b"[" + b" " * (piece - 1)
        for _ in range(6):
            await asyncio.sleep(0.15)  # the client's pace: past the grace from the fourth piece on
            yield b" " * piece
        await asyncio.sleep(0.15)
        yield b" " * (piece - 1) + b"]"  # 8 pieces: the route's 2 MiB

    loop = asyncio.get_running_loop()
    begun = loop.time()
    response = await budgeted(3 * MiB).post("/bulk", content=steady(), headers=bearer(UWV))
    assert response.status_code == 200 and response.json() == {"aantal": 0}
    assert loop.time() - begun > edge.BODY_GRACE_SECONDS, "the body outlasted its grace"


async def test_what_the_app_waits_for_after_the_whole_body_has_no_deadline(monkeypatch):
    """A streamed answer listens for the client leaving (ASGI before 2.4, as uvicorn speaks): past the
    body's deadline that wait is no reason to cut the answer off."""
    monkeypatch.setattr(edge, "BODY_GRACE_SECONDS", 0.5)
    monkeypatch.setattr(edge, "BODY_BYTES_PER_SECOND", 1024 * MiB)
    response = await budgeted(3 * MiB).post("/bulk/stroom", content=padded(MiB), headers=bearer(UWV))
    assert response.status_code == 200 and response.text == "een twee"


def bulk_gate(route) -> tuple[edge.Edge, Callable[..., dict]]:
    """The edge with a budget of 3 MiB before a bare ASGI `route`, and the scope of a POST to /bulk by
    UWV with these further headers."""
    app = create_app(title="t", version="1.2.3", description="d", routers=[router], large_bodies=3 * MiB)
    app.state.authenticator = auth

    def scope(*headers: tuple[bytes, bytes]) -> dict:
        authorization = (b"authorization", f"Bearer {UWV}".encode())
        return {
            "type": "http",
            "method": "POST",
            "path": "/api/v1/bulk",
            "headers": [authorization, *headers],
            "app": app,
        }

    return edge.Edge(route, app.policies, None, large_bodies=3 * MiB), scope


async def drained_and_answered(scope, receive, send) -> None:
    """A bare route: reads the body, answers 200 with an empty object."""
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def empty_list() -> dict:
    return {"type": "http.request", "body": b"[]", "more_body": False}


async def test_a_body_framed_by_transfer_encoding_counts_as_chunked_whatever_its_content_length():
    """h11 (uvicorn without httptools) takes a chunked body that also says Content-Length: 0; the budget
    must not take it as empty, nor give it no deadline."""
    in_hand, sent = [], []

    async def route(scope, receive, send):
        in_hand.append(gate._in_hand)
        await drained_and_answered(scope, receive, send)

    gate, post = bulk_gate(route)

    async def send(message):
        sent.append(message)

    await gate(post((b"transfer-encoding", b"chunked"), (b"content-length", b"0")), empty_list, send)
    assert in_hand == [2 * MiB] and sent[0]["status"] == 200


async def test_a_large_body_gives_its_share_back_when_its_answer_starts_not_when_the_client_has_read_it():
    """A client that never reads the answer (its socket's buffer full) would otherwise hold its share."""
    gate, post = bulk_gate(drained_and_answered)
    in_hand_while_answering, never_read = [], asyncio.Event()

    async def send(message):
        if message["type"] == "http.response.body":
            in_hand_while_answering.append(gate._in_hand)
            await never_read.wait()

    answering = asyncio.create_task(gate(post((b"content-length", b"2")), empty_list, send))
    async with asyncio.timeout(10):  # bounded: a defect fails, not hangs
        while not in_hand_while_answering:
            await asyncio.sleep(0)  # a turn of the loop, until the answer is being sent
    assert in_hand_while_answering == [0]
    answering.cancel()
    with pytest.raises(asyncio.CancelledError):
        await answering
    assert gate._in_hand == 0

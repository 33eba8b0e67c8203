"""The console finds a service's instances by its host name: every address the name has (a headless
Service's name has one per pod) is read on its own, over real HTTP, against a stand-in name server;
one host is one instance, and a name that cannot be looked up (in time) is a service that does not
answer, as is one whose answer does not come whole in time, is too large or is not what was asked."""

import asyncio
import socket
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from console import bootstrap
from console.adapters import bronnen as bronnen_module
from console.adapters.bronnen import Bronnen
from console.service.ports import Weigering
from console.settings import Settings
from deploy.kafka_broker import free_port
from deploy.token import development, mint
from schakel.caller import Rol
from schakel.events import load_contract

METRICS = '# TYPE schakel_events_published_total counter\nschakel_events_published_total{{gemeentecode="GM0363"}} {n}\n'


WEIGERING = b'{"status":422,"code":"periode-lopend","detail":"De cijfers van een kwartaal komen later."}'


def instance(host: str, port: int, published: int, ready: bool) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            if self.path == "/metrics":
                status, body = 200, METRICS.format(n=published).encode()
            elif self.path.startswith("/api/v1/programmacijfers"):  # the ready one refuses, the other is down
                status, body = (422, WEIGERING) if ready else (503, b'{"detail":"database: onbereikbaar"}')
            elif ready:
                status, body = 200, b'{"status":"ok"}'
            else:
                status, body = 503, b'{"detail":"database: onbereikbaar"}'
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def two_instances() -> Iterator[int]:
    """Two instances on one port, on two loopback addresses, as two pods have one port on two IPs."""
    port = free_port()
    servers = [instance("127.0.0.1", port, 5, True), instance("127.0.0.2", port, 7, False)]
    yield port
    for server in servers:
        server.shutdown()
        server.server_close()


async def dns(host: str, port: int) -> list[str]:
    """A name server with a headless Service's name, `localhost` on both loopback addresses, and
    one that hangs."""
    if host == "hangt.schakel.svc":
        await asyncio.sleep(60)
    names = {"registration-pods.schakel.svc": ["127.0.0.1", "127.0.0.2"], "localhost": ["127.0.0.1", "::1"]}
    if host.startswith("127."):
        return [host]
    if host not in names:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return names[host]


def bronnen(**instanties: list[str]) -> Bronnen:
    diensten = {naam: urls[0] for naam, urls in instanties.items()}
    return Bronnen(diensten, instanties, development().kafka("schakel-console"), load_contract(), dns)


async def test_every_address_of_the_name_is_an_instance_read_on_its_own(two_instances):
    console = bronnen(registration=[f"http://registration-pods.schakel.svc:{two_instances}"])
    try:
        eerste, tweede = await console.instanties("registration")
        [alleen_metrics, _] = await console.instanties("registration", gereedheid=False)
    finally:
        await console.close()

    assert (eerste.adres, eerste.niet_gereed) == (f"127.0.0.1:{two_instances}", None)
    assert eerste.metingen == [("schakel_events_published_total", {"gemeentecode": "GM0363"}, 5.0)]
    assert (tweede.adres, tweede.niet_gereed) == (f"127.0.0.2:{two_instances}", "database: onbereikbaar")
    assert tweede.metingen == [("schakel_events_published_total", {"gemeentecode": "GM0363"}, 7.0)]
    assert alleen_metrics.metingen == eerste.metingen and alleen_metrics.niet_gereed is None


async def test_one_host_is_one_instance_however_it_is_named(two_instances):
    """`localhost` has an IPv4 and an IPv6 address, one host; an instance named by the Service's
    name and by its own address is read once."""
    port = two_instances
    console = bronnen(
        registration=[f"http://registration-pods.schakel.svc:{port}", f"http://127.0.0.2:{port}/"],
        income=[f"http://localhost:{port}"],
    )
    try:
        registration = await console.instanties("registration")
        [income] = await console.instanties("income")
    finally:
        await console.close()
    assert [i.adres for i in registration] == [f"127.0.0.1:{port}", f"127.0.0.2:{port}"]
    assert (income.adres, income.niet_gereed) == (f"localhost:{port}", None)


async def test_a_name_that_cannot_be_looked_up_in_time_is_a_service_that_does_not_answer(monkeypatch):
    monkeypatch.setattr(bronnen_module, "TIMEOUT", 0.2)
    console = bronnen(income=["http://nergens.schakel.svc:8081"], decisions=["http://hangt.schakel.svc:8082"])
    try:
        [weg] = await console.instanties("income")
        [hangt] = await console.instanties("decisions")
    finally:
        await console.close()
    assert (weg.adres, weg.metingen) == ("nergens.schakel.svc:8081", None)
    assert weg.niet_gereed is not None and weg.niet_gereed.startswith("antwoordt niet (naam niet op te zoeken")
    assert (hangt.adres, hangt.niet_gereed) == (
        "hangt.schakel.svc:8082",
        "antwoordt niet (naam niet op tijd opgezocht)",
    )


async def test_a_refusal_of_the_figures_is_the_services_reason_a_failure_is_a_service_away(two_instances):
    console = bronnen(
        decisions=[f"http://127.0.0.1:{two_instances}"],
        registration=[f"http://127.0.0.2:{two_instances}"],
        reapplication=[f"http://127.0.0.1:{free_port()}"],  # nothing listens
    )
    try:
        geweigerd = await console.programmacijfers("decisions", "tok", date(2026, 7, 1), date(2026, 9, 30))
        weg = await console.programmacijfers("registration", "tok", date(2026, 7, 1), date(2026, 9, 30))
        dicht = await console.programmacijfers("reapplication", "tok", date(2026, 7, 1), date(2026, 9, 30))
    finally:
        await console.close()
    assert geweigerd == Weigering(422, "De cijfers van een kwartaal komen later.")
    assert weg is None and dicht is None


Answer = Callable[[asyncio.StreamWriter], Awaitable[None]]


def body(content: bytes, status: str = "200 OK") -> Answer:
    async def answer(writer: asyncio.StreamWriter) -> None:
        writer.write(f"HTTP/1.1 {status}\r\nContent-Length: {len(content)}\r\n\r\n".encode() + content)
        await writer.drain()

    return answer


async def drip(writer: asyncio.StreamWriter) -> None:
    """A byte at a time, each well within the client's timeout per step, for as long as it listens."""
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(1000):
        writer.write(b"#")
        await writer.drain()
        await asyncio.sleep(0.05)  # the server's slowness, not a wait of the test


@asynccontextmanager
async def service(**paths: Answer) -> AsyncIterator[str]:
    """A service over real HTTP that answers each path (by its last segment) as given, else 200 `{}`."""
    handlers: set[asyncio.Task] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            path = (await reader.readuntil(b"\r\n\r\n")).split(b" ")[1].decode()
            name = path.split("?")[0].strip("/").split("/")[-1]
            await paths.get(name, body(b"{}"))(writer)
        except ConnectionError:
            pass  # the console stopped listening
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        for task in handlers:
            task.cancel()
        server.close()


async def test_an_answer_that_drips_in_is_cut_off_at_the_deadline_as_a_service_that_does_not_answer(monkeypatch):
    """The client's timeout is per step: a byte every 50 ms would hold a refresh for an hour and a half."""
    monkeypatch.setattr(bronnen_module, "TIMEOUT", 0.5)
    async with service(metrics=drip, ready=drip, programmacijfers=drip) as url:
        console = bronnen(income=[url])
        try:
            [income] = await asyncio.wait_for(console.instanties("income"), 5)
            cijfers = await asyncio.wait_for(
                console.programmacijfers("income", "tok", date(2026, 7, 1), date(2026, 9, 30)), 5
            )
        finally:
            await console.close()
    assert (income.metingen, income.niet_gereed, cijfers) == (None, "antwoordt niet (TeLaat)", None)


async def test_an_answer_too_large_or_not_as_asked_is_a_service_that_does_not_answer():
    """Held whole it would take the console's memory (a 300 MB /metrics took 1.9 GiB); read as it
    comes in, it is dropped at the cap."""
    padding = b"# " + b"x" * 1022 + b"\n"
    metrics = METRICS.format(n=5).encode()
    groot = padding * (4 * 1024 + 1) + metrics  # a valid exposition, over the 4 MiB cap
    async with (
        service(metrics=body(groot), programmacijfers=body(b"[" + b"0," * 600_000 + b"0]")) as te_groot,
        service(metrics=body(b"<html>niet de metrics</html>"), programmacijfers=body(b"<html>")) as onleesbaar,
        service(metrics=body(metrics)) as goed,
    ):
        console = bronnen(income=[te_groot], decisions=[onleesbaar], registration=[goed])
        try:
            [groot_antwoord] = await console.instanties("income")
            [onleesbaar_antwoord] = await console.instanties("decisions")
            [goed_antwoord] = await console.instanties("registration")
            kwartaal = (date(2026, 7, 1), date(2026, 9, 30))
            cijfers = [await console.programmacijfers(d, "tok", *kwartaal) for d in ("income", "decisions")]
        finally:
            await console.close()
    assert groot_antwoord.metingen is None and onleesbaar_antwoord.metingen is None
    assert goed_antwoord.metingen == [("schakel_events_published_total", {"gemeentecode": "GM0363"}, 5.0)]
    assert cijfers == [None, None]


async def abonnementen(answer: Answer) -> httpx.Response:
    """The console's `GET /abonnementen` for an operator, with decisions answering `answer`."""
    async with service(abonnementen=answer) as decisions:
        _, app = bootstrap.build(development(), Settings(diensten={**Settings().diensten, "decisions": decisions}))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
            return await client.get("/api/v1/abonnementen", headers={"Authorization": f"Bearer {mint(Rol.operator)}"})


async def test_subscriptions_that_are_not_json_are_decisions_not_answering_a_503_not_a_500():
    diep = b"[" * 100_000 + b"]" * 100_000  # deeper than the parser goes
    for answer in (b"<html>onderhoud</html>", b'{"geen": "lijst"}', b"[" + b"{}," * 400_000 + b"{}]", b"[1]", diep):
        response = await abonnementen(body(answer))
        assert response.status_code == 503, response.text[:300]
        assert response.headers["content-type"] == "application/problem+json"


async def test_subscriptions_decisions_refuses_are_a_refusal_with_its_reason_not_decisions_away():
    """A console token decisions does not take (a wrong audience, a role it refuses) is a setting to mend:
    the operator reads that, not that decisions does not answer."""
    response = await abonnementen(body(b'{"status": 403, "detail": "De rol heeft geen toegang."}', "403 Forbidden"))
    assert response.status_code == 503 and "Retry-After" not in response.headers
    assert response.json()["detail"] == "decisions weigert de vraag (403: De rol heeft geen toegang.)"


async def test_subscriptions_decisions_rate_limits_are_a_refusal_to_ask_again_later():
    """decisions' 429 (the caller's own request budget there) passes: unlike a refusal of a right, the
    client is told when to ask again, as it was before a refusal was answered as one."""
    response = await abonnementen(body(b'{"status": 429, "detail": "Te veel verzoeken."}', "429 Too Many Requests"))
    assert response.status_code == 503 and response.headers.get("Retry-After")
    assert response.json()["detail"] == "decisions weigert de vraag (429: Te veel verzoeken.)"


ABONNEMENT_ID = "7d0f3c4e-6b1a-4c59-9a51-0c1f0e9b2a11"


async def onderbroken(actie: str, **answers: Answer) -> httpx.Response:
    """The console's `POST /abonnementen/{id}/{actie}` for an operator, with decisions answering as given."""
    async with service(**answers) as decisions:
        _, app = bootstrap.build(development(), Settings(diensten={**Settings().diensten, "decisions": decisions}))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
            return await client.post(
                f"/api/v1/abonnementen/{ABONNEMENT_ID}/{actie}",
                headers={"Authorization": f"Bearer {mint(Rol.operator)}"},
            )


async def test_an_operator_pauses_through_the_console_and_reads_decisions_answer_or_its_refusal():
    """What decisions says about the subscription (unknown, stopped) is the operator's to read as it is;
    a refusal of the console's question is a setting (503), as for the list."""
    gepauzeerd = (
        b'{"abonnementId": "%s", "status": "gepauzeerd", "gepauzeerdDoor": ["beheerder"]}' % ABONNEMENT_ID.encode()
    )
    response = await onderbroken("_pauzeer", _pauzeer=body(gepauzeerd))
    assert response.status_code == 200 and response.json()["gepauzeerdDoor"] == ["beheerder"]
    gestopt = b'{"status": 409, "code": "abonnement-gestopt", "detail": "Het abonnement is gestopt."}'
    response = await onderbroken("_hervat", _hervat=body(gestopt, "409 Conflict"))
    assert (response.status_code, response.json()["detail"]) == (409, "Het abonnement is gestopt.")
    response = await onderbroken("_pauzeer", _pauzeer=body(b'{"status": 404, "detail": "Onbekend."}', "404 Not Found"))
    assert (response.status_code, response.json()["detail"]) == (404, "Onbekend.")
    response = await onderbroken(
        "_pauzeer", _pauzeer=body(b'{"detail": "De rol heeft geen toegang."}', "403 Forbidden")
    )
    assert (response.status_code, response.json()["detail"]) == (
        503,
        "decisions weigert de vraag (403: De rol heeft geen toegang.)",
    )
    response = await onderbroken("_pauzeer", _pauzeer=body(b"[1]"))
    assert response.status_code == 503, "not a subscription: decisions does not answer properly"
    assert (await onderbroken("_stop")).status_code == 400, "only pausing and resuming"


async def test_a_subscription_the_console_could_not_pass_on_is_decisions_not_answering_a_503_not_a_500():
    """Nested within the parser's reach (RecursionError: beyond it) but beyond what the console's own answer
    can be written with (PydanticSerializationError): decisions does not answer properly, for the pause and
    the list alike."""
    diep = b'{"a": ' * 900 + b"1" + b"}" * 900
    response = await onderbroken("_pauzeer", _pauzeer=body(diep))
    assert response.status_code == 503, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    response = await abonnementen(body(b"[" + diep + b"]"))
    assert response.status_code == 503, response.text[:300]


async def test_figures_the_console_could_not_pass_on_are_a_service_not_answering_not_a_500():
    """A figure nested within the parser's reach but beyond what the console's own answer can be written
    with (PydanticSerializationError) made the whole answer, every service's figures, a 500."""
    diep = b'{"a": ' * 900 + b"1" + b"}" * 900
    antwoord = b'{"eenheden": [{"gemeentecode": null, "cijfers": [{"naam": "x", "waarde": ' + diep + b"}]}]}"
    kwartaal = (date(2026, 7, 1), date(2026, 9, 30))
    async with service(programmacijfers=body(antwoord)) as url:
        console = bronnen(decisions=[url])
        try:
            assert await console.programmacijfers("decisions", "tok", *kwartaal) is None
        finally:
            await console.close()
        weg = "http://127.0.0.1:9"  # the discard port: nothing listens
        diensten = {**Settings().diensten, "decisions": url, "reapplication": weg, "registration": weg}
        vandaag = development().model_copy(update={"today": date(2026, 11, 30)})
        _, app = bootstrap.build(vandaag, Settings(diensten=diensten))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
            response = await client.get(
                "/api/v1/programmacijfers?van=2026-07-01&tot=2026-09-30",
                headers={"Authorization": f"Bearer {mint(Rol.operator)}"},
            )
    assert response.status_code == 200, response.text[:300]
    assert "decisions" in response.json()["onbereikbaar"]


async def test_only_an_operator_pauses_through_the_console():
    async with service() as decisions:
        _, app = bootstrap.build(development(), Settings(diensten={**Settings().diensten, "decisions": decisions}))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console") as client:
            response = await client.post(
                f"/api/v1/abonnementen/{ABONNEMENT_ID}/_pauzeer",
                headers={"Authorization": f"Bearer {mint(Rol.municipality, gemeente='GM0363')}"},
            )
    assert response.status_code == 403


async def test_a_sample_that_is_no_number_is_left_out():
    """NaN and infinity count, sum and date nothing, and a JSON answer cannot hold them: read as they
    are, one instance's would make the overview a 500 for every reader."""
    metrics = METRICS.format(n=5).encode() + (
        b'schakel_events_published_total{gemeentecode="GM0599"} NaN\n'
        b'schakel_events_published_total{gemeentecode="GM0014"} +Inf\n'
        b"# TYPE schakel_outbox_backlog_events gauge\nschakel_outbox_backlog_events -Inf\n"
    )
    async with service(metrics=body(metrics)) as url:
        console = bronnen(income=[url])
        try:
            [income] = await console.instanties("income", gereedheid=False)
        finally:
            await console.close()
    assert income.metingen == [("schakel_events_published_total", {"gemeentecode": "GM0363"}, 5.0)]


async def test_figures_or_a_reason_not_as_asked_are_a_service_that_does_not_answer_properly():
    """Read as they came, they made the whole answer (every service's figures) or the overview a 500."""
    diep = b"[" * 100_000 + b"]" * 100_000
    vreemd = [
        b'{"eenheden": [{"x": 1}]}',
        b'{"eenheden": 5}',
        b'{"eenheden": [{"gemeentecode": null, "cijfers": [1]}]}',
    ]
    vreemd += [b'{"eenheden": [], "vastgesteldOp": {"a": 1}}', diep]
    kwartaal = (date(2026, 7, 1), date(2026, 9, 30))
    for antwoord in vreemd:
        async with service(programmacijfers=body(antwoord)) as url:
            console = bronnen(decisions=[url])
            try:
                assert await console.programmacijfers("decisions", "tok", *kwartaal) is None, antwoord[:60]
            finally:
                await console.close()
    lang = b'{"detail": "' + b"x" * 5000 + b'"}'
    weigering = b'{"detail": {"x": 1}}'
    async with (
        service(ready=body(diep, "503 Service Unavailable"), programmacijfers=body(lang, "422 X")) as eerste,
        service(ready=body(lang, "503 Service Unavailable"), programmacijfers=body(weigering, "422 X")) as tweede,
    ):
        console = bronnen(decisions=[eerste], registration=[tweede])
        try:
            [diepe] = await console.instanties("decisions")
            [lange] = await console.instanties("registration")
            lange_weigering = await console.programmacijfers("decisions", "tok", *kwartaal)
            geen_zin = await console.programmacijfers("registration", "tok", *kwartaal)
        finally:
            await console.close()
    assert diepe.niet_gereed == "status 503"
    assert lange.niet_gereed is not None and len(lange.niet_gereed) == bronnen_module.MAX_DETAIL
    assert isinstance(lange_weigering, Weigering) and len(lange_weigering.detail) == bronnen_module.MAX_DETAIL
    assert geen_zin == Weigering(422, "status 422")


async def test_readers_asking_at_once_share_one_read_of_each_instance():
    """A reader's request fans out to every instance of every service: one per reader would let a few
    readers (each with a request budget of their own) queue everyone's overview behind theirs."""
    gevraagd: list[str] = []

    def langzaam(naam: str) -> Answer:
        async def answer(writer: asyncio.StreamWriter) -> None:
            gevraagd.append(naam)
            await asyncio.sleep(0.3)
            await body(METRICS.format(n=5).encode() if naam == "metrics" else b"{}")(writer)

        return answer

    async with service(metrics=langzaam("metrics"), ready=langzaam("ready")) as url:
        console = bronnen(income=[url])
        try:
            weggegaan = asyncio.ensure_future(console.instanties("income"))
            lezers = [asyncio.ensure_future(console.instanties("income")) for _ in range(9)]
            await asyncio.sleep(0.1)
            weggegaan.cancel()  # its client went away: the others still get their answer
            gelezen = await asyncio.gather(*lezers)
            daarna = await console.instanties("income")  # a later reader reads anew
        finally:
            await console.close()
    assert all(g == gelezen[0] for g in gelezen) and gelezen[0][0].metingen and gelezen[0][0].niet_gereed is None
    assert sorted(gevraagd) == ["metrics", "metrics", "ready", "ready"], "once for the nine, once after"
    assert daarna == gelezen[0]


async def test_a_name_server_that_hangs_holds_no_thread_another_lookup_needs(monkeypatch):
    """A lookup the console stopped waiting for goes on in its thread: in the loop's threads, a few
    names that hang took them all within two refreshes, and every other name (a healthy service's, the
    broker's for the Kafka client) was no longer looked up in time."""
    monkeypatch.setattr(bronnen_module, "TIMEOUT", 0.2)
    los = threading.Event()
    echt = socket.getaddrinfo

    def opzoeken(host, *args, **kwargs):
        if str(host).startswith("hangt"):
            los.wait(30)  # a resolver that does not answer: glibc waits timeout x attempts x servers
        return echt(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", opzoeken)
    voor = set(threading.enumerate())
    namen = {f"hangt{i}": [f"http://hangt{i}.schakel.svc:8080"] for i in range(40)}  # more than the loop has threads
    console = Bronnen(
        {d: u[0] for d, u in namen.items()}, namen, development().kafka("schakel-console"), load_contract()
    )
    try:
        for _ in range(2):  # a refresh, and the next while the first's lookups still hang
            await asyncio.gather(*(console.instanties(d, gereedheid=False) for d in namen))
        async with asyncio.timeout(1):
            assert await asyncio.get_running_loop().getaddrinfo("localhost", 9092), "the Kafka client's lookup"
        lookups = [t for t in set(threading.enumerate()) - voor if t.name.startswith("console-dns")]
        assert len(lookups) <= bronnen_module.TEGELIJK, "the hanging names hold the console's threads, no more"
    finally:
        los.set()
        await console.close()

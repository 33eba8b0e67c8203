"""The console finds a service's instances by its host name: every address the name has (a headless
Service's name has one per pod) is read on its own, over real HTTP, against a stand-in name server;
one host is one instance, and a name that cannot be looked up (in time) is a service that does not
answer."""

import asyncio
import socket
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from console.adapters import bronnen as bronnen_module
from console.adapters.bronnen import Bronnen, adressen
from console.service.ports import Weigering
from deploy.kafka_broker import free_port
from deploy.token import development
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


async def test_an_ip_address_is_its_own_only_address():
    assert await adressen("127.0.0.1", 8082) == ["127.0.0.1"]


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

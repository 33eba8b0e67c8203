"""The console finds a service's instances by its host name: every address the name has (a headless
Service's name has one per pod) is read on its own, over real HTTP; a name that does not resolve is
a service that does not answer."""

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from console.adapters.bronnen import Bronnen, adressen
from deploy.kafka_broker import free_port
from deploy.token import development
from schakel.events import load_contract

METRICS = '# TYPE schakel_events_published_total counter\nschakel_events_published_total{{gemeentecode="GM0363"}} {n}\n'


def instance(host: str, port: int, published: int, ready: bool) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            if self.path == "/metrics":
                status, body = 200, METRICS.format(n=published).encode()
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


async def test_every_address_of_the_name_is_an_instance_read_on_its_own(two_instances):
    async def dns(host: str, port: int) -> list[str]:
        if host != "registration-pods.schakel.svc":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return ["127.0.0.1", "127.0.0.2"]

    diensten = {
        "registration": [f"http://registration-pods.schakel.svc:{two_instances}"],
        "income": ["http://nergens:1"],
    }
    bronnen = Bronnen(diensten, development().kafka("schakel-console"), load_contract(), dns)
    try:
        eerste, tweede = await bronnen.instanties("registration")
        [weg] = await bronnen.instanties("income")
    finally:
        await bronnen.close()

    assert (eerste.adres, eerste.niet_gereed) == (f"127.0.0.1:{two_instances}", None)
    assert eerste.metingen == [("schakel_events_published_total", {"gemeentecode": "GM0363"}, 5.0)]
    assert (tweede.adres, tweede.niet_gereed) == (f"127.0.0.2:{two_instances}", "database: onbereikbaar")
    assert tweede.metingen == [("schakel_events_published_total", {"gemeentecode": "GM0363"}, 7.0)]
    assert (weg.adres, weg.metingen) == ("nergens:1", None)
    assert weg.niet_gereed is not None and weg.niet_gereed.startswith("antwoordt niet (naam niet gevonden")


async def test_an_ip_address_is_its_own_only_address():
    assert await adressen("127.0.0.1", 8082) == ["127.0.0.1"]

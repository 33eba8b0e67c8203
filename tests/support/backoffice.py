"""Back offices that misbehave, for webhook tests: a real HTTP server on 127.0.0.1 that counts
every connection it accepts (so a test can prove that nothing reached it) and answers each POST
the way it is told: a status code, a body that drips a byte a second, or an endless body."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Antwoord = Callable[[BaseHTTPRequestHandler, "Backoffice"], None]


def status(code: int) -> Antwoord:
    def antwoord(handler: BaseHTTPRequestHandler, _: Backoffice) -> None:
        handler.send_response(code)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return antwoord


def druppel(handler: BaseHTTPRequestHandler, _: Backoffice) -> None:
    """Headers at once, then the body a byte a second: a delivery that never ends by itself."""
    handler.send_response(200)
    handler.send_header("Content-Length", "3600")
    handler.end_headers()
    for _ in range(3600):
        handler.wfile.write(b".")
        handler.wfile.flush()
        time.sleep(1)


def eindeloos(handler: BaseHTTPRequestHandler, backoffice: Backoffice) -> None:
    """200 with a body of a gigabyte, written as fast as the client takes it."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(1 << 30))
    handler.end_headers()
    blok = b"\0" * 65536
    for _ in range((1 << 30) // len(blok)):
        handler.wfile.write(blok)
        backoffice.verstuurd += len(blok)


class Backoffice:
    def __init__(self, antwoord: Antwoord = status(200)) -> None:
        self.antwoord = antwoord
        self.verbindingen = 0
        self.ontvangen: list[tuple[float, dict[str, str], bytes]] = []  # (monotonic time, headers, body)
        self.verstuurd = 0  # body bytes the client took
        backoffice = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                backoffice.ontvangen.append((time.monotonic(), {k.lower(): v for k, v in self.headers.items()}, body))
                try:
                    backoffice.antwoord(self, backoffice)
                except OSError:  # the client hung up, as it should
                    self.close_connection = True

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads, block_on_close = True, False

            def verify_request(self, request, client_address) -> bool:
                backoffice.verbindingen += 1
                return True

        self._server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

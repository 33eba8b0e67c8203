"""A local HTTP endpoint for tests: every POST goes to a callback that returns the status to answer,
or the status and the headers to answer with, and the body too."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Endpoint:
    def __init__(self, on_post: Callable[[dict[str, str], bytes], int | tuple]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = on_post({k.lower(): v for k, v in self.headers.items()}, body)
                status, headers, answered = (*answer, b"")[:3] if isinstance(answer, tuple) else (answer, {}, b"")
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(answered))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answered)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

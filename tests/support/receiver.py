"""A back office's webhook endpoint for tests: records every request, answers with the given
status codes in turn and 200 after that."""

from __future__ import annotations

import threading

from tests.support.httpserver import Endpoint


class Receiver:
    def __init__(self, *statuses: int) -> None:
        self.requests: list[tuple[dict[str, str], bytes, int]] = []
        self._statuses = list(statuses)
        self._lock = threading.Lock()
        self._endpoint = Endpoint(self._receive)

    def _receive(self, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            status = self._statuses.pop(0) if self._statuses else 200
            self.requests.append((headers, body, status))
        return status

    @property
    def url(self) -> str:
        return f"{self._endpoint.base}/schakel"

    def close(self) -> None:
        self._endpoint.close()

"""A JSON API a service asks at the moment it needs the answer (a source: the BRP, another Schakel
service), rather than keeping a copy of the data. One pool of connections per source on aiohttp (a
third of httpx's CPU per question); each request carries the trace context (`traceparent`) as an
instrumented client would; a source that cannot be reached is `Unavailable` (503 to the caller)."""

from __future__ import annotations

from typing import Any

import aiohttp
from opentelemetry import propagate

from schakel.errors import Unavailable


class Bron:
    def __init__(
        self, url: str, onbereikbaar: str, headers: dict[str, str] | None = None, timeout: float = 5.0
    ) -> None:
        """`onbereikbaar`: the problem's detail when the source cannot be reached (Dutch, for the caller)."""
        self._url, self._onbereikbaar = url.rstrip("/"), onbereikbaar
        self._headers = headers or {}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None  # made on first use, inside the event loop

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def post(
        self, pad: str, body: dict[str, Any], headers: dict[str, str] | None = None, none_if_404: bool = False
    ) -> Any:
        """The JSON answer to `POST {url}{pad}`, or None for a 404 when that means "unknown"; any other
        status that is not 2xx counts as the source being unavailable."""
        headers = {**self._headers, **(headers or {})}
        propagate.inject(headers)
        try:
            self._session = self._session or aiohttp.ClientSession(timeout=self._timeout)
            async with self._session.post(self._url + pad, json=body, headers=headers) as response:
                if response.status == 404 and none_if_404:
                    return None
                response.raise_for_status()
                return await response.json()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise Unavailable(self._onbereikbaar) from exc

"""A JSON API a service asks at the moment it needs the answer (a source: the BRP, another Schakel
service), rather than keeping a copy of the data. One pool of connections per source on aiohttp (a
third of httpx's CPU per question); each request carries the trace context (`traceparent`) as an
instrumented client would; a source that cannot answer now is `Unavailable` (503 to the caller).
Every question is counted and timed per source and outcome (`schakel_source_requests_total`), so an
operator sees a source that went away before the callers' 503s say so."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import aiohttp
from opentelemetry import propagate

from schakel.errors import SourceRefused, Unavailable
from schakel.telemetry.metrics import SOURCE_DURATION, SOURCE_REQUESTS

log = logging.getLogger(__name__)
T = TypeVar("T")

# answers that mean "not now": the source is down, overloaded or limits the asking organisation
LATER = {408, 429, 502, 503, 504}
MOST_WAIT = 300  # a source's Retry-After passed on to the caller, at most this many seconds


def seconds(retry_after: str) -> int | None:
    """A source's Retry-After in whole seconds (1 to MOST_WAIT), None when it gave none or a date:
    a date depends on two clocks agreeing, and the caller then gets the default wait."""
    wait = retry_after.strip()
    if not (wait.isascii() and wait.isdigit()):
        return None
    return MOST_WAIT if len(wait) > 6 else min(max(int(wait), 1), MOST_WAIT)  # never int() of 5.000 digits


class Bron:
    def __init__(
        self, naam: str, url: str, onbereikbaar: str, headers: dict[str, str] | None = None, timeout: float = 5.0
    ) -> None:
        """`naam`: the source's name in metrics (`brp`, `income`); `onbereikbaar`: the problem's detail
        when the source cannot answer now (Dutch, for the caller)."""
        self._naam, self._url, self._onbereikbaar = naam, url.rstrip("/"), onbereikbaar
        for outcome in ("answered", "unavailable", "refused"):  # at 0 from the start: a first refusal shows
            SOURCE_REQUESTS.labels(naam, outcome)
        self._headers = headers or {}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None  # made on first use, inside the event loop

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def post(
        self,
        pad: str,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
        none_if_404: bool = False,
        lees: Callable[[Any], T] = lambda antwoord: antwoord,
    ) -> T:
        """The JSON answer to `POST {url}{pad}`, or None for a 404 when that means "unknown", as `lees`
        reads it: an answer in another shape than agreed is as good as none, and `lees` raises
        Unavailable for it. A source that cannot answer now is Unavailable; any other refusal is our
        own fault (a wrong address, key or request): a RuntimeError, a 500 to the caller. Logged with
        the status only: the body holds a BSN and the headers a credential, and neither travels in the
        raised error."""
        started, outcome = time.perf_counter(), "unavailable"
        try:
            answer = lees(await self._post(pad, body, headers, none_if_404))
            outcome = "answered"
            return answer
        except SourceRefused:
            outcome = "refused"
            raise
        finally:
            SOURCE_REQUESTS.labels(self._naam, outcome).inc()
            SOURCE_DURATION.labels(self._naam).observe(time.perf_counter() - started)

    async def _post(self, pad: str, body: dict[str, Any], headers: dict[str, str] | None, none_if_404: bool) -> Any:
        headers = {**self._headers, **(headers or {})}
        propagate.inject(headers)
        try:
            # no cookies kept between callers; no redirect re-sends the body or the credential elsewhere
            self._session = self._session or aiohttp.ClientSession(
                timeout=self._timeout, cookie_jar=aiohttp.DummyCookieJar()
            )
            async with self._session.post(self._url + pad, json=body, headers=headers, allow_redirects=False) as r:
                if r.status == 404 and none_if_404:
                    return None
                if r.status < 300:
                    try:
                        return await r.json()
                    except ValueError:  # no JSON (nor UTF-8): as good as no answer
                        log.warning("%s%s answered no JSON", self._url, pad)
                        raise Unavailable(self._onbereikbaar) from None
                status, wacht = r.status, r.headers.get("Retry-After", "")
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning("%s%s could not be asked: %s", self._url, pad, exc.__class__.__name__)
            raise Unavailable(self._onbereikbaar) from None
        if status in LATER or status >= 500:
            log.warning("%s%s answered %d", self._url, pad, status)
            raise Unavailable(self._onbereikbaar, retry_after=seconds(wacht))
        log.error("%s%s refused the question with %d", self._url, pad, status)
        raise SourceRefused(f"{self._url}{pad} refused the question with {status}")

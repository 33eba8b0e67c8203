"""What every answer carries and how often a client may ask: the security headers of the NL API
Design Rules' transport module (/transport/security-headers), and a request budget per client (OIN)
and operation."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schakel.api.problems import standard

SECURITY_HEADERS = {
    "Cache-Control": "no-store",  # answers hold personal data: no cache keeps a copy
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# the documentation pages run their own scripts (schakel.api.docs); every other answer is data
CSP_DATA, CSP_HTML = "default-src 'none'; frame-ancestors 'none'", "frame-ancestors 'none'"


class SecurityHeaders:
    """Pure ASGI, so the answers the edge gives itself (401, 413, 429) carry the headers too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                html = headers.get("content-type", "").startswith("text/html")
                # a page that set its own (stricter) policy keeps it: the console's
                headers.setdefault("Content-Security-Policy", CSP_HTML if html else CSP_DATA)
            await send(message)

        await self.app(scope, receive, secured)


class RateLimiter:
    """A bucket of `per_minute` requests per client and operation that refills continuously, so a
    client may burst up to a minute's budget; beyond it, 429 with the seconds until the next
    request is allowed. Per process: N processes behind a balancer allow N times the budget."""

    MOST = 10_000  # buckets kept before the full ones are forgotten (a citizen has a bucket of their own)

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._capacity, self._rate, self._clock = float(per_minute), per_minute / 60.0, clock
        self._buckets: dict[tuple[str, str], tuple[float, float]] = {}  # (tokens, when) per client and operation

    def _forget_full(self, now: float) -> None:
        """Drops the buckets that have refilled: a full bucket is what a client without one gets."""
        self._buckets = {
            k: (tokens, then)
            for k, (tokens, then) in self._buckets.items()
            if tokens + (now - then) * self._rate < self._capacity
        }

    def admit(self, client: str, operation: str) -> None:
        now = self._clock()
        if len(self._buckets) >= self.MOST:
            self._forget_full(now)
        tokens, then = self._buckets.get((client, operation), (self._capacity, now))
        tokens = min(self._capacity, tokens + (now - then) * self._rate)
        if tokens < 1:
            self._buckets[client, operation] = (tokens, now)
            wait = max(1, math.ceil((1 - tokens) / self._rate))
            raise standard(
                429,
                f"Te veel verzoeken voor deze operatie; probeer het over {wait} seconden opnieuw.",
                headers={"Retry-After": str(wait)},
            )
        self._buckets[client, operation] = (tokens - 1, now)

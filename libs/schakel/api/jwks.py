"""The identity provider's signing keys (JWKS), fetched over https without blocking the event loop
and trusted for a bounded time: a rotated key is picked up the first time a token names it, a
withdrawn one stops working once the cache expires."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import jwt

from schakel.api.problems import later, standard


class Jwks:
    def __init__(
        self,
        url: str,
        *,
        ttl: float = 300.0,
        min_refresh: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not url.startswith("https://"):
            raise ValueError("the JWKS is fetched over https only")
        self._url, self._ttl, self._min_refresh, self._clock = url, ttl, min_refresh, clock
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched: float | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str | None) -> jwt.PyJWK:
        """The key a token's header names; an unknown kid fetches the set again, at most every
        `min_refresh` seconds, so forged kids cannot make us hammer the identity provider."""
        if self._stale(kid):
            async with self._lock:
                if self._stale(kid):
                    await self._fetch()
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        try:
            return self._keys[kid]
        except KeyError:
            raise jwt.InvalidKeyError("no key with this kid") from None

    def _stale(self, kid: str | None) -> bool:
        if self._fetched is None:
            return True
        age = self._clock() - self._fetched
        return age >= self._ttl or (kid not in self._keys and age >= self._min_refresh)

    async def _fetch(self) -> None:
        # httpx honours SSL_CERT_FILE / SSL_CERT_DIR for an identity provider with its own CA
        try:
            async with httpx.AsyncClient(timeout=5.0, follow_redirects=False) as client:
                response = await client.get(self._url)
                response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json()).keys
        except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as exc:
            # nothing can be verified now: the caller may try again, the token may be fine
            self._keys, self._fetched = {}, None
            raise standard(503, "De sleutels van de identity provider zijn niet bereikbaar.", headers=later()) from exc
        self._keys = {k.key_id: k for k in keys}
        self._fetched = self._clock()

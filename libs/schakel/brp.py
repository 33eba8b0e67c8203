"""Where a person lives, from the BRP (Basisregistratie Personen) through the Haal Centraal BRP
Personen bevragen API, the API municipalities use. Residence decides which municipality may act
for a person (doelbinding): not who reported first, and a move in the BRP moves that right."""

from __future__ import annotations

import aiohttp
from opentelemetry import propagate

from schakel.errors import Unavailable


class HaalCentraalBrp:
    """The schakel.ports.Brp port: `POST {url}/personen` with `RaadpleegMetBurgerservicenummer`, asking only for
    `gemeenteVanInschrijving` (data minimisation); the BSN goes in the body, never in the URL. Every case
    opened and every person a municipality reports asks it, so it runs on aiohttp (a third of httpx's CPU
    per question); the request carries the trace context (`traceparent`) as an instrumented client would."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 5.0) -> None:
        self._url = url.rstrip("/") + "/personen"
        self._headers = {"X-API-KEY": api_key} if api_key else {}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None  # one pool of connections, made on first use

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def woongemeente(self, bsn: str) -> str | None:
        vraag = {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": [bsn],
            "fields": ["gemeenteVanInschrijving"],
        }
        headers = dict(self._headers)
        propagate.inject(headers)
        try:
            self._session = self._session or aiohttp.ClientSession(timeout=self._timeout)
            async with self._session.post(self._url, json=vraag, headers=headers) as response:
                response.raise_for_status()
                antwoord = await response.json()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise Unavailable("De BRP is nu niet bereikbaar; probeer het later opnieuw.") from exc
        personen = antwoord.get("personen", [])
        code = personen[0].get("gemeenteVanInschrijving", {}).get("code") if personen else None
        # the BRP's municipality code is the 4-digit CBS code; "1999" is the RNI (no municipality)
        return f"GM{code}" if code and code != "1999" else None

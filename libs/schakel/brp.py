"""Where a person lives, from the BRP (Basisregistratie Personen) through the Haal Centraal BRP
Personen bevragen API, the API municipalities use. Residence decides which municipality may act
for a person (doelbinding): not who reported first, and a move in the BRP moves that right."""

from __future__ import annotations

import httpx

from schakel.errors import Unavailable


class HaalCentraalBrp:
    """The schakel.ports.Brp port: `POST {url}/personen` with `RaadpleegMetBurgerservicenummer`, asking only for
    `gemeenteVanInschrijving` (data minimisation); the BSN goes in the body, never in the URL."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 5.0) -> None:
        self._url = url.rstrip("/") + "/personen"
        self._headers = {"X-API-KEY": api_key} if api_key else {}
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None  # one pool of connections, made on first use

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def woongemeente(self, bsn: str) -> str | None:
        vraag = {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": [bsn],
            "fields": ["gemeenteVanInschrijving"],
        }
        try:
            self._client = self._client or httpx.AsyncClient(timeout=self._timeout)
            response = await self._client.post(self._url, json=vraag, headers=self._headers)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise Unavailable("De BRP is nu niet bereikbaar; probeer het later opnieuw.") from exc
        personen = response.json().get("personen", [])
        code = personen[0].get("gemeenteVanInschrijving", {}).get("code") if personen else None
        # the BRP's municipality code is the 4-digit CBS code; "1999" is the RNI (no municipality)
        return f"GM{code}" if code and code != "1999" else None

"""Where a person lives, from the BRP (Basisregistratie Personen) through the Haal Centraal BRP
Personen bevragen API, the API municipalities use. Residence decides which municipality may act
for a person (doelbinding): not who reported first, and a move in the BRP moves that right."""

from __future__ import annotations

from schakel.bron import Bron


class HaalCentraalBrp:
    """The schakel.ports.Brp port: `POST {url}/personen` with `RaadpleegMetBurgerservicenummer`, asking only for
    `gemeenteVanInschrijving` (data minimisation); the BSN goes in the body, never in the URL. Every case
    opened and every person a municipality reports asks it."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 5.0) -> None:
        headers = {"X-API-KEY": api_key} if api_key else {}
        self._bron = Bron(url, "De BRP is nu niet bereikbaar; probeer het later opnieuw.", headers, timeout)

    async def close(self) -> None:
        await self._bron.close()

    async def woongemeente(self, bsn: str) -> str | None:
        vraag = {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": [bsn],
            "fields": ["gemeenteVanInschrijving"],
        }
        antwoord = await self._bron.post("/personen", vraag)
        personen = antwoord.get("personen", [])
        code = personen[0].get("gemeenteVanInschrijving", {}).get("code") if personen else None
        # the BRP's municipality code is the 4-digit CBS code; "1999" is the RNI (no municipality)
        return f"GM{code}" if code and code != "1999" else None

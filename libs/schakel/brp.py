"""Where a person lives, from the BRP (Basisregistratie Personen) through the Haal Centraal BRP
Personen bevragen API, the API municipalities use. Residence decides which municipality may act
for a person (doelbinding): not who reported first, and a move in the BRP moves that right."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from schakel.bron import Bron
from schakel.errors import Unavailable
from schakel.primitives import Maand

PER_VRAAG = 20  # the most persons one RaadpleegMetBurgerservicenummer may name (BRP Personen API v2)
TEGELIJK = 4  # questions in flight at once: a few, not a burst on a shared national source
log = logging.getLogger(__name__)
ONBEREIKBAAR = "De BRP is nu niet bereikbaar; probeer het later opnieuw."


class HaalCentraalBrp:
    """The schakel.ports.Brp port: `POST {url}/personen` with `RaadpleegMetBurgerservicenummer`, asking
    only for `gemeenteVanInschrijving` (data minimisation), or `datumInschrijvingInGemeente` for a
    move, and the BSN each answer is for; BSNs go in the body, never in the URL. Every case opened and
    every person a municipality reports asks it."""

    def __init__(self, url: str, api_key: str | None = None, timeout: float = 5.0) -> None:
        headers = {"X-API-KEY": api_key} if api_key else {}
        self._bron = Bron("brp", url, ONBEREIKBAAR, headers, timeout)

    async def close(self) -> None:
        await self._bron.close()

    async def woongemeente(self, bsn: str) -> str | None:
        return (await self._vraag([bsn]))[bsn]

    async def woongemeenten(self, bsns: Iterable[str]) -> dict[str, str | None]:
        """Each person's municipality, as `woongemeente` gives it: `PER_VRAAG` persons a question,
        `TEGELIJK` questions at a time (a municipality's waiting list is hundreds of persons)."""
        uniek = sorted(set(bsns))
        tegelijk = asyncio.Semaphore(TEGELIJK)

        async def vraag(deel: list[str]) -> dict[str, str | None]:
            async with tegelijk:
                return await self._vraag(deel)

        # the first question that fails (the BRP away, Retry-After) stops the rest: no burst at a source that said wait
        try:
            async with asyncio.TaskGroup() as vragen:
                taken = [vragen.create_task(vraag(uniek[i : i + PER_VRAAG])) for i in range(0, len(uniek), PER_VRAAG)]
        except ExceptionGroup as fouten:
            raise fouten.exceptions[0] from None
        return {bsn: gemeente for taak in taken for bsn, gemeente in taak.result().items()}

    async def ingeschreven_sinds(self, bsn: str) -> date | None:
        persoon = (await self._personen([bsn], "datumInschrijvingInGemeente")).get(bsn, {})
        return _datum(persoon.get("datumInschrijvingInGemeente"))

    async def _vraag(self, bsns: list[str]) -> dict[str, str | None]:
        """One question about up to `PER_VRAAG` persons; each answer names the BSN it is for."""
        personen = await self._personen(bsns, "gemeenteVanInschrijving", _gemeenten_in_vorm)
        codes = {bsn: g["code"] if (g := p.get("gemeenteVanInschrijving")) else None for bsn, p in personen.items()}
        # the BRP's municipality code is the 4-digit CBS code; "1999" is the RNI (no municipality)
        return {bsn: f"GM{code}" if (code := codes.get(bsn)) and code != "1999" else None for bsn in bsns}

    async def _personen(
        self, bsns: list[str], veld: str, in_vorm: Callable[[list[dict[str, Any]]], bool] = lambda personen: True
    ) -> dict[str, dict[str, Any]]:
        """The persons asked about that the BRP knows, by BSN, with the one field asked for (`in_vorm`
        says whether the field is in the agreed shape in each)."""
        vraag = {
            "type": "RaadpleegMetBurgerservicenummer",
            "burgerservicenummer": bsns,
            "fields": ["burgerservicenummer", veld],
        }

        def lees(antwoord: Any) -> dict[str, dict[str, Any]]:
            # the answer lists its persons (none it does not know): without the list it is no answer
            personen = antwoord.get("personen") if isinstance(antwoord, dict) else None
            if (
                not isinstance(personen, list)
                or not all(isinstance(p, dict) for p in personen)
                or not in_vorm(personen)
            ):
                log.warning("the BRP answered in another shape")
                raise Unavailable(ONBEREIKBAAR)  # as good as no answer: never a guess
            genoemd = [p.get("burgerservicenummer") for p in personen]
            if len(set(genoemd)) < len(genoemd) or not set(genoemd) <= set(bsns):
                # a person not asked about, or one twice: which answer is whose is not sure (one left out
                # is one the BRP does not know, as Haal Centraal answers it)
                log.warning("the BRP answered about persons other than those asked, or one twice")
                raise Unavailable(ONBEREIKBAAR)
            return {p["burgerservicenummer"]: p for p in personen}

        return await self._bron.post("/personen", vraag, lees=lees)


def _gemeenten_in_vorm(personen: list[dict[str, Any]]) -> bool:
    """One without a municipality of registration has none; one given in another shape is never a guess
    (GM363 is no municipality)."""
    return all(
        (g := p.get("gemeenteVanInschrijving")) is None or (isinstance(g, dict) and _code(g.get("code")))
        for p in personen
    )


def _code(code: object) -> bool:
    return isinstance(code, str) and re.fullmatch(r"[0-9]{4}", code) is not None


def _datum(waarde: dict[str, Any] | None) -> date | None:
    """A BRP date (BRP Personen API v2): whole, or of which only the year and month or the year are
    known (its last day then: the first the person is registered there for certain), or unknown."""
    try:
        match waarde:
            case {"type": "Datum", "datum": str(datum)}:
                return date.fromisoformat(datum)
            case {"type": "JaarMaandDatum", "jaar": int(jaar), "maand": int(maand)} if _getal(jaar, maand):
                return Maand(jaar, maand).laatste_dag
            case {"type": "JaarDatum", "jaar": int(jaar)} if _getal(jaar):
                return date(jaar, 12, 31)
    except (ValueError, OverflowError):  # a date that cannot be: as good as none
        pass
    return None


def _getal(*waarden: object) -> bool:
    return not any(isinstance(w, bool) for w in waarden)  # JSON true is no year

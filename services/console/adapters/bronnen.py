"""The console's sources over the network: each service's public `/metrics` and readiness, of
every instance its host name resolves to, decisions' `GET /abonnementen` and the services'
`GET /programmacijfers` over HTTP (no service imports another); the broker through schakel.messaging
(positions and headers only; replay as `make replay-dlq` does it). A broker that does not answer in
time is a source that is away (`Unavailable`, 503), as any other."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date

import httpx
from prometheus_client.parser import text_string_to_metric_families

from console.service.ports import Instantie, Meting
from schakel.errors import Unavailable
from schakel.events import Contract
from schakel.messaging import BrokerUnavailable, KafkaConfig, inspection
from schakel.messaging.replay import replay

# the console answers within a refresh: a service that does not answer within this is shown as such
TIMEOUT = 3.0
BROKER_WEG = "De broker antwoordt nu niet op tijd; probeer het later opnieuw."


@contextmanager
def _broker() -> Iterator[None]:
    """A broker that does not answer in time is a source that is away now (503), not a fault of the console."""
    try:
        yield
    except BrokerUnavailable as exc:
        raise Unavailable(BROKER_WEG, code=exc.code) from exc


# the addresses a host name has now (an IP address is its own)
Resolver = Callable[[str, int], Awaitable[list[str]]]


async def adressen(host: str, port: int) -> list[str]:
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in found})


class Bronnen:
    def __init__(
        self, diensten: dict[str, list[str]], kafka: KafkaConfig, contract: Contract, resolver: Resolver = adressen
    ) -> None:
        self._diensten, self._kafka, self._contract, self._resolver = diensten, kafka, contract, resolver
        self._http = httpx.AsyncClient(timeout=TIMEOUT)

    async def instanties(self, dienst: str) -> list[Instantie]:
        per_url = await asyncio.gather(*(self._instanties(httpx.URL(url)) for url in self._diensten[dienst]))
        return [i for found in per_url for i in found]

    async def _instanties(self, url: httpx.URL) -> list[Instantie]:
        """One per address the URL's host has: each pod behind a headless Service, read directly."""
        try:
            found = await self._resolver(url.host, url.port or 80)
        except OSError as exc:
            return [Instantie(url.netloc.decode(), None, f"antwoordt niet (naam niet gevonden: {exc})")]
        return list(await asyncio.gather(*(self._instantie(url.copy_with(host=adres)) for adres in found)))

    async def _instantie(self, url: httpx.URL) -> Instantie:
        base = str(url).rstrip("/")
        metingen, niet_gereed = await asyncio.gather(self._metingen(base), self._gereedheid(base))
        return Instantie(url.netloc.decode(), metingen, niet_gereed)

    async def _metingen(self, base: str) -> list[Meting] | None:
        try:
            response = await self._http.get(f"{base}/metrics")
            response.raise_for_status()
        except httpx.HTTPError:
            return None
        return [
            (s.name, s.labels, s.value)
            for family in text_string_to_metric_families(response.text)
            for s in family.samples
        ]

    async def _gereedheid(self, base: str) -> str | None:
        try:
            response = await self._http.get(f"{base}/api/v1/health/ready")
        except httpx.HTTPError as exc:
            return f"antwoordt niet ({exc.__class__.__name__})"
        if response.status_code == 200:
            return None
        try:
            return str(response.json().get("detail") or response.status_code)
        except ValueError:
            return f"status {response.status_code}"

    async def achterstand(self, groep: str, topics: dict[str, int]) -> dict[str, int]:
        with _broker():
            kanaal = await self._fysiek(topics)
            lag = await inspection.lag(self._kafka, groep, {t: topics[k] for t, k in kanaal.items()})
        behind = dict.fromkeys(topics, 0)
        for topic, n in lag.items():
            behind[kanaal[topic]] += n
        return behind

    async def laatste(self, topics: dict[str, int]) -> dict[str, inspection.RecordHeaders]:
        with _broker():
            kanaal = await self._fysiek(topics)
            latest = await inspection.latest(self._kafka, {t: topics[k] for t, k in kanaal.items()})
        newest: dict[str, inspection.RecordHeaders] = {}
        for topic, record in latest.items():
            if kanaal[topic] not in newest or record.produced > newest[kanaal[topic]].produced:
                newest[kanaal[topic]] = record
        return newest

    async def _fysiek(self, kanalen: dict[str, int]) -> dict[str, str]:
        """The topics on the broker of these channels, each with its channel: a channel with a topic
        per party (`polisaangiften.{oin}`) has one for every organisation that may write it."""
        channels = [self._contract.topic(k) for k in kanalen]
        found = {c.name: c.name for c in channels if not c.party}
        if len(found) < len(channels):
            found |= {
                t: c.name
                for t in await inspection.topics(self._kafka)
                for c in channels
                if c.party and re.fullmatch(c.pattern, t)
            }
        return found

    async def dlq_aantallen(self, topics: list[str]) -> dict[str, int]:
        with _broker():
            return await inspection.unreplayed(self._kafka, self._contract, topics)

    async def dode_brieven(self, topic: str, partities: int) -> list[inspection.RecordHeaders]:
        with _broker():
            return await inspection.dead_letters(self._kafka, topic, partities)

    async def herhaal(self, topic: str) -> int:
        with _broker():
            return await replay(self._kafka, topic)

    async def abonnementen(self, token: str) -> list[dict]:
        response = await self._http.get(
            f"{self._diensten['decisions'][0]}/api/v1/abonnementen", headers={"Authorization": f"Bearer {token}"}
        )
        response.raise_for_status()
        result: list[dict] = response.json()
        return result

    async def programmacijfers(self, dienst: str, token: str, van: date, tot: date) -> dict | None:
        try:
            response = await self._http.get(
                f"{self._diensten[dienst][0]}/api/v1/programmacijfers",
                params={"van": van.isoformat(), "tot": tot.isoformat()},
                headers={"Authorization": f"Bearer {token}"},
            )
            response.raise_for_status()
        except httpx.HTTPError:
            return None
        result: dict = response.json()
        return result

    async def close(self) -> None:
        await self._http.aclose()

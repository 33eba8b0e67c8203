"""The console's sources over the network: each service's public `/metrics` and readiness and
decisions' `GET /abonnementen` and the services' `GET /programmacijfers` over HTTP (no service imports another), the broker through
schakel.messaging (positions and headers only; replay as `make replay-dlq` does it); a broker that does not
answer in time is a source that is away (`Unavailable`, 503), as any other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import httpx
from prometheus_client.parser import text_string_to_metric_families

from console.service.ports import Meting
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


class Bronnen:
    def __init__(self, diensten: dict[str, str], kafka: KafkaConfig, contract: Contract) -> None:
        self._diensten, self._kafka, self._contract = diensten, kafka, contract
        self._http = httpx.AsyncClient(timeout=TIMEOUT)

    async def metingen(self, dienst: str) -> list[Meting] | None:
        try:
            response = await self._http.get(f"{self._diensten[dienst]}/metrics")
            response.raise_for_status()
        except httpx.HTTPError:
            return None
        return [
            (s.name, s.labels, s.value)
            for family in text_string_to_metric_families(response.text)
            for s in family.samples
        ]

    async def gereedheid(self, dienst: str) -> str | None:
        try:
            response = await self._http.get(f"{self._diensten[dienst]}/api/v1/health/ready")
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
            f"{self._diensten['decisions']}/api/v1/abonnementen", headers={"Authorization": f"Bearer {token}"}
        )
        response.raise_for_status()
        result: list[dict] = response.json()
        return result

    async def programmacijfers(self, dienst: str, token: str, van: date, tot: date) -> dict | None:
        try:
            response = await self._http.get(
                f"{self._diensten[dienst]}/api/v1/programmacijfers",
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

"""The console's sources over the network: each service's public `/metrics` and readiness, of
every instance its host name resolves to, decisions' `GET /abonnementen` and the services'
`GET /programmacijfers` over HTTP (no service imports another); the broker through schakel.messaging
(positions and headers only; replay as `make replay-dlq` does it). A broker that does not answer in
time is a source that is away (`Unavailable`, 503), as any other."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from console.service.ports import Instantie, Meting, Pauzeactie, Weigering
from schakel.dns import Opzoeker
from schakel.errors import Unavailable
from schakel.events import Contract
from schakel.messaging import BrokerUnavailable, KafkaConfig, inspection
from schakel.messaging.replay import Outcome, replay
from schakel.singleflight import SingleFlight

# the console answers within a refresh: a service that does not answer within this is shown as such
TIMEOUT = 3.0
# the most of an answer the console holds (a service's /metrics grows with its label values; the
# JSON it reads is small): beyond it, the service does not answer properly
MAX_METRICS = 4 * 1024 * 1024
MAX_JSON = 1024 * 1024
BROKER_WEG = "De broker antwoordt nu niet op tijd; probeer het later opnieuw."


class Onbruikbaar(httpx.HTTPError):
    """An answer the console cannot use, as good as none: the service does not answer (properly)."""


class TeLaat(Onbruikbaar):
    """No whole answer within TIMEOUT; `verzonden`: whether the request had gone out by then (its
    headers begun), or the time went in looking up, connecting or waiting for a connection."""

    def __init__(self, message: str, verzonden: bool = True) -> None:
        super().__init__(message)
        self.verzonden = verzonden


class TeGroot(Onbruikbaar):
    pass


class Onleesbaar(Onbruikbaar):
    pass


# the most of a service's reason the console passes on (a problem's detail is a sentence)
MAX_DETAIL = 300


def _gelezen(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        raise Onleesbaar(f"{response.request.url}: geen JSON") from None


def _json(response: httpx.Response, kind: type) -> Any:
    result = _gelezen(response)
    if not isinstance(result, kind):
        raise Onleesbaar(f"{response.request.url}: geen {kind.__name__}")
    return result


def _detail(response: httpx.Response) -> str:
    """Why a service says no: its problem's detail, else its status."""
    try:
        detail = _gelezen(response).get("detail")
    except (Onleesbaar, AttributeError):
        return f"status {response.status_code}"
    if not isinstance(detail, str) or not detail:
        return f"status {response.status_code}"
    return detail if len(detail) <= MAX_DETAIL else detail[: MAX_DETAIL - 1] + "…"


def _waarde(v: Any) -> bool:
    return v is None or isinstance(v, str | int | float | bool)


def _abonnement(result: Any) -> bool:
    """Whether an answer has the shape of a subscription where the console passes it on: each field a
    value or a list of values (eventTypes, gepauzeerdDoor). Nested deeper (within the parser's reach,
    beyond the serializer's), the console's own answer could not be written: a 500."""
    return isinstance(result, dict) and all(
        _waarde(v) or (isinstance(v, list) and all(_waarde(x) for x in v)) for v in result.values()
    )


def _programmacijfers(result: dict) -> bool:
    """Whether an answer has the shape of `GET /programmacijfers` where the console reads it: each figure
    of values only (a name, a value, a count, a reason), as it passes them on; nested deeper (within the
    parser's reach, beyond the serializer's), the console's own answer could not be written: a 500."""
    eenheden = result.get("eenheden")
    return (
        isinstance(eenheden, list)
        and all(
            isinstance(e, dict)
            and isinstance(e.get("gemeentecode", 0), str | None)
            and isinstance(e.get("cijfers"), list)
            and all(isinstance(c, dict) and all(_waarde(v) for v in c.values()) for c in e["cijfers"])
            for e in eenheden
        )
        and isinstance(result.get("vastgesteldOp", ""), str)
    )


@contextmanager
def _broker() -> Iterator[None]:
    """A broker that does not answer in time is a source that is away now (503), not a fault of the console."""
    try:
        yield
    except BrokerUnavailable as exc:
        raise Unavailable(BROKER_WEG, code=exc.code) from exc


# the addresses a host name has now (an IP address is its own)
Resolver = Callable[[str, int], Awaitable[list[str]]]
TEGELIJK = 16  # instances read at a time: a refresh of a large deployment queues, it does not burst


class Bronnen:
    def __init__(
        self,
        diensten: dict[str, str],
        instanties: dict[str, list[str]],
        kafka: KafkaConfig,
        contract: Contract,
        resolver: Resolver | None = None,
    ) -> None:
        self._diensten, self._instanties, self._kafka, self._contract = diensten, instanties, kafka, contract
        self._lezers = inspection.Readers(kafka)  # positions, read at every refresh of every page open
        self._tegelijk = asyncio.Semaphore(TEGELIJK)
        # a lookup goes on in its thread after the console stopped waiting: in threads of the console's
        # own, never the loop's, in which the Kafka client looks up the broker
        self._opzoeker = Opzoeker(TEGELIJK, "console-dns")
        self._resolver = resolver or self._opzoeker
        self._lopend: SingleFlight[tuple[str, bool], list[Instantie]] = SingleFlight()
        # not compressed: a small compressed body could unpack to far more than the console holds
        self._http = httpx.AsyncClient(timeout=TIMEOUT, headers={"Accept-Encoding": "identity"})

    async def instanties(self, dienst: str, gereedheid: bool = True) -> list[Instantie]:
        """Whoever asks while the service's instances are being read shares that read: what they
        answer is the same for every reader, and a read per reader would let many readers (each
        allowed a request budget of its own) hold every instance and the console's 16 places."""
        return await self._lopend((dienst, gereedheid), lambda: self._lees(dienst, gereedheid))

    async def _lees(self, dienst: str, gereedheid: bool) -> list[Instantie]:
        found = await asyncio.gather(*(self._adressen(httpx.URL(url)) for url in self._instanties[dienst]))
        # an instance named twice (by its name and its address) is read once
        urls = {url.netloc: (url, fout) for per_url in found for url, fout in per_url}
        return list(await asyncio.gather(*(self._instantie(url, fout, gereedheid) for url, fout in urls.values())))

    async def _adressen(self, url: httpx.URL) -> list[tuple[httpx.URL, str | None]]:
        """Each address of the URL's host as an instance of its own (the pods behind a headless
        Service), of one family: a host with an IPv4 and an IPv6 address (`localhost`, a pod on a
        dual-stack cluster) is one instance. The URL as given when that leaves one address or it is
        https (a certificate names the host, not a pod's address); with the reason when the name
        cannot be looked up."""
        try:
            async with asyncio.timeout(TIMEOUT):
                found = await self._resolver(url.host, url.port or 80)
        except TimeoutError:
            return [(url, "antwoordt niet (naam niet op tijd opgezocht)")]
        except OSError as exc:
            return [(url, f"antwoordt niet (naam niet op te zoeken: {exc})")]
        found = sorted(a for a in found if (":" in a) == (":" in found[0])) if found else []
        if url.scheme != "http" or len(found) < 2:
            return [(url, None)]
        return [(url.copy_with(host=adres), None) for adres in found]

    async def _instantie(self, url: httpx.URL, fout: str | None, gereedheid: bool) -> Instantie:
        if fout:
            return Instantie(url.netloc.decode(), None, fout)
        adres, base = url.netloc.decode(), str(url).rstrip("/")
        async with self._tegelijk:
            if not gereedheid:
                return Instantie(adres, await self._metingen(base), None)
            metingen, niet_gereed = await asyncio.gather(self._metingen(base), self._gereedheid(base))
        return Instantie(adres, metingen, niet_gereed)

    async def _vraag(self, url: str, limit: int, method: str = "GET", **kwargs: Any) -> httpx.Response:
        """The answer, read whole within TIMEOUT (the client's timeout is per step, which a server
        sending a byte at a time never exceeds) and up to `limit` bytes, as it streams in."""
        verzonden = False

        async def spoor(gebeurtenis: str, _: dict[str, Any]) -> None:  # httpcore's `trace` extension
            nonlocal verzonden
            if gebeurtenis.endswith(".send_request_headers.started"):
                verzonden = True

        try:
            async with (
                asyncio.timeout(TIMEOUT),
                self._http.stream(method, url, extensions={"trace": spoor}, **kwargs) as response,
            ):
                if response.headers.get("content-encoding", "identity") != "identity":
                    raise Onleesbaar(f"{url}: gecomprimeerd")
                body = bytearray()
                async for chunk in response.aiter_raw():
                    body += chunk
                    if len(body) > limit:
                        raise TeGroot(f"{url}: meer dan {limit} bytes")
        except TimeoutError:
            raise TeLaat(f"{url}: niet binnen {TIMEOUT} s", verzonden) from None
        return httpx.Response(response.status_code, content=bytes(body), request=response.request)

    async def _metingen(self, base: str) -> list[Meting] | None:
        try:
            response = await self._vraag(f"{base}/metrics", MAX_METRICS)
            response.raise_for_status()
            # a value that is no number (NaN, ±Inf) counts, sums and dates nothing, and JSON has none
            return [
                (s.name, s.labels, s.value)
                for family in text_string_to_metric_families(response.text)
                for s in family.samples
                if math.isfinite(s.value)
            ]
        except (httpx.HTTPError, ValueError):  # ValueError: not the Prometheus format
            return None

    async def _gereedheid(self, base: str) -> str | None:
        try:
            response = await self._vraag(f"{base}/api/v1/health/ready", MAX_JSON)
        except httpx.HTTPError as exc:
            return f"antwoordt niet ({exc.__class__.__name__})"
        return None if response.status_code == 200 else _detail(response)

    async def achterstand(self, groep: str, topics: dict[str, int]) -> dict[str, int]:
        with _broker():
            kanaal = await inspection.physical(self._lezers, self._contract, topics)
            lag = await inspection.lag(self._lezers, groep, {t: topics[k] for t, k in kanaal.items()})
        behind = dict.fromkeys(topics, 0)
        for topic, n in lag.items():
            behind[kanaal[topic]] += n
        return behind

    async def laatste(self, topics: dict[str, int]) -> dict[str, inspection.RecordHeaders]:
        with _broker():
            kanaal = await inspection.physical(self._lezers, self._contract, topics)
            latest = await inspection.latest(self._kafka, {t: topics[k] for t, k in kanaal.items()})
        newest: dict[str, inspection.RecordHeaders] = {}
        for topic, record in latest.items():
            if kanaal[topic] not in newest or inspection.recency(record) > inspection.recency(newest[kanaal[topic]]):
                newest[kanaal[topic]] = record
        return newest

    async def dlq_aantallen(self, topics: list[str]) -> dict[str, int]:
        with _broker():
            return await inspection.unreplayed(self._lezers, self._contract, topics)

    async def dode_brieven(self, topic: str, partities: int) -> list[inspection.RecordHeaders]:
        with _broker():
            return await inspection.dead_letters(self._kafka, topic, partities)

    async def herhaal(self, topic: str, overslaan: frozenset[tuple[int, int]] = frozenset()) -> Outcome:
        with _broker():
            return await replay(self._kafka, topic, contract=self._contract, overslaan=overslaan)

    async def abonnementen(self, token: str) -> list[dict] | Weigering:
        response = await self._vraag(
            f"{self._diensten['decisions']}/api/v1/abonnementen",
            MAX_JSON,
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.is_client_error:
            return Weigering(response.status_code, _detail(response))
        response.raise_for_status()
        result: list[dict] = _json(response, list)
        if not all(_abonnement(abonnement) for abonnement in result):
            raise Onleesbaar(f"{response.request.url}: geen lijst van abonnementen")
        return result

    async def onderbreek(self, token: str, abonnement_id: str, actie: Pauzeactie) -> dict | Weigering:
        response = await self._vraag(
            f"{self._diensten['decisions']}/api/v1/abonnementen/{abonnement_id}/{actie}",
            MAX_JSON,
            "POST",
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.is_client_error:
            return Weigering(response.status_code, _detail(response))
        response.raise_for_status()
        result: dict = _json(response, dict)
        if not _abonnement(result):
            raise Onleesbaar(f"{response.request.url}: geen abonnement")
        return result

    async def programmacijfers(self, dienst: str, token: str, van: date, tot: date) -> dict | Weigering | None:
        try:
            response = await self._vraag(
                f"{self._diensten[dienst]}/api/v1/programmacijfers",
                MAX_JSON,
                params={"van": van.isoformat(), "tot": tot.isoformat()},
                headers={"Authorization": f"Bearer {token}"},
            )
            if response.is_client_error:
                return Weigering(response.status_code, _detail(response))
            result: dict | None = _json(response, dict) if response.is_success else None
            # an answer not as asked is a service that does not answer properly, not the others' loss
            return result if result is not None and _programmacijfers(result) else None
        except httpx.HTTPError:
            return None

    async def close(self) -> None:
        self._lopend.cancel()
        await self._http.aclose()
        await self._lezers.close()
        self._opzoeker.close()

"""What the console reads, and from where: the services' own metrics and readiness, the broker's
positions and record headers, decisions' subscriptions (which an operator pauses and resumes there).
Never a record's content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from schakel.clock import Clock
from schakel.events import Contract
from schakel.messaging.inspection import RecordHeaders
from schakel.messaging.replay import Outcome

Pauzeactie = Literal["_pauzeer", "_hervat"]
# one sample of a service's /metrics: name, labels, value
Meting = tuple[str, dict[str, str], float]


@dataclass(frozen=True)
class Instantie:
    """One running instance of a service (a replica), as read now. Each has its own metrics: a
    counter of the service is the sum over its instances."""

    adres: str  # host:port it was read at
    metingen: list[Meting] | None  # None: its /metrics did not answer
    niet_gereed: str | None  # None: ready (or not asked); else why not (its answer, or that it gives none)


@dataclass(frozen=True)
class Weigering:
    """A service refused the question (4xx, e.g. a quarter its clock does not release yet, or a rate
    limit): it is there, and says why."""

    status: int
    detail: str


class Bronnen(Protocol):
    async def instanties(self, dienst: str, gereedheid: bool = True) -> list[Instantie]:
        """Every instance of the service now (a headless Service's name has an address per pod), each
        read for its metrics and, with `gereedheid`, its readiness."""

    async def achterstand(self, groep: str, topics: dict[str, int]) -> dict[str, int]:
        """Per channel (address: partitions), the records the consumer group has not committed yet;
        of a channel with a topic per party (`polisaangiften.{oin}`), over all its topics on the broker."""

    async def laatste(self, topics: dict[str, int]) -> dict[str, RecordHeaders]:
        """Per channel (address: partitions), the headers of its newest record, of a channel with a
        topic per party the newest of all its topics; a channel without records is left out."""

    async def dlq_aantallen(self, topics: list[str]) -> dict[str, int]:
        """Per dead-letter topic, how many records have not been replayed."""

    async def dode_brieven(self, topic: str, partities: int) -> list[RecordHeaders]:
        """The dead-letter topic's records that have not been replayed, newest first."""

    async def herhaal(self, topic: str, overslaan: frozenset[tuple[int, int]] = frozenset()) -> Outcome:
        """Sends the dead-letter topic's records back to where they came from, but those `overslaan`
        names ((partition, offset)); how many, which not, and which of those named it never met."""

    async def abonnementen(self, token: str) -> list[dict] | Weigering:
        """decisions' webhook subscriptions, as the caller (its bearer token) may see them; its refusal
        of the question."""

    async def onderbreek(self, token: str, abonnement_id: str, actie: Pauzeactie) -> dict | Weigering:
        """decisions' `POST /abonnementen/{id}/_pauzeer` or `_hervat` as the caller (its bearer token):
        the subscription as it is after it; its refusal (an unknown or stopped subscription)."""

    async def programmacijfers(self, dienst: str, token: str, van: date, tot: date) -> dict | Weigering | None:
        """The service's `GET /programmacijfers` as the caller may see them; its refusal of the
        question; None when it does not answer."""


@dataclass(frozen=True)
class Ports:
    bronnen: Bronnen
    contract: Contract
    clock: Clock
    diensten: tuple[str, ...]
    trace_url: str
    stil_seconden: float

"""Ports more than one service has. What every service's unit-of-work port has, whatever its
repositories: one transaction, and the events that commit with it (a service's `service/ports.py`
extends it with its repositories). And the BRP, whose residence decides who may act for a person."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol, Self

from schakel.events import Event
from schakel.events.models import EventData


class UnitOfWorkBase(Protocol):
    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc_info: Any) -> bool | None: ...

    def event(self, key: str, data: EventData) -> Event:
        """An event of a type this service sends, keyed by the person's pseudonym."""
        ...

    async def publish(self, *events: Event) -> None:
        """Writes the events so that they commit with this unit of work, or not at all."""
        ...

    async def vergrendel(self, *personen: str) -> None:
        """Holds these persons (pseudonyms) until the unit of work ends, before it reads what it will
        change about them: a unit about one of them on another instance, or a request alongside a
        consumer batch, waits, and then decides with this one's changes instead of without them."""
        ...


class Brp(Protocol):
    async def woongemeente(self, bsn: str) -> str | None:
        """The municipality (`GM` + 4 digits) the BRP registers the person in now; None when the
        BRP does not know the person (or keeps them in the RNI, outside any municipality).
        Raises schakel.errors.Unavailable when the BRP cannot be asked."""

    async def woongemeenten(self, bsns: Iterable[str]) -> dict[str, str | None]:
        """`woongemeente` of each person, asked together."""

    async def ingeschreven_sinds(self, bsn: str) -> date | None:
        """The day the BRP registered the person in the municipality they live in now (of a date known
        only to the month or year, its last day: from then on for certain); None when it does not say
        (or does not know the person). Raises schakel.errors.Unavailable like `woongemeente`."""

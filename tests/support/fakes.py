"""The base of every service's in-memory unit of work: state in memory, events checked against the
contract as the outbox would, and a unit that fails leaves no trace (as a rolled-back transaction)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date
from typing import Any

from schakel.events import Event, load_contract
from schakel.events.models import EventData
from schakel.messaging import Outbox


class FakeUnitOfWork:
    """Subclass with the service's in-memory repositories as attributes holding their state;
    `published` collects the events of committed units, oldest first."""

    def __init__(self, service: str) -> None:
        self._outbox = Outbox(load_contract(), f"urn:nld:oin:00000001003214345000:systeem:{service}", service)
        self.published: list[Event] = []
        self._pending: list[Event] = []
        self._snapshot: dict | None = None
        self._open = 0

    @property
    def open(self) -> bool:
        """Whether a unit of work is open now (a test checks that nothing waits on another service in one)."""
        return self._open > 0

    def __call__(self) -> FakeUnitOfWork:
        """The ports' `uow` factory: every unit of work shares this state."""
        return self

    async def __aenter__(self):
        self._snapshot = copy.deepcopy({k: v for k, v in vars(self).items() if not k.startswith("_")})
        self._pending = []
        self._open += 1
        return self

    async def __aexit__(self, exc_type, *_: Any) -> None:
        self._open -= 1
        if exc_type is not None:
            vars(self).update(self._snapshot)
        else:
            self.published += self._pending
        self._pending = []

    def event(self, key: str, data: EventData) -> Event:
        return self._outbox.event(key, data)

    async def vergrendel(self, *personen: str) -> None:
        """In memory one coroutine changes the store at a time: nothing to wait for."""

    async def publish(self, *events: Event) -> None:
        self._outbox.check(*events)
        self._pending += events


class FakeBrp:
    """The BRP port in memory: BSN -> municipality of residence; a test moves people by writing it."""

    def __init__(self, personen: dict[str, str] | None = None, standaard: str | None = "GM0363") -> None:
        self.personen = dict(personen or {})
        self.standaard = standaard  # where everyone not in `personen` lives (None: unknown)
        self.sinds: dict[str, date] = {}  # the day of registration there, where a test says it

    async def woongemeente(self, bsn: str) -> str | None:
        return self.personen.get(bsn, self.standaard)

    async def woongemeenten(self, bsns: Iterable[str]) -> dict[str, str | None]:
        return {bsn: self.personen.get(bsn, self.standaard) for bsn in bsns}

    async def ingeschreven_sinds(self, bsn: str) -> date | None:
        return self.sinds.get(bsn)

"""What the registration service needs from the outside world, as it names it. Only bootstrap.py
knows the adapters behind these; tests/fakes.py has in-memory ones."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from registration.domain.deelname import Feit, Soort
from registration.domain.melding import Intrekking
from schakel.clock import Clock
from schakel.ports import Brp, UnitOfWorkBase


class Feiten(Protocol):
    async def van(self, persoon: str) -> list[Feit]:
        """A person's facts in arrival order."""

    async def voeg_toe(
        self, persoon: str, bsn: str, feit: Feit, bron: str, ontvangen_op: datetime, aankondigen_op: date | None = None
    ) -> Feit:
        """Stores the fact (to be announced on `aankondigen_op`: dated ahead); returns it with its arrival number."""

    async def trek_in(self, persoon: str, volgnummer: int) -> None:
        """Deletes the person's fact with this arrival number (withdrawn)."""

    async def aan_te_kondigen(
        self, op: date, aantal: int, onder: Collection[str] | None = None
    ) -> dict[str, tuple[str, date]]:
        """The first `aantal` persons (by pseudonym; given `onder`, of those) with a fact to announce by
        `op`: their BSN and the earliest such date."""

    async def aangekondigd(self, personen: list[str], op: date) -> None:
        """Their facts to announce by `op` are announced."""

    async def plan(self, persoon: str, op: date) -> None:
        """The person's next day to announce is `op` (kept with their newest fact, in place of its own: `op`
        is the first of every day still to come, so none is lost)."""

    async def met_soorten(
        self, soorten: Collection[Soort], gemeentecode: str | None
    ) -> dict[str, tuple[str, list[Feit]]]:
        """(BSN, all their facts in arrival order) of each person with a fact of one of these kinds
        (and, given a municipality, a fact that names it)."""

    async def stil_voor(self, tot: date, na: str | None, aantal: int) -> dict[str, list[Feit]]:
        """The facts, in arrival order, of the first `aantal` persons after `na` (in order of
        pseudonym) whose last fact is dated before `tot`: only their facts can have stopped giving
        them anything before it (retention)."""

    async def vergeet(self, gelezen: Mapping[str, list[int]]) -> None:
        """Deletes the facts retention read of these persons (their arrival numbers): a fact that
        arrived since keeps its person."""

    async def vergeet_nummering(self, personen: list[str]) -> None:
        """Deletes the numbering of the events (the outbox's sequence row) of those of these persons of
        whom no fact and no withdrawal is left."""


class Intrekkingen(Protocol):
    async def van(self, persoon: str) -> list[Intrekking]:
        """The person's withdrawn facts, in the order they were withdrawn."""

    async def voeg_toe(self, persoon: str, intrekking: Intrekking) -> None: ...

    async def vergeet(self, personen: list[str]) -> None:
        """Deletes the withdrawals of these persons (retention forgot them)."""

    async def personen_voor(self, voor: datetime) -> list[str]:
        """The persons of the withdrawals made before `voor`."""

    async def vergeet_voor(self, voor: datetime) -> None:
        """Deletes every withdrawal made before `voor`."""


class Taakstellingen(Protocol):
    async def zet(self, gemeentecode: str, jaar: int, aantal: int, door: str, op: datetime) -> None: ...

    async def van(self, gemeentecode: str, jaar: int) -> int | None: ...

    async def in_jaar(self, jaar: int) -> dict[str, int]:
        """Every municipality's number for the year (the programme's figures)."""


class UnitOfWork(UnitOfWorkBase, Protocol):
    """One transaction: the repositories, and the events that commit with it."""

    feiten: Feiten
    intrekkingen: Intrekkingen
    taakstellingen: Taakstellingen


@dataclass(frozen=True)
class Ports:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    pseudonym: Callable[[str], str]  # BSN -> the person's stable pseudonym (the message key)
    brp: Brp  # residence: which municipality reports for and sees a person
    # what a withdrawn fact said -> its fingerprint (melding.kenmerk): a keyed hash, under a key of its own
    kenmerk: Callable[[str], str]

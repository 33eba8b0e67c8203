"""In-memory adapters of the registration service's ports."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from registration.adapters.repository import UnitOfWork
from registration.domain.deelname import Feit, Soort
from registration.domain.melding import Intrekking
from registration.service.ports import Ports
from schakel.clock import FixedClock
from schakel.events.pseudonym import Pseudonymiser
from schakel.persistence import Database
from tests.support.fakes import FakeBrp, FakeUnitOfWork
from tests.support.opslag import gemigreerd


class FakeFeiten:
    def __init__(self) -> None:
        self.rijen: list[tuple[str, str, Feit]] = []  # (person, BSN, fact) in arrival order
        self.aankondigen: dict[int, date] = {}  # by arrival number: the date to announce it

    async def van(self, persoon: str) -> list[Feit]:
        return [f for p, _, f in self.rijen if p == persoon]

    async def voeg_toe(
        self, persoon: str, bsn: str, feit: Feit, bron: str, ontvangen_op: datetime, aankondigen_op: date | None = None
    ) -> Feit:
        opgeslagen = replace(feit, volgnummer=max((f.volgnummer for _, _, f in self.rijen), default=0) + 1, bron=bron)
        self.rijen.append((persoon, bsn, opgeslagen))
        if aankondigen_op is not None:
            self.aankondigen[opgeslagen.volgnummer] = aankondigen_op
        return opgeslagen

    async def trek_in(self, persoon: str, volgnummer: int) -> None:
        self.rijen = [r for r in self.rijen if (r[0], r[2].volgnummer) != (persoon, volgnummer)]
        self.aankondigen.pop(volgnummer, None)

    async def aan_te_kondigen(
        self, op: date, aantal: int, onder: Collection[str] | None = None
    ) -> dict[str, tuple[str, date]]:
        result: dict[str, tuple[str, date]] = {}
        for p, bsn, f in self.rijen:
            if onder is not None and p not in onder:
                continue
            if (dag := self.aankondigen.get(f.volgnummer)) is not None and dag <= op:
                result[p] = (bsn, min(dag, result.get(p, (bsn, dag))[1]))
        return {p: result[p] for p in sorted(result)[:aantal]}

    async def aangekondigd(self, personen: list[str], op: date) -> None:
        for p, _, f in self.rijen:
            if p in personen and self.aankondigen.get(f.volgnummer, date.max) <= op:
                del self.aankondigen[f.volgnummer]

    async def plan(self, persoon: str, op: date) -> None:
        self.aankondigen[max(f.volgnummer for p, _, f in self.rijen if p == persoon)] = op

    async def met_soorten(
        self, soorten: Collection[Soort], gemeentecode: str | None
    ) -> dict[str, tuple[str, list[Feit]]]:
        soort = {p for p, _, f in self.rijen if f.soort in soorten}
        genoemd = {p for p, _, f in self.rijen if gemeentecode in (None, f.gemeentecode)}
        result: dict[str, tuple[str, list[Feit]]] = {}
        for p, bsn, f in self.rijen:
            if p in soort & genoemd:
                result.setdefault(p, (bsn, []))[1].append(f)
        return result

    async def stil_voor(self, tot: date, na: str | None, aantal: int) -> dict[str, list[Feit]]:
        result: dict[str, list[Feit]] = {}
        for p, _, f in self.rijen:
            result.setdefault(p, []).append(f)
        stil = sorted(p for p, feiten in result.items() if max(f.datum for f in feiten) < tot and p > (na or ""))
        return {p: result[p] for p in stil[:aantal]}

    async def vergeet(self, gelezen: Mapping[str, list[int]]) -> None:
        self.rijen = [r for r in self.rijen if r[2].volgnummer not in gelezen.get(r[0], [])]

    async def vergeet_nummering(self, personen: list[str]) -> None:
        """In memory the events are not numbered (the outbox's sequence rows are the SQL store's)."""


class FakeIntrekkingen:
    def __init__(self) -> None:
        self.rijen: list[tuple[str, Intrekking]] = []

    async def van(self, persoon: str) -> list[Intrekking]:
        return [i for p, i in self.rijen if p == persoon]

    async def voeg_toe(self, persoon: str, intrekking: Intrekking) -> None:
        self.rijen.append((persoon, intrekking))

    async def vergeet(self, personen: list[str]) -> None:
        self.rijen = [(p, i) for p, i in self.rijen if p not in personen]

    async def personen_voor(self, voor: datetime) -> list[str]:
        return sorted({p for p, i in self.rijen if i.op < voor})

    async def vergeet_voor(self, voor: datetime) -> None:
        self.rijen = [(p, i) for p, i in self.rijen if i.op >= voor]


class FakeTaakstellingen:
    def __init__(self) -> None:
        self.aantallen: dict[tuple[str, int], int] = {}

    async def zet(self, gemeentecode: str, jaar: int, aantal: int, door: str, op: datetime) -> None:
        self.aantallen[(gemeentecode, jaar)] = aantal

    async def van(self, gemeentecode: str, jaar: int) -> int | None:
        return self.aantallen.get((gemeentecode, jaar))

    async def in_jaar(self, jaar: int) -> dict[str, int]:
        return {g: n for (g, j), n in self.aantallen.items() if j == jaar}


class Registratie(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__("registration")
        self.feiten = FakeFeiten()
        self.intrekkingen = FakeIntrekkingen()
        self.taakstellingen = FakeTaakstellingen()


def ports(today: date) -> tuple[Ports, Registratie]:
    uow = Registratie()
    kenmerk = Pseudonymiser(b"registration-tests-kenmerk")
    return Ports(
        uow=uow, clock=FixedClock(today), pseudonym=lambda bsn: f"p-{bsn}", brp=FakeBrp(), kenmerk=kenmerk
    ), uow


async def op_database(tmp_path: Path, vandaag: date) -> tuple[Ports, Database]:
    """The ports with the SQL stores on a new, migrated database of their own (SQLite here,
    PostgreSQL in CI) in place of the fakes."""
    db, service = await gemigreerd(tmp_path, "registration")
    return replace(ports(vandaag)[0], uow=lambda: UnitOfWork(service)), db


async def verwerk(handler, events) -> dict[str, str]:
    """As the consumer runs a batch handler: what it needs from the BRP first, then the transaction."""
    await handler.prepare(events)
    return await handler.handle(None, events)

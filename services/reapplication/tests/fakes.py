"""In-memory adapters of the reapplication service's ports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from reapplication.adapters.repository import UnitOfWork
from reapplication.domain.heraanvraag import Heraanvraag, Uitkering, in_lijst
from reapplication.domain.inkomen import LaatsteInkomen, Polis
from reapplication.domain.overdracht import Overdracht
from reapplication.domain.termijn import Heraanvraagtermijn
from reapplication.service.ports import Ports
from schakel.caller import Caller
from schakel.clock import FixedClock
from schakel.errors import Unavailable
from schakel.persistence import Database
from schakel.primitives import Maand
from schakel.primitives.bewaring import uitgestroomd
from schakel.primitives.cijfers import Periode
from tests.support.fakes import FakeBrp, FakeUnitOfWork
from tests.support.opslag import gemigreerd


class FakeTermijnen:
    def __init__(self) -> None:
        self.rijen: dict[str, tuple[str, Heraanvraagtermijn]] = {}  # by benefit: (person, window)

    async def van(self, persoon: str) -> list[Heraanvraagtermijn]:
        return sorted((t for p, t in self.rijen.values() if p == persoon), key=lambda t: t.einddatum, reverse=True)

    async def zet(self, persoon: str, termijn: Heraanvraagtermijn) -> bool:
        if (eerder := self.rijen.get(termijn.uitkering_id)) is not None:
            if eerder[1].einddatum == termijn.einddatum:
                self.rijen[termijn.uitkering_id] = (persoon, replace(eerder[1], hergebruik=termijn.hergebruik))
                return False
            termijn = replace(termijn, gemeentecode=eerder[1].gemeentecode, gesloten_op=eerder[1].gesloten_op)
        self.rijen[termijn.uitkering_id] = (persoon, termijn)
        return True

    async def sluit(self, uitkering_id: str, op: date) -> None:
        persoon, termijn = self.rijen[uitkering_id]
        self.rijen[uitkering_id] = (persoon, replace(termijn, gesloten_op=op))


class FakeUitkeringen:
    def __init__(self) -> None:
        self.rijen: dict[str, tuple[str, Uitkering]] = {}  # by case: (person, case)
        self.vergeten_zaken: dict[str, tuple[int, date]] = {}  # by case: (sequence number, forgotten on)

    async def vergeten(self, uitkering_id: str) -> int | None:
        return self.vergeten_zaken[uitkering_id][0] if uitkering_id in self.vergeten_zaken else None

    async def van(self, persoon: str) -> list[Uitkering]:
        return [u for p, u in self.rijen.values() if p == persoon]

    async def geopend(self, persoon: str, u: Uitkering) -> None:
        _, bekend = self.rijen.setdefault(u.uitkering_id, (persoon, u))
        if bekend.geopend is None:
            self.rijen[u.uitkering_id] = (persoon, replace(bekend, geopend=u.geopend))

    async def beeindigd(self, persoon: str, uitkering_id: str, einddatum: date, volgnummer: int | None) -> None:
        _, bekend = self.rijen.get(uitkering_id, (persoon, Uitkering(uitkering_id)))
        self.rijen[uitkering_id] = (persoon, replace(bekend, einddatum=einddatum, volgnummer=volgnummer))


class FakeTermijnbeleid:
    def __init__(self) -> None:
        self.regels: dict[str, dict[date, int]] = {}

    async def van(self, gemeentecode: str) -> list[tuple[date, int]]:
        return sorted(self.regels.get(gemeentecode, {}).items())

    async def zet(self, gemeentecode: str, geldig_vanaf: date, maanden: int) -> None:
        self.regels.setdefault(gemeentecode, {})[geldig_vanaf] = maanden


class FakeOverdrachten:
    def __init__(self) -> None:
        self.rijen: dict[str, tuple[Overdracht, str]] = {}  # by person: (the latest handover, BSN)
        self.eerdere: dict[str, list[tuple[Overdracht, str]]] = {}  # by person: those of earlier WWs

    def alle_rijen(self) -> list[tuple[Overdracht, str]]:
        return [*self.rijen.values(), *(r for rs in self.eerdere.values() for r in rs)]

    async def van(self, persoon: str) -> Overdracht | None:
        return self.rijen[persoon][0] if persoon in self.rijen else None

    async def alle(self, persoon: str) -> list[Overdracht]:
        rs = [*self.eerdere.get(persoon, []), *([self.rijen[persoon]] if persoon in self.rijen else [])]
        return sorted((o for o, _ in rs), key=lambda o: o.ww_einddatum)

    async def met_id(self, overdracht_id: str) -> tuple[Overdracht, str] | None:
        return next((r for r in self.alle_rijen() if r[0].overdracht_id == overdracht_id), None)

    async def bewaar(self, persoon: str, bsn: str, overdracht: Overdracht) -> None:
        laatste = self.rijen.get(persoon)
        if laatste is not None and laatste[0].overdracht_id != overdracht.overdracht_id:
            if laatste[0].ww_einddatum > overdracht.ww_einddatum:  # an earlier WW's, stored again
                rs = self.eerdere.setdefault(persoon, [])
                rs[:] = [r for r in rs if r[0].overdracht_id != overdracht.overdracht_id] + [(overdracht, bsn)]
                return
            self.eerdere.setdefault(persoon, []).append(laatste)
        self.rijen[persoon] = (overdracht, bsn)

    async def van_gemeente(
        self,
        gemeentecode: str,
        van: date | None,
        tot: date | None,
        na: tuple[date, str] | None = None,
        aantal: int | None = None,
    ) -> list[tuple[Overdracht, str]]:
        return sorted(
            (
                (o, bsn)
                for o, bsn in self.alle_rijen()
                if o.gemeentecode == gemeentecode
                and (van is None or o.ww_einddatum >= van)
                and (tot is None or o.ww_einddatum <= tot)
                and (na is None or o.volgorde > na)
            ),
            key=lambda r: r[0].volgorde,
        )[:aantal]

    async def met_einde_in(self, gemeentecode: str | None, periode: Periode) -> list[Overdracht]:
        return [
            o for o, _ in self.alle_rijen() if gemeentecode in (None, o.gemeentecode) and periode.bevat(o.ww_einddatum)
        ]


class FakeInkomen:
    """Income's answer in memory: per (municipality, BSN) the months that municipality may see."""

    def __init__(self, vandaag: date) -> None:
        # unnamed: income sees the person, this month without income (the job ended)
        self.per_gemeente: dict[tuple[str | None, str], Polis] = {}
        self.bereikbaar = True
        self.zonder_inkomen = Polis(True, LaatsteInkomen(str(Maand.van(vandaag)), 0, False))

    async def laatste(self, caller: Caller, bsn: str) -> Polis:
        if not self.bereikbaar:
            raise Unavailable("income is away")
        return self.per_gemeente.get((caller.gemeente, bsn), self.zonder_inkomen)


class FakeDoelgroepen:
    def __init__(self) -> None:
        self.gronden: dict[str, str | None] = {}
        self.nummers: dict[str, int | None] = {}
        self.sinds: dict[str, date | None] = {}

    async def van(self, persoon: str) -> str | None:
        return self.gronden.get(persoon)

    async def zet(self, persoon: str, grond: str | None, volgnummer: int | None, sinds: date) -> None:
        self.gronden[persoon], self.nummers[persoon], self.sinds[persoon] = grond, volgnummer, sinds

    async def volgnummer(self, persoon: str) -> int | None:
        return self.nummers.get(persoon)


class FakeHeraanvragen:
    def __init__(self) -> None:
        self.rijen: dict[str, Heraanvraag] = {}

    async def voeg_toe(self, heraanvraag: Heraanvraag) -> None:
        self.rijen[heraanvraag.heraanvraag_id] = heraanvraag

    async def lees(self, heraanvraag_id: str) -> Heraanvraag | None:
        return self.rijen.get(heraanvraag_id)

    async def werk_bij(self, heraanvraag: Heraanvraag) -> None:
        self.rijen[heraanvraag.heraanvraag_id] = heraanvraag

    async def van_persoon(self, persoon: str, gemeentecode: str | None) -> list[Heraanvraag]:
        return [h for h in self.rijen.values() if h.persoon == persoon and gemeentecode in (None, h.gemeentecode)]

    async def van_gemeente(
        self,
        gemeentecode: str,
        status: str | None,
        na: tuple[date, datetime, str] | None = None,
        aantal: int | None = None,
    ) -> list[Heraanvraag]:
        return sorted(
            (
                h
                for h in self.rijen.values()
                if h.gemeentecode == gemeentecode and in_lijst(h, status) and (na is None or h.volgorde > na)
            ),
            key=lambda h: h.volgorde,
        )[:aantal]

    async def besloten_in(self, gemeentecode: str | None, periode: Periode) -> list[Heraanvraag]:
        return [
            h
            for h in self.rijen.values()
            if gemeentecode in (None, h.gemeentecode) and h.besloten_dag and periode.bevat(h.besloten_dag)
        ]


class FakeBewaring:
    def __init__(self, uow: Callable[[], Heraanvraging]) -> None:
        self._uow = uow  # a function: a rolled-back unit's copy of its state still reaches the same unit

    async def uitgestroomd(self, tot: date) -> list[str]:
        return uitgestroomd(self._einden(), tot)

    def _einden(self) -> dict[str, list[date | None]]:
        """Every person a record holds, with the ends of their records."""
        uow, einden = self._uow(), {}
        for persoon, t in uow.termijnen.rijen.values():
            einden.setdefault(persoon, []).append(t.gesloten_op or t.geldig_tot)
        for h in uow.heraanvragen.rijen.values():
            einden.setdefault(h.persoon, []).append(h.besloten_dag)
        for persoon, (o, _) in uow.overdrachten.rijen.items():
            einden.setdefault(persoon, []).append(o.besluit_op or o.ww_einddatum)
        for persoon, eerdere in uow.overdrachten.eerdere.items():
            einden.setdefault(persoon, []).extend(o.besluit_op or o.ww_einddatum for o, _ in eerdere)
        for persoon, u in uow.uitkeringen.rijen.values():
            einden.setdefault(persoon, []).append(u.einddatum)
        return einden

    async def vergeet_los(self, tot: date) -> int:
        uow = self._uow()
        gehouden = self._einden()
        d = uow.doelgroepen
        weg = [
            p for p, g in d.gronden.items() if g is None and p not in gehouden and (d.sinds.get(p) or date.min) < tot
        ]
        for persoon in weg:
            del d.gronden[persoon], d.nummers[persoon], d.sinds[persoon]
        return len(weg)

    async def vergeet_vergeten(self, tot: date) -> None:
        u = self._uow().uitkeringen
        u.vergeten_zaken = {k: (n, op) for k, (n, op) in u.vergeten_zaken.items() if op >= tot}

    async def vergeet(self, personen: list[str], vandaag: date) -> None:
        uow = self._uow()
        for k, (p, u) in uow.uitkeringen.rijen.items():
            if p in personen:
                uow.uitkeringen.vergeten_zaken[k] = (u.volgnummer or 0, vandaag)
        uow.termijnen.rijen = {k: (p, t) for k, (p, t) in uow.termijnen.rijen.items() if p not in personen}
        uow.uitkeringen.rijen = {k: (p, u) for k, (p, u) in uow.uitkeringen.rijen.items() if p not in personen}
        uow.heraanvragen.rijen = {k: h for k, h in uow.heraanvragen.rijen.items() if h.persoon not in personen}
        for persoon in personen:
            uow.overdrachten.rijen.pop(persoon, None)
            uow.overdrachten.eerdere.pop(persoon, None)
            if persoon in uow.doelgroepen.gronden and uow.doelgroepen.gronden[persoon] is None:
                del uow.doelgroepen.gronden[persoon], uow.doelgroepen.nummers[persoon], uow.doelgroepen.sinds[persoon]


class Heraanvraging(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__("reapplication")
        self.termijnen = FakeTermijnen()
        self.uitkeringen = FakeUitkeringen()
        self.beleid = FakeTermijnbeleid()
        self.overdrachten = FakeOverdrachten()
        self.doelgroepen = FakeDoelgroepen()
        self.heraanvragen = FakeHeraanvragen()
        self.bewaring = FakeBewaring(lambda: self)


def ports(today: date) -> tuple[Ports, Heraanvraging]:
    uow = Heraanvraging()
    return Ports(
        uow=uow,
        lees=uow,
        clock=FixedClock(today),
        pseudonym=lambda bsn: f"p-{bsn}",
        brp=FakeBrp(),
        inkomen=FakeInkomen(today),
        standaard_maanden=12,
    ), uow


async def op_database(p: Ports, tmp_path: Path) -> tuple[Ports, Database]:
    """The ports with the SQL stores on a new, migrated database in place of the fakes, for both
    ways in: the unit of work and the reader."""
    db, service = await gemigreerd(tmp_path, "reapplication")
    return replace(p, uow=lambda: UnitOfWork(service), lees=lambda: UnitOfWork(service.lezer())), db

"""In-memory adapters of the income service's ports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import count

from income.adapters.inkomstensoorten import laad
from income.domain.afsluiting import Afsluiting, levert
from income.domain.overschrijving import Overschrijving
from income.domain.populatie import Dossier, Termijn, Uitkering, einden, populatie, zoals_op
from income.domain.toerekening import Regel, Toerekening
from income.service.ports import (
    MAX_AFWIJZINGEN,
    Aangifteversie,
    Afwijzing,
    Gelijktijdig,
    Levering,
    Opgeslagen,
    Ports,
    Vastgelegd,
    Versie,
)
from schakel.clock import FixedClock
from schakel.primitives import Maand
from schakel.primitives.bewaring import uitgestroomd
from schakel.primitives.periode import dag_van
from tests.support.fakes import FakeUnitOfWork


class FakePolisregels:
    def __init__(self) -> None:
        self.rijen: list[tuple[int, Versie, str, datetime]] = []  # (id, version, delivery, received)
        self.leveranciers: dict[int, str] = {}  # a row's id -> its provider
        self._ids = count(1)  # as the database's: a forgotten row's id is not taken again (nor its provider)
        self.populatie: FakePopulatie | None = None  # whom a provider delivered for

    async def actueel(
        self, bsns: dict[str, str], begint_tussen: tuple[date, date] | None = None
    ) -> dict[str, dict[tuple, Opgeslagen]]:
        result: dict[str, dict[tuple, Opgeslagen]] = {p: {} for p in bsns}
        van, tot = begint_tussen or (date.min, date.max)
        for id_, v, _, _ in self.rijen:
            if v.persoon in bsns and v.actueel and van <= v.aangifte.tijdvak_begin <= tot:
                aangifte = replace(v.aangifte, bsn=bsns[v.persoon])
                result[v.persoon][aangifte.sleutel] = Opgeslagen(id_, Regel(aangifte, v.versie), v.vingerafdruk)
        return result

    async def voeg_toe(self, versies: list[Versie], leverancier: str, levering_id: str, ontvangen_op: datetime) -> None:
        bestaand = {(v.persoon, v.aangifte.sleutel, v.versie) for _, v, _, _ in self.rijen}
        for v in versies:
            if (v.persoon, v.aangifte.sleutel, v.versie) in bestaand:
                raise Gelijktijdig()  # as the unique index on (person, key, version)
            id_ = next(self._ids)
            self.rijen.append((id_, replace(v), levering_id, ontvangen_op))
            self.leveranciers[id_] = leverancier

    async def geleverd(
        self, leverancier: str, maand: Maand, gelezen_op: datetime, gemeenten: frozenset[str]
    ) -> frozenset[str]:
        eerste, peildatum = maand.eerste_dag, dag_van(gelezen_op)
        personen = {
            v.persoon
            for id_, v, _, _ in self.rijen
            if self.leveranciers[id_] == leverancier
            and levert(v.aangifte.tijdvak_begin, v.aangifte.tijdvak_einde, maand)
        }
        assert self.populatie is not None
        dossiers = [zoals_op(d, gelezen_op) for d in (await self.populatie.dossiers(personen)).values()]
        zaken = {
            u.gemeentecode
            for d in dossiers
            for u in d.uitkeringen
            if u.sinds <= peildatum and (u.tot is None or u.tot >= eerste)
        }
        termijnen = {t.gemeentecode for d in dossiers for t in d.termijnen if t.geldig_tot >= eerste}
        return frozenset((zaken | termijnen) & gemeenten)

    async def vervang(self, ids: list[int]) -> None:
        for id_, v, _, _ in self.rijen:
            if id_ in ids:
                v.actueel = False

    async def later_gemaakt(self, momenten: dict[int, datetime | None]) -> None:
        for id_, v, _, _ in self.rijen:
            if id_ in momenten:
                v.aangifte = replace(v.aangifte, aangemaakt_op=momenten[id_])

    async def van(self, persoon: str) -> list[Aangifteversie]:
        return [
            Aangifteversie(v.inhoud, v.versie, v.actueel, levering_id, op, v.aangifte.aangemaakt_op)
            for _, v, levering_id, op in self.rijen
            if v.persoon == persoon
        ]

    def vergeet(self, personen: set[str]) -> None:
        self.rijen = [r for r in self.rijen if r[1].persoon not in personen]

    def vergeet_los(self, gehouden: set[str], tot: date, maanden: set[tuple[str, Maand]]) -> int:
        """Retention of the lines of someone nothing holds any more: begun before `tot`, and no month of
        the person from the line's month on is left."""

        def blijft(v: Versie) -> bool:
            begin = v.aangifte.tijdvak_begin
            return (
                v.persoon in gehouden
                or begin >= tot
                or any(p == v.persoon and m >= Maand.van(begin) for p, m in maanden)
            )

        over = [r for r in self.rijen if blijft(r[1])]
        weg, self.rijen = len(self.rijen) - len(over), over
        return weg


class FakeMaandinkomens:
    def __init__(self) -> None:
        self.maanden: dict[tuple[str, Maand], Vastgelegd] = {}

    async def van(
        self, personen: Iterable[str], maanden: Iterable[Maand] | None = None
    ) -> dict[tuple[str, Maand], Vastgelegd]:
        personen, maanden = set(personen), None if maanden is None else set(maanden)
        return {k: v for k, v in self.maanden.items() if k[0] in personen and (maanden is None or k[1] in maanden)}

    async def met(self, personen: Iterable[str], maand: Maand) -> set[str]:
        return {p for p in personen if (p, maand) in self.maanden}

    async def tussen(self, persoon: str, van: Maand, tot: Maand) -> list[Vastgelegd]:
        return [
            v
            for (p, m), v in sorted(self.maanden.items(), key=lambda kv: str(kv[0][1]))
            if p == persoon and van <= m <= tot
        ]

    async def bewaar(self, nieuw: list[Vastgelegd], gewijzigd: list[Vastgelegd], op: datetime) -> None:
        for v in nieuw + gewijzigd:
            self.maanden[(v.persoon, v.maand)] = v

    def vergeet(self, personen: set[str]) -> None:
        self.maanden = {k: v for k, v in self.maanden.items() if k[0] not in personen}

    def vergeet_los(self, gehouden: set[str], tot: date) -> int:
        blijft = {k: v for k, v in self.maanden.items() if k[0] in gehouden or k[1].laatste_dag >= tot}
        weg, self.maanden = len(self.maanden) - len(blijft), blijft
        return weg


class FakeOverschrijvingen:
    def __init__(self) -> None:
        self.vastgelegd: dict[tuple[str, Maand], tuple[Overschrijving, str, str]] = {}  # (override, municipality, by)

    async def van(self, personen: Iterable[str]) -> dict[tuple[str, Maand], Overschrijving]:
        personen = set(personen)
        return {k: o for k, (o, _, _) in self.vastgelegd.items() if k[0] in personen}

    async def markeer_te_beoordelen(self, sleutels: list[tuple[str, Maand]]) -> None:
        for k in sleutels:
            o, gemeente, door = self.vastgelegd[k]
            self.vastgelegd[k] = (replace(o, te_beoordelen=True), gemeente, door)

    async def zet(
        self, persoon: str, overschrijving: Overschrijving, gemeentecode: str, door: str, op: datetime
    ) -> None:
        self.vastgelegd[(persoon, overschrijving.maand)] = (overschrijving, gemeentecode, door)

    async def verwijder(self, persoon: str, maand: Maand) -> bool:
        return self.vastgelegd.pop((persoon, maand), None) is not None

    def vergeet(self, personen: set[str]) -> None:
        self.vastgelegd = {k: v for k, v in self.vastgelegd.items() if k[0] not in personen}

    def vergeet_los(self, gehouden: set[str], tot: date) -> int:
        blijft = {k: v for k, v in self.vastgelegd.items() if k[0] in gehouden or k[1].laatste_dag >= tot}
        weg, self.vastgelegd = len(self.vastgelegd) - len(blijft), blijft
        return weg


class FakeLeveringen:
    def __init__(self) -> None:
        self.leveringen: dict[tuple[str, str], Levering] = {}
        self.afgewezen: dict[tuple[str, str], list[Afwijzing]] = {}

    async def wijs_af(self, leverancier: str, levering_id: str, afwijzingen: list[Afwijzing]) -> None:
        al = self.afgewezen.setdefault((leverancier, levering_id), [])
        bekend = {a.herkend for a in al}
        nieuw = [a for a in afwijzingen if a.herkend not in bekend]
        ruimte = max(0, MAX_AFWIJZINGEN - len(al))
        al += nieuw[:ruimte]
        if len(nieuw) > ruimte:
            levering = self.leveringen[(leverancier, levering_id)]
            self.leveringen[(leverancier, levering_id)] = replace(levering, afwijzingen_afgekapt=True)

    async def afwijzingen(self, leverancier: str, levering_id: str) -> list[Afwijzing]:
        return list(self.afgewezen.get((leverancier, levering_id), []))

    async def vergeet_afwijzingen(self, voor: datetime) -> int:
        voor_nu = sum(len(lijst) for lijst in self.afgewezen.values())
        self.afgewezen = {k: [a for a in lijst if a.afgewezen_op >= voor] for k, lijst in self.afgewezen.items()}
        for k, levering in self.leveringen.items():
            if not self.afgewezen.get(k):
                self.leveringen[k] = replace(levering, afwijzingen_afgekapt=False)
        return voor_nu - sum(len(lijst) for lijst in self.afgewezen.values())

    async def van(self, leverancier: str, levering_id: str) -> Levering | None:
        return self.leveringen.get((leverancier, levering_id))

    async def tel(
        self,
        leverancier: str,
        levering_id: str,
        kanaal: str,
        aantallen: dict[str, int],
        op: datetime,
        vingerafdruk: str | None = None,
        antwoord: dict | None = None,
    ) -> None:
        bestaand = self.leveringen.get((leverancier, levering_id))
        if bestaand is None:
            self.leveringen[(leverancier, levering_id)] = Levering(
                levering_id, kanaal, vingerafdruk, op, op, aantallen, antwoord
            )
        else:
            totaal = {k: bestaand.aantallen.get(k, 0) + aantallen.get(k, 0) for k in aantallen}
            self.leveringen[(leverancier, levering_id)] = replace(bestaand, aantallen=totaal, bijgewerkt_op=op)


class FakeBeleid:
    def __init__(self) -> None:
        self.toerekening: dict[str, Toerekening] = {}

    async def van(self, gemeentecodes: Iterable[str]) -> dict[str, Toerekening]:
        return {g: self.toerekening[g] for g in set(gemeentecodes) if g in self.toerekening}

    async def zet(self, gemeentecode: str, toerekening: Toerekening, op: datetime) -> None:
        self.toerekening[gemeentecode] = toerekening


class FakeHerberekeningen:
    def __init__(self, populatie: FakePopulatie) -> None:
        self._populatie = populatie
        self.wachtrij: set[str] = set()

    async def plan(self, gemeentecode: str) -> None:
        partners = (p for ps in self._populatie.partners.values() for p in ps)
        leden = [*self._populatie.uitkeringen.values(), *partners]
        self.wachtrij |= {u.persoon for u in leden if u.gemeentecode == gemeentecode}

    async def volgende(self, aantal: int) -> list[str]:
        return sorted(self.wachtrij)[:aantal]

    async def klaar(self, personen: list[str]) -> None:
        self.wachtrij -= set(personen)

    def vergeet(self, personen: set[str]) -> None:
        self.wachtrij -= personen


class FakeAfsluitingen:
    def __init__(self) -> None:
        self.afsluitingen: dict[str, Afsluiting] = {}

    async def neem_op(self, afsluiting: Afsluiting) -> None:
        self.afsluitingen[afsluiting.id] = afsluiting

    async def van(self, leverancier: str, afsluiting_id: str) -> Afsluiting | None:
        afsluiting = self.afsluitingen.get(afsluiting_id)
        return afsluiting if afsluiting and afsluiting.leverancier == leverancier else None

    def _open(self) -> list[Afsluiting]:
        return [a for a in self.afsluitingen.values() if a.status == "lopend"]

    async def open_van(self, leverancier: str) -> list[Afsluiting]:
        return [a for a in self._open() if a.leverancier == leverancier]

    async def volgende(self) -> Afsluiting | None:
        return min(self._open(), key=lambda a: (a.pogingen, a.aangevraagd_op), default=None)

    async def mislukt(self, afsluiting_id: str, op: datetime, max_pogingen: int, na: timedelta) -> Afsluiting | None:
        a = self.afsluitingen[afsluiting_id]
        if a.status != "lopend":
            return None
        a = self.afsluitingen[afsluiting_id] = replace(a, pogingen=a.pogingen + 1, fout_sinds=a.fout_sinds or op)
        if a.pogingen < max_pogingen or a.fout_sinds > op - na:
            return None
        a = self.afsluitingen[afsluiting_id] = replace(a, mislukt_op=op, na=None)
        return a

    async def werk_bij(self, afsluiting: Afsluiting) -> None:
        self.afsluitingen[afsluiting.id] = afsluiting


class FakePopulatie:
    def __init__(self, *anderen) -> None:
        self.uitkeringen: dict[str, Uitkering] = {}
        self.partners: dict[str, list[Uitkering]] = {}  # a case's id -> its partners' memberships
        self.termijnen: dict[str, Termijn] = {}
        self.volgnummers: dict[str, int] = {}  # a case's id -> the latest change applied
        self.termijnvolgnummers: dict[str, int] = {}  # a window's case id -> its latest announcement applied
        self._anderen = anderen  # the repositories that keep data about a person too

    async def neem_op(
        self, uitkeringen: list[Uitkering], volgnummers: Mapping[str, int | None] | None = None
    ) -> set[str]:
        bekend = {u.uitkering_id for u in uitkeringen if u.uitkering_id in self.uitkeringen}
        for u in uitkeringen:
            if u.uitkering_id not in bekend:
                self.uitkeringen[u.uitkering_id] = u
                if (n := (volgnummers or {}).get(u.uitkering_id)) is not None:
                    self.volgnummers[u.uitkering_id] = n
        return bekend

    async def beeindig(self, uitkering_id: str, tot: date, op: datetime) -> bool:
        if uitkering_id not in self.uitkeringen:
            return False
        oud = self.uitkeringen[uitkering_id]
        self.uitkeringen[uitkering_id] = replace(oud, tot=tot, bekend=oud.bekend.na(oud.tot, tot, op))
        self.partners[uitkering_id] = [
            replace(p, tot=tot, bekend=p.bekend.na(p.tot, tot, op)) if p.tot is None or p.tot > tot else p
            for p in self.partners.get(uitkering_id, [])
        ]
        return True

    async def volgnummer(self, uitkering_id: str) -> int | None:
        return self.volgnummers.get(uitkering_id)

    async def zet_volgnummer(self, uitkering_id: str, volgnummer: int) -> None:
        if uitkering_id in self.uitkeringen:
            self.volgnummers[uitkering_id] = volgnummer

    async def zet_partners(self, uitkering_id: str, partners: list[Uitkering]) -> list[str]:
        eerder = [p.persoon for p in self.partners.get(uitkering_id, [])]
        oud = {(p.persoon, p.sinds): p for p in self.partners.get(uitkering_id, [])}
        einde = self.uitkeringen[uitkering_id].tot if uitkering_id in self.uitkeringen else None
        capped = [
            p if einde is None or (p.tot is not None and p.tot <= einde) else replace(p, tot=einde) for p in partners
        ]
        self.partners[uitkering_id] = [
            p
            if (o := oud.get((p.persoon, p.sinds))) is None
            else replace(p, bekend=o.bekend.na(o.tot, p.tot, p.bekend.sinds))
            for p in capped
        ]
        return eerder

    async def open_termijn(self, termijn: Termijn, volgnummer: int | None = None) -> None:
        if (oud := self.termijnen.get(termijn.uitkering_id)) is not None:
            bekend = oud.bekend.na(oud.geldig_tot, termijn.geldig_tot, termijn.bekend.sinds)
            termijn = replace(termijn, bekend=bekend)
        self.termijnen[termijn.uitkering_id] = termijn
        if volgnummer is not None:
            self.termijnvolgnummers[termijn.uitkering_id] = volgnummer

    async def termijn_volgnummer(self, uitkering_id: str) -> int | None:
        return self.termijnvolgnummers.get(uitkering_id)

    async def dossiers(self, personen: Iterable[str] | None = None) -> dict[str, Dossier]:
        gevraagd = None if personen is None else set(personen)
        result: dict[str, Dossier] = {}
        for u in [
            *self.uitkeringen.values(),
            *(
                replace(p, als_partner=True, zaak_sinds=zaak.sinds if (zaak := self.uitkeringen.get(k)) else None)
                for k, ps in self.partners.items()
                for p in ps
            ),
        ]:
            if gevraagd is None or u.persoon in gevraagd:
                d = result.get(u.persoon, Dossier())
                result[u.persoon] = replace(d, uitkeringen=d.uitkeringen + (u,))
        for t in self.termijnen.values():
            if gevraagd is None or t.persoon in gevraagd:
                d = result.get(t.persoon, Dossier())
                result[t.persoon] = replace(d, termijnen=d.termijnen + (t,))
        return result

    async def pagina(
        self, op: date, gemeenten: frozenset[str], begin: int, aantal: int
    ) -> tuple[int, list[tuple[str, str]]]:
        alle = populatie((await self.dossiers()).values(), op, gemeenten)
        return len(alle), alle[begin : begin + aantal]

    async def tel(self, op: date, gemeenten: frozenset[str]) -> int:
        return len(populatie((await self.dossiers()).values(), op, gemeenten))

    async def na(
        self, op: date, gemeenten: frozenset[str], bsn: str | None, aantal: int, gelezen_op: datetime | None = None
    ) -> list[tuple[str, str]]:
        dossiers = (await self.dossiers()).values()
        toen = [zoals_op(d, gelezen_op) for d in dossiers] if gelezen_op else dossiers
        return [lid for lid in populatie(toen, op, gemeenten) if lid[0] > (bsn or "")][:aantal]

    async def uitgestroomd(self, bewaren_tot: date) -> list[str]:
        return uitgestroomd({p: einden(d) for p, d in (await self.dossiers()).items()}, bewaren_tot)

    async def vergeet_los(self, bewaren_tot: date) -> int:
        gehouden = set(await self.dossiers())
        polisregels, maandinkomens, overschrijvingen = self._anderen[:3]
        weg = maandinkomens.vergeet_los(gehouden, bewaren_tot) + overschrijvingen.vergeet_los(gehouden, bewaren_tot)
        # a polis line goes with the months it made (those went first)
        return weg + polisregels.vergeet_los(gehouden, bewaren_tot, set(maandinkomens.maanden))

    async def vergeet(self, personen: list[str]) -> None:
        weg = set(personen)
        self.uitkeringen = {k: u for k, u in self.uitkeringen.items() if u.persoon not in weg}
        self.termijnen = {k: t for k, t in self.termijnen.items() if t.persoon not in weg}
        self.partners = {k: [p for p in ps if p.persoon not in weg] for k, ps in self.partners.items()}
        for repository in self._anderen:
            repository.vergeet(weg)


class Inkomen(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__("income")
        self.polisregels = FakePolisregels()
        self.maandinkomens = FakeMaandinkomens()
        self.overschrijvingen = FakeOverschrijvingen()
        self.leveringen = FakeLeveringen()
        self.beleid = FakeBeleid()
        self.populatie = FakePopulatie(self.polisregels, self.maandinkomens, self.overschrijvingen)
        self.polisregels.populatie = self.populatie
        self.herberekeningen = FakeHerberekeningen(self.populatie)
        self.populatie._anderen += (self.herberekeningen,)
        self.afsluitingen = FakeAfsluitingen()


def ports(today: date) -> tuple[Ports, Inkomen]:
    uow = Inkomen()
    # the test provider delivers for Amsterdam and Rotterdam only
    contracten = {"00000001805160327000": frozenset({"GM0363", "GM0599"})}
    return Ports(
        uow=uow,
        clock=FixedClock(today),
        pseudonym=lambda bsn: f"p-{bsn}",
        contracten=contracten,
        inkomstensoorten=laad(),
    ), uow

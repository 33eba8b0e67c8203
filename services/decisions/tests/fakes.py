"""In-memory adapters of the decisions service's ports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import count

from decisions.adapters.parameters import laad
from decisions.domain import vakantietoeslag as vt
from decisions.domain.deelname import Deelnamestatus
from decisions.domain.fouten import UitkeringLooptAl
from decisions.domain.inkomen import Inkomen, Oordeel, Oordelen
from decisions.domain.kalender import Voorschotbeleid
from decisions.domain.programmacijfers import Uitstroomtelling
from decisions.domain.situatie import Situatie
from decisions.domain.uitkering import Status, Uitkering
from decisions.domain.vordering import Boeking, Verhoging, Vorderingsbeleid, vorderingen
from decisions.domain.webhook import AfleverFout, Circuit, Stopreden
from decisions.service.ports import (
    Abonnement,
    Aflevering,
    Gebeurtenis,
    Lopend,
    Opgeslagen,
    Pauze,
    Poging,
    Ports,
    Positie,
    Regelstand,
    Vastgesteld,
    Voorstel,
    Wachtend,
    Webhookbeleid,
)
from schakel.clock import FixedClock
from schakel.primitives import Maand
from schakel.primitives.bewaring import AFGELOPEN, uitgestroomd
from tests.support.fakes import FakeBrp, FakeUnitOfWork


class FakeUitkeringen:
    def __init__(self, situaties: FakeSituaties) -> None:
        self.rijen: dict[str, tuple[Uitkering, str]] = {}  # id -> (case, person)
        self._situaties = situaties

    async def get(self, uitkering_id: str) -> Uitkering | None:
        return self.rijen[uitkering_id][0] if uitkering_id in self.rijen else None

    async def vergrendel(self, uitkering_ids: list[str]) -> list[Uitkering]:
        return [self.rijen[i][0] for i in sorted(set(uitkering_ids)) if i in self.rijen]  # one task at a time

    async def voeg_toe(self, uitkering: Uitkering, persoon: str) -> None:
        if any(p == persoon and u.overlapt(uitkering.startdatum) for u, p in self.rijen.values()):
            raise UitkeringLooptAl(UitkeringLooptAl.BERICHT)
        self.rijen[uitkering.uitkering_id] = (uitkering, persoon)

    async def bewaar(self, uitkering: Uitkering) -> None:
        self.rijen[uitkering.uitkering_id] = (uitkering, self.rijen[uitkering.uitkering_id][1])

    async def van_persoon(self, persoon: str) -> list[Uitkering]:
        return [u for u, p in self.rijen.values() if p == persoon]

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, Uitkering]:
        return {i: self.rijen[i][0] for i in uitkering_ids if i in self.rijen}

    async def van_huishoudens(self, personen: set[str]) -> list[Uitkering]:
        partner = {i for i, partners in self._situaties.partners.items() if personen & set(partners.values())}
        return [u for i, (u, p) in sorted(self.rijen.items()) if p in personen or i in partner]

    async def pagina(self, na: str | None, aantal: int) -> list[Uitkering]:
        return [u for i, (u, _) in sorted(self.rijen.items()) if na is None or i > na][:aantal]


class FakeRegelversie:
    def __init__(self) -> None:
        self.stand = Regelstand("", datetime(1970, 1, 1, tzinfo=UTC))

    async def lees(self) -> Regelstand:
        return self.stand

    async def zet(self, stand: Regelstand) -> None:
        self.stand = stand


class FakeDeelnamestatussen:
    def __init__(self) -> None:
        self.rijen: dict[str, Deelnamestatus] = {}

    async def van(self, persoon: str) -> Deelnamestatus | None:
        return self.rijen.get(persoon)

    async def zet(self, persoon: str, status: Deelnamestatus) -> None:
        self.rijen[persoon] = status


class FakeSituaties:
    def __init__(self) -> None:
        self.rijen: dict[str, dict[date, Situatie]] = {}
        self.partners: dict[str, dict[date, str]] = {}  # id -> the partner's pseudonym per situation

    async def zet(self, uitkering_id: str, situatie: Situatie, partner_persoon: str | None) -> None:
        self.rijen.setdefault(uitkering_id, {})[situatie.ingangsdatum] = situatie
        self.partners.setdefault(uitkering_id, {}).pop(situatie.ingangsdatum, None)
        if partner_persoon is not None:
            self.partners[uitkering_id][situatie.ingangsdatum] = partner_persoon

    async def van(self, uitkering_id: str) -> list[Situatie]:
        return [s for _, s in sorted(self.rijen.get(uitkering_id, {}).items())]

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Situatie]]:
        return {i: await self.van(i) for i in uitkering_ids}


class FakeInkomens:
    def __init__(self) -> None:
        self.rijen: dict[str, dict[Maand, Inkomen]] = {}
        self.nummers: dict[tuple[str, Maand], int | None] = {}

    async def zet(self, inkomens: list[tuple[str, Maand, Inkomen, int | None]]) -> None:
        for persoon, maand, inkomen, volgnummer in inkomens:
            self.rijen.setdefault(persoon, {})[maand] = inkomen
            self.nummers[(persoon, maand)] = volgnummer

    async def volgnummers(self, personen: set[str], vanaf: Maand | None = None) -> dict[tuple[str, Maand], int | None]:
        return {k: v for k, v in self.nummers.items() if k[0] in personen and (vanaf is None or k[1] >= vanaf)}

    async def van_alle(self, personen: set[str], vanaf: Maand | None = None) -> dict[str, dict[Maand, Inkomen]]:
        return {
            p: {m: i for m, i in self.rijen[p].items() if vanaf is None or m >= vanaf}
            for p in personen
            if p in self.rijen
        }


class FakeInkomstensoorten:
    def __init__(self) -> None:
        self.rijen: dict[str, Oordelen] = {}

    async def zet(self, uitkering_id: str, persoon: str, oordeel: Oordeel, op: datetime) -> None:
        van_persoon = self.rijen.setdefault(uitkering_id, {}).setdefault(persoon, {})
        van_persoon[(oordeel.loonheffingennummer, oordeel.inkomstenverhouding)] = oordeel

    async def van(self, uitkering_id: str) -> Oordelen:
        return {p: dict(o) for p, o in self.rijen.get(uitkering_id, {}).items()}

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, Oordelen]:
        return {i: await self.van(i) for i in uitkering_ids}


class FakeBetalingen:
    def __init__(self) -> None:
        self.rijen: dict[str, dict[Maand, int]] = {}

    async def zet(self, uitkering_id: str, maand: Maand, bedrag: int, op: datetime) -> None:
        self.rijen.setdefault(uitkering_id, {})[maand] = bedrag

    async def van(self, uitkering_id: str) -> dict[Maand, int]:
        return dict(self.rijen.get(uitkering_id, {}))

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, int]]:
        return {i: await self.van(i) for i in uitkering_ids}


class FakeVasteBedragen:
    def __init__(self) -> None:
        self.rijen: dict[str, dict[Maand, int]] = {}

    async def zet(self, uitkering_id: str, bedragen: Mapping[Maand, int], op: datetime) -> None:
        al = self.rijen.setdefault(uitkering_id, {})
        for maand, bedrag in bedragen.items():
            al.setdefault(maand, bedrag)

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, int]]:
        return {i: dict(self.rijen.get(i, {})) for i in uitkering_ids}


class FakeVerrekeningen:
    def __init__(self) -> None:
        self.rijen: dict[str, dict[Maand, Vastgesteld]] = {}

    async def van(self, uitkering_id: str) -> dict[Maand, Vastgesteld]:
        return dict(sorted(self.rijen.get(uitkering_id, {}).items()))

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, Opgeslagen]]:
        return {i: dict(await self.van(i)) for i in uitkering_ids}

    async def zet(self, vastgesteld: list[tuple[str, Vastgesteld]]) -> None:
        for uitkering_id, v in vastgesteld:
            self.rijen.setdefault(uitkering_id, {})[v.verrekening.maand] = v


class FakeBeeindigingsvoorstellen:
    def __init__(self) -> None:
        self.rijen: dict[str, Voorstel] = {}
        self.afwijzingen: dict[str, dict[str, Voorstel]] = {}

    async def van(self, uitkering_id: str) -> Voorstel | None:
        if (voorstel := self.rijen.get(uitkering_id)) is None:
            return None
        if (afgewezen := self.afwijzingen.get(uitkering_id, {}).get(voorstel.van_maand)) is None:
            return voorstel
        return replace(voorstel, afgewezen_op=afgewezen.afgewezen_op, reden=afgewezen.reden)

    async def zet(self, uitkering_id: str, voorstel: Voorstel) -> None:
        self.rijen[uitkering_id] = replace(voorstel, afgewezen_op=None, reden=None)

    async def afgewezen(self, uitkering_id: str) -> list[Voorstel]:
        return [v for _, v in sorted(self.afwijzingen.get(uitkering_id, {}).items())]

    async def wijs_af(self, uitkering_id: str, voorstel: Voorstel) -> None:
        afwijzingen = self.afwijzingen.setdefault(uitkering_id, {})
        assert voorstel.van_maand not in afwijzingen, "a run's proposal is dismissed once"
        afwijzingen[voorstel.van_maand] = voorstel


class FakeWerkvoorraad:
    def __init__(self, uitkeringen: FakeUitkeringen) -> None:
        self._uitkeringen = uitkeringen
        self.rijen: dict[str, dict[tuple[Maand, str, str], Wachtend]] = {}

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Wachtend]]:
        return {i: list(self.rijen.get(i, {}).values()) for i in uitkering_ids}

    async def werk_bij(
        self, uitkering_id: str, gemeentecode: str, weg: list[tuple[Maand, str, str]], bij: list[Wachtend]
    ) -> None:
        assert gemeentecode == self._uitkeringen.rijen[uitkering_id][0].gemeentecode, "the case's municipality"
        rijen = self.rijen.setdefault(uitkering_id, {})
        for sleutel in weg:
            del rijen[sleutel]
        for w in bij:
            assert w.sleutel not in rijen, "a month is put on the worklist once"
            rijen[w.sleutel] = w

    async def van_gemeente(
        self, gemeentecode: str, soort: str | None, na: Positie | None, aantal: int
    ) -> list[Wachtend]:
        alle = sorted(
            (
                w
                for i, rijen in self.rijen.items()
                if self._uitkeringen.rijen[i][0].gemeentecode == gemeentecode
                for w in rijen.values()
                if soort in (None, w.soort) and (na is None or w.positie > na)
            ),
            key=lambda w: w.positie,
        )
        return alle[:aantal]


class FakeGebeurtenissen:
    def __init__(self) -> None:
        self.rijen: list[Gebeurtenis] = []
        self.lopend: Lopend | None = None  # the oldest writing transaction a test has running

    async def voeg_toe(self, gebeurtenissen: list[Gebeurtenis]) -> None:
        self.rijen += [replace(g, positie=(0, len(self.rijen) + i + 1)) for i, g in enumerate(gebeurtenissen)]

    async def van(self, uitkering_id: str) -> list[Gebeurtenis]:
        return [g for g in self.rijen if g.uitkering_id == uitkering_id]

    async def vul_gemeentecodes(self, na: tuple[int, int] | None, aantal: int) -> tuple[int, tuple[int, int] | None]:
        return 0, na  # the fakes' histories are written with their municipality

    async def oudste_lopende(self) -> Lopend | None:
        return self.lopend

    async def van_gemeente(
        self, gemeentecode: str, vanaf: datetime | None, na: tuple[int, int] | None, aantal: int
    ) -> list[Gebeurtenis]:
        return [
            g
            for g in self.rijen
            if g.gemeentecode == gemeentecode
            and (vanaf is None or g.tijdstip >= vanaf)
            and (na is None or g.positie > na)
        ][:aantal]


class FakeAbonnementen:
    def __init__(self) -> None:
        self.rijen: dict[str, tuple[Abonnement, bool]] = {}  # id -> (subscription, active)
        self.claims: dict[str, tuple[str, datetime]] = {}  # id -> (delivering instance, until)
        self.afleveringen: dict[int, Aflevering] = {}  # FakeAfleveringen's rows: a stop lets them lapse

    async def voeg_toe(self, abonnement: Abonnement) -> None:
        self.rijen[abonnement.abonnement_id] = (abonnement, True)

    async def van(
        self, abonnement_id: str, vergrendeld: bool = False, gemeentecode: str | None = None
    ) -> Abonnement | None:
        abonnement = self.rijen.get(abonnement_id, (None, False))[0]
        return abonnement if abonnement and gemeentecode in (None, abonnement.gemeentecode) else None

    async def actief_van(self, gemeentecodes: list[str] | None) -> list[Abonnement]:
        return sorted(
            (
                a
                for a, actief in self.rijen.values()
                if actief and (gemeentecodes is None or a.gemeentecode in gemeentecodes)
            ),
            key=lambda a: a.aangemaakt_op,
        )

    async def gestopt_van(self, gemeentecodes: list[str] | None) -> list[Abonnement]:
        gestopt = [a for a, actief in self.rijen.values() if not actief]
        gestopt = [a for a in gestopt if gemeentecodes is None or a.gemeentecode in gemeentecodes]
        return sorted(gestopt, key=lambda a: a.gestopt_op or datetime.min.replace(tzinfo=UTC), reverse=True)[:100]

    async def stop(self, abonnement_id: str, reden: Stopreden, op: datetime) -> int:
        a, actief = self.rijen[abonnement_id]
        if actief:
            self.rijen[abonnement_id] = (replace(a, actief=False, gestopt_op=op, stopreden=reden), False)
        wachtend = [
            i for i, a in self.afleveringen.items() if a.abonnement_id == abonnement_id and a.status == "wachtend"
        ]
        for i in wachtend:
            self.afleveringen[i] = replace(self.afleveringen[i], status="vervallen")
        return len(wachtend)

    async def zet_circuit(self, abonnement_id: str, circuit: Circuit) -> None:
        a, actief = self.rijen[abonnement_id]
        self.rijen[abonnement_id] = (replace(a, circuit=circuit), actief)

    async def zet_pauze(self, abonnement_id: str, pauze: Pauze | None) -> None:
        a, actief = self.rijen[abonnement_id]
        if actief:
            self.rijen[abonnement_id] = (replace(a, gepauzeerd=pauze), actief)
            if pauze is None:  # as the repository: lifted, the claim goes too
                self.claims.pop(abonnement_id, None)

    async def laat_los(self, bezorger: str) -> None:
        self.claims = {a: claim for a, claim in self.claims.items() if claim[0] != bezorger}

    async def houd_vast(self, abonnement_id: str, bezorger: str, tot: datetime, verzonden: bool = False) -> bool:
        abonnement, actief = self.rijen[abonnement_id]
        gepauzeerd = abonnement.gepauzeerd and not verzonden
        if self.claims.get(abonnement_id, ("", tot))[0] != bezorger or not actief or gepauzeerd:
            return False
        self.claims[abonnement_id] = (bezorger, tot)
        return True

    def vrij(self, abonnement_id: str, bezorger: str, nu: datetime) -> bool:
        houder, tot = self.claims.get(abonnement_id, (bezorger, nu))
        return houder == bezorger or tot <= nu


class FakeAfleveringen:
    def __init__(self, abonnementen: FakeAbonnementen) -> None:
        self._abonnementen = abonnementen
        self.rijen: dict[int, Aflevering] = abonnementen.afleveringen
        self.pogingen: dict[int, list[tuple[int, datetime, Poging]]] = {}

    async def voeg_toe(self, afleveringen: list[Aflevering]) -> None:
        for a in afleveringen:
            nummer = len(self.rijen) + 1
            self.rijen[nummer], self.pogingen[nummer] = replace(a, id=nummer), []

    async def laatste(self, abonnement_id: str, aantal: int):
        return [
            (a, list(self.pogingen[a.id])) for a in reversed(self.rijen.values()) if a.abonnement_id == abonnement_id
        ][:aantal]

    async def claim(
        self, nu: datetime, bezorger: str, tot: datetime, behalve: list[str], aantal: int
    ) -> list[tuple[Aflevering, Abonnement]]:
        due = []
        wacht: set[str] = set()
        for a in self.rijen.values():
            abonnement, actief = self._abonnementen.rijen[a.abonnement_id]
            if a.status == "wachtend" and a.volgende_poging_op > nu:
                wacht.add(a.abonnement_id)  # the later ones wait behind it
            elif (
                a.status == "wachtend"
                and a.abonnement_id not in wacht
                and actief
                and abonnement.gepauzeerd is None
                and a.abonnement_id not in behalve
                and not abonnement.circuit.open(nu)
                and self._abonnementen.vrij(a.abonnement_id, bezorger, nu)
            ):
                due.append((a, abonnement))
        for _, abonnement in due[:aantal]:
            self._abonnementen.claims[abonnement.abonnement_id] = (bezorger, tot)
        return due[:aantal]

    async def oudste_wachtende(self) -> tuple[datetime | None, datetime | None]:
        wachtend = (a for a in self.rijen.values() if a.status == "wachtend")
        rijen = self._abonnementen.rijen
        actief = [a for a in wachtend if a.abonnement_id not in rijen or rijen[a.abonnement_id][1]]
        gepauzeerd = {a.id for a in actief if a.abonnement_id in rijen and rijen[a.abonnement_id][0].gepauzeerd}
        return (
            min((a.aangemaakt_op for a in actief if a.id not in gepauzeerd), default=None),
            min((a.aangemaakt_op for a in actief if a.id in gepauzeerd), default=None),
        )

    async def leg_vast(self, aflevering: Aflevering, nummer: int, tijdstip: datetime, poging: Poging) -> None:
        self.pogingen[aflevering.id].append((nummer, tijdstip, poging))
        self.rijen[aflevering.id] = aflevering

    async def geef_op(self, aangemaakt_voor: datetime) -> int:
        oud = [i for i, a in self.rijen.items() if a.status == "wachtend" and a.aangemaakt_op < aangemaakt_voor]
        for i in oud:
            self.rijen[i] = replace(self.rijen[i], status="mislukt")
        return len(oud)

    async def aan_de_beurt(self, abonnement_id: str, nu: datetime) -> None:
        for i, a in self.rijen.items():
            if a.abonnement_id == abonnement_id and a.status == "wachtend" and a.volgende_poging_op > nu:
                self.rijen[i] = replace(a, volgende_poging_op=nu)

    async def opnieuw(self, abonnement_id: str, nu: datetime) -> int:
        mislukt = [
            i for i, a in self.rijen.items() if a.abonnement_id == abonnement_id and a.status == "mislukt" and a.body
        ]
        for i in mislukt:
            self.rijen[i] = replace(
                self.rijen[i], status="wachtend", pogingen=0, volgende_poging_op=nu, aangemaakt_op=nu
            )
            self.pogingen[i] = []
        return len(mislukt)


class FakeBewaring:
    def __init__(self, uow: Callable[[], Beslissingen]) -> None:
        self._uow = uow  # a function: a rolled-back unit's copy of its state still reaches the same unit

    async def uitgestroomd(self, tot: date) -> list[str]:
        uow = self._uow()
        eigen: dict[str, list[date | None]] = {}
        for u, persoon in uow.uitkeringen.rijen.values():
            eigen.setdefault(persoon, []).append(None if u.status is Status.lopend else u.einddatum)
        einden = {p: set(e) for p, e in eigen.items()}
        gewijzigd = True
        while gewijzigd:  # kept as long as the applicant, by whatever keeps the applicant: to a fixpoint
            gewijzigd = False
            for i, (_, persoon) in uow.uitkeringen.rijen.items():
                for partner in set(uow.situaties.partners.get(i, {}).values()):
                    nieuw = einden.get(persoon, set()) - einden.setdefault(partner, set())
                    einden[partner] |= nieuw
                    gewijzigd = gewijzigd or bool(nieuw)
        return uitgestroomd({p: list(e) for p, e in einden.items()}, tot)

    async def vergeet_los(self, tot: date) -> int:
        uow = self._uow()
        gehouden = {p for _, p in uow.uitkeringen.rijen.values()} | {
            partner for partners in uow.situaties.partners.values() for partner in partners.values()
        }
        weg = 0
        for persoon, maanden in list(uow.inkomens.rijen.items()):
            for maand in [m for m in maanden if persoon not in gehouden and m.laatste_dag < tot]:
                del maanden[maand], uow.inkomens.nummers[(persoon, maand)]
                weg += 1
            if not maanden:
                del uow.inkomens.rijen[persoon]
        afgelopen = [
            p
            for p, s in uow.deelnamestatussen.rijen.items()
            if p not in gehouden and s.status in AFGELOPEN and s.ingangsdatum < tot
        ]
        for persoon in afgelopen:
            del uow.deelnamestatussen.rijen[persoon]
        return weg + len(afgelopen)

    async def vergeet(self, personen: list[str]) -> None:
        uow = self._uow()
        zaken = {i for i, (_, p) in uow.uitkeringen.rijen.items() if p in personen}
        for rijen in (
            uow.situaties.rijen,
            uow.situaties.partners,
            uow.inkomstensoorten.rijen,
            uow.betalingen.rijen,
            uow.vaste_bedragen.rijen,
            uow.verrekeningen.rijen,
            uow.kalender.rijen,
            uow.vorderingen.verschilrijen,
            uow.vorderingen.boekrijen,
            uow.vorderingen.inhoudrijen,
            uow.vorderingen.verhogingrijen,
        ):
            for zaak in zaken:
                rijen.pop(zaak, None)
        uow.kalender.vakantietoeslagen = {k: b for k, b in uow.kalender.vakantietoeslagen.items() if k[0] not in zaken}
        for zaak in zaken:
            uow.beeindigingsvoorstellen.rijen.pop(zaak, None)
            uow.beeindigingsvoorstellen.afwijzingen.pop(zaak, None)
            uow.werkvoorraad.rijen.pop(zaak, None)
            del uow.uitkeringen.rijen[zaak]
        uow.gebeurtenissen.rijen = [g for g in uow.gebeurtenissen.rijen if g.uitkering_id not in zaken]
        uow.inkomens.nummers = {k: n for k, n in uow.inkomens.nummers.items() if k[0] not in personen}
        for persoon in personen:
            uow.inkomens.rijen.pop(persoon, None)
            if (status := uow.deelnamestatussen.rijen.get(persoon)) is not None and status.status in AFGELOPEN:
                del uow.deelnamestatussen.rijen[persoon]

    async def vergeet_afleveringen(self, voor: datetime) -> tuple[int, int]:
        afleveringen = self._uow().afleveringen
        abonnementen = self._uow().abonnementen.rijen
        vervallen = 0
        for i, a in afleveringen.rijen.items():
            if a.status == "wachtend" and not abonnementen.get(a.abonnement_id, (a, True))[1]:
                afleveringen.rijen[i] = replace(a, status="vervallen")
                vervallen += 1
        klaar = [i for i, a in afleveringen.rijen.items() if a.status != "wachtend" and a.aangemaakt_op < voor]
        for i in klaar:
            del afleveringen.rijen[i], afleveringen.pogingen[i]
        nog = {a.abonnement_id for a in afleveringen.rijen.values()}
        for i, (a, actief) in list(abonnementen.items()):
            if not actief and (a.gestopt_op is None or a.gestopt_op < voor) and i not in nog:
                del abonnementen[i]
        return vervallen, len(klaar)


class FakeKalender:
    def __init__(self, uitkeringen: FakeUitkeringen, betalingen: FakeBetalingen) -> None:
        self._uitkeringen, self._betalingen = uitkeringen, betalingen
        self.beleidsversies: dict[str, dict[date, Voorschotbeleid]] = {}
        self.rijen: dict[str, dict[Maand, int]] = {}
        self.vakantietoeslagen: dict[tuple[str, int], vt.Aangekondigd] = {}
        self.eerste: Counter[tuple[str, Maand, date]] = Counter()

    async def beleid(self, gemeentecode: str) -> list[Voorschotbeleid]:
        return [b for _, b in sorted(self.beleidsversies.get(gemeentecode, {}).items())]

    async def zet_beleid(self, gemeentecode: str, beleid: Voorschotbeleid) -> None:
        self.beleidsversies.setdefault(gemeentecode, {})[beleid.geldig_vanaf] = beleid

    async def voorgesteld(self, uitkering_id: str) -> dict[Maand, int]:
        return dict(self.rijen.get(uitkering_id, {}))

    async def stel_voor(self, uitkering_id: str, maand: Maand, bedrag: int, op: datetime) -> bool:
        voorstellen = self.rijen.setdefault(uitkering_id, {})
        if maand in voorstellen:
            return False
        voorstellen[maand] = bedrag
        return True

    async def zonder_voorschot(self, maand: Maand) -> list[str]:
        return sorted(
            i
            for i, (u, _) in self._uitkeringen.rijen.items()
            if u.status is Status.lopend
            and maand not in self.rijen.get(i, {})
            and maand not in self._betalingen.rijen.get(i, {})
        )

    async def zonder_vakantietoeslag(self, jaar: int, van: date, tot: date, geeindigd: bool) -> list[str]:
        def gelopen(u: Uitkering) -> bool:
            if geeindigd:
                return u.status is Status.beeindigd and u.einddatum is not None and van <= u.einddatum <= tot
            return u.status is Status.lopend or (u.einddatum is not None and u.einddatum >= van)

        return sorted(
            i
            for i, (u, _) in self._uitkeringen.rijen.items()
            if u.startdatum <= tot and gelopen(u) and (i, jaar) not in self.vakantietoeslagen
        )

    async def stel_vakantietoeslag_vast(self, uitkering_id: str, o: vt.Opbouw, op: datetime) -> bool:
        if (uitkering_id, o.jaar) in self.vakantietoeslagen:
            return False
        self.vakantietoeslagen[uitkering_id, o.jaar] = vt.Aangekondigd(
            uitkering_id, o.jaar, o.bedrag, o, False, vt.voorlopig_tot(o, o)
        )
        return True

    async def aangekondigd(
        self, uitkering_ids: Collection[str], gemarkeerd: bool | None = None, jaren: Collection[int] | None = None
    ) -> list[vt.Aangekondigd]:
        return [
            a
            for (i, jaar), a in sorted(self.vakantietoeslagen.items())
            if i in uitkering_ids and gemarkeerd in (None, a.te_controleren) and (jaren is None or jaar in jaren)
        ]

    async def markeer_vakantietoeslagen(self, uitkering_ids: Collection[str]) -> None:
        for (i, jaar), a in self.vakantietoeslagen.items():
            if i in uitkering_ids:
                self.vakantietoeslagen[i, jaar] = replace(a, te_controleren=True)

    async def te_herzien(self, vandaag: date, na: str | None, per: int) -> list[str]:
        due = {i for (i, _), a in self.vakantietoeslagen.items() if a.te_bekijken(vandaag)}
        return sorted(i for i in due if na is None or i > na)[:per]

    async def herzie_vakantietoeslag(
        self,
        uitkering_id: str,
        jaar: int,
        voorlopig_tot: date | None,
        stand: vt.Opbouw | None = None,
        op: datetime | None = None,
    ) -> None:
        a = replace(self.vakantietoeslagen[uitkering_id, jaar], te_controleren=False, voorlopig_tot=voorlopig_tot)
        if stand is not None:
            a = replace(a, bedrag=stand.bedrag, stand=stand)
        self.vakantietoeslagen[uitkering_id, jaar] = a

    async def tel_eerste(self, dag: date, tellingen: Mapping[tuple[str, Maand], int]) -> None:
        for (g, m), n in tellingen.items():
            self.eerste[(g, m, dag)] += n

    async def eerste_verrekeningen(
        self, gemeentecode: str | None, van: date | None = None, tot: date | None = None
    ) -> list[tuple[str, Maand, date, int]]:
        return [
            (g, m, d, n)
            for (g, m, d), n in self.eerste.items()
            if gemeentecode in (None, g) and (van is None or van <= d) and (tot is None or d <= tot)
        ]


class FakeUitstroom:
    def __init__(self) -> None:
        self.rijen: dict[int, tuple[str, str, Maand, int | None]] = {}  # id: pseudonym, municipality, month, back after
        self.geteld: dict[tuple[str, Maand], Uitstroomtelling] = {}
        self._ids = count(1)

    async def voeg_toe(self, pseudoniem: str, gemeentecode: str, maand: Maand) -> None:
        self.rijen[next(self._ids)] = (pseudoniem, gemeentecode, maand, None)

    async def open_van(self, pseudoniem: str) -> list[tuple[int, Maand]]:
        return [(i, m) for i, (p, _, m, terug) in self.rijen.items() if p == pseudoniem and terug is None]

    async def keer_terug(self, id_: int, na_maanden: int) -> None:
        p, g, m, _ = self.rijen[id_]
        self.rijen[id_] = (p, g, m, na_maanden)

    async def verplaats(self, pseudoniem: str, van: Maand, naar: Maand) -> None:
        for i, (p, g, m, terug) in list(self.rijen.items()):
            if (p, m, terug) == (pseudoniem, van, None):
                self.rijen[i] = (p, g, naar, None)

    async def tellingen(
        self, gemeentecode: str | None, van: Maand, tot: Maand, meetbaar: Mapping[int, Maand]
    ) -> dict[str, Uitstroomtelling]:
        result: dict[str, Uitstroomtelling] = {}
        for _, g, m, terug in self.rijen.values():
            if gemeentecode in (None, g) and van <= m <= tot:
                binnen = [m <= meetbaar[n] for n in (12, 36)]
                terug_binnen = [b and terug is not None and terug <= n for b, n in zip(binnen, (12, 36), strict=True)]
                telling = Uitstroomtelling(1, binnen[0], terug_binnen[0], binnen[1], terug_binnen[1])
                result[g] = result.get(g, Uitstroomtelling()) + telling
        for (g, m), telling in self.geteld.items():
            if gemeentecode in (None, g) and van <= m <= tot:
                result[g] = result.get(g, Uitstroomtelling()) + telling
        return result

    async def tel_af(self, tot: Maand) -> int:
        oud = [i for i, (_, _, m, _) in self.rijen.items() if m <= tot]
        for i in oud:
            _, g, m, terug = self.rijen.pop(i)
            t12, t36 = (terug is not None and terug <= n for n in (12, 36))
            self.geteld[(g, m)] = self.geteld.get((g, m), Uitstroomtelling()) + Uitstroomtelling(1, 1, t12, 1, t36)
        return len(oud)


class FakeVorderingen:
    def __init__(self, uitkeringen: FakeUitkeringen) -> None:
        self._uitkeringen = uitkeringen
        self.beleidsversies: dict[str, dict[date, Vorderingsbeleid]] = {}
        self.verschilrijen: dict[str, dict[Maand, tuple[int, int]]] = {}
        self.boekrijen: dict[str, list[Boeking]] = {}
        self.inhoudrijen: dict[str, dict[Maand, int]] = {}
        self.verhogingrijen: dict[str, dict[tuple[str, date], Verhoging]] = {}

    async def beleid(self, gemeentecode: str) -> list[Vorderingsbeleid]:
        return [b for _, b in sorted(self.beleidsversies.get(gemeentecode, {}).items())]

    async def zet_beleid(self, gemeentecode: str, beleid: Vorderingsbeleid) -> None:
        self.beleidsversies.setdefault(gemeentecode, {})[beleid.geldig_vanaf] = beleid

    async def verschillen(
        self, uitkering_ids: list[str], vanaf: Maand | None = None
    ) -> dict[str, dict[Maand, tuple[int, int]]]:
        return {
            i: {m: v for m, v in self.verschilrijen.get(i, {}).items() if vanaf is None or m >= vanaf}
            for i in uitkering_ids
        }

    async def zet_verschillen(self, rijen: list[tuple[str, Maand, int, int]]) -> None:
        for uitkering_id, maand, verschil, versie in rijen:
            self.verschilrijen.setdefault(uitkering_id, {})[maand] = (verschil, versie)

    async def boekingen(self, uitkering_id: str) -> list[Boeking]:
        return list(self.boekrijen.get(uitkering_id, []))

    async def boekingen_van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Boeking]]:
        return {i: list(self.boekrijen.get(i, [])) for i in uitkering_ids}

    async def boek(self, uitkering_id: str, boekingen: list[Boeking], op: datetime) -> None:
        self.boekrijen.setdefault(uitkering_id, []).extend(boekingen)

    async def houd_in(self, uitkering_id: str, maand: Maand, bedrag: int) -> bool:
        rij = self.inhoudrijen.setdefault(uitkering_id, {})
        if maand in rij:
            return False
        rij[maand] = bedrag
        return True

    async def verhogingen(self, uitkering_id: str) -> list[Verhoging]:
        rijen = self.verhogingrijen.get(uitkering_id, {})
        return [v for _, v in sorted(rijen.items(), key=lambda kv: (kv[0][1], kv[0][0]))]

    async def zet_verhoging(self, uitkering_id: str, verhoging: Verhoging) -> None:
        rijen = self.verhogingrijen.setdefault(uitkering_id, {})
        rijen[(verhoging.grond.value, verhoging.geldig_vanaf)] = verhoging

    async def zonder_inhouding(self, maand: Maand) -> list[str]:
        return sorted(
            i
            for i, boekingen in self.boekrijen.items()
            if self._uitkeringen.rijen[i][0].loopt_op(maand.eerste_dag)
            and maand not in self.inhoudrijen.get(i, {})
            and any(t.open for t in vorderingen(boekingen))
        )


class Beslissingen(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__("decisions")
        self.situaties = FakeSituaties()
        self.uitkeringen = FakeUitkeringen(self.situaties)
        self.deelnamestatussen = FakeDeelnamestatussen()
        self.inkomens = FakeInkomens()
        self.inkomstensoorten = FakeInkomstensoorten()
        self.betalingen = FakeBetalingen()
        self.vaste_bedragen = FakeVasteBedragen()
        self.verrekeningen = FakeVerrekeningen()
        self.beeindigingsvoorstellen = FakeBeeindigingsvoorstellen()
        self.werkvoorraad = FakeWerkvoorraad(self.uitkeringen)
        self.gebeurtenissen = FakeGebeurtenissen()
        self.abonnementen = FakeAbonnementen()
        self.afleveringen = FakeAfleveringen(self.abonnementen)
        self.kalender = FakeKalender(self.uitkeringen, self.betalingen)
        self.vorderingen = FakeVorderingen(self.uitkeringen)
        self.bewaring = FakeBewaring(lambda: self)
        self.uitstroom = FakeUitstroom()
        self.regelversie = FakeRegelversie()


class FakeVerzender:
    """A back office that answers `antwoord` (a status code, or an AfleverFout's words) and keeps what it got."""

    def __init__(self, antwoord: int | str = 200) -> None:
        self.antwoord = antwoord
        self.ontvangen: list[tuple[str, bytes, dict[str, str]]] = []

    async def post(
        self, url: str, host: str, adres: str, body: bytes, headers: dict[str, str], verbinden: float | None = None
    ) -> int:
        self.ontvangen.append((url, body, headers))
        if isinstance(self.antwoord, str):
            raise AfleverFout(self.antwoord)
        return self.antwoord


def resolver(*adressen: str):
    async def resolve(host: str, port: int) -> list[str]:
        return list(adressen)

    return resolve


BELEID = Webhookbeleid(
    max_pogingen=3,
    basis_seconden=5,
    timeout_seconden=2,
    gelijktijdig=5,
    circuit_drempel=2,
    circuit_basis_seconden=60,
    lokaal_toestaan=False,
)


def ports(today: date, **anders) -> tuple[Ports, Beslissingen]:
    uow = Beslissingen()
    return Ports(
        **{
            "uow": uow,
            "clock": FixedClock(today),
            "pseudonym": lambda bsn: f"p-{bsn}",
            "resolver": resolver("93.184.216.34"),
            "verzender": FakeVerzender(),
            "webhooks": BELEID,
            "uitstroom_na_maanden": 3,
            "parameters": laad(),
            "brp": FakeBrp(),
            "regelversie": "regels-test",
            "terugbetalingen": True,
            "teruggaven": True,
            "storneringen": True,
        }
        | anders
    ), uow

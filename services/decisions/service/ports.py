"""What the decisions service needs from the outside world, as it names it. Only bootstrap.py
knows the adapters behind these; tests/fakes.py has in-memory ones."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

from decisions.domain import vakantietoeslag as vt
from decisions.domain.deelname import Deelnamestatus
from decisions.domain.inkomen import Inkomen, Oordeel, Oordelen
from decisions.domain.kalender import Voorschotbeleid
from decisions.domain.parameters import Parameters
from decisions.domain.programmacijfers import Uitstroomtelling
from decisions.domain.situatie import Situatie
from decisions.domain.toeslagen import Maandinkomen, maandinkomen
from decisions.domain.uitkering import Uitkering
from decisions.domain.verrekening import Beweging, Verrekening
from decisions.domain.vordering import Boeking, Verhoging, Vorderingsbeleid
from decisions.domain.vrijlating import Klokken
from decisions.domain.webhook import Circuit, Stopreden
from schakel.clock import Clock
from schakel.ports import Brp, UnitOfWorkBase
from schakel.primitives import Maand


@dataclass(frozen=True)
class Vastgesteld:
    """A month's latest settlement as stored: `versie` counts its revisions."""

    verrekening: Verrekening
    versie: int
    vastgesteld_op: datetime
    verrekend: Mapping[Maand, int] = field(default_factory=dict)  # claims its back-payment paid off, by source
    verrekend_eerder: int = 0  # of those, claims from before the reader's sight, not named (toegang.in_zicht)
    beweging: Beweging | None = None  # what settling this version moved (None: stored before it was kept)
    voor_partner: bool = False  # read by the case's partner: its explanation is told to them

    @property
    def klokken(self) -> Klokken | None:
        return self.verrekening.klokken

    @property
    def maandinkomen(self) -> Maandinkomen | None:
        return maandinkomen(self.verrekening)

    def zelfde(self, v: Verrekening) -> bool:
        return self.verrekening == v


class Opgeslagen(Protocol):
    """A month's stored settlement as settling reads it: `zelfde` tells whether a new settlement
    equals it, and a store may read the whole settlement only when asked (most months of a case
    come out the same on each new income, so most are never read in full)."""

    @property
    def verrekening(self) -> Verrekening: ...

    @property
    def versie(self) -> int: ...

    @property
    def vastgesteld_op(self) -> datetime: ...

    @property
    def beweging(self) -> Beweging | None: ...

    @property
    def klokken(self) -> Klokken | None:
        """The clocks the month's settlement started with (read without the rest of it)."""

    @property
    def maandinkomen(self) -> Maandinkomen | None:
        """The month's income as the toeslagen signal counts it (read without the rest of it)."""

    def zelfde(self, v: Verrekening) -> bool: ...


# where a worklist page ends: (sinds, case id, month, who, kind), its order
Positie = tuple[datetime, str, str, str, str]


@dataclass(frozen=True, slots=True)
class Wachtend:
    """A month of a case on the worklist: it waits for a caseworker (domain.verrekening.TeBeoordelen),
    since `sinds`; `inkomstenverhoudingen` (loonheffingennummer, inkomstenverhouding) of unknown kind."""

    uitkering_id: str
    maand: Maand
    wie: str
    soort: str
    reden: str
    inkomstenverhoudingen: tuple[tuple[str, int], ...]
    sinds: datetime

    @property
    def sleutel(self) -> tuple[Maand, str, str]:
        return self.maand, self.wie, self.soort

    @property
    def positie(self) -> Positie:
        return self.sinds, self.uitkering_id, str(self.maand), self.wie, self.soort


@dataclass(frozen=True)
class Voorstel:
    """The latest proposal to end a case: months above the norm in a row; dismissed by the
    municipality (`afgewezen_op`, with its `reden`) when it kept the case."""

    van_maand: str
    tot_maand: str
    voorgesteld_op: datetime
    afgewezen_op: datetime | None = None
    reden: str | None = None


@dataclass(frozen=True)
class Gebeurtenis:
    """An event the service published about a case (its history)."""

    uitkering_id: str
    type: str
    tijdstip: datetime
    maand: str | None
    event_id: str
    gemeentecode: str | None = None  # the case's, written with it (for the change feed)
    positie: tuple[int, int] = (0, 0)  # read from the change feed: its place in commit order (xact, id)


@dataclass(frozen=True)
class Abonnement:
    abonnement_id: str
    gemeentecode: str
    oin: str
    url: str
    event_types: list[str]
    # None where it is not needed (only a claim to deliver decrypts it), or no configured key decrypts it
    geheim: str | None
    aangemaakt_op: datetime
    circuit: Circuit
    actief: bool = True
    gestopt_op: datetime | None = None  # also None for one stopped before decisions 0.20 recorded when
    stopreden: Stopreden | None = None
    gepauzeerd: Pauze | None = None


@dataclass(frozen=True)
class Pauze:
    """A subscription paused on purpose, by its municipality, an operator, or both (since when, each): its
    deliveries wait, using up no attempts, while either pause stands, and each party lifts its own."""

    gemeente: datetime | None = None
    beheerder: datetime | None = None

    @staticmethod
    def van(gemeente: datetime | None, beheerder: datetime | None) -> Pauze | None:
        """The pauses that stand, or None when neither does (a subscription that is not paused)."""
        return Pauze(gemeente, beheerder) if gemeente or beheerder else None

    def door(self) -> list[Literal["gemeente", "beheerder"]]:
        """Whose pauses stand."""
        return [wie for wie in ("gemeente", "beheerder") if getattr(self, wie)]

    def sinds(self) -> datetime:
        """Since when it is paused: the first pause that stands."""
        return min(t for t in (self.gemeente, self.beheerder) if t)


@dataclass(frozen=True)
class Aflevering:
    """An event to deliver to a subscription (one row per event per subscription)."""

    id: int | None
    abonnement_id: str
    event_id: str
    event_type: str
    body: str
    status: str  # wachtend, afgeleverd, mislukt
    pogingen: int
    volgende_poging_op: datetime
    aangemaakt_op: datetime
    traceparent: str | None = None


@dataclass(frozen=True)
class Poging:
    """One delivery attempt: a status code, or what went wrong; no duration when nothing was sent."""

    statuscode: int | None
    fout: str | None
    duur_ms: int | None

    @property
    def gelukt(self) -> bool:
        return self.statuscode is not None and 200 <= self.statuscode < 300


class Uitkeringen(Protocol):
    async def get(self, uitkering_id: str) -> Uitkering | None: ...

    async def vergrendel(self, uitkering_ids: list[str]) -> list[Uitkering]:
        """Holds the cases until the transaction ends (in one order, so two batches cannot deadlock)
        and returns them as they stand then: two changes of a case (a caseworker's, a settlement's, the
        instalment job's) are made one after the other, the second from what the first left."""

    async def voeg_toe(self, uitkering: Uitkering, persoon: str) -> None:
        """Raises UitkeringLooptAl when the person has a running case already."""

    async def bewaar(self, uitkering: Uitkering) -> None: ...

    async def van_persoon(self, persoon: str) -> list[Uitkering]: ...

    async def van_huishoudens(self, personen: set[str]) -> list[Uitkering]:
        """The cases whose household any of these persons is in: as applicant, or as partner in any
        situation; each once."""

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, Uitkering]:
        """These cases by id (one not found: absent), read without holding them."""

    async def pagina(self, na: str | None, aantal: int) -> list[Uitkering]:
        """At most `aantal` cases, by id, after the case id `na` (None: from the first)."""


class Deelnamestatussen(Protocol):
    async def van(self, persoon: str) -> Deelnamestatus | None: ...

    async def zet(self, persoon: str, status: Deelnamestatus) -> None: ...


class Situaties(Protocol):
    async def zet(self, uitkering_id: str, situatie: Situatie, partner_persoon: str | None) -> None:
        """Adds a situation (with its partner's pseudonym); one on the same date replaces it."""

    async def van(self, uitkering_id: str) -> list[Situatie]:
        """By effective date."""

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Situatie]]:
        """Of each of these cases (an unknown one: none), by effective date."""


class Inkomens(Protocol):
    async def zet(self, inkomens: list[tuple[str, Maand, Inkomen, int | None]]) -> None:
        """Stores months' incomes (person, month, income) with the sequence number of the event that
        brought each; of the same person and month, the last."""

    async def volgnummers(self, personen: set[str], vanaf: Maand | None = None) -> dict[tuple[str, Maand], int | None]:
        """Per person and month held (from `vanaf` on, when given), the sequence number of the event its
        income came from."""

    async def van_alle(self, personen: set[str], vanaf: Maand | None = None) -> dict[str, dict[Maand, Inkomen]]:
        """Per person with income held, their months (from `vanaf` on, when given)."""


class Inkomstensoorten(Protocol):
    """A caseworker's judgements of income relationships of unknown kind, per case."""

    async def zet(self, uitkering_id: str, persoon: str, oordeel: Oordeel, op: datetime) -> None:
        """Replaces an earlier judgement of the same person's relationship with the same employer."""

    async def van(self, uitkering_id: str) -> Oordelen:
        """Per person (pseudonym), by (loonheffingennummer, inkomstenverhouding)."""

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, Oordelen]:
        """Of each of these cases (none: empty)."""


class Betalingen(Protocol):
    async def zet(self, uitkering_id: str, maand: Maand, bedrag: int, op: datetime) -> None: ...

    async def van(self, uitkering_id: str) -> dict[Maand, int]: ...

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, int]]:
        """Of each of these cases (none: empty)."""


class VasteBedragen(Protocol):
    """On stable income: the fixed amount the intermediate account paid for a month not settled yet when a
    change back in time reached it (tussenrekening.vaste_bedragen)."""

    async def zet(self, uitkering_id: str, bedragen: Mapping[Maand, int], op: datetime) -> None:
        """Records the months not recorded yet (a month recorded keeps the amount it was paid)."""

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, int]]:
        """Of each of these cases (none: empty), by month."""


class Verrekeningen(Protocol):
    async def van(self, uitkering_id: str) -> dict[Maand, Vastgesteld]:
        """By month."""

    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, dict[Maand, Opgeslagen]]:
        """Of each of these cases (none: empty), by month."""

    async def zet(self, vastgesteld: list[tuple[str, Vastgesteld]]) -> None:
        """Replaces these months' settlements (case id, settlement), in one statement."""


class Beeindigingsvoorstellen(Protocol):
    async def van(self, uitkering_id: str) -> Voorstel | None:
        """The latest proposal, with its dismissal (one of a run with the same first month), if any."""

    async def zet(self, uitkering_id: str, voorstel: Voorstel) -> None:
        """The latest proposal (its dismissal fields are not stored here)."""

    async def afgewezen(self, uitkering_id: str) -> list[Voorstel]:
        """The dismissed proposals, by their run's first month."""

    async def wijs_af(self, uitkering_id: str, voorstel: Voorstel) -> None:
        """Keeps a dismissed proposal (`afgewezen_op` and `reden` set)."""


class Werkvoorraad(Protocol):
    async def van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Wachtend]]:
        """The waiting months of each of these cases (none: empty)."""

    async def werk_bij(
        self, uitkering_id: str, gemeentecode: str, weg: list[tuple[Maand, str, str]], bij: list[Wachtend]
    ) -> None:
        """Takes these months (`Wachtend.sleutel`) of the case off the worklist, and puts these on
        (under the case's municipality)."""

    async def van_gemeente(
        self, gemeentecode: str, soort: str | None, na: Positie | None, aantal: int
    ) -> list[Wachtend]:
        """The municipality's waiting months (of one `soort`, or all), longest waiting first in the order
        of `Wachtend.positie`: the first `aantal` after `na`."""


@dataclass(frozen=True)
class Lopend:
    """A transaction the change feed waits for."""

    xid: int  # in 64 bits, with the wraparound epoch (pg_current_snapshot)
    # when it began (not when it first wrote), where the server shows it to this role (pg_read_all_stats, or
    # a session of this role's own)
    begonnen: datetime | None


class Gebeurtenissen(Protocol):
    async def voeg_toe(self, gebeurtenissen: list[Gebeurtenis]) -> None: ...

    async def van(self, uitkering_id: str) -> list[Gebeurtenis]:
        """Oldest first."""

    async def vul_gemeentecodes(self, na: tuple[int, int] | None, aantal: int) -> tuple[int, tuple[int, int] | None]:
        """Gives up to `aantal` rows without a municipality (from before the feed, or an earlier version's
        instance) their case's, the first in feed order after `na`; how many, and the position of the
        last (`na` when none)."""

    async def van_gemeente(
        self, gemeentecode: str, vanaf: datetime | None, na: tuple[int, int] | None, aantal: int
    ) -> list[Gebeurtenis]:
        """The municipality's change feed: the first `aantal` rows of its cases after `na`, in the order they
        committed, only of transactions that ended before every one still running began (so none can
        appear before a position read already); from `vanaf` (published at or after) only."""

    async def oudste_lopende(self) -> Lopend | None:
        """The oldest writing transaction still running on the database server while a later one has ended
        (committed or rolled back): `van_gemeente` holds back what transactions that first wrote after it
        commit until it ends.
        None when nothing can wait for one."""


class Abonnementen(Protocol):
    async def voeg_toe(self, abonnement: Abonnement) -> None: ...

    async def van(
        self, abonnement_id: str, vergrendeld: bool = False, gemeentecode: str | None = None
    ) -> Abonnement | None:
        """Active or stopped; `vergrendeld`: as it is once a stop under way ended, and none starts
        before this unit of work ends; `gemeentecode`: only that municipality's (another's is neither
        found nor locked)."""

    async def actief_van(self, gemeentecodes: list[str] | None) -> list[Abonnement]:
        """The active subscriptions of these municipalities (None: of all), oldest first."""

    async def gestopt_van(self, gemeentecodes: list[str] | None) -> list[Abonnement]:
        """The stopped subscriptions of these municipalities (None: of all), the last 100 stopped first."""

    async def stop(self, abonnement_id: str, reden: Stopreden, op: datetime) -> int:
        """Ends the subscription; its waiting deliveries lapse (`vervallen`): how many. One stopped already
        keeps when and why it stopped."""

    async def zet_circuit(self, abonnement_id: str, circuit: Circuit) -> None: ...

    async def zet_pauze(self, abonnement_id: str, pauze: Pauze | None) -> None:
        """Sets the active subscription's pauses (None: none stands, and no instance holds its claim: one
        whose delivery was on its way since before the pause records nothing of it, and it goes again)."""

    async def laat_los(self, bezorger: str) -> None:
        """Gives back `bezorger`'s claims (it stops)."""

    async def houd_vast(self, abonnement_id: str, bezorger: str, tot: datetime, verzonden: bool = False) -> bool:
        """Extends `bezorger`'s claim on the subscription's deliveries until `tot` (as a length from the
        instance's now, in the database's time); False when it no
        longer holds it (its claim ran out and another instance took it), or the subscription stopped or
        (before a delivery is sent, not `verzonden`) was paused: one sent before the pause is recorded."""


class Afleveringen(Protocol):
    async def voeg_toe(self, afleveringen: list[Aflevering]) -> None:
        """Stores them with the trace they were created in."""

    async def laatste(
        self, abonnement_id: str, aantal: int
    ) -> list[tuple[Aflevering, list[tuple[int, datetime, Poging]]]]:
        """The latest deliveries, newest first, each with its attempts (number, time, attempt) in order."""

    async def claim(
        self, nu: datetime, bezorger: str, tot: datetime, behalve: list[str], aantal: int
    ) -> list[tuple[Aflevering, Abonnement]]:
        """Due deliveries of active subscriptions, not paused nor in `behalve`, whose circuit is closed at `nu`, in
        order, of the subscriptions `bezorger` holds or takes now (no claim, or one that ran out): it
        holds them for `tot - nu`, counted in the database's time as the claims run out (an instance
        whose clock is off takes no claim early), so no other instance delivers to them meanwhile."""

    async def leg_vast(self, aflevering: Aflevering, nummer: int, tijdstip: datetime, poging: Poging) -> None:
        """Logs attempt `nummer` and stores the delivery's new status and next attempt."""

    async def geef_op(self, aangemaakt_voor: datetime) -> int:
        """Gives up the deliveries of every subscription still waiting that were created before
        `aangemaakt_voor`; how many."""

    async def opnieuw(self, abonnement_id: str, nu: datetime) -> int:
        """Makes the subscription's given-up deliveries (that still hold their event) wait again, due at
        `nu`, each with a new series of attempts (the earlier ones' log goes); how many."""

    async def aan_de_beurt(self, abonnement_id: str, nu: datetime) -> None:
        """Makes the subscription's waiting deliveries due at `nu` (with the attempts they used)."""

    async def oudste_wachtende(self) -> tuple[datetime | None, datetime | None]:
        """When the oldest delivery still waiting (due or not, circuit open or not) of an active subscription
        was created: of one that is not paused, and of one that is."""


class Kalender(Protocol):
    """The payment calendar's state: the municipalities' advance policies, the proposed advances and the
    announced payouts of holiday allowance."""

    async def beleid(self, gemeentecode: str) -> list[Voorschotbeleid]:
        """The municipality's policy versions, oldest first."""

    async def zet_beleid(self, gemeentecode: str, beleid: Voorschotbeleid) -> None:
        """Adds a version; one from the same date replaces it."""

    async def voorgesteld(self, uitkering_id: str) -> dict[Maand, int]: ...

    async def stel_voor(self, uitkering_id: str, maand: Maand, bedrag: int, op: datetime) -> bool:
        """Records the month's proposed advance once: False when one was already recorded (by this or
        another instance), and then it changes nothing."""

    async def zonder_voorschot(self, maand: Maand) -> list[str]:
        """The ids of the running cases with neither a proposed nor a paid advance for the month."""

    async def zonder_vakantietoeslag(self, jaar: int, van: date, tot: date, geeindigd: bool) -> list[str]:
        """The ids of the cases without a payout of holiday allowance of payout year `jaar` recorded that
        ran on a day from `van` to `tot` (`geeindigd`: that ended on such a day)."""

    async def stel_vakantietoeslag_vast(self, uitkering_id: str, o: vt.Opbouw, op: datetime) -> bool:
        """Records the case's payout as announced, once per payout year: False when one was already
        recorded. It is marked to be looked at again when a provisional month of it turns final."""

    async def aangekondigd(
        self, uitkering_ids: Collection[str], gemarkeerd: bool | None = None, jaren: Collection[int] | None = None
    ) -> list[vt.Aangekondigd]:
        """The payouts announced for these cases (marked or not; of these payout years), by case and year."""

    async def markeer_vakantietoeslagen(self, uitkering_ids: Collection[str]) -> None:
        """Marks every announced payout of these cases to be compared with its months again."""

    async def te_herzien(self, vandaag: date, na: str | None, per: int) -> list[str]:
        """The first `per` cases after `na`, by id, with an announced payout to look at on `vandaag`
        (`vt.Aangekondigd.te_bekijken`)."""

    async def herzie_vakantietoeslag(
        self,
        uitkering_id: str,
        jaar: int,
        voorlopig_tot: date | None,
        stand: vt.Opbouw | None = None,
        op: datetime | None = None,
    ) -> None:
        """Records that the payout was looked at (unmarked; looked at again after `voorlopig_tot`),
        and, with `stand`, the payout as announced again at `op`."""

    async def tel_eerste(self, dag: date, tellingen: Mapping[tuple[str, Maand], int]) -> None:
        """Counts case-months first settled on `dag` (a Dutch day), per municipality and month."""

    async def eerste_verrekeningen(
        self, gemeentecode: str | None, van: date | None = None, tot: date | None = None
    ) -> list[tuple[str, Maand, date, int]]:
        """Of this municipality (None: of all), the case-months first settled between `van` and `tot`
        (both included, Dutch days): per municipality, month and day first settled, how many."""


class Vorderingen(Protocol):
    """Claims: the municipalities' recovery policies, each month's settled difference as booked, the
    claims' bookings and the months' instalments."""

    async def beleid(self, gemeentecode: str) -> list[Vorderingsbeleid]:
        """The municipality's policy versions, oldest first."""

    async def zet_beleid(self, gemeentecode: str, beleid: Vorderingsbeleid) -> None:
        """Adds a version; one from the same date replaces it."""

    async def verschillen(
        self, uitkering_ids: list[str], vanaf: Maand | None = None
    ) -> dict[str, dict[Maand, tuple[int, int]]]:
        """Per case and month (from `vanaf` on, when given), the settled difference the claims were last
        booked for, and how often it changed."""

    async def zet_verschillen(self, rijen: list[tuple[str, Maand, int, int]]) -> None:
        """(case, month, difference, version) as last booked."""

    async def boekingen(self, uitkering_id: str) -> list[Boeking]:
        """In the order they were booked."""

    async def boekingen_van_alle(self, uitkering_ids: list[str]) -> dict[str, list[Boeking]]: ...

    async def boek(self, uitkering_id: str, boekingen: list[Boeking], op: datetime) -> None: ...

    async def houd_in(self, uitkering_id: str, maand: Maand, bedrag: int) -> bool:
        """Records the month's instalment once: False when one was already recorded (by this or another
        instance), and then it changes nothing."""

    async def zonder_inhouding(self, maand: Maand) -> list[str]:
        """The ids of the running cases with an open claim and no instalment recorded for the month."""

    async def verhogingen(self, uitkering_id: str) -> list[Verhoging]:
        """The caseworker's raises of the case's beslagvrije voet, oldest first."""

    async def zet_verhoging(self, uitkering_id: str, verhoging: Verhoging) -> None:
        """Adds a version; one of the same ground and date replaces it."""


class Bewaring(Protocol):
    """Retention (service.bewaring)."""

    async def uitgestroomd(self, tot: date) -> list[str]:
        """The persons (pseudonyms) whose every case, as applicant or partner, ended before `tot`
        (`schakel.primitives.bewaring.uitgestroomd`; a running case has no end)."""

    async def vergeet(self, personen: list[str]) -> None:
        """Deletes everything kept about these persons: their cases with situations, payments,
        settlements, income judgements, exit proposals and history, their incomes, and their
        participation status once it says nothing (one that runs is registration's: `vergeet_los`)."""

    async def vergeet_los(self, tot: date) -> int:
        """Deletes what is kept beside a case about someone no case holds (as applicant or partner)
        and ended before `tot`: an income of a month that ended then, a status that says nothing
        (`AFGELOPEN`) since then. Returns how many rows."""

    async def vergeet_afleveringen(self, voor: datetime) -> tuple[int, int]:
        """Lapses what still waits for a stopped subscription (written while it was being stopped);
        deletes the finished (delivered, failed or lapsed) deliveries created before `voor`, with their
        attempts, and the subscriptions stopped before `voor` that have none left; returns how many
        deliveries lapsed and how many were deleted."""


@dataclass(frozen=True)
class Regelstand:
    """The rules (`<release> <fingerprint>`; a fingerprint alone from releases up to 0.14, empty before
    any) under which every case was settled whole, and when their round began (`OUDE_ORDE` from the
    release on: see herbereken_na_nieuwe_regels); with `na`, a round still going that got as far as
    that case."""

    versie: str
    vastgesteld_op: datetime
    na: str | None = None


class Regelversie(Protocol):
    async def lees(self) -> Regelstand:
        """The rules recorded, locked until the transaction ends: instances take a round's batches in
        turn."""

    async def zet(self, stand: Regelstand) -> None: ...


class Uitstroom(Protocol):
    """The pseudonymous outflow records of the fall-back figure (service.programmacijfers)."""

    async def voeg_toe(self, pseudoniem: str, gemeentecode: str, maand: Maand) -> None: ...

    async def open_van(self, pseudoniem: str) -> list[tuple[int, Maand]]:
        """The person's records without a return yet: (id, month of leaving)."""

    async def keer_terug(self, id_: int, na_maanden: int) -> None: ...

    async def verplaats(self, pseudoniem: str, van: Maand, naar: Maand) -> None:
        """The person's record of leaving in `van` without a return (their last case's) leaves in `naar`."""

    async def tellingen(
        self, gemeentecode: str | None, van: Maand, tot: Maand, meetbaar: Mapping[int, Maand]
    ) -> dict[str, Uitstroomtelling]:
        """Per municipality (None: every one), of those who left from `van` to `tot`, the kept records and
        the counted ones together; a window counts the months of leaving up to its `meetbaar` month."""

    async def tel_af(self, tot: Maand) -> int:
        """Deletes the records of the months of leaving up to `tot` and adds them to the counts per
        municipality and month (no person); how many it deleted."""


class UnitOfWork(UnitOfWorkBase, Protocol):
    """One transaction: the repositories, and the events that commit with it."""

    uitkeringen: Uitkeringen
    deelnamestatussen: Deelnamestatussen
    situaties: Situaties
    inkomens: Inkomens
    inkomstensoorten: Inkomstensoorten
    betalingen: Betalingen
    vaste_bedragen: VasteBedragen
    verrekeningen: Verrekeningen
    beeindigingsvoorstellen: Beeindigingsvoorstellen
    werkvoorraad: Werkvoorraad
    gebeurtenissen: Gebeurtenissen
    abonnementen: Abonnementen
    afleveringen: Afleveringen
    kalender: Kalender
    vorderingen: Vorderingen
    bewaring: Bewaring
    uitstroom: Uitstroom
    regelversie: Regelversie


class Resolver(Protocol):
    async def __call__(self, host: str, port: int) -> list[str]:
        """Every address of `host` now (OSError: none)."""


class Verzender(Protocol):
    async def post(
        self, url: str, host: str, adres: str, body: bytes, headers: dict[str, str], verbinden: float | None = None
    ) -> int:
        """POSTs to `adres` as `url`; returns the status code or raises domain.webhook.AfleverFout
        (NietVerbonden when no connection was made, within `verbinden` seconds for the TCP connection
        and again for TLS: None, the whole deadline)."""


@dataclass(frozen=True)
class Webhookbeleid:
    """Attempts, the first wait (doubling), one delivery's deadline, deliveries at once, the circuit,
    whether plain http to this machine is allowed (development only), and the ports a new
    subscription's URL may name (None: any)."""

    max_pogingen: int
    basis_seconden: float
    timeout_seconden: float
    gelijktijdig: int
    circuit_drempel: int
    circuit_basis_seconden: float
    lokaal_toestaan: bool
    # a delivery still waiting after this long is given up (and retention, which keeps finished ones as
    # long, removes it with the event it carries)
    bewaren_dagen: int = 30
    poorten: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Ports:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    pseudonym: Callable[[str], str]  # BSN -> the person's stable pseudonym (the message key)
    resolver: Resolver
    verzender: Verzender
    webhooks: Webhookbeleid
    uitstroom_na_maanden: int  # propose ending the case after this many months above the norm
    parameters: Parameters  # the dated legal amounts and percentages
    brp: Brp  # residence: only the municipality the person lives in opens a case
    regelversie: str  # the fingerprint of the rules as deployed (parameters and rule modules)
    terugbetalingen: bool = False  # repayments may be booked: every instance reads them (DECISIONS_TERUGBETALINGEN)
    teruggaven: bool = False  # refunds of what a lowered claim had paid off are booked (DECISIONS_TERUGGAVEN)
    storneringen: bool = False  # repayments may be reversed: every instance reads that (DECISIONS_STORNERINGEN)

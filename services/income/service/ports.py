"""What the income service needs from the outside world, as it names it. Only bootstrap.py knows
the adapters behind these; tests/fakes.py has in-memory ones."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from income.domain.afsluiting import Afsluiting
from income.domain.inkomstensoort import Soorttabel
from income.domain.overschrijving import Overschrijving
from income.domain.polis import Aangifte
from income.domain.populatie import Dossier, Termijn, Uitkering
from income.domain.toerekening import Aandeel, Regel, Toerekening
from schakel.clock import Clock
from schakel.ports import UnitOfWorkBase
from schakel.primitives import Maand


class Gelijktijdig(Exception):
    """A concurrent unit of work stored the same declaration version first; the unit rolled back."""


@dataclass(slots=True)
class Opgeslagen:
    """The current version of one (employer, IKV, period) of a person; id None until stored."""

    id: int | None
    regel: Regel
    vingerafdruk: str


@dataclass(slots=True)
class Versie:
    """A declaration version to store; `actueel` turns False when a later record of the same
    delivery supersedes it before it was stored."""

    persoon: str
    aangifte: Aangifte
    inhoud: dict
    versie: int
    vingerafdruk: str
    actueel: bool = True


@dataclass(frozen=True, slots=True)
class Aangifteversie:
    """A stored version, for audit."""

    inhoud: dict
    versie: int
    actueel: bool
    levering_id: str
    ontvangen_op: datetime
    aangemaakt_op: datetime | None  # when the provider made it, if it said so


@dataclass(frozen=True, slots=True)
class Vastgelegd:
    """A month's established figure as stored, with the contributions that explain it."""

    persoon: str
    maand: Maand
    loon: int
    vakantiebijslag: int
    polis_loon: int
    bron: str
    te_beoordelen: bool
    bijdragen: tuple[Aandeel, ...]


@dataclass(frozen=True, slots=True)
class Levering:
    levering_id: str
    kanaal: str
    vingerafdruk: str | None
    ontvangen_op: datetime
    bijgewerkt_op: datetime
    aantallen: dict[str, int]
    antwoord: dict | None
    afwijzingen_afgekapt: bool = False  # more were refused over Kafka than the first MAX_AFWIJZINGEN kept


@dataclass(frozen=True)
class Afwijzing:
    """A declaration of a Kafka delivery that was refused: its CloudEvents id where it could be read
    (every run of nine digits or more masked: the provider chose it, and it may hold a BSN), else its place on the
    topic (partition, offset), and why (the field and the rule, never a value)."""

    event_id: str | None
    partitie: int | None
    positie: int | None
    reden: str
    afgewezen_op: datetime
    # the id as it came, keyed and hashed (`Ports.pseudonym`), to know a retried record by: masked ids of
    # two records can be alike
    sleutel: str | None = None

    @property
    def herkend(self) -> tuple[str | None, int | None, int | None, str]:
        """What a refusal is known by when its batch is tried again: the record's id as it came, or its
        place, and the reason."""
        return (self.sleutel or self.event_id, self.partitie, self.positie, self.reden)


MAX_AFWIJZINGEN = 1000  # kept per delivery: its counts stay exact, the reasons of a wholly wrong one do not pile up


class Populatie(Protocol):
    async def neem_op(
        self, uitkeringen: list[Uitkering], volgnummers: Mapping[str, int | None] | None = None
    ) -> set[str]:
        """Adds cases, each with the sequence number of its opening (by case id); a known case stays as it
        is. Returns the ids of the known ones."""

    async def beeindig(self, uitkering_id: str, tot: date, op: datetime) -> bool:
        """Sets a case's end, and ends its partners' periods by then; False if the case is unknown. Each
        row whose end changed keeps the end before and `op` (domain.populatie.Bekend)."""

    async def volgnummer(self, uitkering_id: str) -> int | None:
        """The sequence number of the latest change to the case applied (None: none numbered, or unknown)."""

    async def zet_volgnummer(self, uitkering_id: str, volgnummer: int) -> None: ...

    async def zet_partners(self, uitkering_id: str, partners: list[Uitkering]) -> list[str]:
        """Replaces the partners of a case (each as a membership of its own: the partner's person, BSN and
        period, no longer than the case's); a period stated before keeps what is known of it, and the end
        before when its end changed (domain.populatie.Bekend). Returns the persons who were partners before."""

    async def open_termijn(self, termijn: Termijn, volgnummer: int | None = None) -> None:
        """Stores the window (replacing an earlier one of the same case), with the sequence number of its
        announcement (None: the one stored stays); a window stated before keeps what is known of it, and
        the end before when its end changed (domain.populatie.Bekend)."""

    async def termijn_volgnummer(self, uitkering_id: str) -> int | None:
        """The sequence number of the latest announcement of the window applied."""

    async def dossiers(self, personen: Iterable[str] | None = None) -> dict[str, Dossier]:
        """The cases and windows of these persons (of everyone when None)."""

    async def pagina(
        self, op: date, gemeenten: frozenset[str], begin: int, aantal: int
    ) -> tuple[int, list[tuple[str, str]]]:
        """The population of these municipalities on `op` as `domain.populatie.populatie` gives it
        (BSN, municipality), counted, and `aantal` of it from place `begin` on."""

    async def tel(self, op: date, gemeenten: frozenset[str]) -> int:
        """How many the population of these municipalities on `op` counts."""

    async def na(
        self, op: date, gemeenten: frozenset[str], bsn: str | None, aantal: int, gelezen_op: datetime | None = None
    ) -> list[tuple[str, str]]:
        """`aantal` of that population, as `pagina` orders them, from the first BSN after `bsn` (None:
        from the start); with `gelezen_op`, the population as income knew it then
        (domain.populatie.zoals_op)."""

    async def uitgestroomd(self, bewaren_tot: date) -> list[str]:
        """The persons whose every end (`domain.populatie.einden`) is before `bewaren_tot`
        (`schakel.primitives.bewaring.uitgestroomd`)."""

    async def vergeet(self, personen: list[str]) -> None:
        """Deletes everything kept about these persons, declarations and months included."""

    async def vergeet_los(self, bewaren_tot: date) -> int:
        """Deletes the months, overrides and declarations that ended before `bewaren_tot` of persons no
        case, partner's period or window holds any more (a partner a correction took out of the
        household), with their outbox numbering once nothing of them is left; returns how many rows."""


class Polisregels(Protocol):
    async def actueel(
        self, bsns: dict[str, str], begint_tussen: tuple[date, date] | None = None
    ) -> dict[str, dict[tuple, Opgeslagen]]:
        """The current versions per person (BSN per person) and declaration key; with `begint_tussen`,
        only those of periods that begin between these two days (both included)."""

    async def voeg_toe(
        self, versies: list[Versie], leverancier: str, levering_id: str, ontvangen_op: datetime
    ) -> None: ...

    async def vervang(self, ids: list[int]) -> None:
        """Marks these stored versions as superseded."""

    async def later_gemaakt(self, momenten: dict[int, datetime | None]) -> None:
        """These stored versions were made again, unchanged, at these later moments (`aangemaaktOp`)."""

    async def van(self, persoon: str) -> list[Aangifteversie]:
        """Every version of the person's declarations, oldest first."""

    async def geleverd(
        self, leverancier: str, maand: Maand, gelezen_op: datetime, gemeenten: frozenset[str]
    ) -> frozenset[str]:
        """The municipalities, of these, the provider delivered the month for: a declaration whose period
        runs in it (a four-weekly one that began in the month before too), of someone with a case, a
        partner's period or a re-application window there known at `gelezen_op` (when it read the
        population), some time from the month's first day until that day."""


class Maandinkomens(Protocol):
    async def van(
        self, personen: Iterable[str], maanden: Iterable[Maand] | None = None
    ) -> dict[tuple[str, Maand], Vastgelegd]:
        """These persons' months (of `maanden` only, when given)."""

    async def met(self, personen: Iterable[str], maand: Maand) -> set[str]:
        """Those of these persons whose month is established (the keys alone: cheap to read)."""

    async def tussen(self, persoon: str, van: Maand, tot: Maand) -> list[Vastgelegd]: ...

    async def bewaar(self, nieuw: list[Vastgelegd], gewijzigd: list[Vastgelegd], op: datetime) -> None: ...


class Overschrijvingen(Protocol):
    async def van(self, personen: Iterable[str]) -> dict[tuple[str, Maand], Overschrijving]: ...

    async def markeer_te_beoordelen(self, sleutels: list[tuple[str, Maand]]) -> None: ...

    async def zet(
        self, persoon: str, overschrijving: Overschrijving, gemeentecode: str, door: str, op: datetime
    ) -> None: ...

    async def verwijder(self, persoon: str, maand: Maand) -> bool: ...


class Leveringen(Protocol):
    async def van(self, leverancier: str, levering_id: str) -> Levering | None: ...

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
        """Adds outcome counts to a delivery (a Kafka delivery arrives in many batches)."""

    async def wijs_af(self, leverancier: str, levering_id: str, afwijzingen: list[Afwijzing]) -> None:
        """Keeps why declarations of the delivery were refused, up to the first MAX_AFWIJZINGEN; one
        beyond them marks the delivery's list cut (`Levering.afwijzingen_afgekapt`)."""

    async def afwijzingen(self, leverancier: str, levering_id: str) -> list[Afwijzing]:
        """In the order they were kept."""

    async def vergeet_afwijzingen(self, voor: datetime) -> int:
        """Removes the refusals kept before this moment; how many went."""


class Beleid(Protocol):
    async def van(self, gemeentecodes: Iterable[str]) -> dict[str, Toerekening]: ...

    async def zet(self, gemeentecode: str, toerekening: Toerekening, op: datetime) -> None: ...


class Herberekeningen(Protocol):
    async def plan(self, gemeentecode: str) -> None:
        """Queues every person with a case of the municipality."""

    async def volgende(self, aantal: int) -> list[str]:
        """The first `aantal` queued persons no other transaction has taken; taken until commit."""

    async def klaar(self, personen: list[str]) -> None: ...


class Afsluitingen(Protocol):
    async def neem_op(self, afsluiting: Afsluiting) -> None: ...

    async def van(self, leverancier: str, afsluiting_id: str) -> Afsluiting | None:
        """The provider's own closing; another's is not found."""

    async def open_van(self, leverancier: str) -> list[Afsluiting]:
        """The provider's closings still running."""

    async def volgende(self) -> Afsluiting | None:
        """The open closing no other transaction holds that failed least often, the oldest of those;
        held until commit."""

    async def mislukt(self, afsluiting_id: str, op: datetime, max_pogingen: int, na: timedelta) -> Afsluiting | None:
        """Counts a failed attempt at the open closing's next page; at `max_pogingen` in a row, the first
        at least `na` before `op`, it is given up (its cursor forgotten) and returned."""

    async def werk_bij(self, afsluiting: Afsluiting) -> None:
        """Stores how far the closing got."""


class UnitOfWork(UnitOfWorkBase, Protocol):
    """One transaction: the repositories, and the events that commit with it."""

    populatie: Populatie
    polisregels: Polisregels
    maandinkomens: Maandinkomens
    overschrijvingen: Overschrijvingen
    leveringen: Leveringen
    beleid: Beleid
    herberekeningen: Herberekeningen
    afsluitingen: Afsluitingen


@dataclass(frozen=True)
class Ports:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    pseudonym: Callable[[str], str]  # BSN -> the person's stable pseudonym (the message key)
    contracten: Mapping[str, frozenset[str]]  # a data provider's OIN -> the municipalities it delivers for
    inkomstensoorten: Soorttabel  # the dated table of kinds of income (work, other)

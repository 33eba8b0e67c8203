"""What the reapplication service needs from the outside world, as it names it. Only bootstrap.py
knows the adapters behind these; tests/fakes.py has in-memory ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from reapplication.domain.heraanvraag import Heraanvraag, Uitkering
from reapplication.domain.inkomen import Polis
from reapplication.domain.overdracht import Overdracht
from reapplication.domain.termijn import Heraanvraagtermijn
from schakel.caller import Caller
from schakel.clock import Clock
from schakel.ports import Brp, UnitOfWorkBase
from schakel.primitives.cijfers import Periode


class Termijnen(Protocol):
    async def van(self, persoon: str) -> list[Heraanvraagtermijn]: ...

    async def zet(self, persoon: str, termijn: Heraanvraagtermijn) -> bool:
        """Stores the window of a benefit's end, or moves the stored one to a corrected end date (closed
        by a later benefit, it stays closed); False when this end's window was already known (what it
        may reuse is then taken over: the same end announced again with a clock that moved)."""

    async def sluit(self, uitkering_id: str, op: date) -> None: ...


class Uitkeringen(Protocol):
    """The person's cases as decisions announced them."""

    async def van(self, persoon: str) -> list[Uitkering]: ...

    async def geopend(self, persoon: str, uitkering: Uitkering) -> None:
        """Running, with its opening; a case known already stays as it is (its opening redelivered
        after its end), save the opening when its end arrived first."""

    async def beeindigd(self, persoon: str, uitkering_id: str, einddatum: date, volgnummer: int | None) -> None:
        """Ended (also one whose opening was never seen here)."""

    async def vergeten(self, uitkering_id: str) -> int | None:
        """The last sequence number applied of a case retention forgot lately (0: unnumbered); None
        when it did not (`Bewaring.vergeet`)."""


class Termijnbeleid(Protocol):
    async def van(self, gemeentecode: str) -> list[tuple[date, int]]:
        """(from, months) rows of a municipality, earliest first."""

    async def zet(self, gemeentecode: str, geldig_vanaf: date, maanden: int) -> None: ...


class Overdrachten(Protocol):
    async def van(self, persoon: str) -> Overdracht | None:
        """The person's handover of their latest WW."""

    async def alle(self, persoon: str) -> list[Overdracht]:
        """The person's handovers, one per WW, the earliest WW first."""

    async def met_id(self, overdracht_id: str) -> tuple[Overdracht, str] | None:
        """(handover, BSN)."""

    async def bewaar(self, persoon: str, bsn: str, overdracht: Overdracht) -> None:
        """Stores the handover, replacing the one with its id."""

    async def van_gemeente(
        self,
        gemeentecode: str,
        van: date | None,
        tot: date | None,
        na: tuple[date, str] | None = None,
        aantal: int | None = None,
    ) -> list[tuple[Overdracht, str]]:
        """(handover, BSN) of a municipality, optionally by expected WW end, in `Overdracht.volgorde`:
        the first `aantal` after `na`."""

    async def met_einde_in(self, gemeentecode: str | None, periode: Periode) -> list[Overdracht]:
        """The handovers of a municipality, or of all (None), whose WW ends in the period (the
        programme's figures)."""


class Inkomen(Protocol):
    """The income service, asked when someone re-applies (the data stays at its source)."""

    async def laatste(self, caller: Caller, bsn: str) -> Polis:
        """The person's latest month with polis data that the caller itself may see of them (its
        running benefit or open window), or that income does not see the person for the caller (not
        "no income": its window may not have reached income yet). Raises schakel.errors.Unavailable."""


class Doelgroepen(Protocol):
    async def van(self, persoon: str) -> str | None:
        """The person's doelgroepregister ground, if registered."""

    async def zet(self, persoon: str, grond: str | None, volgnummer: int | None, sinds: date) -> None:
        """The ground of the status of `sinds` (its day), from the event with sequence `volgnummer`."""

    async def volgnummer(self, persoon: str) -> int | None:
        """The sequence of the status event the person's ground came from."""


class Heraanvragen(Protocol):
    async def voeg_toe(self, heraanvraag: Heraanvraag) -> None: ...

    async def lees(self, heraanvraag_id: str) -> Heraanvraag | None: ...

    async def werk_bij(self, heraanvraag: Heraanvraag) -> None:
        """Stores the decision and the reopened benefit."""

    async def van_persoon(self, persoon: str, gemeentecode: str | None) -> list[Heraanvraag]:
        """The person's re-applications in the municipality, or in any (None)."""

    async def van_gemeente(
        self,
        gemeentecode: str,
        status: str | None,
        na: tuple[date, datetime, str] | None = None,
        aantal: int | None = None,
    ) -> list[Heraanvraag]:
        """A municipality's re-applications in `Heraanvraag.volgorde`: the first `aantal` after `na`."""

    async def besloten_in(self, gemeentecode: str | None, periode: Periode) -> list[Heraanvraag]:
        """The re-applications of a municipality, or of all (None), decided in the period (a Dutch day;
        the programme's figures)."""


class Bewaring(Protocol):
    """Retention (service.bewaring)."""

    async def uitgestroomd(self, tot: date) -> list[str]:
        """The persons (pseudonyms) whose every window, re-application, handover and case ended before
        `tot` (`schakel.primitives.bewaring.uitgestroomd`): a window when it closed or ran out, a
        re-application on the Dutch day it was decided, a handover when decided or the WW ended, a case
        on its last day (a running one keeps the person)."""

    async def vergeet(self, personen: list[str], vandaag: date) -> None:
        """Deletes everything kept about these persons but a doelgroep ground that still says something
        (registration's); their cases are remembered as forgotten `vandaag` (`Uitkeringen.vergeten`)."""

    async def vergeet_vergeten(self, tot: date) -> None:
        """Lets go of the cases forgotten before `tot`."""

    async def vergeet_los(self, tot: date) -> int:
        """Deletes the doelgroep grounds that said nothing since before `tot` (or from before their day
        was kept) of persons nothing here holds; returns how many. One that runs stays: registration
        announces its end."""


class UnitOfWork(UnitOfWorkBase, Protocol):
    """One transaction: the repositories, and the events that commit with it."""

    termijnen: Termijnen
    uitkeringen: Uitkeringen
    beleid: Termijnbeleid
    overdrachten: Overdrachten
    doelgroepen: Doelgroepen
    heraanvragen: Heraanvragen
    bewaring: Bewaring


@dataclass(frozen=True)
class Ports:
    uow: Callable[[], UnitOfWork]
    lees: Callable[[], UnitOfWork]  # reads before asking income: no claim, no transaction held (Service.lezer)
    clock: Clock
    pseudonym: Callable[[str], str]  # BSN -> the person's stable pseudonym (the message key)
    brp: Brp  # residence: only the municipality the person lives in applies for them
    inkomen: Inkomen  # "the job ended": the latest month of polis income
    standaard_maanden: int = 12  # the window without a municipality's own policy (art. 43a)

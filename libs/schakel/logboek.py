"""The processing log (Logboek Dataverwerkingen, the VNG/Logius standard): every processing of a
person's data, by an API operation or a received event, leaves one record per person with the
fields the standard names (trace and span ids, name, status, start and end) and its attributes:
the processing activity from the register (`contracts/verwerkingsactiviteiten.yaml`, AVG art. 30),
the person as a pseudonym (never the BSN), the organisation (OIN) and the acting user (`sub`).

A processing is a `Verwerking` in a context variable, opened by the API's middleware per request
and by the consumer runner per event. Whoever handles a BSN notes the person in it (the BSN field
types do so when a request, an answer or an event is validated; a service that resolves a person
by id does so itself); the records are written in the transaction that changes the data, or right
after a read, before its answer leaves (schakel.runtime.logboek)."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from opentelemetry import trace
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.caller import Caller
from schakel.clock import SYSTEM
from schakel.errors import Unavailable
from schakel.persistence import indexes
from schakel.persistence.types import IdType, UtcDateTime
from schakel.persistence.upsert import insert_all
from schakel.primitives.periode import plus_maanden

log = logging.getLogger(__name__)
REGISTER = Path(__file__).resolve().parents[2] / "contracts" / "verwerkingsactiviteiten.yaml"
OK, ERROR = "OK", "ERROR"  # the standard's status codes
# in what capacity a person is noted: the one the processing is about (asked about, the case's
# applicant, the event's person, a partner whose own data a request records; in a citizen's own
# request, the citizen), or only as a member of their household (a partner a read of the case or an
# event about it names: Participatiewet art. 4), whose records an access request may have to leave out
# or shorten where they would tell of another's life (AVG art. 15(4))
BETROKKENE, GEZINSLID = "betrokkene", "gezinslid"


@dataclass(frozen=True)
class Register:
    """The register of processing activities, and which activity each operation and event serves."""

    activiteiten: Mapping[str, Mapping[str, Any]]  # id -> the activity as the register describes it
    operaties: Mapping[tuple[str, str], str]  # (service, operationId) -> activity id
    gebeurtenissen: Mapping[tuple[str, str], str]  # (service, event type) -> activity id
    taken: Mapping[tuple[str, str], str]  # (service, background job) -> activity id
    huishouding: frozenset[str]  # the house's jobs (retention, purges, measurements, webhook delivery): no record
    zonder_persoonsgegevens: Mapping[str, frozenset[str]]  # service -> its operations without any
    bewaarjaren: int  # the log's retention: whole calendar years

    def bewaard_vanaf(self, nu: datetime) -> datetime:
        """The oldest moment still kept: the same moment `bewaarjaren` calendar years back (a count of
        days would lose a day to a second 29 February)."""
        return datetime.combine(plus_maanden(nu.date(), -12 * self.bewaarjaren), nu.timetz())

    def van_dienst(self, service: str) -> tuple[dict[str, str], dict[str, str]]:
        """The activity per operationId and per event type of one service."""
        return (
            {op: a for (s, op), a in self.operaties.items() if s == service},
            {t: a for (s, t), a in self.gebeurtenissen.items() if s == service},
        )


@cache
def register(path: Path = REGISTER) -> Register:
    document = yaml.safe_load(path.read_text())
    activiteiten = {a["id"]: a for a in document["activiteiten"]}
    years = re.fullmatch(r"P([0-9]+)Y", document["logboek"]["bewaartermijn"])
    assert years, "the log's retention is a number of years (P<n>Y)"
    return Register(
        activiteiten=activiteiten,
        operaties={
            (s, op): i for i, a in activiteiten.items() for s, ops in a.get("operaties", {}).items() for op in ops
        },
        gebeurtenissen={
            (s, t): i
            for i, a in activiteiten.items()
            for s, types in a.get("gebeurtenissen", {}).items()
            for t in types
        },
        taken={(s, t): i for i, a in activiteiten.items() for s, jobs in a.get("taken", {}).items() for t in jobs},
        huishouding=frozenset(document["huishouding"]),
        zonder_persoonsgegevens={s: frozenset(ops) for s, ops in document["zonderPersoonsgegevens"].items()},
        bewaarjaren=int(years[1]),
    )


metadata = sa.MetaData()
verwerkingen = sa.Table(
    "verwerkingen",
    metadata,
    sa.Column("id", IdType, primary_key=True, autoincrement=True),
    sa.Column("trace_id", sa.String(32), nullable=False),
    sa.Column("span_id", sa.String(16), nullable=False),
    sa.Column("parent_span_id", sa.String(16)),
    sa.Column("naam", sa.String(120), nullable=False),
    sa.Column("status", sa.String(5), nullable=False),
    sa.Column("begin", UtcDateTime, nullable=False),
    sa.Column("eind", UtcDateTime, nullable=False),
    sa.Column("activiteit", sa.String(200), nullable=False),
    sa.Column("betrokkene", sa.String(64), nullable=False),
    sa.Column("organisatie", sa.String(20), nullable=False),
    sa.Column("gemeente", sa.String(6)),  # on whose behalf the organisation acted (a municipality's caller)
    sa.Column("gebruiker", sa.String(200)),
    sa.Column("dienst", sa.String(40), nullable=False),
    sa.Column("hoedanigheid", sa.String(12)),  # BETROKKENE or GEZINSLID; none before platform_0012
    sa.Index("verwerkingen_betrokkene", "betrokkene", "begin"),
    sa.Index("verwerkingen_eigen", "betrokkene", "organisatie", "gemeente", "begin"),  # platform_0011
    sa.Index("verwerkingen_begin", "begin"),
)


@dataclass
class Verwerking:
    """One processing: what it is, on whose behalf, and the persons noted in it so far."""

    dienst: str
    pseudoniem: Callable[[str], str]
    organisatie: str  # Schakel's own OIN until a caller is known
    activiteiten: Mapping[str, str]  # name (operationId or event type) -> activity id
    naam: str = ""
    gemeente: str | None = None  # the municipality the caller acts for (one OIN may serve several)
    gebruiker: str | None = None
    begin: datetime = field(default_factory=SYSTEM.now)
    trace_id: str = ""
    span_id: str = ""
    parent_span_id: str | None = None
    betrokkenen: dict[str, str | None] = field(default_factory=dict)  # noted, in order, with their capacity
    vastgelegd: set[str] = field(default_factory=set)  # written in a committed transaction
    per_transactie: bool = False  # a job's: each of its transactions is a processing of its own
    burger: str | None = None  # a citizen's own request: their pseudonym

    def __post_init__(self) -> None:
        self.span(trace.get_current_span())

    def span(self, span: trace.Span) -> None:
        """Takes the ids of the span that carries this processing (a random trace without tracing)."""
        context = span.get_span_context()
        if context.is_valid:
            self.trace_id, self.span_id = f"{context.trace_id:032x}", f"{context.span_id:016x}"
            parent = getattr(span, "parent", None)
            self.parent_span_id = f"{parent.span_id:016x}" if parent is not None else None
        else:
            self.trace_id, self.span_id = secrets.token_hex(16), secrets.token_hex(8)

    def noteer(self, persoon: str, hoedanigheid: str | None = BETROKKENE) -> None:
        """Notes a person; one the processing is about anywhere in it is so for all of it. A citizen's
        own request is about them: anyone else it reaches (their partner's case, or another's refused)
        is noted as a member of the household, so it never shows in that one's own view of the log."""
        if self.burger is not None and persoon != self.burger:
            hoedanigheid = GEZINSLID
        if self.betrokkenen.get(persoon, GEZINSLID) != BETROKKENE:
            self.betrokkenen[persoon] = hoedanigheid

    def voor_transactie(self) -> Verwerking:
        """The processing of one of a job's transactions: one that rolls back leaves no one noted for
        the next, and a long run holds no one it put on record already."""
        return replace(self, betrokkenen={}, vastgelegd=set(), begin=SYSTEM.now())

    def open(self) -> list[str]:
        """The persons noted but not yet on record."""
        return [p for p in self.betrokkenen if p not in self.vastgelegd]

    def records(self, status: str, personen: list[str]) -> list[dict[str, Any]]:
        activiteit = self.activiteiten.get(self.naam)
        # the register test holds every operation and event with personal data to an activity
        assert activiteit, f"{self.dienst} {self.naam!r} processes personal data but names no processing activity"
        eind = SYSTEM.now()
        return [
            {
                "trace_id": self.trace_id,
                "span_id": self.span_id,
                "parent_span_id": self.parent_span_id,
                "naam": self.naam,
                "status": status,
                "begin": self.begin,
                "eind": eind,
                "activiteit": activiteit,
                "betrokkene": persoon,
                "hoedanigheid": self.betrokkenen[persoon],
                "organisatie": self.organisatie,
                "gemeente": self.gemeente,
                "gebruiker": self.gebruiker,
                "dienst": self.dienst,
            }
            for persoon in personen
        ]


_huidige: ContextVar[Verwerking | None] = ContextVar("schakel.verwerking", default=None)


def huidige() -> Verwerking | None:
    return _huidige.get()


@contextmanager
def binnen(verwerking: Verwerking) -> Iterator[Verwerking]:
    token = _huidige.set(verwerking)
    try:
        yield verwerking
    finally:
        _huidige.reset(token)


def noteer(persoon: str, hoedanigheid: str | None = BETROKKENE) -> None:
    """Notes a person, by pseudonym, in the current processing (none outside one)."""
    if (verwerking := _huidige.get()) is not None:
        verwerking.noteer(persoon, hoedanigheid)


def noteer_bsn(bsn: str) -> str:
    """Notes the person with this BSN as the one the processing is about; a validator, so it hands the
    BSN back."""
    if (verwerking := _huidige.get()) is not None:
        verwerking.noteer(verwerking.pseudoniem(bsn))
    return bsn


def noteer_gezinslid(bsn: str) -> str:
    """Notes the person with this BSN as a member of the household the processing is about (a partner
    in a case); a validator, so it hands the BSN back."""
    if (verwerking := _huidige.get()) is not None:
        verwerking.noteer(verwerking.pseudoniem(bsn), GEZINSLID)
    return bsn


def handelt(caller: Caller, naam: str) -> None:
    """The caller the API authenticated, and the operation it called, in the current processing; a
    citizen's own request is about themselves (where the operation processes personal data at all:
    a trial calculation does not)."""
    if (verwerking := _huidige.get()) is not None:
        verwerking.organisatie, verwerking.gemeente = caller.oin, caller.gemeente
        verwerking.gebruiker, verwerking.naam = caller.sub, naam
        if caller.bsn:
            verwerking.burger = verwerking.pseudoniem(caller.bsn)
            if naam in verwerking.activiteiten:
                noteer_bsn(caller.bsn)


async def schrijf(conn: AsyncConnection, verwerking: Verwerking, status: str = OK) -> list[str]:
    """Writes the open records of the processing in `conn`'s transaction; returns the persons, to be
    marked as on record once that transaction commits."""
    personen = verwerking.open()
    await schrijf_alle(conn, [(verwerking, status)])
    return personen


async def schrijf_alle(conn: AsyncConnection, lijst: list[tuple[Verwerking, str]]) -> None:
    """Writes the open records of these processings (with their status) in `conn`'s transaction, in
    one statement: a consumer's batch has one processing per event."""
    records = [r for v, status in lijst if (personen := v.open()) for r in v.records(status, personen)]
    await insert_all(conn, verwerkingen, records)


async def geweigerd(conn: AsyncConnection, verwerking: Verwerking) -> None:
    """Its records already written (by a read's transaction) say ERROR: the answer refused after all."""
    if verwerking.vastgelegd:
        await conn.execute(
            verwerkingen.update()
            .where(
                verwerkingen.c.betrokkene.in_(sorted(verwerking.vastgelegd)),
                verwerkingen.c.trace_id == verwerking.trace_id,
                verwerkingen.c.span_id == verwerking.span_id,
            )
            .values(status=ERROR)
        )


@dataclass(frozen=True)
class Door:
    """Whose records a municipality reads. Of its resident: its own (its OIN and code), and Schakel's own
    (by itself: no user) from the moment the person came to live there (`sinds`; None: the BRP does not
    say). Of anyone else (`bewoner` false: a former resident, or one whose data it processed for another
    reason): only those it carried out itself under its own code, not a refused look (one at a stranger
    included)."""

    oin: str
    gemeente: str
    schakel: str
    sinds: datetime | None
    bewoner: bool = True


async def van(
    conn: AsyncConnection,
    persoon: str,
    vanaf: datetime,
    tot: datetime,
    limit: int,
    door: Door | None = None,
    zelf: bool = False,
) -> list[dict[str, Any]]:
    """The records about one person in a period, newest first; `door`: only those a municipality reads;
    `zelf`: only those the person reads themselves, where the processing was about them.
    About its resident, a record from before the municipality was kept (platform_0008: "") goes by the
    OIN alone; one without a municipality since (a citizen's own request, or written by an instance of
    the version before during an upgrade) is no municipality's to read. About anyone else only through
    the index of its own (`EigenIndexOntbreekt` while it is missing or not yet valid)."""
    if door is not None and not door.bewoner and not await indexes.ready(conn, "verwerkingen_eigen"):
        # without it the read walks every record others hold about the person, and its time tells whether
        # they do: a migration job cut off after platform_0011, an instance that started while another
        # built it, a build that failed
        log.warning("processing log: index verwerkingen_eigen missing or not yet valid; a non-resident's read waits")
        raise EigenIndexOntbreekt(
            "Wat uw gemeente uitvoerde over iemand die er niet woont, is nu niet te lezen; probeer het later opnieuw."
        )
    rows = await conn.execute(lezen(persoon, vanaf, tot, limit, door, zelf))
    return [dict(r._mapping) for r in rows]


class EigenIndexOntbreekt(Unavailable):
    """The index a read about a non-resident needs (platform_0011) is missing, or is being built (invalid)."""

    code = "logboek-niet-beschikbaar"
    retry_after = 300


def lezen(
    persoon: str, vanaf: datetime, tot: datetime, limit: int, door: Door | None, zelf: bool = False
) -> sa.Select[Any]:
    v = verwerkingen.c
    query = sa.select(verwerkingen).where(v.betrokkene == persoon, v.begin >= vanaf, v.begin < tot)
    if zelf:
        # not where they came up as a member of another's household: a former partner would read the
        # other's case life (a read, a change, the moments the other looked); nor a record from before
        # the capacity was kept (platform_0012), which cannot tell
        query = query.where(v.hoedanigheid == BETROKKENE)
    if door is not None and not door.bewoner:
        # by its code alone: under an OIN shared by several municipalities an old record ("") may be
        # another's. The index on (person, organisation, municipality, time) reads only these rows, so
        # the time of an empty answer does not tell whether others hold records about the person
        query = query.where(v.organisatie == door.oin, v.gemeente == door.gemeente, v.status == OK)
    elif door is not None:
        eigen = sa.and_(v.organisatie == door.oin, v.gemeente.in_([door.gemeente, ""]))
        # (Schakel's OIN may be an outside party's too, as UWV's is in development: its staff have a user)
        vanzelf = sa.and_(v.organisatie == door.schakel, v.gebruiker.is_(None))
        if door.sinds is not None:  # what Schakel did before is the former municipality's
            vanzelf = sa.and_(vanzelf, v.begin >= door.sinds)
        query = query.where(sa.or_(eigen, vanzelf))
    return query.order_by(v.begin.desc(), v.id.desc()).limit(limit)


async def ruim_op(conn: AsyncConnection, voor: datetime) -> int:
    """Deletes the records older than the retention period; returns how many."""
    return (await conn.execute(verwerkingen.delete().where(verwerkingen.c.begin < voor))).rowcount

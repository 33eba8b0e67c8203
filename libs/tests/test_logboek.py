"""The processing log at the API, in process: the persons a request asks about or is answered
about are on record with the caller and the operation, a refusal too, and an answer whose record
cannot be written is a 503 that shows nothing."""

from dataclasses import replace
from datetime import datetime
from typing import Annotated

import httpx
import pytest
import sqlalchemy as sa
from fastapi import Depends
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

from schakel import logboek
from schakel.api import Authenticator, Principal, Rol, create_app, requires
from schakel.api.logboek import Logboek
from schakel.api.problems import standard
from schakel.api.router import Router
from schakel.api.types import BsnVeld, Model, PartnerBsnVeld
from schakel.events import Pseudonymiser
from schakel.logboek import BETROKKENE, ERROR, GEZINSLID, OK, Verwerking

router = Router()
auth = Authenticator(audience="a", issuer="i", secret="x" * 32)
GEMEENTE = auth.issue(oin="00000001002220647000", rol=Rol.municipality, gemeente="GM0363", sub="medewerker-9")
pseudonym = Pseudonymiser(b"k" * 32)
ASKED, ANSWERED, PARTNER = "999993653", "999990019", "999990123"


class Vraag(Model):
    bsn: BsnVeld


class Antwoord(Model):
    bsn: BsnVeld
    partner: PartnerBsnVeld


@router.post("/personen/_zoek", operation_id="zoekPersoon", response_model=Antwoord)
async def zoek(vraag: Vraag, _: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    if vraag.bsn != ASKED:
        raise standard(404, "Onbekend.")
    return {"bsn": ANSWERED, "partner": PARTNER}


class Boek:
    def __init__(self, fails: bool = False) -> None:
        self.fails, self.written = fails, []
        self.marked: list[tuple[list[str], str]] = []  # (the persons already on record, the status) per call

    async def schrijf(self, verwerking: Verwerking, antwoord: int) -> None:
        if self.fails:
            raise OSError("the database is away")
        status = OK if antwoord < 400 else ERROR
        self.marked.append((sorted(verwerking.vastgelegd), status))
        self.written += verwerking.records(status, verwerking.open())


def client(boek: Boek) -> httpx.AsyncClient:
    activiteiten = dict.fromkeys(("zoekPersoon", "leesPersoon"), "urn:schakel:verwerkingsactiviteit:test:1")
    app = create_app(
        title="t",
        version="1",
        description="d",
        routers=[router],
        logboek=Logboek(activiteiten, lambda: Verwerking("test", pseudonym, "0" * 20, activiteiten), boek.schrijf),
    )
    app.state.authenticator = auth
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://t/api/v1",
        headers={"Authorization": f"Bearer {GEMEENTE}"},
    )


async def test_who_was_asked_about_and_answered_about_is_on_record_with_the_caller():
    boek = Boek()
    response = await client(boek).post("/personen/_zoek", json={"bsn": ASKED})
    assert response.status_code == 200
    assert [(r["betrokkene"], r["hoedanigheid"]) for r in boek.written] == [
        (pseudonym(ASKED), BETROKKENE),
        (pseudonym(ANSWERED), BETROKKENE),
        (pseudonym(PARTNER), GEZINSLID),  # a partner's BSN notes them as a member of the household only
    ]
    for record in boek.written:
        assert record["status"] == OK and record["naam"] == "zoekPersoon"
        assert record["activiteit"] == "urn:schakel:verwerkingsactiviteit:test:1"
        assert (record["organisatie"], record["gebruiker"]) == ("00000001002220647000", "medewerker-9")
        assert ASKED not in str(record) and ANSWERED not in str(record) and PARTNER not in str(record)


def test_a_citizen_s_own_request_is_about_them_anyone_else_it_reaches_a_member_of_the_household():
    """As a partner reading the case they share, or a look at another's that is refused: never on the
    other's own view of the log (what they would read there is the citizen's life, and where they live)."""
    verwerking = Verwerking("test", pseudonym, "0" * 20, {"leesMijn": "urn:x"})
    burger = Principal(oin="0" * 20, rol=Rol.burger, sub="betrokkene", bsn=PARTNER)
    with logboek.binnen(verwerking):
        logboek.handelt(burger, "leesMijn")
        logboek.noteer_bsn(ANSWERED)  # the case's applicant, in the answer
        logboek.noteer_bsn(PARTNER)
    assert verwerking.betrokkenen == {pseudonym(PARTNER): BETROKKENE, pseudonym(ANSWERED): GEZINSLID}


def test_one_the_processing_is_about_anywhere_is_so_for_all_of_it():
    verwerking = Verwerking("test", pseudonym, "0" * 20, {})
    with logboek.binnen(verwerking):
        logboek.noteer_gezinslid(PARTNER)
        logboek.noteer_bsn(PARTNER)  # the partner asking about themselves
        logboek.noteer_gezinslid(PARTNER)
        logboek.noteer_bsn(ASKED)
        logboek.noteer_gezinslid(ANSWERED)
    assert verwerking.betrokkenen == {
        pseudonym(PARTNER): BETROKKENE,
        pseudonym(ASKED): BETROKKENE,
        pseudonym(ANSWERED): GEZINSLID,
    }


async def test_a_refused_lookup_is_on_record_as_an_error():
    boek = Boek()
    other = "999990081"
    assert (await client(boek).post("/personen/_zoek", json={"bsn": other})).status_code == 404
    assert [(r["betrokkene"], r["status"]) for r in boek.written] == [(pseudonym(other), ERROR)]


@router.post("/personen/_lees", operation_id="leesPersoon")
async def lees(vraag: Vraag, _: Annotated[Principal, Depends(requires(Rol.municipality))]) -> dict:
    verwerking = logboek.huidige()
    assert verwerking is not None
    verwerking.vastgelegd.update(verwerking.open())  # as a read's (or a change's) committed transaction marks them
    if vraag.bsn == ASKED:
        raise standard(409, "Gelezen, maar niet te geven.")
    raise standard(503, "Vastgelegd, daarna mislukt.")


async def test_a_read_refused_after_its_records_were_written_says_error():
    """A read's transaction wrote its records (as OK) before the route refused: they are marked again."""
    boek = Boek()
    assert (await client(boek).post("/personen/_lees", json={"bsn": ASKED})).status_code == 409
    assert boek.marked == [([pseudonym(ASKED)], ERROR)] and boek.written == []
    # a failure after a change committed is no refusal: the change's records stay as they are
    assert (await client(boek).post("/personen/_lees", json={"bsn": ANSWERED})).status_code == 503
    assert len(boek.marked) == 1


async def test_an_answer_that_cannot_be_put_on_record_is_not_given():
    response = await client(Boek(fails=True)).post("/personen/_zoek", json={"bsn": ASKED})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert ANSWERED not in response.text and response.json()["status"] == 503


async def test_a_request_without_personal_data_writes_nothing():
    boek = Boek()
    response = await client(boek).post("/personen/_zoek", json={"bsn": "123"})  # no valid BSN: refused unread
    assert response.status_code == 400 and boek.written == []


def test_outside_a_processing_noting_does_nothing():
    assert logboek.huidige() is None
    logboek.noteer("p")
    assert logboek.noteer_bsn(ASKED) == ASKED


@pytest.mark.parametrize("name", ["zoekPersoon"])
def test_the_contract_names_the_activity(name):
    app = client(Boek())._transport.app  # type: ignore[attr-defined]
    operation = app.openapi()["paths"]["/personen/_zoek"]["post"]
    assert operation["operationId"] == name
    assert operation["x-verwerkingsactiviteit"] == "urn:schakel:verwerkingsactiviteit:test:1"


async def test_a_municipality_reads_its_own_records_not_another_s_under_the_same_oin(tmp_path):
    """One organisation may act for several municipalities under one OIN (a shared service centre): each
    reads what it did itself, what Schakel did by itself, and under its OIN what was recorded before the
    municipality was kept; not what the other did, nor what was recorded without a municipality since."""
    from datetime import UTC, datetime, timedelta

    from schakel.persistence import migrate
    from tests.support.opslag import SERVICES, op_revisie

    oin, schakel, persoon = "00000001002220647000", "00000001003214345000", pseudonym(ASKED)
    begin = datetime(2026, 12, 1, tzinfo=UTC)

    def record(naam: str, organisatie: str, gebruiker: str | None, **gemeente: str | None) -> dict:
        return {
            "trace_id": "0" * 32,
            "span_id": "0" * 16,
            "naam": naam,
            "status": OK,
            "begin": begin,
            "eind": begin,
            "activiteit": "a",
            "betrokkene": persoon,
            "organisatie": organisatie,
            "gebruiker": gebruiker,
            "dienst": "test",
            **gemeente,
        }

    db = await op_revisie(tmp_path, "registration", "platform_0007")
    try:
        # the table as the version before writes it: without the municipality
        oud = sa.Table(
            "verwerkingen",
            sa.MetaData(),
            *(
                sa.Column(c.name, c.type, primary_key=c.primary_key)
                for c in logboek.verwerkingen.c
                if c.name != "gemeente"
            ),
        )
        async with db.transaction() as conn:
            await conn.execute(oud.insert(), [record("voor-0008", oin, "medewerker-1")])
        await migrate(db, SERVICES / "registration" / "migrations")
        async with db.transaction() as conn:
            await conn.execute(oud.insert(), [record("oude-versie-na-0008", oin, "medewerker-4")])
            await conn.execute(
                logboek.verwerkingen.insert(),
                [
                    record("amsterdam", oin, "medewerker-2", gemeente="GM0363"),
                    record("rotterdam", oin, "medewerker-3", gemeente="GM0599"),
                    record("rotterdam-geweigerd", oin, "medewerker-3", gemeente="GM0599") | {"status": ERROR},
                    record("burger", oin, "betrokkene", gemeente=None),
                    record("schakel", schakel, None, gemeente=None),
                    record("uwv", schakel, "uwv-medewerker", gemeente=None),
                ],
            )
            eind = begin + timedelta(days=1)
            gelezen = await logboek.van(conn, persoon, begin, eind, 100, logboek.Door(oin, "GM0599", schakel, None))
            # the person came to live there after Schakel's record: that was for the municipality before
            later = logboek.Door(oin, "GM0599", schakel, begin + timedelta(seconds=1))
            sindsdien = await logboek.van(conn, persoon, begin, eind, 100, later)
            alles = await logboek.van(conn, persoon, begin, eind, 100)
            # the person lives elsewhere: what it carried out itself under its code, not a refused look nor
            # Schakel's, nor a record from before 0008 (under a shared OIN it may be another municipality's)
            elders = await logboek.van(conn, persoon, begin, eind, 100, replace(later, bewoner=False, sinds=None))
        assert sorted(r["naam"] for r in gelezen) == ["rotterdam", "rotterdam-geweigerd", "schakel", "voor-0008"]
        assert sorted(r["naam"] for r in sindsdien) == ["rotterdam", "rotterdam-geweigerd", "voor-0008"]
        assert sorted(r["naam"] for r in elders) == ["rotterdam"]
        assert len(alles) == 8, "the data protection officer reads every record"
    finally:
        await db.dispose()


class Explain(Executable, ClauseElement):
    """EXPLAIN of a query, its parameters bound as the query's own."""

    inherit_cache = False

    def __init__(self, prefix: str, query: sa.Select) -> None:
        self.prefix, self.query = prefix, query


@compiles(Explain)
def _explain(element: Explain, compiler, **kw) -> str:
    return f"{element.prefix} {compiler.process(element.query, **kw)}"


def _scans(plan: dict) -> list[dict]:
    return [plan, *(n for p in plan.get("Plans", []) for n in _scans(p))]


async def test_about_someone_living_elsewhere_only_the_municipality_s_own_rows_are_read(tmp_path):
    """A former resident's access request reads the municipality's own records through an index of their
    own (platform_0011), not every record others hold about the person: the time of an empty answer (the
    stranger's 404) does not tell whether others do. PostgreSQL builds the index concurrently after the
    migrations, and builds one a cut-off build left invalid again."""
    from datetime import UTC, timedelta

    from schakel.persistence import migrate
    from tests.support.opslag import SERVICES, op_revisie

    oin, persoon, begin = "00000001002220647000", pseudonym(ASKED), datetime(2026, 12, 1, tzinfo=UTC)

    def record(i: int, organisatie: str, gemeente: str, status: str = OK) -> dict:
        return {
            "trace_id": f"{i:032x}",
            "span_id": "0" * 16,
            "naam": "n",
            "status": status,
            "begin": begin + timedelta(seconds=i),
            "eind": begin + timedelta(seconds=i),
            "activiteit": "a",
            "betrokkene": persoon,
            "organisatie": organisatie,
            "gebruiker": "m",
            "gemeente": gemeente,
            "dienst": "test",
        }

    andere = [record(i, f"{i % 7:020d}", "GM0599") for i in range(3000)] + [record(-1, oin, "GM0599")]
    eigen = [record(3000 + i, oin, "GM0363", OK if i else ERROR) for i in range(4)]
    elders = logboek.Door(oin, "GM0363", "0" * 20, None, bewoner=False)
    query = logboek.lezen(persoon, begin - timedelta(days=1), begin + timedelta(days=1), 100, elders)
    db = await op_revisie(tmp_path, "registration")
    try:
        async with db.transaction() as conn:
            await conn.execute(logboek.verwerkingen.insert(), andere + eigen)
        async with db.alone() as conn:
            if db.is_sqlite:
                plan = " ".join(r.detail for r in await conn.execute(Explain("EXPLAIN QUERY PLAN", query)))
                assert "INDEX verwerkingen_eigen" in plan
            else:
                await conn.execute(sa.text("ANALYZE verwerkingen"))
                [(uitleg,)] = (await conn.execute(Explain("EXPLAIN (ANALYZE, FORMAT JSON)", query))).all()
                [scan] = [n for n in _scans(uitleg[0]["Plan"]) if n.get("Relation Name") == "verwerkingen"]
                assert scan.get("Index Name") == "verwerkingen_eigen"
                assert scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0) == len(eigen), "its own rows only"
                # a build cut off (here: a unique one over duplicates) leaves an invalid index of the name
                await conn.execute(sa.text("DROP INDEX verwerkingen_eigen"))
                with pytest.raises(sa.exc.IntegrityError):
                    await conn.execute(
                        sa.text("CREATE UNIQUE INDEX CONCURRENTLY verwerkingen_eigen ON verwerkingen (naam)")
                    )
        if not db.is_sqlite:
            await migrate(db, SERVICES / "registration" / "migrations")
            async with db.alone() as conn:
                valid, unique, columns = (
                    await conn.execute(
                        sa.text(
                            "SELECT indisvalid, indisunique, indnatts FROM pg_index "
                            "WHERE indexrelid = to_regclass('verwerkingen_eigen')"
                        )
                    )
                ).one()
            assert (valid, unique, columns) == (True, False, 4), "built again as it should be"
        async with db.transaction() as conn:
            gelezen = await logboek.van(
                conn, persoon, begin - timedelta(days=1), begin + timedelta(days=1), 100, elders
            )
        assert len(gelezen) == 3, "its own, carried out"
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    ("nu", "vanaf"),
    [
        ("2028-02-29T12:00:00+00:00", "2023-02-28T12:00:00+00:00"),
        ("2032-03-01T12:00:00+00:00", "2027-03-01T12:00:00+00:00"),  # 1.827 days, two 29 Februaries
        ("2031-12-31T23:59:00+00:00", "2026-12-31T23:59:00+00:00"),
    ],
)
def test_the_log_keeps_its_records_whole_calendar_years(nu, vanaf):
    register = logboek.register()
    assert register.bewaarjaren == 5
    assert register.bewaard_vanaf(datetime.fromisoformat(nu)) == datetime.fromisoformat(vanaf)


async def test_about_someone_living_elsewhere_nothing_is_read_without_the_index_of_its_own(tmp_path):
    """Without the index (a migration job cut off after platform_0011, an instance that started while
    another built it, a build that failed: PostgreSQL leaves it invalid) the read walks every record others
    hold about the person, and its time tells whether they do: a non-resident's read waits for the index
    (503 at the API, alike for everyone), the resident's and the data protection officer's go on."""
    from datetime import UTC, timedelta

    from schakel.api.problems import from_domain
    from schakel.persistence.indexes import build_concurrently
    from tests.support.opslag import op_revisie

    oin, persoon, begin = "00000001002220647000", pseudonym(ASKED), datetime(2026, 12, 1, tzinfo=UTC)
    elders = logboek.Door(oin, "GM0363", "0" * 20, None, bewoner=False)
    periode = (begin - timedelta(days=1), begin + timedelta(days=1), 100)
    db = await op_revisie(tmp_path, "registration")
    try:
        async with db.alone() as conn:
            assert await logboek.van(conn, persoon, *periode, elders) == [], "the index is there"
            await conn.execute(sa.text("DROP INDEX verwerkingen_eigen"))
        for stand in ("missing", "invalid"):
            async with db.alone() as conn:
                if stand == "invalid":
                    if db.is_sqlite:
                        continue  # SQLite builds it in its migration: there or not
                    # a build cut off (here: a unique one over duplicates) leaves an invalid index of the name
                    await conn.execute(logboek.verwerkingen.insert(), [_record(persoon, begin, i) for i in range(2)])
                    with pytest.raises(sa.exc.IntegrityError):
                        await conn.execute(
                            sa.text("CREATE UNIQUE INDEX CONCURRENTLY verwerkingen_eigen ON verwerkingen (naam)")
                        )
                with pytest.raises(logboek.EigenIndexOntbreekt) as wacht:
                    await logboek.van(conn, persoon, *periode, elders)
                assert from_domain(wacht.value).status == 503
                assert await logboek.van(conn, persoon, *periode, replace(elders, bewoner=True)) == []
                assert len(await logboek.van(conn, persoon, *periode)) == (2 if stand == "invalid" else 0)
        if db.is_sqlite:
            async with db.transaction() as conn:
                await conn.execute(
                    sa.text(
                        "CREATE INDEX verwerkingen_eigen ON verwerkingen (betrokkene, organisatie, gemeente, begin)"
                    )
                )
        else:
            await build_concurrently(db)
        async with db.alone() as conn:
            assert await logboek.van(conn, persoon, *periode, elders) == [], "read again once it is built"
    finally:
        await db.dispose()


def _record(persoon: str, begin: datetime, i: int) -> dict:
    return {
        "trace_id": f"{i:032x}",
        "span_id": "0" * 16,
        "naam": "n",
        "status": OK,
        "begin": begin,
        "eind": begin,
        "activiteit": "a",
        "betrokkene": persoon,
        "organisatie": "0" * 20,
        "gebruiker": "m",
        "gemeente": "GM0599",
        "dienst": "test",
    }

"""Migrations on a real database (SQLite here, PostgreSQL in CI). 0003: a month whose contributions
were stored the old way, in the public shape, reads back after the upgrade as the same
contributions, so the API and the event show what they showed before; a downgrade writes the
public shape back. 0006 and 0012: windows stored before a later case closed them (of the person's
own; as a partner) are closed as the rule closes them now (domain.populatie.gesloten); others stay. 0007: persons with cases in more than one
municipality are queued to be recomputed under the policy per period. 0014: a version stored before
orders nothing; one with when it was made keeps it. 0017: a version's moment ahead is cleared."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from income.adapters.repository import SqlMaandinkomens, UnitOfWork
from income.adapters.tables import polisregels
from income.domain.polis import vingerafdruk
from income.domain.populatie import Dossier, Termijn, Uitkering, gesloten, zoals_op
from income.service import aangiften, populatie
from income.service.maandinkomens import bijdrage_json
from income.tests.fakes import ports
from income.tests.test_service import BSN, LEVERANCIER, MEI, VANDAAG, aangifte
from schakel.events import load_contract
from schakel.messaging import Outbox
from schakel.persistence import migrate
from tests.support.opslag import op_revisie

MIGRATIONS = Path(__file__).parents[1] / "migrations"
PUBLIEK = {
    "loonheffingennummer": "123456782L01",
    "inkomstenverhouding": 1,
    "eindeInkomstenverhouding": "2029-05-20",
    "tijdvakBegin": "2029-04-29",
    "tijdvakEinde": "2029-05-26",
    "versie": 2,
    "dagen": 26,
    "dagenTijdvak": 28,
    "nettoInkomen": 120714,
    "vakantiebijslag": 0,
    "berekening": {
        "fiscaalLoon": 150000,
        "waardePriveGebruikAuto": 0,
        "ingehoudenLoonheffing": 20000,
        "ingehoudenBijdrageZvw": 0,
        "premieWgaWerknemer": 0,
        "vakantiebijslagBetaald": 0,
        "nettoTijdvak": 130000,
        "nettoVakantiebijslagTijdvak": 0,
    },
}
OPGESLAGEN = {
    "loonheffingennummer": "123456782L01",
    "inkomstenverhouding": 1,
    "einde_inkomstenverhouding": "2029-05-20",
    "tijdvak_begin": "2029-04-29",
    "tijdvak_einde": "2029-05-26",
    "versie": 2,
    "dagen": 26,
    "dagen_tijdvak": 28,
    "loon": 120714,
    "vakantiebijslag": 0,
    "netto": {
        "fiscaal_loon": 150000,
        "waarde_prive_gebruik_auto": 0,
        "ingehouden_loonheffing": 20000,
        "ingehouden_bijdrage_zvw": 0,
        "premie_wga_werknemer": 0,
        "vakantiebijslag_betaald": 0,
        "totaal": 130000,
        "vakantiebijslag": 0,
    },
}
ZONDER_EINDE = {**PUBLIEK, "inkomstenverhouding": 2, "eindeInkomstenverhouding": None}


async def test_contributions_stored_in_the_public_shape_read_back_the_same_after_the_upgrade(tmp_path):
    db = await op_revisie(tmp_path, "income", "income_0002")
    oud = sa.table(
        "maandinkomens",
        *[sa.column(c) for c in ("persoon", "maand", "loon", "vakantiebijslag", "polis_loon", "bron")],
        *[sa.column(c) for c in ("te_beoordelen", "gewijzigd_op")],
        sa.column("bijdragen", sa.JSON),
    )
    async with db.transaction() as conn:
        await conn.execute(
            oud.insert().values(
                persoon="p-1",
                maand=str(MEI),
                loon=241428,
                vakantiebijslag=0,
                polis_loon=241428,
                bron="polis",
                te_beoordelen=False,
                gewijzigd_op=datetime(2029, 6, 2, 8, tzinfo=UTC),
                bijdragen=[PUBLIEK, ZONDER_EINDE],
            )
        )

        lid = sa.table(
            "populatie", *[sa.column(c) for c in ("uitkering_id", "persoon", "bsn", "gemeentecode", "sinds")]
        )
        await conn.execute(
            lid.insert().values(
                uitkering_id="u-1", persoon="p-1", bsn="999993653", gemeentecode="GM0363", sinds=date(2029, 1, 1)
            )
        )

    await migrate(db, MIGRATIONS)

    async with db.transaction() as conn:
        wachtrij = (await conn.execute(sa.text("SELECT persoon FROM herberekeningen"))).scalars().all()
        [opgeslagen] = [r.bijdragen for r in await conn.execute(sa.select(oud.c.bijdragen))]
        gelezen = (await SqlMaandinkomens(conn).van(["p-1"]))[("p-1", MEI)]
    assert opgeslagen[0] == OPGESLAGEN, "stored in the service's own shape"
    # stored before the kinds of income: unknown until the month is recomputed with the table, which is queued
    assert wachtrij == ["p-1"]
    onbekend = {"inkomstensoort": "onbekend"}
    assert [bijdrage_json(b) for b in gelezen.bijdragen] == [PUBLIEK | onbekend, ZONDER_EINDE | onbekend]
    assert gelezen.bijdragen[1].einde_inkomstenverhouding is None

    await migrate(db, MIGRATIONS, "income_0002", downgrade=True)
    async with db.transaction() as conn:
        terug = [r.bijdragen for r in await conn.execute(sa.select(oud.c.bijdragen))]
    assert terug == [[PUBLIEK, ZONDER_EINDE]], "a downgrade writes the public shape back"
    await db.dispose()


async def test_windows_a_later_case_closes_are_closed_by_the_upgrade_and_others_stay(tmp_path):
    db = await op_revisie(tmp_path, "income", "income_0005")
    verhuisd, gebleven, partner = "p-verhuisd", "p-gebleven", "p-partner"
    amsterdam = [
        Uitkering(f"u-{p}", p, "999993653", "GM0363", date(2026, 1, 1), date(2026, 6, 30))
        for p in (verhuisd, gebleven, partner)
    ]
    rotterdam = Uitkering("u-rotterdam", verhuisd, "999993653", "GM0599", date(2026, 9, 1))
    termijnen = [Termijn(u.uitkering_id, u.persoon, u.bsn, u.gemeentecode, date(2027, 6, 30)) for u in amsterdam]
    # the cases and windows as 0005 had them (without the later columns)
    zaak = ("uitkering_id", "persoon", "bsn", "gemeentecode", "sinds")
    termijn = (*zaak[:4], "geldig_tot")
    async with db.transaction() as conn:
        for tabel, kolommen, rijen in (
            (
                "populatie",
                zaak,
                [[u.uitkering_id, u.persoon, u.bsn, u.gemeentecode, u.sinds] for u in [*amsterdam, rotterdam]],
            ),
            (
                "heraanvraagtermijnen",
                termijn,
                [[t.uitkering_id, t.persoon, t.bsn, t.gemeentecode, t.geldig_tot] for t in termijnen],
            ),
        ):
            waarden = [dict(zip(kolommen, rij, strict=True)) for rij in rijen]
            await conn.execute(sa.table(tabel, *map(sa.column, kolommen)).insert(), waarden)
    # the dossiers as they stood (the repository of today reads columns 0005 did not have)
    als_partner = Uitkering("u-rotterdam", partner, "999990019", "GM0599", date(2026, 10, 1), als_partner=True)
    async with db.transaction() as conn:
        kolommen = (*zaak, "tot")
        rij = [als_partner.uitkering_id, partner, als_partner.bsn, als_partner.gemeentecode, als_partner.sinds, None]
        await conn.execute(
            sa.table("partners", *map(sa.column, kolommen)).insert(), [dict(zip(kolommen, rij, strict=True))]
        )
    zaken = [*amsterdam, rotterdam, als_partner]
    voor = {t.persoon: Dossier(tuple(u for u in zaken if u.persoon == t.persoon), (t,)) for t in termijnen}

    await migrate(db, MIGRATIONS)

    async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
        na = await uow.populatie.dossiers()
    eind = {p: d.termijnen[0].geldig_tot for p, d in na.items() if d.termijnen}
    assert eind == {verhuisd: date(2026, 8, 31), gebleven: date(2027, 6, 30), partner: date(2026, 9, 30)}, (
        "0012: a partner's membership of another case closes it too"
    )
    assert eind == {p: gesloten(d.termijnen[0], d).geldig_tot for p, d in voor.items() if d.termijnen}
    async with db.transaction() as conn:
        wachtrij = set((await conn.execute(sa.text("SELECT persoon FROM herberekeningen"))).scalars())
    assert wachtrij == {verhuisd, partner}, "0007: those in the care of two municipalities, also as partner"
    await db.dispose()


DATA = ("sinds", "tot", "geldig_tot", "vorig_einde")


async def test_0013_lengthens_windows_after_a_months_last_day_as_reapplication_did_and_still_closes_them(tmp_path):
    """The same rule as reapplication_0013, on income's copies: a window after a case that ended on
    28 February, stored to 28 August, runs to 31 August, closed the day before a later case; one
    whose end changed since (closed, corrected), or after a case that ended mid-month, stays."""
    db = await op_revisie(tmp_path, "income", "income_0012")
    zaak = ("uitkering_id", "persoon", "bsn", "gemeentecode", "sinds", "tot")
    termijn = ("uitkering_id", "persoon", "bsn", "gemeentecode", "geldig_tot", "vorig_einde")
    feb, aug = date(2026, 2, 28), date(2026, 8, 28)
    zaken = [
        ("u-a", "p-a", "999993653", "GM0363", date(2025, 1, 1), feb),
        ("u-b", "p-b", "999993653", "GM0363", date(2025, 1, 1), feb),
        ("u-b2", "p-b", "999993653", "GM0599", date(2026, 8, 30), None),  # a later case of its own
        ("u-c", "p-c", "999993653", "GM0363", date(2025, 1, 1), date(2026, 3, 15)),
        ("u-d", "p-d", "999993653", "GM0363", date(2025, 1, 1), feb),
    ]
    termijnen = [
        ("u-a", "p-a", "999993653", "GM0363", aug, None),
        ("u-b", "p-b", "999993653", "GM0363", aug, None),
        ("u-c", "p-c", "999993653", "GM0363", date(2026, 9, 15), None),
        ("u-d", "p-d", "999993653", "GM0363", aug, date(2026, 9, 30)),  # corrected since
    ]
    async with db.transaction() as conn:
        for tabel, kolommen, rijen in (("populatie", zaak, zaken), ("heraanvraagtermijnen", termijn, termijnen)):
            waarden = [dict(zip(kolommen, rij, strict=True)) for rij in rijen]
            await conn.execute(
                sa.table(tabel, *(sa.column(k, sa.Date) if k in DATA else sa.column(k) for k in kolommen)).insert(),
                waarden,
            )
    await migrate(db, MIGRATIONS)
    async with UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=None)) as uow:
        na = await uow.populatie.dossiers()
    assert {p: d.termijnen[0].geldig_tot for p, d in na.items() if d.termijnen} == {
        "p-a": date(2026, 8, 31),
        "p-b": date(2026, 8, 29),
        "p-c": date(2026, 9, 15),
        "p-d": aug,
    }
    # a month's closing read before the upgrade judges the window as it was then
    assert na["p-a"].termijnen[0].bekend.vorig_einde == aug
    assert zoals_op(na["p-a"], datetime(2026, 8, 30, tzinfo=UTC)).termijnen[0].geldig_tot == aug
    await db.dispose()


async def test_0014_a_version_stored_before_orders_nothing_and_one_with_its_moment_keeps_it(tmp_path):
    """A version stored before 0014 has no moment: the next arrival replaces it. One with its moment
    keeps it (in UTC, whatever offset it came with), and a version made before it is skipped."""
    db = await op_revisie(tmp_path, "income", "income_0013")
    outbox = Outbox(load_contract(), "urn:nld:oin:00000001003214345000:systeem:income", "income")
    p = replace(ports(VANDAAG)[0], uow=lambda: UnitOfWork(SimpleNamespace(transaction=db.transaction, outbox=outbox)))
    voor = aangifte(fiscaal_loon=160000)
    async with db.transaction() as conn:
        await conn.execute(
            polisregels.insert(),
            [
                {
                    "persoon": p.pseudonym(BSN),
                    "loonheffingennummer": voor.loonheffingennummer,
                    "inkomstenverhouding": voor.inkomstenverhouding,
                    "tijdvak_begin": voor.tijdvak_begin,
                    "versie": 1,
                    "actueel": True,
                    "vingerafdruk": vingerafdruk(voor.inhoud()),
                    "inhoud": voor.inhoud(),
                    "leverancier": LEVERANCIER.oin,
                    "levering_id": "voor",
                    "ontvangen_op": datetime(2029, 6, 2, tzinfo=UTC),
                }
            ],
        )
    await migrate(db, MIGRATIONS)
    async with p.uow() as uow:
        await populatie.neem_op(p, uow, [Uitkering("u-1", p.pseudonym(BSN), BSN, "GM0363", date(2029, 1, 1))])
    zomertijd = timezone(timedelta(hours=2))
    origineel = aangifte(aangemaakt_op=datetime(2029, 6, 1, 11, tzinfo=zomertijd))
    correctie = aangifte(fiscaal_loon=100000, aangemaakt_op=datetime(2029, 6, 3, 11, tzinfo=zomertijd))

    uitkomsten = [
        (await aangiften.lever(p, LEVERANCIER, f"l-{n}", [a], f"v-{n}"))[1]["resultaten"][0]["uitkomst"]
        for n, a in enumerate((correctie, origineel))
    ]

    assert uitkomsten == ["correctie", "verouderd"]
    async with p.uow() as uow:
        versies = await uow.polisregels.van(p.pseudonym(BSN))
        [maand] = (await uow.maandinkomens.van([p.pseudonym(BSN)], [MEI])).values()
    assert [(v.versie, v.actueel, v.aangemaakt_op) for v in versies] == [
        (1, False, None),
        (2, True, datetime(2029, 6, 3, 9, tzinfo=UTC)),
    ]
    assert versies[1].aangemaakt_op and versies[1].aangemaakt_op.tzinfo is UTC, "in UTC, as stored"
    assert maand.loon == 80000
    await db.dispose()


async def test_0017_clears_a_version_s_moment_ahead_and_keeps_the_others(tmp_path):
    """A year typed wrong, kept before such a version was refused (0.13.1), outranked every correction."""
    db = await op_revisie(tmp_path, "income", "income_0016")
    nu = datetime.now(UTC)  # the upgrade judges by its own moment
    momenten = {"getypt": nu.replace(year=nu.year + 36), "gisteren": nu - timedelta(days=1), "zonder": None}
    a = aangifte()
    rij = {
        "persoon": "p",
        "loonheffingennummer": a.loonheffingennummer,
        "inkomstenverhouding": a.inkomstenverhouding,
        "actueel": True,
        "vingerafdruk": vingerafdruk(a.inhoud()),
        "inhoud": a.inhoud(),
        "leverancier": LEVERANCIER.oin,
        "ontvangen_op": nu,
    }
    async with db.transaction() as conn:
        await conn.execute(
            polisregels.insert(),
            [
                rij
                | {"tijdvak_begin": a.tijdvak_begin + timedelta(days=n), "versie": 1, "levering_id": naam}
                | {"aangemaakt_op": moment}
                for n, (naam, moment) in enumerate(momenten.items())
            ],
        )

    await migrate(db, MIGRATIONS)

    async with db.transaction() as conn:
        rijen = dict((await conn.execute(sa.select(polisregels.c.levering_id, polisregels.c.aangemaakt_op))).all())
    assert rijen == {"getypt": None, "gisteren": momenten["gisteren"], "zonder": None}
    await db.dispose()

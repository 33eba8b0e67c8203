"""Changes of one case or person at once (two caseworkers, a request on one instance and a consumer
batch or a job on another, a rebalance handing a person's events to a second instance) are made one
after the other, the second from what the first left. On a real database (SQLite here, one writer at
a time; PostgreSQL in CI, where each would otherwise work from what it read before the other wrote:
a case ended twice, a month settled as if the case still ran, a partner left out, an older income
kept, a case opened alongside retention deleted with the person)."""

import asyncio
from collections import Counter
from dataclasses import replace
from datetime import date
from itertools import permutations

import orjson
import sqlalchemy as sa

from decisions.domain.deelname import Deelnamestatus
from decisions.domain.fouten import AlBeeindigd, AnderHuishouden
from decisions.domain.inkomen import Oordeel
from decisions.domain.situatie import Huishouden, Partner, Situatie, partnerperioden
from decisions.domain.uitkering import Reden
from decisions.domain.vordering import Verhoging, Verhogingsgrond
from decisions.entrypoints import consumers
from decisions.service import bewaring, kalender, uitkeringen, verrekeningen, vorderingen
from decisions.service.einde import partners_van
from decisions.tests.opslag import sql_ports
from schakel.caller import Caller, Rol
from schakel.events import models as events
from schakel.messaging.tables import outbox
from schakel.primitives import Maand
from tests.support.builders import bsn
from tests.support.events import maandinkomen, received

VANDAAG = date(2026, 11, 2)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
GEBOREN, START = date(1990, 5, 1), date(2026, 1, 1)
ALLEEN = Situatie(START, Huishouden.alleenstaand)
N = 8


async def met_inkomen(p, n: int = N, maanden=("2026-01", "2026-02", "2026-03", "2026-04")) -> list[tuple[str, str]]:
    """(BSN, case id) of `n` running cases, each with its months' income settled."""
    zaken = []
    for _ in range(n):
        b = bsn()
        zaken.append(
            (b, (await uitkeringen.open_uitkering(p, AMSTERDAM, b, GEBOREN, START, ALLEEN)).uitkering.uitkering_id)
        )
    await consumers.on_maandinkomens(lambda conn: p).handle(
        None, [received(p.pseudonym(b), maandinkomen(b, m, 50_000)) for b, _ in zaken for m in maanden]
    )
    return zaken


async def gepubliceerd(db, *soorten: str) -> dict[str, list[tuple[str, dict]]]:
    """Per person, (type, data) of the events of these types, in the order written."""
    async with db.transaction() as conn:
        rijen = (await conn.execute(sa.select(outbox).order_by(outbox.c.id))).all()
    per_persoon: dict[str, list[tuple[str, dict]]] = {}
    for r in rijen:
        if r.headers["ce_type"] in soorten:
            per_persoon.setdefault(r.key, []).append((r.headers["ce_type"], orjson.loads(r.value)))
    return per_persoon


def fouten(uitkomsten) -> Counter:
    return Counter(type(u) for u in uitkomsten if isinstance(u, BaseException))


async def maart_dagen(p, uitkering_id: str) -> int:
    async with p.uow() as uow:
        return (await uow.verrekeningen.van(uitkering_id))[Maand(2026, 3)].verrekening.dagen


async def test_a_case_ended_twice_at_once_ends_once(tmp_path):
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        zaken = await met_inkomen(p)

        uit = await asyncio.gather(
            *(
                uitkeringen.beeindig(p, AMSTERDAM, i, dag, Reden.werk)
                for _, i in zaken
                for dag in (date(2026, 3, 15), date(2026, 3, 20))
            ),
            return_exceptions=True,
        )

        assert fouten(uit) == {AlBeeindigd: N}
        beeindigd = await gepubliceerd(db, events.UitkeringBeeindigd.TYPE)
        assert {k: len(v) for k, v in beeindigd.items()} == {p.pseudonym(b): 1 for b, _ in zaken}
    finally:
        await db.dispose()


async def test_a_settlement_alongside_an_ending_settles_the_case_as_ended(tmp_path):
    """The end on 15 March alongside a payment, a judgement, a change or new income, either first, and
    a round of new rules."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        zaken = await met_inkomen(p, n=2 * N)
        inkomen = consumers.on_maandinkomens(lambda conn: p).handle
        anders = [
            lambda b, i: verrekeningen.betaal(p, AMSTERDAM, i, Maand(2026, 2), 60_000),
            lambda b, i: uitkeringen.beoordeel_inkomstensoort(
                p, AMSTERDAM, i, Oordeel("123456782L01", 1, "overig", "t")
            ),
            lambda b, i: uitkeringen.wijzig(
                p, AMSTERDAM, i, replace(ALLEEN, ingangsdatum=date(2026, 2, 1), kostendelers=1)
            ),
            lambda b, i: inkomen(None, [received(p.pseudonym(b), maandinkomen(b, "2026-03", 40_000))]),
        ]
        taken = []
        for n, (b, i) in enumerate(zaken):
            paar = [uitkeringen.beeindig(p, AMSTERDAM, i, date(2026, 3, 15), Reden.werk), anders[n % 4](b, i)]
            taken += paar if n % 8 < 4 else paar[::-1]
        # and a round of new rules after a deploy, over every case
        nieuw = replace(p, regelversie="regels-nieuw")
        taken.append(verrekeningen.herbereken_na_nieuwe_regels(nieuw, "99.0.0", per=3))

        assert not fouten(await asyncio.gather(*taken, return_exceptions=True))

        assert {i: await maart_dagen(p, i) for _, i in zaken} == {i: 15 for _, i in zaken}
    finally:
        await db.dispose()


async def test_two_household_changes_at_once_are_both_announced_in_the_last(tmp_path):
    """income replaces a case's partners in full with each uitkering.gewijzigd: the last names both."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        zaken = await met_inkomen(p)
        wijzigingen = [
            uitkeringen.wijzig(
                p, AMSTERDAM, i, Situatie(date(2026, m, 1), Huishouden.gehuwd, Partner(bsn(), date(1988, 3, 1)))
            )
            for _, i in zaken
            for m in (2, 4)
        ]

        assert not fouten(await asyncio.gather(*wijzigingen, return_exceptions=True))

        gewijzigd = await gepubliceerd(db, events.UitkeringGewijzigd.TYPE)
        for b, i in zaken:
            async with p.uow() as uow:
                alle = [x.model_dump(mode="json") for x in partners_van(await uow.situaties.van(i), None)]
            assert len(alle) == 2 and gewijzigd[p.pseudonym(b)][-1][1]["partners"] == alle
    finally:
        await db.dispose()


async def test_a_payment_and_a_judgement_recorded_twice_at_once_keep_one_each(tmp_path):
    """A client's retry while the first request still runs."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        zaken = await met_inkomen(p)
        uit = await asyncio.gather(
            *(
                verrekeningen.betaal(p, AMSTERDAM, i, Maand(2026, 2), bedrag)
                for _, i in zaken
                for bedrag in (60_000, 61_000)
            ),
            *(
                uitkeringen.beoordeel_inkomstensoort(p, AMSTERDAM, i, Oordeel("123456782L01", 1, soort, "t"))
                for _, i in zaken
                for soort in ("arbeid", "overig")
            ),
            return_exceptions=True,
        )

        assert not fouten(uit)
        for _, i in zaken:
            [februari] = [
                v for v in await verrekeningen.lijst(p, AMSTERDAM, i) if v.verrekening.maand == Maand(2026, 2)
            ]
            assert februari.verrekening.betaald in (60_000, 61_000)
    finally:
        await db.dispose()


async def test_a_partner_added_an_end_moved_later_and_the_partner_s_own_case_at_once_leave_one_household(tmp_path):
    """A caseworker names a partner in an ended case, another moves its end later, and the partner's own
    case opens on the days the later end adds, all at once: at most one of the households has them."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        eind, later, eigen_start = date(2026, 3, 31), date(2026, 6, 30), date(2026, 5, 1)
        drietallen = []
        for n in range(12):
            b, partner = bsn(), bsn()
            i = (await uitkeringen.open_uitkering(p, AMSTERDAM, b, GEBOREN, START, ALLEEN)).uitkering.uitkering_id
            await uitkeringen.beeindig(p, AMSTERDAM, i, eind, Reden.werk)
            taken = [
                uitkeringen.corrigeer_einde(p, AMSTERDAM, i, later),
                uitkeringen.wijzig(
                    p, AMSTERDAM, i, Situatie(date(2026, 2, 1), Huishouden.gehuwd, Partner(partner, GEBOREN))
                ),
                uitkeringen.open_uitkering(
                    p, AMSTERDAM, partner, GEBOREN, eigen_start, Situatie(eigen_start, Huishouden.alleenstaand)
                ),
            ]
            drietallen.append((i, partner, list(permutations(taken))[n % 6]))  # each order, twice

        uit = await asyncio.gather(*(t for _, _, taken in drietallen for t in taken), return_exceptions=True)

        assert set(fouten(uit)) <= {AnderHuishouden}, uit
        for i, partner, _ in drietallen:
            async with p.uow() as uow:
                zaak = await uow.uitkeringen.get(i)
                perioden = partnerperioden(await uow.situaties.van(i), zaak.einddatum)
                eigen = await uow.uitkeringen.van_persoon(p.pseudonym(partner))
            tot = max((t for b, _, t in perioden if b == partner), default=None)
            assert not eigen or tot is None or tot < eigen_start, (perioden, zaak.einddatum)
    finally:
        await db.dispose()


async def test_a_persons_statuses_and_incomes_on_two_instances_at_once_leave_the_newest(tmp_path):
    """A rebalance: a person's events on a second instance while the first still applies earlier ones."""
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        zaken = await met_inkomen(p, maanden=("2026-01",))
        inkomen = consumers.on_maandinkomens(lambda conn: p).handle

        async def status(persoon: str, n: int) -> None:
            async with p.uow() as uow:
                await uitkeringen.zet_deelnamestatus(p, uow, persoon, Deelnamestatus(f"s{n}", None, date(2026, n, 1)))

        def februari(b: str, netto: int, volgnummer: int):
            return replace(received(p.pseudonym(b), maandinkomen(b, "2026-02", netto)), sequence=volgnummer)

        personen = [p.pseudonym(b) for b, _ in zaken]
        await asyncio.gather(*(status(q, n) for q in personen for n in (1, 2)))  # no status yet
        await asyncio.gather(
            *(status(q, n) for q in personen for n in range(3, 9)),
            *(
                inkomen(None, [februari(b, netto, volgnummer)])
                for b, _ in zaken
                for netto, volgnummer in ((10_000, 5), (90_000, 7))
            ),
        )

        async with p.uow() as uow:
            assert {q: (await uow.deelnamestatussen.van(q)).status for q in personen} == dict.fromkeys(personen, "s8")
            stand = await uow.inkomens.van_alle(set(personen))
        assert {q: stand[q][Maand(2026, 2)].netto for q in personen} == dict.fromkeys(personen, 90_000)
    finally:
        await db.dispose()


async def test_a_case_opened_while_retention_runs_keeps_the_person(tmp_path):
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        bsns = [bsn() for _ in range(N)]
        vroeger = replace(ALLEEN, ingangsdatum=date(2025, 1, 1))
        for b in bsns:
            w = await uitkeringen.open_uitkering(p, AMSTERDAM, b, GEBOREN, date(2025, 1, 1), vroeger)
            await uitkeringen.beeindig(p, AMSTERDAM, w.uitkering.uitkering_id, date(2025, 6, 30), Reden.overig)
        geopend = []

        class Ondertussen:
            """Retention's unit of work, in which the cases open right after it read whom to forget
            (on PostgreSQL; SQLite lets no one write while retention's transaction is open)."""

            def __init__(self, uow) -> None:
                self._uow = uow

            async def __aenter__(self):
                uow = await self._uow.__aenter__()
                gelezen = uow.bewaring.uitgestroomd

                async def uitgestroomd(tot):
                    personen = await gelezen(tot)
                    if not db.is_sqlite and not geopend:
                        nieuw = replace(ALLEEN, ingangsdatum=date(2026, 11, 1))
                        for b in bsns:
                            geopend.append(
                                await uitkeringen.open_uitkering(p, AMSTERDAM, b, GEBOREN, date(2026, 11, 1), nieuw)
                            )
                    return personen

                uow.bewaring.uitgestroomd = uitgestroomd
                return uow

            async def __aexit__(self, *exc):
                return await self._uow.__aexit__(*exc)

        await bewaring.opschonen(replace(p, uow=lambda: Ondertussen(p.uow())), 12, 30)

        async with p.uow() as uow:
            assert [await uow.uitkeringen.get(w.uitkering.uitkering_id) for w in geopend] == [
                w.uitkering for w in geopend
            ]
    finally:
        await db.dispose()


async def test_a_raise_alongside_a_payment_announces_each_claim_as_it_stands(tmp_path):
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        # more pairs than elsewhere: a pair overlaps less often (without the lock one run in six passed with N)
        zaken = await met_inkomen(p, 4 * N, maanden=("2026-10",))
        for _, i in zaken:
            await verrekeningen.betaal(p, AMSTERDAM, i, Maand(2026, 10), 200_000)  # paid too much: a claim
        taken = []
        for n, (_, i) in enumerate(zaken):
            paar = [
                vorderingen.verhoog(p, AMSTERDAM, i, Verhoging(VANDAAG, Verhogingsgrond.woonkosten, 5_000, "huur")),
                verrekeningen.betaal(p, AMSTERDAM, i, Maand(2026, 10), 250_000),  # the claim grows
            ]
            taken += paar if n % 2 else paar[::-1]

        assert not fouten(await asyncio.gather(*taken, return_exceptions=True))

        aangekondigd = await gepubliceerd(db, events.VorderingOntstaan.TYPE, events.VorderingGewijzigd.TYPE)
        for b, i in zaken:
            laatste = {d["maand"]: d for _, d in aangekondigd[p.pseudonym(b)]}
            stand = {c["maand"]: (c["open"], c["bedrag"]) for c in await vorderingen.lees(p, AMSTERDAM, i)}
            assert {m: (d["open"], d["bedrag"]) for m, d in laatste.items()} == stand
    finally:
        await db.dispose()


async def test_the_advance_job_alongside_an_ending_proposes_nothing_after_it(tmp_path):
    db, p = await sql_ports(tmp_path, VANDAAG)
    try:
        zaken = await met_inkomen(p, maanden=("2026-10",))

        await asyncio.gather(
            kalender.stel_voorschotten_voor(p),
            *(uitkeringen.beeindig(p, AMSTERDAM, i, date(2026, 10, 31), Reden.werk) for _, i in zaken),
        )

        volgorde = await gepubliceerd(db, events.VoorschotVoorgesteld.TYPE, events.UitkeringBeeindigd.TYPE)
        for b, _ in zaken:
            voorschot, einde = events.VoorschotVoorgesteld.TYPE, events.UitkeringBeeindigd.TYPE
            assert [t for t, _ in volgorde[p.pseudonym(b)]] in ([einde], [voorschot, einde])
    finally:
        await db.dispose()


async def test_payouts_revised_alongside_settlements_and_changes_announce_each_change_once_and_miss_none(tmp_path):
    """Holiday allowance announced in June; then April's wage, a new situation and the revision job
    (three runs at once) all at the same moment: each case's announcements form one chain (each
    revision from the amount announced before it, none empty), and what was last announced is what
    the months finally reserve."""
    db, p = await sql_ports(tmp_path, date(2027, 6, 10))
    try:
        start = date(2026, 9, 1)
        zaken = []
        for _ in range(N):
            b = bsn()
            geopend = await uitkeringen.open_uitkering(
                p, AMSTERDAM, b, GEBOREN, start, replace(ALLEEN, ingangsdatum=start)
            )
            zaken.append((b, geopend.uitkering.uitkering_id))
        assert await kalender.stel_vakantietoeslagen_vast(p) == N
        inkomen = consumers.on_maandinkomens(lambda conn: p).handle
        taken = [
            inkomen(None, [received(p.pseudonym(b), maandinkomen(b, "2027-04", 40_000 + 1_000 * n))])
            for n, (b, _) in enumerate(zaken)
        ]
        maart = replace(ALLEEN, ingangsdatum=date(2027, 3, 1), kostendelers=1)
        taken += [uitkeringen.wijzig(p, AMSTERDAM, i, maart) for _, i in zaken[::2]]
        taken += [kalender.herzie_vakantietoeslagen(p, per=3) for _ in range(3)]

        assert not fouten(await asyncio.gather(*taken, return_exceptions=True))
        await kalender.herzie_vakantietoeslagen(p)

        vastgesteld, herzien = events.VakantietoeslagVastgesteld.TYPE, events.VakantietoeslagHerzien.TYPE
        per_persoon = await gepubliceerd(db, vastgesteld, herzien)
        for b, i in zaken:
            reeks = per_persoon[p.pseudonym(b)]
            assert [t for t, _ in reeks][:2] == [vastgesteld, herzien], "April's wage changed what April reserves"
            assert all(t == herzien for t, _ in reeks[1:])
            for (_, vorig), (_, nu) in zip(reeks, reeks[1:], strict=False):
                assert nu["vorigBedrag"] == vorig["bedrag"] and nu["wijzigingen"]
            [v, _] = await kalender.vakantietoeslag(p, AMSTERDAM, i)
            definitief = {m.maand: m.gereserveerd for m in v.maanden if not m.voorlopig}
            laatste = {m["maand"]: m["gereserveerd"] for m in reeks[-1][1]["maanden"] if m["maand"] in definitief}
            assert laatste == definitief
    finally:
        await db.dispose()

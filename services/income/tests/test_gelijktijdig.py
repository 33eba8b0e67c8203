"""Deliveries about the same persons at once (one on each of several instances) take turns per
person: each month counts every declaration, on a real database (SQLite here, one writer at a time;
PostgreSQL in CI, where the transactions would otherwise run side by side, and a month written by
both would lose one of them or fail on its key)."""

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from aiokafka.errors import KafkaTimeoutError
from aiokafka.structs import ConsumerRecord

from income.adapters.repository import UnitOfWork
from income.domain.populatie import Uitkering
from income.domain.toerekening import Toerekening
from income.entrypoints import consumers
from income.entrypoints.aangifte import AangifteAangeleverd
from income.service import aangiften, afsluitingen, inzage, populatie
from income.service.ports import Afwijzing, Ports
from income.tests.fakes import ports
from income.tests.test_service import AMSTERDAM, APRIL, LEVERANCIER, MEI, RECORD, VANDAAG, aangifte
from schakel.events import Event, encode, load_contract
from schakel.events import models as events
from schakel.messaging import BrokerUnavailable, ConsumerRunner
from schakel.messaging import consumer as consumer_module
from schakel.messaging.kafka import KafkaConfig
from schakel.persistence import Database
from schakel.persistence.locks import MOST
from schakel.telemetry.redaction import gemaskeerd_id
from tests.support.builders import bsn
from tests.support.events import received
from tests.support.opslag import gemigreerd


async def in_populatie(tmp_path, bsns: list[str]) -> tuple[Database, Ports]:
    """A new migrated database with a case for each of `bsns`, and the ports on it."""
    db, service = await gemigreerd(tmp_path, "income")
    p = replace(ports(VANDAAG)[0], uow=lambda: UnitOfWork(service))
    async with p.uow() as uow:
        await populatie.neem_op(
            p, uow, [Uitkering(f"u-{b}", p.pseudonym(b), b, "GM0363", date(2029, 1, 1)) for b in bsns]
        )
    return db, p


async def test_a_version_made_again_later_keeps_that_moment_in_the_database(tmp_path):
    """What the in-memory test of the rule shows, on SQL: the moment a repeat brings is stored."""
    persoon = bsn()
    db, p = await in_populatie(tmp_path, [persoon])
    t1, t2, t3 = (datetime(2029, 6, d, 9, tzinfo=UTC) for d in (1, 2, 3))
    try:
        for levering, invoer in (
            ("a", aangifte(persoon, aangemaakt_op=t1)),
            ("c", aangifte(persoon, aangemaakt_op=t3)),
        ):
            await aangiften.neem_in(p, [((LEVERANCIER.oin, levering), [invoer])])
        [[resultaat]] = await aangiften.neem_in(
            p, [((LEVERANCIER.oin, "b"), [aangifte(persoon, fiscaal_loon=100_000, aangemaakt_op=t2)])]
        )
        assert resultaat.uitkomst is aangiften.Uitkomst.verouderd
        async with p.uow() as uow:
            assert [v.aangemaakt_op for v in await uow.polisregels.van(p.pseudonym(persoon))] == [t3]
    finally:
        await db.dispose()


async def test_deliveries_for_the_same_persons_at_once_each_count_in_their_months(tmp_path):
    bsns = [bsn() for _ in range(40)]
    db, p = await in_populatie(tmp_path, bsns)

    async def lever(ikv: int) -> None:
        invoer = [aangifte(b, inkomstenverhouding=ikv, fiscaal_loon=100_000 + ikv) for b in bsns]
        await aangiften.neem_in(p, [((LEVERANCIER.oin, f"ikv-{ikv}"), invoer)])

    try:
        await lever(1)  # May is known: the deliveries at once all change it
        await asyncio.gather(*(lever(ikv) for ikv in (2, 3, 4)))

        async with p.uow() as uow:
            maanden = await uow.maandinkomens.van([p.pseudonym(b) for b in bsns], [MEI])
        assert {b: sorted(a.inkomstenverhouding for a in maanden[(p.pseudonym(b), MEI)].bijdragen) for b in bsns} == {
            b: [1, 2, 3, 4] for b in bsns
        }
    finally:
        await db.dispose()


async def test_batches_of_one_delivery_at_once_add_up_their_counts(tmp_path):
    """The ingest topic's batches of one delivery, on several instances: each adds to its counts."""
    delen = [[bsn() for _ in range(5)] for _ in range(6)]
    db, p = await in_populatie(tmp_path, [b for d in delen for b in d])
    try:
        await asyncio.gather(
            *(aangiften.neem_in(p, [((LEVERANCIER.oin, "een"), [aangifte(b) for b in d])]) for d in delen)
        )

        levering = await aangiften.levering(p, LEVERANCIER, "een")
        assert levering.aantallen["geaccepteerd"] == 30
    finally:
        await db.dispose()


async def test_a_municipality_setting_its_policy_twice_at_once_keeps_one_and_plans_each_person_once(tmp_path):
    """A request sent again while the first still runs (a client's retry, two operators)."""
    bsns = [bsn() for _ in range(10)]
    db, p = await in_populatie(tmp_path, bsns)
    try:
        await asyncio.gather(*(inzage.zet_beleid(p, AMSTERDAM, t) for t in Toerekening))

        assert await inzage.beleid(p, AMSTERDAM) in set(Toerekening)
        async with p.uow() as uow:
            assert sorted(await uow.herberekeningen.volgende(100)) == sorted(p.pseudonym(b) for b in bsns)
    finally:
        await db.dispose()


async def test_batches_with_the_same_deliveries_in_another_order_at_once_do_not_deadlock(tmp_path):
    """Two instances' ingest batches, each with parts of two deliveries (one person's declarations
    from two employers are on two partitions), in the other order: neither waits in a circle."""
    x, y = [bsn() for _ in range(10)], [bsn() for _ in range(10)]
    db, p = await in_populatie(tmp_path, x + y)

    def deel(bsns: list[str], ikv: int) -> list:
        return [aangifte(b, inkomstenverhouding=ikv, fiscaal_loon=100_000 + ikv) for b in bsns]

    try:
        await asyncio.gather(
            aangiften.neem_in(p, [((LEVERANCIER.oin, "een"), deel(x, 1)), ((LEVERANCIER.oin, "twee"), deel(y, 2))]),
            aangiften.neem_in(p, [((LEVERANCIER.oin, "twee"), deel(y, 3)), ((LEVERANCIER.oin, "een"), deel(x, 4))]),
        )

        async with p.uow() as uow:
            maanden = await uow.maandinkomens.van([p.pseudonym(b) for b in x + y], [MEI])
        assert {len(maanden[(p.pseudonym(b), MEI)].bijdragen) for b in x + y} == {2}
    finally:
        await db.dispose()


async def test_batches_of_cases_naming_each_others_applicants_as_partners_at_once_do_not_deadlock(tmp_path):
    """Two instances' batches of opened cases: the applicants of one are the partners in the other."""
    db, p = await in_populatie(tmp_path, [])
    a, b = [bsn() for _ in range(10)], [bsn() for _ in range(10)]
    handle = consumers.on_uitkering_geopend(lambda conn: p).handle

    def geopend(aanvrager: str, partner: str):
        zaak = events.UitkeringGeopend(
            uitkeringId=str(uuid.uuid4()),
            bsn=aanvrager,
            gemeentecode="GM0363",
            geboortedatum=date(1990, 5, 1),
            startdatum=date(2029, 1, 1),
            partners=[events.Partnerperiode(bsn=partner, vanaf=date(2029, 1, 1))],
        )
        return received(p.pseudonym(aanvrager), zaak)

    try:
        await asyncio.gather(
            handle(None, [geopend(x, y) for x, y in zip(a, b, strict=True)]),
            handle(None, [geopend(y, x) for x, y in zip(a, b, strict=True)]),
        )

        assert (await populatie.leden(p, LEVERANCIER, None, 1, 100)).totaal == 20
    finally:
        await db.dispose()


async def test_two_deliveries_about_more_persons_than_a_transaction_holds_one_by_one_at_once_both_go_through(tmp_path):
    """Each takes all persons at once (locks.MOST): held after the delivery's own lock, they waited for each other."""
    x, y = [bsn() for _ in range(MOST + 50)], [bsn() for _ in range(MOST + 50)]
    db, p = await in_populatie(tmp_path, x + y)
    try:
        await asyncio.gather(
            *(inzage.beleid(p, AMSTERDAM) for _ in range(2))
        )  # two connections open: both start at once
        uit = await asyncio.gather(
            *(
                aangiften.lever(p, LEVERANCIER, f"groot-{n}", [aangifte(b) for b in deel], f"v{n}")
                for n, deel in enumerate((x, y))
            )
        )

        assert [antwoord["aantallen"]["geaccepteerd"] for _, antwoord in uit] == [MOST + 50, MOST + 50]
    finally:
        await db.dispose()


async def test_a_window_and_the_next_case_elsewhere_at_once_always_close_the_window(tmp_path):
    """The old municipality's window (reapplication's event) and the new municipality's case
    (decisions' event) come over two topics, so two instances may handle them at the same moment:
    one of the two must see the other's row, or the old municipality keeps its sight of the income."""
    zaken = {bsn(): str(uuid.uuid4()) for _ in range(30)}
    db, p = await in_populatie(tmp_path, [])
    joined = lambda conn: p  # noqa: E731 - the ports open their own transactions
    try:
        async with p.uow() as uow:
            amsterdam = [Uitkering(u, p.pseudonym(b), b, "GM0363", date(2029, 1, 1)) for b, u in zaken.items()]
            await populatie.neem_op(p, uow, amsterdam)
            for u in amsterdam:
                await populatie.beeindig(uow, u.uitkering_id, date(2029, 3, 31), p.clock.now())

        async def termijnen():
            for b, u in zaken.items():
                termijn = events.HeraanvraagtermijnGeopend(
                    uitkeringId=u,
                    bsn=b,
                    gemeentecode="GM0363",
                    einddatum=date(2029, 3, 31),
                    geldigTot=date(2030, 3, 31),
                )
                await consumers.on_termijn_geopend(joined)(None, received(p.pseudonym(b), termijn))

        elders = [
            received(
                p.pseudonym(b),
                events.UitkeringGeopend(
                    uitkeringId=str(uuid.uuid4()),
                    bsn=b,
                    gemeentecode="GM0599",
                    geboortedatum=date(1990, 5, 1),
                    startdatum=date(2029, 5, 1),
                ),
            )
            for b in zaken
        ]
        await asyncio.gather(termijnen(), consumers.on_uitkering_geopend(joined).handle(None, elders))

        async with p.uow() as uow:
            dossiers = await uow.populatie.dossiers([p.pseudonym(b) for b in zaken])
        assert {d.termijnen[0].geldig_tot for d in dossiers.values()} == {date(2029, 4, 30)}
    finally:
        await db.dispose()


async def test_a_closing_alongside_a_delivery_leaves_each_month_with_its_declaration(tmp_path):
    """Whichever holds a person first, the month ends with the declaration: closed without income and
    then revised, or known already and left alone by the closing (never a month written twice)."""
    bsns = [bsn() for _ in range(40)]
    db, p = await in_populatie(tmp_path, bsns)
    try:
        await aangiften.neem_in(p, [((LEVERANCIER.oin, "eerst"), [aangifte(bsns[0])])])  # May delivered
        p.clock.advance(timedelta(hours=1))  # the population read after income learned of the cases
        afsluiting = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, p.clock.now(), ["GM0363"])
        await asyncio.gather(
            aangiften.neem_in(p, [((LEVERANCIER.oin, "laat"), [aangifte(b) for b in bsns[1:]])]),
            afsluitingen.werk_af(p),
        )
        gesloten = await afsluitingen.van(p, LEVERANCIER, afsluiting.id)
        personen = [p.pseudonym(b) for b in bsns]
        async with p.uow() as uow:
            maanden = await uow.maandinkomens.van(personen, [MEI])
            assert await uow.maandinkomens.met([*personen, "p-niemand"], MEI) == set(personen)
            assert await uow.maandinkomens.met(personen, APRIL) == set()
        assert {b: maanden[(p.pseudonym(b), MEI)].loon for b in bsns} == {b: 130000 for b in bsns}
        assert gesloten.personen == len(bsns), "the closing covered them all"
    finally:
        await db.dispose()


async def test_instances_working_off_closings_at_once_take_each_closing_page_once(tmp_path, monkeypatch):
    """Two closings and three workers (instances) at once: a page is held with its closing, so no
    month is established twice and each closing counts its persons once."""
    bsns = [bsn() for _ in range(30)]
    db, p = await in_populatie(tmp_path, bsns)
    monkeypatch.setattr(afsluitingen, "PER_TRANSACTIE", 4)
    try:
        await aangiften.neem_in(p, [((LEVERANCIER.oin, "eerst"), [aangifte(bsns[0])])])  # May delivered
        p.clock.advance(timedelta(hours=1))
        eerst = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, p.clock.now(), ["GM0363"])
        p.clock.advance(timedelta(minutes=1))  # another read: another closing
        gevraagd = [eerst, await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, p.clock.now(), ["GM0363"])]
        vastgesteld: list[int] = []

        await asyncio.gather(*(afsluitingen.werk_af(p, lambda _, n: vastgesteld.append(n)) for _ in range(3)))

        klaar = [await afsluitingen.van(p, LEVERANCIER, a.id) for a in gevraagd]
        assert [(a.personen, a.afgerond_op is not None, a.na) for a in klaar] == [(30, True, None)] * 2
        assert sum(a.zonder_inkomen for a in klaar) == sum(vastgesteld) == 29, "each month once, by one closing"
        async with p.uow() as uow:
            assert await uow.maandinkomens.met([p.pseudonym(b) for b in bsns], MEI) == {p.pseudonym(b) for b in bsns}
    finally:
        await db.dispose()


async def test_a_closing_that_keeps_failing_is_counted_and_given_up_on_the_database(tmp_path, monkeypatch):
    bsns = [bsn() for _ in range(3)]
    db, p = await in_populatie(tmp_path, bsns)
    monkeypatch.setattr(afsluitingen, "MAX_POGINGEN", 2)
    try:
        await aangiften.neem_in(p, [((LEVERANCIER.oin, "eerst"), [aangifte(bsns[0])])])
        p.clock.advance(timedelta(hours=1))
        kapot = await afsluitingen.vraag_aan(p, LEVERANCIER, MEI, p.clock.now(), ["GM0363"])
        pagina = afsluitingen._pagina

        async def faalt(ports, uow, afsluiting):
            await pagina(ports, uow, afsluiting)  # its months are written, then rolled back
            raise ValueError("a bug on one page")

        monkeypatch.setattr(afsluitingen, "_pagina", faalt)
        with pytest.raises(ValueError):
            await afsluitingen.werk_af(p)
        eenmaal = await afsluitingen.van(p, LEVERANCIER, kapot.id)
        assert (eenmaal.status, eenmaal.pogingen, eenmaal.personen) == ("lopend", 1, 0)
        with pytest.raises(ValueError):
            await afsluitingen.werk_af(p)
        tweemaal = await afsluitingen.van(p, LEVERANCIER, kapot.id)
        assert (tweemaal.status, tweemaal.pogingen, tweemaal.fout_sinds) == ("lopend", 2, eenmaal.fout_sinds)
        p.clock.advance(afsluitingen.OPGEVEN_NA)
        with pytest.raises(ValueError):
            await afsluitingen.werk_af(p)

        opgegeven = await afsluitingen.van(p, LEVERANCIER, kapot.id)
        assert (opgegeven.status, opgegeven.pogingen, opgegeven.mislukt_op) == ("mislukt", 3, p.clock.now())
        async with p.uow() as uow:
            assert await uow.afsluitingen.volgende() is None
            assert await uow.afsluitingen.open_van(LEVERANCIER.oin) == []
            assert await uow.maandinkomens.met([p.pseudonym(b) for b in bsns], MEI) == {p.pseudonym(bsns[0])}
    finally:
        await db.dispose()


async def test_the_same_closing_asked_twice_at_once_is_one_closing(tmp_path):
    persoon = bsn()
    db, p = await in_populatie(tmp_path, [persoon])
    try:
        await aangiften.neem_in(p, [((LEVERANCIER.oin, "eerst"), [aangifte(persoon)])])
        p.clock.advance(timedelta(hours=1))
        gelezen = p.clock.now()

        een, twee = await asyncio.gather(
            *(afsluitingen.vraag_aan(p, LEVERANCIER, MEI, gelezen, ["GM0363"]) for _ in "12")
        )

        assert een.id == twee.id
        async with p.uow() as uow:
            assert [a.id for a in await uow.afsluitingen.open_van(LEVERANCIER.oin)] == [een.id]
    finally:
        await db.dispose()


async def test_the_reasons_of_a_delivery_are_kept_in_order_up_to_the_first_thousand(tmp_path):
    """Its counts stay exact; the reasons of a wholly wrong delivery do not pile up."""
    db, p = await in_populatie(tmp_path, [])
    nu = datetime(2029, 6, 1, 9, tzinfo=UTC)
    try:
        lijst = [Afwijzing(f"e-{i}", None, None, f"ongeldige-aangifte: veld {i}", nu) for i in range(999)]
        async with p.uow() as uow:
            await uow.leveringen.wijs_af(LEVERANCIER.oin, "k-1", lijst)
            await uow.leveringen.wijs_af(LEVERANCIER.oin, "k-1", [Afwijzing(None, 2, 7, "r", nu)] * 3)
            await uow.leveringen.wijs_af(LEVERANCIER.oin, "k-2", [Afwijzing(None, 0, 1, "r", nu)])
        async with p.uow() as uow:
            gelezen = await uow.leveringen.afwijzingen(LEVERANCIER.oin, "k-1")
            assert gelezen == [*lijst, Afwijzing(None, 2, 7, "r", nu)]
            assert await uow.leveringen.afwijzingen("00000001999999999000", "k-1") == []
    finally:
        await db.dispose()


async def test_a_delivery_says_when_its_refusals_were_cut_and_each_refusal_goes_after_its_days(tmp_path):
    """The provider learns that more were refused than listed; a privacy officer, that the ids a
    provider chose and the reasons are not kept without an end (the counts stay)."""
    db, p = await in_populatie(tmp_path, [])
    nu = p.clock.now()
    oud = Afwijzing("e-oud", None, None, "r", nu - timedelta(days=31))
    lijst = [Afwijzing(f"e-{i}", None, None, "r", nu) for i in range(1000)]
    try:
        async with p.uow() as uow:
            for levering_id in ("k-1", "k-2"):
                await uow.leveringen.tel(LEVERANCIER.oin, levering_id, "kafka", {"afgewezen": 1}, nu)
            await uow.leveringen.wijs_af(LEVERANCIER.oin, "k-1", lijst)  # just the first 1000
            await uow.leveringen.wijs_af(LEVERANCIER.oin, "k-1", lijst[:1])  # one listed already
            await uow.leveringen.wijs_af(LEVERANCIER.oin, "k-2", [oud])
        assert not (await aangiften.levering(p, LEVERANCIER, "k-1")).afwijzingen_afgekapt

        async with p.uow() as uow:
            await uow.leveringen.wijs_af(LEVERANCIER.oin, "k-1", [Afwijzing("e-1000", None, None, "r", nu)])
        assert (await aangiften.levering(p, LEVERANCIER, "k-1")).afwijzingen_afgekapt
        assert len(await aangiften.afwijzingen(p, LEVERANCIER, "k-1")) == 1000
        assert not (await aangiften.levering(p, LEVERANCIER, "k-2")).afwijzingen_afgekapt

        assert await aangiften.vergeet_afwijzingen(p, 30) == 1
        assert await aangiften.afwijzingen(p, LEVERANCIER, "k-2") == []
        assert (await aangiften.levering(p, LEVERANCIER, "k-2")).aantallen["afgewezen"] == 1, "the counts stay"
        assert len(await aangiften.afwijzingen(p, LEVERANCIER, "k-1")) == 1000
        assert (await aangiften.levering(p, LEVERANCIER, "k-1")).afwijzingen_afgekapt

        p.clock.advance(timedelta(days=31))  # the list gone, it is no longer cut
        assert await aangiften.vergeet_afwijzingen(p, 30) == 1000
        assert not (await aangiften.levering(p, LEVERANCIER, "k-1")).afwijzingen_afgekapt
    finally:
        await db.dispose()


async def test_a_refusal_kept_again_by_its_batch_tried_again_is_listed_once(tmp_path):
    """A dead-letter send that fails leaves the batch to be tried again (so does a rebalance after it
    committed): the record refused by the rules is refused again, and the provider reads it once."""
    db, service = await gemigreerd(tmp_path, "income")
    p = replace(ports(VANDAAG)[0], uow=lambda: UnitOfWork(service))
    topic = f"polisaangiften.{LEVERANCIER.oin}"

    def joined(conn):
        return replace(p, uow=lambda: UnitOfWork(service, conn))

    runner = ConsumerRunner(
        db=db,
        kafka=KafkaConfig(bootstrap="b:9092", client_id="t", timeout=5),
        contract=load_contract(),
        group_id="income",
        handlers={AangifteAangeleverd.TYPE: consumers.on_aangiften(joined)},
        topics=[topic],
        undecoded=consumers.on_onleesbaar(joined),
    )
    bron = f"urn:nld:oin:{LEVERANCIER.oin}:systeem:polisleveringen"
    data = RECORD | {"leveringId": "k-1", "tijdvakEinde": "2029-05-20"}  # refused by the rules
    fout = Event(AangifteAangeleverd.TYPE, bron, data, "123456782L01:1")
    k, v, h = encode(fout)

    def batch():
        return [
            consumer_module._Item(ConsumerRecord(topic, 0, 7, 1, 0, k, v, None, 1, 1, h)),
            consumer_module._Item(
                ConsumerRecord(topic, 0, 8, 1, 0, k, b'{"leveringId": "k-1"}', None, 1, 1, h)
            ),  # at decode
        ]

    class Broker:
        """Takes dead letters from its second try on."""

        tries = 0

        async def send(self, topic, value=None, key=None, headers=None):
            self.tries += 1
            if self.tries == 1:
                raise KafkaTimeoutError()
            return asyncio.sleep(0)

    broker, stop = Broker(), asyncio.Event()
    try:
        with pytest.raises(BrokerUnavailable):
            await runner.process(batch(), broker, stop)
        assert await runner.process(batch(), broker, stop)
        assert await runner.process(batch(), broker, stop), "read again after a rebalance"
        gelezen = await aangiften.afwijzingen(p, LEVERANCIER, "k-1")
        # a random id may hold nine digits in a row: kept masked as any id is
        kept = gemaskeerd_id(fout.id)
        assert [(a.event_id, a.partitie, a.positie) for a in gelezen] == [(kept, None, None), (None, 0, 8)]
    finally:
        await db.dispose()

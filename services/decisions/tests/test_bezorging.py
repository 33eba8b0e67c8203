"""Webhook delivery in-process against a real database and real HTTP servers on 127.0.0.1: one
slow, huge or broken back office delays or breaks only itself, and a callback never reaches an
address inside the network, also when its name moves there after the subscription."""

import asyncio
import json
import logging
import socket
import threading
import uuid
from contextlib import AsyncExitStack, contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from prometheus_client import REGISTRY

from decisions import bootstrap
from decisions.adapters.repository import _OUDSTE_WACHTENDE
from decisions.adapters.tables import abonnementen, afleveringen
from decisions.domain.fouten import AbonnementGestopt, Onbekend, UrlNietToegestaan
from decisions.domain.webhook import Stopreden
from decisions.entrypoints import models
from decisions.service import bewaring, webhooks
from decisions.service.bezorging import Bezorger
from decisions.service.ports import Ports
from decisions.settings import Settings
from deploy.token import development
from schakel.caller import Caller, Rol
from schakel.events.models import VerrekeningVastgesteld
from schakel.persistence import migrate
from schakel.runtime import Service
from tests.support.backoffice import Backoffice, druppel, eindeloos, status
from tests.support.stack import OINS, new_database_url

pytestmark = pytest.mark.integration

MIGRATIONS = Path(webhooks.__file__).parents[1] / "migrations"
GEMEENTE = Caller(oin=OINS[Rol.municipality], rol=Rol.municipality, gemeente="GM0014")
BEHEERDER = Caller(oin=OINS[Rol.operator], rol=Rol.operator)
VASTGESTELD = VerrekeningVastgesteld.TYPE
OPENBAAR = "93.184.216.34"  # only ever what a fake resolver answers: never connected to


async def service_met(tmp_path, **settings) -> Service:
    url = await asyncio.to_thread(new_database_url, tmp_path, f"decisions-{uuid.uuid4().hex[:8]}")
    service = Service("decisions", development(), Settings(database_url=url, **settings), MIGRATIONS)
    await migrate(service.db, MIGRATIONS)
    return service


def worker(service: Service, resolver) -> Bezorger:
    """The worker as bootstrap builds it, with a resolver the test chooses."""
    return bootstrap.bezorger(service, met(service, resolver))


def met(service: Service, resolver) -> Ports:
    return replace(bootstrap.poorten(service), resolver=resolver)


def vast(*adressen: str):
    """A name with these addresses, every time it is asked."""

    async def resolver(host: str, port: int) -> list[str]:
        return list(adressen)

    return resolver


loopback = vast("127.0.0.1")


def resolver_die_verhuist(*antwoorden: str):
    """A name that resolves to each answer in turn, then keeps the last (DNS rebinding)."""
    gevraagd = []

    async def resolver(host: str, port: int) -> list[str]:
        gevraagd.append(host)
        return [antwoorden[min(len(gevraagd), len(antwoorden)) - 1]]

    return resolver


async def abonneer(service, resolver, url: str) -> str:
    return (await webhooks.abonneer(met(service, resolver), GEMEENTE, url, [VASTGESTELD])).abonnement_id


async def abonnement_in_database(service, url: str) -> str:
    """A subscription written straight to the database, as one from before today's rules would be."""
    abonnement_id = str(uuid.uuid4())
    async with service.db.transaction() as conn:
        await conn.execute(
            abonnementen.insert().values(
                abonnement_id=abonnement_id,
                gemeentecode=GEMEENTE.gemeente,
                oin=GEMEENTE.oin,
                url=url,
                event_types=[VASTGESTELD],
                geheim=bootstrap.kluis(service).versleutel("whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3"),
                actief=True,
                aangemaakt_op=datetime.now(UTC),
            )
        )
    return abonnement_id


async def te_bezorgen(
    service, abonnement_id: str, aantal: int = 1, over: timedelta = timedelta(0), status: str = "wachtend"
) -> None:
    nu = datetime.now(UTC)
    async with service.db.transaction() as conn:
        await conn.execute(
            afleveringen.insert(),
            [
                {
                    "abonnement_id": abonnement_id,
                    "event_id": str(uuid.uuid4()),
                    "event_type": VASTGESTELD,
                    "body": json.dumps({"specversion": "1.0", "type": VASTGESTELD}),
                    "traceparent": None,
                    "status": status,
                    "pogingen": 0,
                    "volgende_poging_op": nu + over,
                    "aangemaakt_op": nu,
                }
                for _ in range(aantal)
            ],
        )


async def ronde(bezorger: Bezorger) -> int:
    started = await bezorger.ronde()
    await bezorger.klaar()
    return started


async def log(service, abonnement_id: str) -> list[dict]:
    return list(
        reversed(
            [
                models.aflevering(a, p)
                for a, p in await webhooks.bezorgingen(met(service, loopback), GEMEENTE, abonnement_id)
            ]
        )
    )


@pytest.fixture
def backoffices():
    started: list[Backoffice] = []

    def start(antwoord=status(200)) -> Backoffice:
        started.append(Backoffice(antwoord))
        return started[-1]

    yield start
    for backoffice in started:
        backoffice.close()


async def test_a_slow_drip_ends_at_its_deadline_while_another_subscriber_is_served_at_once(tmp_path, backoffices):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True, webhook_timeout_seconden=2)
    traag, vlot = backoffices(druppel), backoffices()
    traag_id = await abonneer(service, loopback, traag.url)
    vlot_id = await abonneer(service, loopback, f"http://localhost:{vlot.port}/hook")
    await te_bezorgen(service, traag_id)
    await te_bezorgen(service, vlot_id)

    begin = asyncio.get_running_loop().time()
    assert await ronde(worker(service, loopback)) == 2
    duur = asyncio.get_running_loop().time() - begin

    assert 2 <= duur < 6, "the drip is cut off at the deadline, whatever it still sends"
    assert vlot.ontvangen[0][0] - traag.ontvangen[0][0] < 1, "the other back office did not wait for it"
    [[poging]] = [a["pogingen"] for a in await log(service, traag_id)]
    assert (poging["statuscode"], poging["fout"]) == (None, "time-out") and poging["duurMs"] >= 2000
    assert [a["status"] for a in await log(service, vlot_id)] == ["afgeleverd"]
    assert vlot.ontvangen[0][1]["host"] == f"localhost:{vlot.port}", "sent to the checked address, as the name"


async def test_a_huge_answer_is_read_only_a_few_kib_and_the_delivery_still_counts(tmp_path, backoffices):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True, webhook_timeout_seconden=5)
    groot = backoffices(eindeloos)
    abonnement_id = await abonneer(service, loopback, groot.url)
    await te_bezorgen(service, abonnement_id)

    await ronde(worker(service, loopback))

    [aflevering] = await log(service, abonnement_id)
    assert aflevering["status"] == "afgeleverd" and aflevering["pogingen"][0]["statuscode"] == 200
    assert aflevering["pogingen"][0]["duurMs"] < 5000
    async with service.db.engine.connect() as conn:  # delivered, the event (a BSN) is not kept for 30 days
        assert (await conn.execute(sa.select(afleveringen.c.body))).scalars().all() == [""]
    assert groot.verstuurd < 64 << 20, "the client stopped taking the body long before its gigabyte"


async def test_a_name_with_several_addresses_is_delivered_at_the_first_that_takes_the_connection(tmp_path, backoffices):
    """127.0.0.2 is loopback too, where nothing listens on the receiver's port: refused, nothing sent
    (a name with an address per data centre, or IPv6 beside IPv4)."""
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    ontvanger = backoffices()
    twee = vast("127.0.0.2", "127.0.0.1")
    abonnement_id = await abonneer(service, twee, f"http://localhost:{ontvanger.port}/hook")
    await te_bezorgen(service, abonnement_id)

    await ronde(worker(service, twee))

    [aflevering] = await log(service, abonnement_id)
    assert aflevering["status"] == "afgeleverd" and [p["statuscode"] for p in aflevering["pogingen"]] == [200]
    assert len(ontvanger.ontvangen) == 1 and ontvanger.ontvangen[0][1]["host"] == f"localhost:{ontvanger.port}"

    weigert = vast("127.0.0.2", "127.0.0.3")  # none takes it: the delivery fails as one attempt
    await te_bezorgen(service, abonnement_id := await abonneer(service, weigert, "http://localhost:1/hook"))
    await ronde(worker(service, weigert))
    [poging] = (await log(service, abonnement_id))[0]["pogingen"]
    assert (poging["statuscode"], poging["fout"]) == (None, "verbinding mislukt")


@contextmanager
def zwart_gat(adres: str, port: int):
    """A listener whose queue is full: Linux drops new connections' SYNs, so a connect waits."""
    with socket.create_server((adres, port), backlog=0) as server:
        wachtend = [socket.socket() for _ in range(3)]
        for s in wachtend:
            s.setblocking(False)
            s.connect_ex(server.getsockname())
        try:
            yield
        finally:
            for s in wachtend:
                s.close()


async def test_an_address_that_takes_no_connection_leaves_the_deadline_time_for_the_next(tmp_path, backoffices):
    """A host's broken IPv6 beside its IPv4: the connect waits its share (a quarter of the deadline with one
    address after it), then the next."""
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True, webhook_timeout_seconden=3)
    ontvanger = backoffices()
    twee = vast("127.0.0.2", "127.0.0.1")
    abonnement_id = await abonneer(service, twee, f"http://localhost:{ontvanger.port}/hook")
    await te_bezorgen(service, abonnement_id)

    with zwart_gat("127.0.0.2", ontvanger.port):
        await ronde(worker(service, twee))

    [aflevering] = await log(service, abonnement_id)
    [poging] = aflevering["pogingen"]
    assert (aflevering["status"], poging["statuscode"]) == ("afgeleverd", 200) and poging["duurMs"] >= 500
    assert len(ontvanger.ontvangen) == 1


async def test_a_bad_idna_host_is_refused_and_one_in_the_database_fails_only_its_own_delivery(tmp_path, backoffices):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    with pytest.raises(UrlNietToegestaan) as refused:
        await abonneer(service, loopback, "https://xn--a.com/hook")
    assert refused.value.field == "url"

    goed = backoffices()
    slecht_id = await abonnement_in_database(service, "https://xn--a.com/hook")
    goed_id = await abonneer(service, loopback, goed.url)
    await te_bezorgen(service, slecht_id)
    await te_bezorgen(service, goed_id)
    await ronde(worker(service, loopback))

    [slecht] = await log(service, slecht_id)
    assert slecht["status"] == "wachtend"
    assert slecht["pogingen"][0] | {"tijdstip": None} == {
        "nummer": 1,
        "tijdstip": None,
        "statuscode": None,
        "fout": "ongeldige host",
        "duurMs": None,
    }
    assert [a["status"] for a in await log(service, goed_id)] == ["afgeleverd"]


async def test_an_internal_address_is_refused_and_nothing_reaches_it(tmp_path, backoffices):
    service = await service_met(tmp_path)  # no local delivery: as in production
    binnen = backoffices()
    for url, resolver in (
        (f"https://127.0.0.1:{binnen.port}/hook", loopback),
        (f"https://[::ffff:127.0.0.1]:{binnen.port}/hook", loopback),
        (f"https://intern.example:{binnen.port}/hook", vast("10.0.0.7")),
        (f"https://half.example:{binnen.port}/hook", vast(OPENBAAR, "127.0.0.1")),
        (f"http://127.0.0.1:{binnen.port}/hook", loopback),
    ):
        with pytest.raises(UrlNietToegestaan) as refused:
            await abonneer(service, resolver, url)
        assert refused.value.field == "url", url

    oud_id = await abonnement_in_database(service, f"https://[::ffff:127.0.0.1]:{binnen.port}/hook")
    await te_bezorgen(service, oud_id)
    await ronde(worker(service, loopback))

    [poging] = (await log(service, oud_id))[0]["pogingen"]
    assert (poging["fout"], poging["duurMs"]) == ("adres niet toegestaan", None), "no timing of an internal probe"
    assert binnen.verbindingen == 0


async def test_a_name_that_moves_inside_after_the_subscription_is_refused_at_delivery(tmp_path, backoffices):
    service = await service_met(tmp_path)
    binnen = backoffices()
    verhuist = resolver_die_verhuist(OPENBAAR, "127.0.0.1")
    abonnement_id = await abonneer(service, verhuist, f"https://rebind.example:{binnen.port}/hook")
    await te_bezorgen(service, abonnement_id)

    await ronde(worker(service, verhuist))

    [poging] = (await log(service, abonnement_id))[0]["pogingen"]
    assert (poging["statuscode"], poging["fout"], poging["duurMs"]) == (None, "adres niet toegestaan", None)
    assert binnen.verbindingen == 0


async def test_a_failing_subscriber_is_paused_visibly_and_one_probe_resumes_it(tmp_path, backoffices):
    service = await service_met(
        tmp_path,
        webhook_lokaal_toestaan=True,
        webhook_circuit_drempel=3,
        webhook_circuit_basis_seconden=60,
        webhook_basis_seconden=3600,  # a failed delivery comes due again only when the test says so
    )
    kapot = backoffices(status(503))
    abonnement_id = await abonneer(service, loopback, kapot.url)
    await te_bezorgen(service, abonnement_id, 5)
    bezorger = worker(service, loopback)

    await ronde(bezorger)
    for _ in range(2):  # the first delivery again, each time it is due: the later ones wait behind it
        async with service.db.transaction() as conn:
            await conn.execute(afleveringen.update().values(volgende_poging_op=datetime.now(UTC)))
        await ronde(bezorger)
    assert len(kapot.ontvangen) == 3, "the circuit opened after the third failure in a row"
    [abonnement] = [models.abonnement(*a) for a in await webhooks.lijst(met(service, loopback), GEMEENTE)]
    assert (abonnement["status"], abonnement["opeenvolgendeFouten"]) == ("onderbroken", 3)
    assert abonnement["onderbrokenTot"] > datetime.now(UTC) + timedelta(seconds=50)
    assert [len(a["pogingen"]) for a in await log(service, abonnement_id)] == [3, 0, 0, 0, 0], (
        "waiting deliveries use no attempts"
    )
    async with service.db.transaction() as conn:
        await conn.execute(afleveringen.update().values(volgende_poging_op=datetime.now(UTC)))
    assert await ronde(bezorger) == 0, "paused"

    kapot.antwoord = status(204)  # the back office is repaired; the pause is over
    async with service.db.transaction() as conn:
        await conn.execute(abonnementen.update().values(onderbroken_tot=datetime.now(UTC)))
    assert await ronde(bezorger) == 5
    [abonnement] = [models.abonnement(*a) for a in await webhooks.lijst(met(service, loopback), GEMEENTE)]
    assert (abonnement["status"], abonnement["onderbrokenTot"], abonnement["opeenvolgendeFouten"]) == (
        "actief",
        None,
        0,
    )
    assert [a["status"] for a in await log(service, abonnement_id)] == ["afgeleverd"] * 5


async def test_a_claim_takes_the_first_due_deliveries_of_the_subscriptions_it_may_deliver_to_now(tmp_path):
    """The claim reads each open subscription's waiting deliveries (a backlog elsewhere is never
    read): due ones in order, none of a paused, inactive, busy or other instance's subscription,
    none delivered or not yet due or behind one not yet due; its subscriptions are then this instance's."""
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    a, d, gepauzeerd, andermans, inactief, bezig = [
        await abonnement_in_database(service, f"https://{n}.example") for n in "adpoib"
    ]
    nu = datetime.now(UTC)
    async with service.db.transaction() as conn:
        await conn.execute(
            abonnementen.update()
            .where(abonnementen.c.abonnement_id == gepauzeerd)
            .values(onderbroken_tot=nu + timedelta(hours=1))
        )
        await conn.execute(
            abonnementen.update()
            .where(abonnementen.c.abonnement_id == andermans)
            .values(bezorger="een ander", bezorger_tot=nu + timedelta(minutes=1))
        )
        await conn.execute(abonnementen.update().where(abonnementen.c.abonnement_id == inactief).values(actief=False))
    for abonnement_id, kwargs in [
        (a, {"status": "afgeleverd"}),
        (a, {}),
        (d, {}),
        (a, {"over": timedelta(hours=1)}),
        *[(x, {"aantal": 5}) for x in (gepauzeerd, andermans, inactief, bezig)],
        (a, {}),
        (d, {}),
    ]:
        await te_bezorgen(service, abonnement_id, **kwargs)
    async with service.db.engine.connect() as conn:
        ids = {r.id: r.abonnement_id for r in await conn.execute(sa.select(afleveringen).order_by(afleveringen.c.id))}
    verwacht = [i for i, x in ids.items() if x in (a, d)]
    # not the delivered one, nor the one not due, nor one of its subscription's behind it (the order holds)
    verwacht = [verwacht[1], verwacht[2], verwacht[5]]

    async def claim(bezorger: str, aantal: int) -> list[int]:
        async with met(service, loopback).uow() as uow:
            genomen = await uow.afleveringen.claim(
                datetime.now(UTC), bezorger, nu + timedelta(minutes=1), [bezig], aantal
            )
        return [aflevering.id for aflevering, _ in genomen]

    assert await claim("deze", 3) == verwacht[:3]
    assert await claim("nog een", 10) == [], "the subscriptions are this instance's now"
    assert await claim("deze", 10) == verwacht


async def test_a_stopped_subscription_is_sent_nothing_more_and_its_waiting_deliveries_lapse(tmp_path, backoffices):
    """Stopped while the worker holds its due deliveries: at most the one already on its way is sent;
    the rest lapse (`vervallen`), stop counting as waiting (the alert) and go with retention."""
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    backoffice = backoffices()
    abonnement_id = await abonneer(service, loopback, backoffice.url)
    await te_bezorgen(service, abonnement_id, aantal=3)
    await te_bezorgen(service, abonnement_id, over=timedelta(hours=1))  # not due yet
    bezorger = worker(service, loopback)

    assert await bezorger.ronde() == 3  # claimed; the sends start once this test waits
    await webhooks.stop(met(service, loopback), GEMEENTE, abonnement_id)
    await bezorger.klaar()

    assert len(backoffice.ontvangen) <= 1, "nothing after the stop"
    async with service.db.engine.connect() as conn:
        statussen = sorted((await conn.execute(sa.select(afleveringen.c.status))).scalars())
    gestuurd = len(backoffice.ontvangen)
    assert statussen == ["afgeleverd"] * gestuurd + ["vervallen"] * (4 - gestuurd)
    async with service.db.engine.connect() as conn:  # none will be sent again: the events are not kept
        assert set((await conn.execute(sa.select(afleveringen.c.body))).scalars()) == {""}
    ports = met(service, loopback)
    async with ports.uow() as uow:
        assert await uow.afleveringen.oudste_wachtende() == (None, None)
        assert await uow.bewaring.vergeet_afleveringen(datetime.now(UTC) - timedelta(days=1)) == (0, 0)
        assert await uow.abonnementen.van(abonnement_id) is not None, "listed while its deliveries would be kept"
        assert await uow.bewaring.vergeet_afleveringen(datetime.now(UTC) + timedelta(days=1)) == (0, 4)
        assert await uow.abonnementen.van(abonnement_id) is None, "retention removes it with them"


async def test_a_receiver_that_answers_410_is_logged_as_stopped_not_as_paused(tmp_path, backoffices, caplog):
    """The operator reads the log at night: a subscription its receiver ended is stopped, for good; a line
    saying it is paused until a time (its circuit, opened by that last failure) would send them to wait."""
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True, webhook_circuit_drempel=1)
    weg = backoffices(status(410))
    abonnement_id = await abonneer(service, loopback, weg.url)
    await te_bezorgen(service, abonnement_id, aantal=3)

    vervallen = REGISTRY.get_sample_value("schakel_webhook_deliveries_total", {"outcome": "lapsed"}) or 0
    with caplog.at_level(logging.WARNING, logger="decisions.service.bezorging"):
        await ronde(worker(service, loopback))
    assert len(weg.ontvangen) == 1
    assert [a["status"] for a in await log(service, abonnement_id)] == ["mislukt", "vervallen", "vervallen"]
    assert REGISTRY.get_sample_value("schakel_webhook_deliveries_total", {"outcome": "lapsed"}) == vervallen + 2
    berichten = [r.getMessage() for r in caplog.records]
    assert any("stopped: its receiver answered 410 Gone; 2 later delivery(ies) lapsed" in b for b in berichten), (
        berichten
    )
    assert not any("paused until" in b for b in berichten), berichten


async def test_a_paused_subscription_is_claimed_by_no_worker_nor_counted_as_waiting_until_it_resumes(
    tmp_path, backoffices
):
    """Paused while the worker holds its due deliveries: at most the one already on its way is sent, the rest
    wait with no attempt used up, not as the alert's oldest; no round claims them. Resumed, all go in order."""
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    backoffice = backoffices()
    abonnement_id = await abonneer(service, loopback, backoffice.url)
    await te_bezorgen(service, abonnement_id, aantal=3)
    bezorger, ports = worker(service, loopback), met(service, loopback)

    assert await bezorger.ronde() == 3  # claimed; the sends start once this test waits
    await webhooks.pauzeer(ports, GEMEENTE, abonnement_id, True)
    await bezorger.klaar()
    gestuurd = len(backoffice.ontvangen)
    assert gestuurd <= 1, "nothing after the pause"
    assert await bezorger.ronde() == 0
    async with ports.uow() as uow:
        oudste, gepauzeerd = await uow.afleveringen.oudste_wachtende()
    async with service.db.engine.connect() as conn:
        wachtend = afleveringen.c.status == "wachtend"
        eerste = (await conn.execute(sa.select(sa.func.min(afleveringen.c.aangemaakt_op)).where(wachtend))).scalar_one()
    assert (oudste, gepauzeerd) == (None, eerste), "waiting behind the pause, not the alert's that waits too long"
    async with service.db.engine.connect() as conn:
        rijen = (await conn.execute(sa.select(afleveringen.c.status, afleveringen.c.pogingen))).all()
    assert sorted(rijen) == [("afgeleverd", 1)] * gestuurd + [("wachtend", 0)] * (3 - gestuurd)
    [(gepauzeerd, _)] = await webhooks.lijst(ports, GEMEENTE)
    assert gepauzeerd.gepauzeerd.door() == ["gemeente"]
    await webhooks.pauzeer(ports, BEHEERDER, abonnement_id, True)
    await webhooks.pauzeer(ports, GEMEENTE, abonnement_id, False)
    [(beheer, _)] = await webhooks.lijst(ports, GEMEENTE)
    assert beheer.gepauzeerd.door() == ["beheerder"], "the operator's pause stands"
    assert await bezorger.ronde() == 0

    await webhooks.pauzeer(ports, BEHEERDER, abonnement_id, False)
    assert await ronde(bezorger) == 3 - gestuurd
    assert len(backoffice.ontvangen) == 3


async def met_circuit_van_een_uur(tmp_path) -> Service:
    """A service whose circuit opens at the first failure, for an hour, and whose failed delivery waits as long."""
    return await service_met(
        tmp_path,
        webhook_lokaal_toestaan=True,
        webhook_circuit_drempel=1,
        webhook_circuit_basis_seconden=3600,
        webhook_basis_seconden=3600,
    )


async def test_lifting_the_last_pause_sends_what_waits_at_once_not_after_the_circuit_s_opening(tmp_path, backoffices):
    """The municipality's receiver failed until the circuit opened; it paused the subscription for its
    maintenance and resumes it: what waits goes now, not after the opening (up to an hour) or the failed
    delivery's own wait. The operator's pause standing, nothing goes, and the circuit stays as it is."""
    service = await met_circuit_van_een_uur(tmp_path)
    onderhoud = backoffices(status(503))
    abonnement_id = await abonneer(service, loopback, onderhoud.url)
    await te_bezorgen(service, abonnement_id, 3)
    bezorger, ports = worker(service, loopback), met(service, loopback)
    await ronde(bezorger)
    await webhooks.pauzeer(ports, GEMEENTE, abonnement_id, True)
    await webhooks.pauzeer(ports, BEHEERDER, abonnement_id, True)
    onderhoud.antwoord = status(204)

    beheerd, _ = await webhooks.pauzeer(ports, GEMEENTE, abonnement_id, False)
    assert beheerd.circuit.open(datetime.now(UTC)) and await ronde(bezorger) == 0, "the operator's pause stands"
    hervat, open_ = await webhooks.pauzeer(ports, BEHEERDER, abonnement_id, False)
    assert hervat.gepauzeerd is None and not open_
    assert await ronde(bezorger) == 3
    assert len(onderhoud.ontvangen) == 4, "the one that failed, then all three in order"
    [abonnement] = [models.abonnement(*a) for a in await webhooks.lijst(ports, GEMEENTE)]
    assert (abonnement["status"], abonnement["opeenvolgendeFouten"]) == ("actief", 0)


async def test_a_delivery_on_its_way_when_its_subscription_is_paused_is_recorded_and_not_sent_again(
    tmp_path, backoffices
):
    """The back office holds its answer until the pause has committed: the delivery went, so it is recorded
    (delivered, one attempt); resumed, only the one that waited goes."""
    binnen, los = threading.Event(), threading.Event()

    def wacht_op_de_pauze(handler, backoffice) -> None:
        binnen.set()
        los.wait(30)
        status(200)(handler, backoffice)

    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    backoffice = backoffices(wacht_op_de_pauze)
    abonnement_id = await abonneer(service, loopback, backoffice.url)
    await te_bezorgen(service, abonnement_id, aantal=2)
    bezorger, ports = worker(service, loopback), met(service, loopback)

    assert await bezorger.ronde() == 2
    assert await asyncio.to_thread(binnen.wait, 30)
    await webhooks.pauzeer(ports, GEMEENTE, abonnement_id, True)
    los.set()
    await bezorger.klaar()
    assert [(a["status"], len(a["pogingen"])) for a in await log(service, abonnement_id)] == [
        ("afgeleverd", 1),
        ("wachtend", 0),
    ]

    await webhooks.pauzeer(ports, GEMEENTE, abonnement_id, False)
    assert await ronde(bezorger) == 1
    assert len(backoffice.ontvangen) == 2, "the delivered one is not sent again"


async def test_a_delivery_written_while_its_subscription_was_stopped_lapses_with_retention(tmp_path, caplog):
    """The writer read the subscription active, the stop did not see the writer's row yet: the row
    waits for a subscription nothing delivers to any more. The next retention lapses it, its event
    with it, says so, and keeps it as long as a lapsed one is kept."""
    service = await service_met(tmp_path)
    abonnement_id, actief = [await abonnement_in_database(service, f"https://{n}.example/hook") for n in "ab"]
    await webhooks.stop(met(service, loopback), GEMEENTE, abonnement_id)
    await te_bezorgen(service, abonnement_id)  # committed after the stop
    await te_bezorgen(service, actief)
    ports = met(service, loopback)
    vervallen = REGISTRY.get_sample_value("schakel_webhook_deliveries_total", {"outcome": "lapsed"}) or 0
    with caplog.at_level(logging.WARNING, logger="decisions.service.bewaring"):
        assert await bewaring.opschonen(ports, 12, 30) == (0, 0)
    assert "1 webhook delivery(ies) written while their subscription was being stopped lapsed" in caplog.text
    assert REGISTRY.get_sample_value("schakel_webhook_deliveries_total", {"outcome": "lapsed"}) == vervallen + 1
    assert await bewaring.opschonen(ports, 12, 30) == (0, 0)
    assert REGISTRY.get_sample_value("schakel_webhook_deliveries_total", {"outcome": "lapsed"}) == vervallen + 1, (
        "counted once, when it lapsed"
    )
    async with service.db.engine.connect() as conn:
        rijen = await conn.execute(sa.select(afleveringen.c.abonnement_id, afleveringen.c.status, afleveringen.c.body))
        na = {a: (status, body == "") for a, status, body in rijen}
    assert na == {abonnement_id: ("vervallen", True), actief: ("wachtend", False)}


async def test_stopped_subscriptions_are_listed_the_last_stopped_first(tmp_path):
    """With when and why; one stopped before that was kept (an earlier version) comes last."""
    service = await service_met(tmp_path)
    eerder, later, onbekend = [await abonnement_in_database(service, f"https://{n}.example/hook") for n in "abc"]
    nu = datetime.now(UTC)
    async with service.db.transaction() as conn:
        await conn.execute(abonnementen.update().where(abonnementen.c.abonnement_id == onbekend).values(actief=False))
    ports = met(service, loopback)
    async with ports.uow() as uow:
        await uow.abonnementen.stop(eerder, Stopreden.ontvanger_weg, nu - timedelta(hours=1))
        await uow.abonnementen.stop(later, Stopreden.beeindigd, nu)
    gestopt = [a for a, _ in await webhooks.lijst(ports, GEMEENTE, gestopt=True)]
    assert [(a.abonnement_id, a.stopreden, a.gestopt_op) for a in gestopt] == [
        (later, Stopreden.beeindigd, nu),
        (eerder, Stopreden.ontvanger_weg, nu - timedelta(hours=1)),
        (onbekend, None, None),
    ]
    assert await webhooks.lijst(ports, GEMEENTE) == []
    meer = [await abonnement_in_database(service, f"https://{i}.example/hook") for i in range(98)]
    async with ports.uow() as uow:
        for abonnement_id in meer:
            await uow.abonnementen.stop(abonnement_id, Stopreden.beeindigd, nu)
    gestopt = [a.abonnement_id for a, _ in await webhooks.lijst(ports, GEMEENTE, gestopt=True)]
    assert len(gestopt) == 100 and onbekend not in gestopt, "the latest 100"


async def test_a_delete_while_a_410_is_recorded_leaves_the_subscription_as_the_410_stopped_it(tmp_path):
    """The first stop holds: a DELETE that read the subscription active while a worker recorded its
    receiver's 410 (on PostgreSQL it then waits for the row) rewrites neither when nor why it stopped."""
    service = await service_met(tmp_path)
    abonnement_id = await abonnement_in_database(service, "https://weg.example/hook")
    ports = met(service, loopback)
    weg = datetime.now(UTC) - timedelta(minutes=1)
    async with service.db.transaction() as conn:
        await conn.execute(abonnementen.update().values(bezorger="bezorger"))
    async with ports.uow() as uow:  # the worker recording the 410, as `Bezorger._leg_vast` does
        assert await uow.abonnementen.houd_vast(abonnement_id, "bezorger", datetime.now(UTC) + timedelta(minutes=1))
        await uow.abonnementen.stop(abonnement_id, Stopreden.ontvanger_weg, weg)
        beeindigd = asyncio.create_task(webhooks.stop(ports, GEMEENTE, abonnement_id))
        await asyncio.sleep(0.5)  # it reads the subscription, then waits for the row (SQLite: for its BEGIN)
    await beeindigd
    async with ports.uow() as uow:  # and a stop of a stopped one changes nothing
        await uow.abonnementen.stop(abonnement_id, Stopreden.beeindigd, datetime.now(UTC))

    [(gestopt, _)] = await webhooks.lijst(ports, GEMEENTE, gestopt=True)
    assert (gestopt.stopreden, gestopt.gestopt_op) == (Stopreden.ontvanger_weg, weg)


async def test_a_stopping_worker_sends_no_next_delivery_and_gives_its_claims_back(tmp_path, backoffices):
    """At shutdown the delivery under way finishes and none waiting for a slot is sent; another
    instance takes the rest at once, not once the stopped one's claim ran out."""
    service = await service_met(
        tmp_path, webhook_lokaal_toestaan=True, webhook_timeout_seconden=2, webhook_gelijktijdig=1
    )
    traag, vlot = backoffices(druppel), backoffices()
    traag_id = await abonneer(service, loopback, traag.url)
    vlot_id = await abonneer(service, loopback, vlot.url)
    await te_bezorgen(service, traag_id)
    await te_bezorgen(service, vlot_id)  # its task waits for the one slot
    stoppend = worker(service, loopback)

    assert await stoppend.ronde() == 2
    async with asyncio.timeout(10):
        while not traag.ontvangen:  # under way
            await asyncio.sleep(0.05)
    await stoppend.stop()
    assert await stoppend.ronde() == 0, "a stopped worker hands out nothing"
    assert not vlot.ontvangen, "the delivery waiting for a slot was not sent"
    [[poging]] = [a["pogingen"] for a in await log(service, traag_id)]
    assert poging["fout"] == "time-out", "the one under way finished and was recorded"

    assert await ronde(worker(service, loopback)) == 1, "the claim was given back"
    assert len(vlot.ontvangen) == 1


async def test_given_up_deliveries_sent_again_while_a_410_is_recorded_do_not_wait_for_a_stopped_subscription(tmp_path):
    """`_opnieuw` that reads the subscription while a worker records its receiver's 410 waits for it
    (PostgreSQL) and answers that it stopped: nothing waits for a subscription nothing is sent to."""
    service = await service_met(tmp_path)
    abonnement_id = await abonnement_in_database(service, "https://weg.example/hook")
    await te_bezorgen(service, abonnement_id, status="mislukt")
    ports = met(service, loopback)
    async with service.db.transaction() as conn:
        await conn.execute(abonnementen.update().values(bezorger="bezorger"))
    async with ports.uow() as uow:  # the worker recording the 410, as `Bezorger._leg_vast` does
        assert await uow.abonnementen.houd_vast(abonnement_id, "bezorger", datetime.now(UTC) + timedelta(minutes=1))
        await uow.abonnementen.stop(abonnement_id, Stopreden.ontvanger_weg, datetime.now(UTC))
        opnieuw = asyncio.create_task(webhooks.opnieuw(ports, GEMEENTE, abonnement_id))
        await asyncio.sleep(0.5)

    with pytest.raises(AbonnementGestopt):
        await opnieuw
    async with service.db.engine.connect() as conn:
        assert list((await conn.execute(sa.select(afleveringen.c.status))).scalars()) == ["mislukt"]


async def test_another_municipality_pausing_a_subscription_locked_by_its_owner_is_answered_at_once(tmp_path):
    """While the owner's pause holds the subscription's row (PostgreSQL: FOR UPDATE), another municipality
    pausing it by its id is answered as for an id that does not exist, at once: it neither waits for the
    row (which would tell it the id is real and busy) nor locks it."""
    service = await service_met(tmp_path)
    abonnement_id = await abonnement_in_database(service, "https://ontvanger.example/hook")
    ander = replace(GEMEENTE, gemeente="GM0363")
    async with AsyncExitStack() as eigenaar:
        if not service.db.is_sqlite:  # SQLite locks no row: its one writer at a time is whoever it is
            conn = await eigenaar.enter_async_context(service.db.transaction())
            query = sa.select(abonnementen).where(abonnementen.c.abonnement_id == abonnement_id).with_for_update()
            await conn.execute(query)  # the owner's transaction, as `pauzeer` holds it
        async with asyncio.timeout(30):  # a deadline for a failure, not a wait: it answers at once or blocks
            with pytest.raises(Onbekend):
                await webhooks.pauzeer(met(service, loopback), ander, abonnement_id, True)


async def test_a_delivery_on_its_way_across_a_pause_and_its_lifting_leaves_what_waits_due_and_the_circuit_closed(
    tmp_path, backoffices
):
    """The receiver in maintenance holds its answer; meanwhile the municipality pauses and lifts its pause
    (the receiver is ready). The attempt on its way fails with what the worker computed before: it may
    not open the circuit again nor put what waits off, which the resume promised to send at once."""
    binnen, los = threading.Event(), threading.Event()

    def houdt_op(handler, backoffice) -> None:
        binnen.set()
        los.wait(30)
        status(503)(handler, backoffice)

    service = await met_circuit_van_een_uur(tmp_path)
    backoffice = backoffices(houdt_op)
    abonnement_id = await abonneer(service, loopback, backoffice.url)
    await te_bezorgen(service, abonnement_id, 2)
    bezorger, ports = worker(service, loopback), met(service, loopback)

    assert await bezorger.ronde() == 2
    assert await asyncio.to_thread(binnen.wait, 30)
    await webhooks.pauzeer(ports, GEMEENTE, abonnement_id, True)
    await webhooks.pauzeer(ports, GEMEENTE, abonnement_id, False)
    backoffice.antwoord = status(204)
    los.set()
    await bezorger.klaar()

    [(abonnement, open_)] = await webhooks.lijst(ports, GEMEENTE)
    assert not open_, "the resume closed the circuit; an attempt sent before it does not open it again"
    assert await ronde(bezorger) == 2, "both go at once, in order"
    assert len(backoffice.ontvangen) == 3


async def test_the_oldest_waiting_reads_no_backlog_behind_a_pause(tmp_path):
    """Every round of every instance asks for the oldest delivery waiting, paused or not: a week's backlog
    behind a pause is not read for it (PostgreSQL: the rows the plan reads; SQLite: the index its plan
    names), and both come out right."""
    service = await service_met(tmp_path)
    open_, gepauzeerd = [await abonnement_in_database(service, f"https://{n}.example/hook") for n in "ab"]
    await te_bezorgen(service, gepauzeerd, 400)
    await te_bezorgen(service, open_, 2)
    for i in range(100):  # the country's municipalities, their deliveries delivered
        await te_bezorgen(
            service, await abonnement_in_database(service, f"https://{i}.example/hook"), 4, status="afgeleverd"
        )
    await webhooks.pauzeer(met(service, loopback), GEMEENTE, gepauzeerd, True)
    async with service.db.engine.connect() as conn:
        eerst = sa.select(sa.func.min(afleveringen.c.aangemaakt_op)).where(afleveringen.c.status == "wachtend")
        verwacht = tuple(
            [
                (await conn.execute(eerst.where(afleveringen.c.abonnement_id == a))).scalar_one()
                for a in (open_, gepauzeerd)
            ]
        )
        sql = _OUDSTE_WACHTENDE.compile(service.db.engine.sync_engine, compile_kwargs={"literal_binds": True})
        if service.db.is_sqlite:
            plan = " ".join(r.detail for r in await conn.execute(sa.text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "ix_afleveringen_wachtend_per_abonnement" in plan, plan
        else:
            await conn.execute(sa.text("ANALYZE afleveringen"))
            await conn.execute(sa.text("ANALYZE abonnementen"))
            [(uitleg,)] = (await conn.execute(sa.text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))).all()
            gelezen = sum(
                n["Actual Rows"] * n["Actual Loops"] + n.get("Rows Removed by Filter", 0)
                for n in _knopen(uitleg[0]["Plan"])
                if n.get("Relation Name") == "afleveringen"
            )
            assert gelezen <= 4, f"{gelezen} delivery rows read"
    async with met(service, loopback).uow() as uow:
        assert await uow.afleveringen.oudste_wachtende() == verwacht


def _knopen(plan: dict) -> list[dict]:
    return [plan, *(n for p in plan.get("Plans", []) for n in _knopen(p))]

"""Webhook subscriptions and the delivery worker against in-memory ports: which URLs are taken,
doelbinding, a published event becoming a delivery, and the worker's attempts, retries and
circuit with a fake sender. The real HTTP and database paths are in test_bezorging.py."""

import asyncio
import json
import logging
from dataclasses import replace
from datetime import date, timedelta

import pytest
from prometheus_client import REGISTRY

from decisions.domain.fouten import AbonnementGestopt, Onbekend, UrlNietToegestaan
from decisions.domain.situatie import Huishouden, Situatie
from decisions.domain.webhook import Circuit, NietVerbonden, Stopreden, onderteken
from decisions.service import gebeurtenissen, uitkeringen, webhooks
from decisions.service.bezorging import Bezorger, verbindtijd
from decisions.service.ports import Pauze
from decisions.tests.fakes import BELEID, FakeVerzender, ports, resolver
from schakel.caller import Caller, Rol
from schakel.events.models import UitkeringGeopend

VANDAAG = date(2030, 2, 1)
AMSTERDAM = Caller("00000001002220647000", Rol.municipality, "GM0363")
ROTTERDAM = Caller("00000001002220647001", Rol.municipality, "GM0599")
BEHEERDER = Caller("00000001823288444000", Rol.operator)
URL = "https://backoffice.example/hook"


def vervallen_tot_nu() -> float:
    return REGISTRY.get_sample_value("schakel_webhook_deliveries_total", {"outcome": "lapsed"}) or 0


async def met_abonnement(**anders):
    p, uow = ports(VANDAAG, **anders)
    abonnement = await webhooks.abonneer(p, AMSTERDAM, URL, [UitkeringGeopend.TYPE])
    return p, uow, abonnement


async def geopend(p, gemeente=AMSTERDAM, bsn="999993653") -> None:
    await uitkeringen.open_uitkering(
        p, gemeente, bsn, date(1990, 5, 1), date(2026, 1, 1), Situatie(date(2026, 1, 1), Huishouden.alleenstaand)
    )


async def ronde(p) -> int:
    bezorger = Bezorger(p)
    gestart = await bezorger.ronde()
    await bezorger.klaar()
    return gestart


@pytest.mark.parametrize(
    "url, adressen",
    [
        ("http://backoffice.example/hook", ("93.184.216.34",)),
        ("https://xn--a.com/hook", ("93.184.216.34",)),
        (URL, ("10.0.0.7",)),
        (URL, ("93.184.216.34", "127.0.0.1")),
        (URL, ()),
    ],
)
async def test_a_callback_url_is_taken_only_to_a_public_https_host(url, adressen):
    p, uow = ports(VANDAAG, resolver=resolver(*adressen))
    with pytest.raises(UrlNietToegestaan) as refused:
        await webhooks.abonneer(p, AMSTERDAM, url, [UitkeringGeopend.TYPE])
    assert (refused.value.code, refused.value.field) == ("url-niet-toegestaan", "url")
    assert not uow.abonnementen.rijen


async def test_a_subscription_gets_a_secret_and_only_its_municipality_s_events_of_its_types():
    p, uow, abonnement = await met_abonnement()
    assert abonnement.geheim.startswith("whsec_") and abonnement.aangemaakt_op == p.clock.now()

    await geopend(p)
    p.brp.personen["999990019"] = "GM0599"
    await geopend(p, ROTTERDAM, "999990019")
    [(aflevering, pogingen)] = await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id)
    assert (aflevering.event_type, aflevering.status, pogingen) == (UitkeringGeopend.TYPE, "wachtend", [])
    assert aflevering.event_id == uow.published[0].id


async def test_an_operator_pauses_any_subscription_but_neither_stops_nor_reads_nor_requeues_one():
    """`_eigen` lets an operator through for pausing and resuming only: a route that admits the role for
    another operation (reading the deliveries, say) does not hand it every municipality's."""
    p, _, abonnement = await met_abonnement()
    await geopend(p)
    for use_case in (webhooks.bezorgingen, webhooks.opnieuw, webhooks.stop):
        with pytest.raises(Onbekend):
            await use_case(p, BEHEERDER, abonnement.abonnement_id)
    assert [a.actief for a, _ in await webhooks.lijst(p, AMSTERDAM)] == [True]
    gepauzeerd, _ = await webhooks.pauzeer(p, BEHEERDER, abonnement.abonnement_id, True)
    assert gepauzeerd.gepauzeerd is not None


async def test_another_municipality_neither_reads_nor_stops_a_subscription():
    p, _, abonnement = await met_abonnement()
    for use_case in (webhooks.bezorgingen, webhooks.stop):
        with pytest.raises(Onbekend):
            await use_case(p, ROTTERDAM, abonnement.abonnement_id)
    assert await webhooks.lijst(p, ROTTERDAM) == []
    assert await webhooks.lijst(p, AMSTERDAM) == [(abonnement, False)]
    assert await webhooks.lijst(p, BEHEERDER) == [(abonnement, False)], "the operator sees every municipality's"

    await geopend(p)
    vervallen = vervallen_tot_nu()
    await webhooks.stop(p, AMSTERDAM, abonnement.abonnement_id)
    assert vervallen_tot_nu() == vervallen + 1, "the operator sees what lapsed unsent"
    assert await webhooks.lijst(p, AMSTERDAM) == []
    gestopt = replace(abonnement, actief=False, gestopt_op=p.clock.now(), stopreden=Stopreden.beeindigd)
    assert await webhooks.lijst(p, AMSTERDAM, gestopt=True) == [(gestopt, False)]
    assert await webhooks.lijst(p, ROTTERDAM, gestopt=True) == []
    assert await webhooks.lijst(p, BEHEERDER, gestopt=True) == [(gestopt, False)]
    # a stopped one's deliveries stay readable (which lapsed); nothing is sent to it again
    [(aflevering, _)] = await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id)
    assert aflevering.status == "vervallen"
    with pytest.raises(AbonnementGestopt):
        await webhooks.opnieuw(p, AMSTERDAM, abonnement.abonnement_id)
    p.clock.advance(timedelta(hours=1))
    await webhooks.stop(p, AMSTERDAM, abonnement.abonnement_id)  # again: it stays as it stopped
    assert vervallen_tot_nu() == vervallen + 1
    assert await webhooks.lijst(p, AMSTERDAM, gestopt=True) == [(gestopt, False)]
    for use_case in (webhooks.bezorgingen, webhooks.stop, webhooks.opnieuw):
        with pytest.raises(Onbekend):
            await use_case(p, ROTTERDAM, abonnement.abonnement_id)


async def test_what_a_stopped_subscription_let_lapse_is_read_back_from_before_it_stopped():
    """The deliveries that lapse when a subscription stops carry events published before it stopped: read back
    from gestoptOp, the change feed has none of them; the texts send the back office to the last event its
    system handled."""
    p, _, abonnement = await met_abonnement()
    await geopend(p)
    [(wachtend, _)] = await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id)
    p.clock.advance(timedelta(minutes=5))  # the receiver is down a while, then the municipality ends it
    await webhooks.stop(p, AMSTERDAM, abonnement.abonnement_id)
    [(gestopt, _)] = await webhooks.lijst(p, AMSTERDAM, gestopt=True)
    [(vervallen, _)] = await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id)
    assert vervallen.status == "vervallen"

    assert await gebeurtenissen.lijst(p, AMSTERDAM, gestopt.gestopt_op, None, 10) == [], "not from gestoptOp"
    [gemist] = await gebeurtenissen.lijst(p, AMSTERDAM, wachtend.aangemaakt_op, None, 10)
    assert gemist.event_id == vervallen.event_id
    with pytest.raises(AbonnementGestopt) as fout:
        await webhooks.opnieuw(p, AMSTERDAM, abonnement.abonnement_id)
    assert "laatste gebeurtenis die uw systeem verwerkte" in str(fout.value), "not the time it stopped"


async def test_a_paused_subscription_s_deliveries_wait_without_attempts_until_it_resumes_then_go_in_order():
    """Paused by the municipality (its back office's maintenance) or an operator (a receiver that is not who it
    should be): nothing goes and no attempt is used up, the alert's oldest waiting delivery is not one of them,
    and a worker holding its deliveries sends no next. Resumed, by either, they go at once and in order."""
    verzender = FakeVerzender()
    p, uow, abonnement = await met_abonnement(verzender=verzender)
    abonnement_id = abonnement.abonnement_id
    await geopend(p)
    bezorger = Bezorger(p)
    assert await bezorger.ronde() == 1  # claimed; its task starts once this test waits
    gepauzeerd, onderbroken = await webhooks.pauzeer(p, AMSTERDAM, abonnement_id, True)
    await bezorger.klaar()
    assert verzender.ontvangen == [], "not the next one, once paused"
    assert (gepauzeerd.gepauzeerd, onderbroken) == (Pauze(gemeente=p.clock.now()), False)

    await geopend(p, bsn="999990019")
    p.clock.advance(timedelta(days=1))
    assert await ronde(p) == 0
    assert await uow.afleveringen.oudste_wachtende() == (None, p.clock.now() - timedelta(days=1)), (
        "waiting on purpose: not the alert's that waits too long, but the one that waits behind a pause"
    )
    p.clock.advance(timedelta(hours=1))
    await webhooks.pauzeer(p, AMSTERDAM, abonnement_id, True)  # again: paused since the first time
    assert [a.gepauzeerd for a, _ in await webhooks.lijst(p, AMSTERDAM)] == [gepauzeerd.gepauzeerd]

    hervat, _ = await webhooks.pauzeer(p, AMSTERDAM, abonnement_id, False)
    assert hervat.gepauzeerd is None
    assert await ronde(p) == 2
    bezorgd = [(a.status, a.pogingen) for a, _ in reversed(await webhooks.bezorgingen(p, AMSTERDAM, abonnement_id))]
    assert bezorgd == [("afgeleverd", 1), ("afgeleverd", 1)], "each at its first attempt"
    assert [json.loads(body)["id"] for _, body, _ in verzender.ontvangen] == [e.id for e in uow.published[:2]]


async def test_the_municipality_s_and_the_operator_s_pauses_stand_apart_and_each_lifts_only_its_own(caplog):
    """The municipality paused for its maintenance; at night the operator pauses too (a receiver that is not who
    it should be). Neither lifts the other's pause unawares: the municipality ending its maintenance leaves the
    operator's standing, and the operator lifting theirs leaves a municipality's pause made meanwhile. Each
    pause and resume is logged with who did it."""
    p, _, abonnement = await met_abonnement()
    abonnement_id = abonnement.abonnement_id
    caplog.set_level(logging.INFO, "decisions.service.webhooks")
    eerst, _ = await webhooks.pauzeer(p, AMSTERDAM, abonnement_id, True)
    begin = p.clock.now()
    p.clock.advance(timedelta(hours=8))
    beide, _ = await webhooks.pauzeer(p, BEHEERDER, abonnement_id, True)
    assert beide.gepauzeerd == Pauze(begin, p.clock.now())
    assert (beide.gepauzeerd.door(), beide.gepauzeerd.sinds()) == (["gemeente", "beheerder"], begin)
    p.clock.advance(timedelta(hours=1))
    nog, _ = await webhooks.pauzeer(p, AMSTERDAM, abonnement_id, True)  # again: each since its first time
    assert nog.gepauzeerd == beide.gepauzeerd

    beheer, _ = await webhooks.pauzeer(p, AMSTERDAM, abonnement_id, False)
    assert beheer.gepauzeerd == Pauze(beheerder=beide.gepauzeerd.beheerder), "the operator's stands"
    assert [a.gepauzeerd for a, _ in await webhooks.lijst(p, AMSTERDAM)] == [beheer.gepauzeerd]
    await webhooks.pauzeer(p, AMSTERDAM, abonnement_id, True)  # the municipality's next maintenance
    gemeente, _ = await webhooks.pauzeer(p, BEHEERDER, abonnement_id, False)
    assert gemeente.gepauzeerd == Pauze(gemeente=p.clock.now()), "the municipality's stands"
    hervat, _ = await webhooks.pauzeer(p, AMSTERDAM, abonnement_id, False)
    assert hervat.gepauzeerd is None
    regels = [r.getMessage().split(f"{abonnement_id} ")[1] for r in caplog.records]
    assert regels == [
        f"paused by the gemeente ({AMSTERDAM.oin})",
        f"paused by the beheerder ({BEHEERDER.oin})",
        f"resumed by the gemeente ({AMSTERDAM.oin}); still paused by the beheerder",
        f"paused by the gemeente ({AMSTERDAM.oin})",
        f"resumed by the beheerder ({BEHEERDER.oin}); still paused by the gemeente",
        f"resumed by the gemeente ({AMSTERDAM.oin})",
    ]


class Onderweg(FakeVerzender):
    """A back office that answers once the test lets it: meanwhile the delivery is on its way."""

    def __init__(self, antwoord: int | str = 200) -> None:
        super().__init__(antwoord)
        self.binnen, self.los = asyncio.Event(), asyncio.Event()

    async def post(self, *args, **kwargs) -> int:
        self.binnen.set()
        await self.los.wait()
        return await super().post(*args, **kwargs)


@pytest.mark.parametrize("antwoord, status", [(200, "afgeleverd"), (410, "mislukt")])
async def test_a_delivery_on_its_way_when_the_subscription_is_paused_is_recorded_as_it_went(antwoord, status):
    """It still goes (the contract says so), and what it got is recorded: delivered, it is not sent again on
    resume (days later, past a receiver's deduplication); a 410 stops the subscription."""
    verzender = Onderweg(antwoord)
    p, _, abonnement = await met_abonnement(verzender=verzender)
    await geopend(p)
    await geopend(p, bsn="999990019")
    bezorger = Bezorger(p)
    assert await bezorger.ronde() == 2
    await verzender.binnen.wait()
    await webhooks.pauzeer(p, AMSTERDAM, abonnement.abonnement_id, True)
    verzender.los.set()
    await bezorger.klaar()

    eerste, tweede = [
        (a.status, a.pogingen) for a, _ in reversed(await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id))
    ]
    assert len(verzender.ontvangen) == 1
    assert eerste == (status, 1), "recorded as it went"
    if antwoord == 410:
        assert tweede[0] == "vervallen"
        with pytest.raises(AbonnementGestopt):
            await webhooks.pauzeer(p, AMSTERDAM, abonnement.abonnement_id, False)
        return
    assert tweede == ("wachtend", 0), "the next one waits"
    await webhooks.pauzeer(p, AMSTERDAM, abonnement.abonnement_id, False)
    assert await bezorger.ronde() == 1
    await bezorger.klaar()
    assert len(verzender.ontvangen) == 2, "the one delivered is not sent again"


async def test_only_the_municipality_s_own_or_an_operator_pauses_a_subscription_and_a_stopped_one_stays_stopped():
    p, _, abonnement = await met_abonnement()
    for pauzeren in (True, False):
        with pytest.raises(Onbekend):
            await webhooks.pauzeer(p, ROTTERDAM, abonnement.abonnement_id, pauzeren)
    gepauzeerd, _ = await webhooks.pauzeer(p, BEHEERDER, abonnement.abonnement_id, True)
    assert gepauzeerd.gepauzeerd == Pauze(beheerder=p.clock.now())
    await webhooks.stop(p, AMSTERDAM, abonnement.abonnement_id)
    for pauzeren in (True, False):
        with pytest.raises(AbonnementGestopt):
            await webhooks.pauzeer(p, AMSTERDAM, abonnement.abonnement_id, pauzeren)


async def test_a_delivery_is_signed_and_sent_to_the_checked_address():
    p, _, abonnement = await met_abonnement()
    await geopend(p)

    assert await ronde(p) == 1
    [(url, body, headers)] = p.verzender.ontvangen
    tijdstip = int(p.clock.now().timestamp())
    assert (url, headers["webhook-timestamp"]) == (URL, str(tijdstip))
    assert headers["webhook-signature"] == onderteken(abonnement.geheim, headers["webhook-id"], tijdstip, body)
    [(aflevering, [(nummer, _, poging)])] = await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id)
    assert (aflevering.status, nummer, poging.statuscode) == ("afgeleverd", 1, 200)
    assert await ronde(p) == 0


class Adressen(FakeVerzender):
    """A receiver at the last of its addresses: the others take no connection."""

    def __init__(self) -> None:
        super().__init__()
        self.pogingen: list[tuple[str, float | None]] = []

    async def post(self, url, host, adres, body, headers, verbinden=None) -> int:
        self.pogingen.append((adres, verbinden))
        if adres != "93.184.216.36":
            raise NietVerbonden("time-out")
        return await super().post(url, host, adres, body, headers, verbinden)


async def test_an_address_before_others_has_its_share_of_what_is_left_for_each_step_of_its_connection():
    """httpx bounds the TCP connection and TLS each by it. Of three addresses the first has a sixth of
    the deadline for each, the second, with about all of it left and one address after it, a quarter,
    and the last, the one left to try, all that is left (a slow receiver with one address is
    delivered as before)."""
    drie = resolver("93.184.216.34", "93.184.216.35", "93.184.216.36")
    p, _, _ = await met_abonnement(verzender=Adressen(), resolver=drie)
    await geopend(p)

    assert await ronde(p) == 1
    t = BELEID.timeout_seconden  # the fakes answer at once: what a loaded machine loses of it is all used
    assert [a for a, _ in p.verzender.pogingen] == ["93.184.216.34", "93.184.216.35", "93.184.216.36"]
    [(_, eerste), (_, tweede), (_, laatste)] = p.verzender.pogingen
    # bounds, not 1 %: rel=0.01 of a 2 s deadline let the machine lose only 20 ms before the second
    # address; these allow 0,3 s and still tell the old fixed sixth (t / 6 for both) from the share
    assert t / 6 - 0.05 < eerste <= t / 6 + 1e-9 and t / 4 - 0.075 < tweede <= t / 4 + 1e-9 and laatste is None
    assert len(p.verzender.ontvangen) == 1


@pytest.mark.parametrize("over, adressen, verbinden", [(12.0, 3, 2.0), (6.0, 2, 1.5), (3.0, 3, 0.5), (-0.5, 2, 0.0)])
def test_each_address_has_half_its_equal_share_of_what_is_left_for_each_step(over, adressen, verbinden):
    assert verbindtijd(over, adressen) == verbinden


async def test_failures_wait_longer_each_time_and_a_failing_subscriber_is_paused():
    p, _, abonnement = await met_abonnement(verzender=FakeVerzender("verbinding mislukt"))
    for bsn in ("999993653", "999990019", "999990032"):
        await geopend(p, bsn=bsn)

    await ronde(p)
    assert len(p.verzender.ontvangen) == 1, "the later deliveries wait behind the one that failed"
    p.clock.advance(timedelta(seconds=10))  # its next attempt is due, and the first worker's claim has run out
    await ronde(p)
    assert len(p.verzender.ontvangen) == BELEID.circuit_drempel, "the circuit opened after the second failure"
    [(stand, onderbroken)] = await webhooks.lijst(p, AMSTERDAM)
    assert onderbroken and stand.circuit.onderbroken_tot == p.clock.now() + timedelta(seconds=60)
    log = list(reversed(await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id)))
    assert [[x[2].fout for x in pogingen] for _, pogingen in log] == [["verbinding mislukt"] * 2, [], []]
    assert log[0][0].volgende_poging_op == p.clock.now() + timedelta(seconds=2 * BELEID.basis_seconden)
    assert await ronde(p) == 0, "paused: nothing goes out, no attempt is used"
    oudste = min(a.aangemaakt_op for a, _ in log)
    assert REGISTRY.get_sample_value("schakel_webhook_oldest_waiting_timestamp_seconds") == oudste.timestamp(), (
        "operators see how long they wait"
    )

    p.clock.advance(timedelta(hours=2))
    p.verzender.antwoord = 204
    assert await ronde(p) == 3
    assert [a.status for a, _ in await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id)] == [
        "afgeleverd"
    ] * 3
    assert await webhooks.lijst(p, AMSTERDAM) == [(replace(stand, circuit=Circuit()), False)], "a success closes it"
    await ronde(p)
    assert REGISTRY.get_sample_value("schakel_webhook_oldest_waiting_timestamp_seconds") == 0


async def test_an_address_that_moved_inside_is_refused_at_delivery_and_the_last_attempt_fails_for_good():
    p, _, abonnement = await met_abonnement()
    await geopend(p)
    p2 = replace(p, resolver=resolver("127.0.0.1"))

    for _ in range(BELEID.max_pogingen):
        assert await ronde(p2) == 1
        p.clock.advance(timedelta(hours=1, seconds=1))  # past the backoff and any pause
    [(aflevering, pogingen)] = await webhooks.bezorgingen(p, AMSTERDAM, abonnement.abonnement_id)
    assert [(x[2].fout, x[2].duur_ms) for x in pogingen] == [("adres niet toegestaan", None)] * BELEID.max_pogingen
    assert aflevering.status == "mislukt" and not p.verzender.ontvangen
    assert await ronde(p2) == 0


async def test_one_instance_at_a_time_delivers_to_a_subscription_and_a_killed_one_s_claim_is_taken_over():
    p, _, abonnement = await met_abonnement()
    await geopend(p)
    gedood, andere = Bezorger(p), Bezorger(p)
    nu, duur = (
        p.clock.now(),
        timedelta(seconds=2 * BELEID.timeout_seconden + 5),
    )  # a delivery's deadline, twice, and more
    async with p.uow() as uow:  # an instance claimed the subscription and was killed before it delivered
        assert await uow.afleveringen.claim(nu, gedood.naam, nu + duur, [], 10)

    assert await andere.ronde() == 0 and not p.verzender.ontvangen, "held by the other instance"
    p.clock.advance(duur - timedelta(seconds=1))
    assert await andere.ronde() == 0
    p.clock.advance(timedelta(seconds=1))
    assert await andere.ronde() == 1
    await andere.klaar()
    assert len(p.verzender.ontvangen) == 1
    async with p.uow() as uow:
        assert not await uow.abonnementen.houd_vast(abonnement.abonnement_id, gedood.naam, p.clock.now()), (
            "the killed instance, were it only slow, records nothing more"
        )
    assert await andere.ronde() == 0, "delivered once"

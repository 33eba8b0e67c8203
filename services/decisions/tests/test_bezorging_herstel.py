"""Webhook delivery when things go wrong, against a real database and a real HTTP server on 127.0.0.1:
a failure keeps a subscriber's order, a secret that cannot be read fails only its own subscription,
given-up deliveries can be sent again, and a receiver that is gone stops the subscription."""

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from decisions import bootstrap
from decisions.adapters.geheimen import Kluis
from decisions.adapters.tables import abonnementen, afleveringen
from decisions.domain.fouten import Onbekend
from decisions.domain.webhook import Stopreden
from decisions.entrypoints import models
from decisions.service import webhooks
from decisions.service.bezorging import Bezorger
from decisions.settings import DEV_WEBHOOK_SLEUTEL, Settings
from decisions.tests.test_bezorging import (
    GEMEENTE,
    VASTGESTELD,
    abonneer,
    abonnement_in_database,
    log,
    loopback,
    met,
    service_met,
)
from deploy.token import development
from schakel.caller import Caller, Rol
from schakel.primitives.periode import dag_van
from schakel.telemetry import metrics
from tests.support.backoffice import Backoffice, status
from tests.support.stack import OINS

pytestmark = pytest.mark.integration
ANDERE = Caller(oin=OINS[Rol.municipality], rol=Rol.municipality, gemeente="GM0363")
OPERATOR = Caller(oin=OINS[Rol.operator], rol=Rol.operator, gemeente=None)


@pytest.fixture
def backoffices():
    gestart: list[Backoffice] = []

    def start(antwoord=status(200)) -> Backoffice:
        gestart.append(Backoffice(antwoord))
        return gestart[-1]

    yield start
    for backoffice in gestart:
        backoffice.close()


class Klok:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.t = datetime.now(UTC)

    def now(self) -> datetime:
        return self.t

    def today(self):
        return dag_van(self.t)


def eerst(code: int, daarna: int = 200):
    """Answers `code` to the first request, `daarna` to every later one."""
    gevraagd = []

    def antwoord(handler, backoffice: Backoffice) -> None:
        gevraagd.append(1)
        status(code if len(gevraagd) == 1 else daarna)(handler, backoffice)

    return antwoord


async def events(service, abonnement_id: str, aantal: int, klok: Klok) -> list[str]:
    """Waiting deliveries of `aantal` events, due now; their ids in order."""
    ids = [f"event-{i}-{uuid.uuid4().hex[:6]}" for i in range(aantal)]
    async with service.db.transaction() as conn:
        await conn.execute(
            afleveringen.insert(),
            [
                {
                    "abonnement_id": abonnement_id,
                    "event_id": event_id,
                    "event_type": VASTGESTELD,
                    "body": json.dumps({"specversion": "1.0", "id": event_id}),
                    "traceparent": None,
                    "status": "wachtend",
                    "pogingen": 0,
                    "volgende_poging_op": klok.now(),
                    "aangemaakt_op": klok.now(),
                }
                for event_id in ids
            ],
        )
    return ids


def ontvangen(backoffice: Backoffice) -> list[str]:
    return [headers["webhook-id"] for _, headers, _ in backoffice.ontvangen]


async def rondes(bezorger: Bezorger, aantal: int = 1) -> None:
    for _ in range(aantal):
        await bezorger.ronde()
        await bezorger.klaar()


async def test_after_a_failure_the_later_deliveries_wait_behind_it_so_the_order_holds(tmp_path, backoffices):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True, webhook_basis_seconden=5)
    backoffice = backoffices(eerst(500))
    klok = Klok()
    ports = replace(met(service, loopback), clock=klok)
    abonnement_id = await abonneer(service, loopback, backoffice.url)
    eerste, tweede = await events(service, abonnement_id, 2, klok)

    bezorger = bootstrap.bezorger(service, ports)
    await rondes(bezorger, 2)  # the second round comes before the first delivery's next attempt
    assert ontvangen(backoffice) == [eerste], "the second event did not overtake the first one"

    klok.t += timedelta(seconds=6)
    await rondes(bezorger)
    assert ontvangen(backoffice) == [eerste, eerste, tweede]
    assert [a["status"] for a in await log(service, abonnement_id)] == ["afgeleverd", "afgeleverd"]


async def test_a_delivery_given_up_lets_the_later_ones_go(tmp_path, backoffices):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True, webhook_max_pogingen=1)
    backoffice = backoffices(eerst(500))
    klok = Klok()
    ports = replace(met(service, loopback), clock=klok)
    abonnement_id = await abonneer(service, loopback, backoffice.url)
    eerste, tweede = await events(service, abonnement_id, 2, klok)

    await rondes(bootstrap.bezorger(service, ports))

    assert ontvangen(backoffice) == [eerste, tweede]
    assert [a["status"] for a in await log(service, abonnement_id)] == ["mislukt", "afgeleverd"]


async def test_a_secret_no_key_decrypts_fails_only_its_own_subscription_and_is_never_read_elsewhere(
    tmp_path, backoffices
):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    onleesbaar, goed = backoffices(), backoffices()
    klok = Klok()
    ports = replace(met(service, loopback), clock=klok)
    onleesbaar_id = await abonneer(service, loopback, onleesbaar.url)
    goed_id = (await webhooks.abonneer(ports, ANDERE, goed.url, [VASTGESTELD])).abonnement_id
    # as after a key was removed, or a row restored from another environment
    async with service.db.transaction() as conn:
        await conn.execute(
            abonnementen.update()
            .where(abonnementen.c.abonnement_id == onleesbaar_id)
            .values(geheim=Fernet(Fernet.generate_key()).encrypt(b"whsec_AAAAAAAAAAAAAAAAAAAAAAAA").decode())
        )
    await events(service, onleesbaar_id, 1, klok)
    await events(service, goed_id, 1, klok)

    await rondes(bootstrap.bezorger(service, ports))

    assert len(goed.ontvangen) == 1 and onleesbaar.verbindingen == 0
    [aflevering] = await log(service, onleesbaar_id)
    assert aflevering["status"] == "wachtend" and aflevering["pogingen"][0]["fout"] == "sleutel-onleesbaar"
    assert {a.abonnement_id for a, _ in await webhooks.lijst(ports, OPERATOR)} == {onleesbaar_id, goed_id}
    async with ports.uow() as uow:  # what `publiceer` reads in every transaction that publishes an event
        assert [a.abonnement_id for a in await uow.abonnementen.actief_van([GEMEENTE.gemeente])] == [onleesbaar_id]


def test_a_key_is_rotated_by_putting_the_new_one_first(tmp_path):
    oud, nieuw = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    opgeslagen = Kluis(oud).versleutel("whsec_oud")

    kluis = Kluis(f"{nieuw}, {oud}")

    assert kluis.ontsleutel(opgeslagen) == "whsec_oud", "the old key still decrypts"
    assert Kluis(nieuw).ontsleutel(kluis.versleutel("whsec_nieuw")) == "whsec_nieuw", "the new key encrypts"
    assert Settings(webhook_sleutel=f"{nieuw},{DEV_WEBHOOK_SLEUTEL}").development_secrets
    platform = development().model_copy(update={"data_dir": tmp_path})
    service, _ = bootstrap.build(platform, Settings(webhook_sleutel=f"{nieuw},{oud}"))  # remembered answers too
    assert service.idempotency.cipher.decrypt(Kluis(oud).versleutel("antwoord").encode()) == b"antwoord"


def antwoord_naar(stand: dict):
    """Answers the status code `stand["code"]` holds at the time."""

    def antwoord(handler, backoffice: Backoffice) -> None:
        status(stand["code"])(handler, backoffice)

    return antwoord


async def test_given_up_deliveries_are_sent_again_in_their_order_before_the_later_ones(tmp_path, backoffices):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True, webhook_max_pogingen=1)
    stand = {"code": 503}
    backoffice = backoffices(antwoord_naar(stand))
    klok = Klok()
    ports = replace(met(service, loopback), clock=klok)
    abonnement_id = await abonneer(service, loopback, backoffice.url)
    eerste, tweede = await events(service, abonnement_id, 2, klok)
    bezorger = bootstrap.bezorger(service, ports)
    opgegeven = metrics.WEBHOOK_DELIVERIES.labels("given_up")._value.get()
    await rondes(bezorger)
    assert [a["status"] for a in await log(service, abonnement_id)] == ["mislukt", "mislukt"]
    assert metrics.WEBHOOK_DELIVERIES.labels("given_up")._value.get() == opgegeven + 2

    stand["code"] = 200
    [derde] = await events(service, abonnement_id, 1, klok)
    with pytest.raises(Onbekend):  # another municipality's subscription is unknown to it
        await webhooks.opnieuw(ports, ANDERE, abonnement_id)
    assert await webhooks.opnieuw(ports, GEMEENTE, abonnement_id) == 2
    await rondes(bezorger)

    assert ontvangen(backoffice) == [eerste, tweede, eerste, tweede, derde]
    assert [(a["status"], len(a["pogingen"])) for a in await log(service, abonnement_id)] == [("afgeleverd", 1)] * 3
    assert await webhooks.opnieuw(ports, GEMEENTE, abonnement_id) == 0


async def test_a_delivery_refused_at_its_last_attempt_counts_as_given_up(tmp_path):
    service = await service_met(tmp_path, webhook_max_pogingen=1)
    klok = Klok()
    ports = replace(met(service, loopback), clock=klok)  # loopback: refused, local delivery is off
    abonnement_id = await abonnement_in_database(service, "https://intern.example/hook")
    await events(service, abonnement_id, 1, klok)
    opgegeven = metrics.WEBHOOK_DELIVERIES.labels("given_up")._value.get()

    await rondes(bootstrap.bezorger(service, ports))

    assert metrics.WEBHOOK_DELIVERIES.labels("given_up")._value.get() == opgegeven + 1


async def na_410(tmp_path, backoffices):
    """Two events for a subscription whose receiver answers the first with 410 Gone, delivered."""
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    backoffice = backoffices(status(410))
    klok = Klok()
    ports = replace(met(service, loopback), clock=klok)
    abonnement_id = await abonneer(service, loopback, backoffice.url)
    await events(service, abonnement_id, 2, klok)
    await rondes(bootstrap.bezorger(service, ports))
    return service, ports, klok, backoffice, abonnement_id


async def test_a_receiver_that_answers_410_gone_stops_its_subscription_and_the_later_deliveries_lapse(
    tmp_path, backoffices
):
    service, ports, klok, backoffice, abonnement_id = await na_410(tmp_path, backoffices)

    assert len(backoffice.ontvangen) == 1
    assert await webhooks.lijst(ports, GEMEENTE) == []
    [(gestopt, _)] = await webhooks.lijst(ports, GEMEENTE, gestopt=True)
    assert (gestopt.abonnement_id, gestopt.stopreden, gestopt.gestopt_op) == (
        abonnement_id,
        Stopreden.ontvanger_weg,
        klok.now(),
    ), "listed as stopped, with when and why"
    async with service.db.engine.connect() as conn:
        statussen = (await conn.execute(sa.select(afleveringen.c.status).order_by(afleveringen.c.id))).scalars()
        assert list(statussen) == ["mislukt", "vervallen"]
    # as the API answers them (its response model): the lapsed one too
    getoond = [models.Aflevering.model_validate(a).status for a in await log(service, abonnement_id)]
    assert getoond == ["mislukt", "vervallen"]


async def test_a_delivery_waiting_longer_than_deliveries_are_kept_is_given_up_and_retention_removes_it(tmp_path):
    service = await service_met(tmp_path, afleveringen_bewaren_dagen=30)
    klok = Klok()
    ports = replace(met(service, loopback), clock=klok)
    abonnement_id = await abonnement_in_database(service, "https://weg.example/hook")
    [oud] = await events(service, abonnement_id, 1, klok)
    klok.t += timedelta(days=30, minutes=1)
    [nieuw] = await events(service, abonnement_id, 1, klok)
    async with service.db.transaction() as conn:  # its circuit is open: nothing is tried now
        await conn.execute(abonnementen.update().values(onderbroken_tot=klok.now() + timedelta(hours=1)))
    opgegeven = metrics.WEBHOOK_DELIVERIES.labels("given_up")._value.get()

    await rondes(bootstrap.bezorger(service, ports))

    assert metrics.WEBHOOK_DELIVERIES.labels("given_up")._value.get() == opgegeven + 1
    async with ports.uow() as uow:
        await uow.bewaring.vergeet_afleveringen(klok.now() - timedelta(days=30))
    assert [(a["eventId"], a["status"]) for a in await log(service, abonnement_id)] == [(nieuw, "wachtend")]


async def test_a_stopped_subscription_keeps_no_event_of_its_given_up_deliveries(tmp_path, backoffices):
    """Nothing sends them again (`_opnieuw` answers 409): the person's data they carry goes at the stop;
    their status and attempts stay readable until retention."""
    service, *_ = await na_410(tmp_path, backoffices)

    async with service.db.engine.connect() as conn:
        rijen = await conn.execute(sa.select(afleveringen.c.status, afleveringen.c.body).order_by(afleveringen.c.id))
        assert [tuple(r) for r in rijen] == [("mislukt", ""), ("vervallen", "")]

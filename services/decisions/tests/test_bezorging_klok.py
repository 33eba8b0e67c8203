"""Webhook claims in the database's time: instances whose clocks differ agree on when a claim on a
subscription ran out, so one whose clock runs ahead never takes a subscription another instance is
delivering (the same webhook twice, one subscription's deliveries at once and out of order), and one
whose clock runs behind claims for as long as any other (SQLite; PostgreSQL when
SCHAKEL_TEST_POSTGRES_URL names a server)."""

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from decisions import bootstrap
from decisions.adapters.tables import abonnementen
from decisions.service.bezorging import Bezorger
from decisions.tests.test_bezorging import abonneer, loopback, met, service_met, te_bezorgen
from schakel.primitives.periode import dag_van
from tests.support.backoffice import Backoffice

pytestmark = pytest.mark.integration


class Verzet:
    """The real clock, `verschil` off."""

    def __init__(self, verschil: timedelta) -> None:
        self._verschil = verschil

    def now(self) -> datetime:
        return datetime.now(UTC) + self._verschil

    def today(self):
        return dag_van(self.now())


def worker_met_klok(service, verschil: timedelta) -> Bezorger:
    """The worker as bootstrap builds it, on an instance whose clock is `verschil` off."""
    return bootstrap.bezorger(service, replace(met(service, loopback), clock=Verzet(verschil)))


def na_een_seconde(handler, _) -> None:
    time.sleep(1)
    handler.send_response(200)
    handler.send_header("Content-Length", "0")
    handler.end_headers()


@pytest.fixture
def backoffice():
    started = Backoffice(na_een_seconde)
    yield started
    started.close()


async def test_an_instance_whose_clock_runs_ahead_leaves_a_subscription_another_is_delivering(tmp_path, backoffice):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    try:
        abonnement_id = await abonneer(service, loopback, backoffice.url)
        await te_bezorgen(service, abonnement_id, aantal=3)
        a = bootstrap.bezorger(service, met(service, loopback))  # the real clock
        b = worker_met_klok(service, timedelta(seconds=60))

        assert await a.ronde() == 3
        time.sleep(0.3)  # a's first delivery under way (its task runs once this test awaits)
        assert await b.ronde() == 0, "a's claim has not run out in the database's time"
        await a.klaar()
        await b.klaar()

        ids = [headers["webhook-id"] for _, headers, _ in backoffice.ontvangen]
        assert len(ids) == 3 == len(set(ids)), "each webhook once"
    finally:
        await service.db.dispose()


async def test_an_instance_whose_clock_runs_behind_claims_as_long_as_any_and_takes_over_a_claim_run_out(tmp_path):
    service = await service_met(tmp_path, webhook_lokaal_toestaan=True)
    try:
        abonnement_id = await abonneer(service, loopback, "https://ergens.example")
        await te_bezorgen(service, abonnement_id, over=timedelta(minutes=-5))
        async with service.db.transaction() as conn:  # a killed instance's claim, run out 5 s ago
            await conn.execute(
                abonnementen.update()
                .where(abonnementen.c.abonnement_id == abonnement_id)
                .values(bezorger="gedood", bezorger_tot=datetime.now(UTC) - timedelta(seconds=5))
            )
        achter = worker_met_klok(service, timedelta(seconds=-60))

        async with met(service, loopback).uow() as uow:
            nu = achter._ports.clock.now()
            genomen = await uow.afleveringen.claim(nu, achter.naam, nu + timedelta(seconds=25), [], 10)
        assert len(genomen) == 1, "run out in the database's time, whatever this instance's clock says"
        async with service.db.engine.connect() as conn:
            tot = (await conn.execute(sa.select(abonnementen.c.bezorger_tot))).scalar_one()
        tot = tot if tot.tzinfo else tot.replace(tzinfo=UTC)
        assert timedelta(seconds=20) < tot - datetime.now(UTC) <= timedelta(seconds=25), "claimed for 25 s"

        async with achter._ports.uow() as uow:
            tot_nu = achter._ports.clock.now() + timedelta(seconds=40)
            assert await uow.abonnementen.houd_vast(abonnement_id, achter.naam, tot_nu)
        async with service.db.engine.connect() as conn:
            tot = (await conn.execute(sa.select(abonnementen.c.bezorger_tot))).scalar_one()
        tot = tot if tot.tzinfo else tot.replace(tzinfo=UTC)
        assert timedelta(seconds=35) < tot - datetime.now(UTC) <= timedelta(seconds=40), "extended by 40 s"
    finally:
        await service.db.dispose()

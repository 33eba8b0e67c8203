"""Crashes and broker outages lose nothing. These tests get their own broker and services, as
they kill processes and restart the broker."""

import signal
import threading
import time

import pytest

from schakel.api import Rol
from tests.support import builders, kafka
from tests.support.stack import eventually, population, pseudonym, start_stack

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def own_stack(tmp_path_factory):
    stack = start_stack(tmp_path_factory.mktemp("faults"), ["income"])
    yield stack
    stack.close()
    stack.collector.close()


def test_sigkill_between_commit_and_publish_delays_the_event_but_loses_nothing(own_stack):
    # the relay is off: the state and its outbox row commit, the publish cannot happen
    decisions = own_stack.start("decisions", SCHAKEL_OUTBOX_RELAY="false")
    body = builders.uitkering()
    with own_stack.client("decisions", Rol.municipality) as client:
        assert client.post("/uitkeringen", json=body).status_code == 201
    decisions.stop(signal.SIGKILL)
    assert not kafka.read(own_stack.kafka, "uitkeringen", key=pseudonym(body["bsn"]))

    own_stack.start("decisions")  # same database, relay on
    eventually(lambda: body["bsn"] in population(own_stack, "2026-02-01"))
    assert len(kafka.read(own_stack.kafka, "uitkeringen", key=pseudonym(body["bsn"]))) == 1


def test_a_broker_restart_while_events_flow_loses_nothing(own_stack):
    if "decisions" not in own_stack.services or own_stack.services["decisions"].process.poll() is not None:
        own_stack.start("decisions")
    bsns, failures = [], []

    def open_cases():
        with own_stack.client("decisions", Rol.municipality) as client:
            for _ in range(60):
                body = builders.uitkering()
                response = client.post("/uitkeringen", json=body)
                (bsns if response.status_code == 201 else failures).append(body["bsn"])
                time.sleep(0.05)  # a steady flow across the outage, not a wait for an outcome

    writer = threading.Thread(target=open_cases)
    writer.start()
    eventually(lambda: len(bsns) >= 10)
    own_stack.broker.stop()
    eventually(lambda: len(bsns) >= 30)  # the API keeps accepting work while the broker is down
    own_stack.broker.start()
    writer.join()

    assert not failures
    eventually(lambda: set(bsns) <= population(own_stack, "2026-02-01"), timeout=90)

"""Any number of instances per service, same results: two instances of every service on one
database each (PostgreSQL in CI) and in one consumer group each, a monthly polis delivery flowing
through them, and one instance of each killed (SIGKILL) halfway. Every settlement is made once,
every webhook delivered once in effect, and every person's events stay in commit order."""

import json
import signal
from collections import defaultdict

import httpx
import pytest

from deploy.kafka_broker import free_port
from deploy.services import SERVICES, ServiceProcess
from schakel.api import Rol
from schakel.events.models import VerrekeningVastgesteld
from tests.support import builders, kafka
from tests.support.polis import aangifte
from tests.support.receiver import Receiver
from tests.support.stack import Stack, eventually, population, start_stack, token

pytestmark = pytest.mark.integration

PERSONEN, MAANDEN = 24, ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
VASTGESTELD = VerrekeningVastgesteld.TYPE
# a subscription's claim runs out 2 x the delivery deadline + 5 s after a killed instance's last delivery
WEBHOOK_TIMEOUT = "2"


@pytest.fixture
def twice(tmp_path):
    """The platform with two instances of every service: (the stack with the first ones, the second ones)."""
    stack = start_stack(tmp_path, [])
    second: dict[str, ServiceProcess] = {}
    try:
        for name in SERVICES:  # started at once: their migrations wait for each other's
            first = stack.start(name, wait=False, DECISIONS_WEBHOOK_TIMEOUT_SECONDEN=WEBHOOK_TIMEOUT)
            # the same database and consumer group, another port
            second[name] = ServiceProcess(name, free_port(), first.env, tmp_path / f"{name}-2.log").start()
        for process in [*stack.services.values(), *second.values()]:
            process.wait_ready(timeout=120)
        yield stack, second
    finally:
        for process in second.values():
            process.stop()
        stack.close()
        stack.collector.close()


def client(process: ServiceProcess, role: Rol) -> httpx.Client:
    return httpx.Client(base_url=process.url, headers={"Authorization": f"Bearer {token(role)}"}, timeout=60)


def records(stack: Stack, topic: str) -> dict[bytes, list]:
    """Per person (record key), the topic's records in order."""
    per_person = defaultdict(list)
    for record in kafka.read(stack.kafka, topic):
        per_person[record.key].append(record)
    return per_person


def header(record, name: str) -> str:
    return dict(record.headers)[name].decode()


def test_two_instances_of_every_service_one_killed_midway_settle_every_month_once_in_order(twice):
    stack, second = twice
    decisions = (stack.services["decisions"], second["decisions"])
    income = (stack.services["income"], second["income"])
    receiver = Receiver()
    try:
        with client(decisions[0], Rol.municipality) as c:
            assert c.post("/abonnementen", json={"url": receiver.url, "eventTypes": [VASTGESTELD]}).status_code == 201
        bsns = [builders.bsn() for _ in range(PERSONEN)]
        for i, bsn in enumerate(bsns):  # the cases opened through both instances
            with client(decisions[i % 2], Rol.municipality) as c:
                assert c.post("/uitkeringen", json=builders.uitkering(bsn)).status_code == 201
        eventually(lambda: set(bsns) <= population(stack, "2026-01-01"), timeout=60)

        for n, maand in enumerate(MAANDEN):  # a delivery per month, through both instances
            if n == len(MAANDEN) // 2:
                for name in SERVICES:  # midway, with the previous delivery's events still flowing
                    stack.services[name].stop(signal.SIGKILL)
            levering = [aangifte(b, begin=f"{maand}-01", einde=f"{maand}-28") for b in bsns]
            with client(income[1] if n >= len(MAANDEN) // 2 else income[n % 2], Rol.data_provider) as c:
                assert c.post("/leveringen", json={"leveringId": f"maand-{maand}", "aangiften": levering}).is_success

        expected = PERSONEN * len(MAANDEN)
        settled = eventually(lambda: _vastgesteld(stack) if len(_vastgesteld(stack)) >= expected else None, 120)
        ids_per_month = defaultdict(set)
        for event_id, (uitkering, maand) in settled.items():
            ids_per_month[(uitkering, maand)].add(event_id)
        assert len(ids_per_month) == expected and all(len(ids) == 1 for ids in ids_per_month.values()), (
            "every month of every case settled exactly once"
        )

        # webhooks: every settlement delivered; a repeat (same webhook-id) only of the one in flight at the kill
        delivered = eventually(
            lambda: [r for r in receiver.requests if r[2] == 200] if _webhook_ids(receiver) >= set(settled) else None,
            timeout=60,
        )
        ids = [headers["webhook-id"] for headers, _, _ in delivered]
        assert set(ids) == set(settled) and len(ids) - len(set(ids)) <= 1, "each webhook delivered once in effect"

        # per person, each source's events in the order their transactions committed (a record
        # published again after the kill repeats an earlier one and is skipped by its id)
        for topic in ("maandinkomens", "verrekeningen"):
            for person_records in records(stack, topic).values():
                seen, sequences = set(), []
                for record in person_records:
                    if header(record, "ce_id") not in seen:
                        seen.add(header(record, "ce_id"))
                        sequences.append(int(header(record, "ce_sequence")))
                assert sequences == sorted(set(sequences)), f"{topic}: a person's events out of order"
    finally:
        receiver.close()


def _vastgesteld(stack: Stack) -> dict[str, tuple[str, str]]:
    """Per settlement event id on the topic, its (case, month)."""
    return {
        header(r, "ce_id"): (json.loads(r.value)["uitkeringId"], json.loads(r.value)["maand"])
        for r in kafka.read(stack.kafka, "verrekeningen")
        if header(r, "ce_type") == VASTGESTELD
    }


def _webhook_ids(receiver: Receiver) -> set[str]:
    return {headers["webhook-id"] for headers, _, status in receiver.requests if status == 200}

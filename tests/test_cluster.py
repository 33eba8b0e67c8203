"""A three-broker cluster loses a broker (SIGKILL) in the middle of a polis delivery: nothing is
lost, nothing doubled, the flow goes on without it, and the broker comes back and catches up."""

import asyncio
import calendar
import json
from collections import Counter

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from schakel.api import Rol
from schakel.events import load_contract
from tests.support import builders, kafka
from tests.support.polis import aangifte, deliver
from tests.support.stack import eventually, population, start_stack

pytestmark = pytest.mark.integration

PEOPLE = 15
MONTHS = [f"2026-{m:02d}" for m in range(1, 5)]
FLOW = ["maandinkomens", "verrekeningen"]  # what a delivery writes, and what its settlement writes
VASTGESTELD = b"nl.participatiewet.verrekening.vastgesteld"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    stack = start_stack(tmp_path_factory.mktemp("cluster"), ["income", "decisions"], brokers=3)
    yield stack
    stack.close()
    stack.collector.close()


def admin(stack, call):
    async def run():
        client = AIOKafkaAdminClient(**stack.kafka.connection())
        await client.start()
        try:
            return await call(client)
        finally:
            await client.close()

    return asyncio.run(run())


def partitions(stack, topics: list[str]) -> list[dict]:
    described = admin(stack, lambda client: client.describe_topics(topics))
    return [p for topic in described for p in topic["partitions"]]


def min_insync(stack, topic: str) -> str:
    [response] = admin(
        stack, lambda client: client.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic, None)])
    )
    [resource] = response.to_object()["resources"]
    return next(c["config_value"] for c in resource["config_entries"] if c["config_names"] == "min.insync.replicas")


def settlements(stack) -> list:
    return [r for r in kafka.read(stack.kafka, "verrekeningen") if dict(r.headers)["ce_type"] == VASTGESTELD]


def month(bsn: str, maand: str) -> dict:
    year, number = map(int, maand.split("-"))
    return aangifte(bsn, begin=f"{maand}-01", einde=f"{maand}-{calendar.monthrange(year, number)[1]}")


def test_a_broker_killed_mid_delivery_loses_nothing_doubles_nothing_and_catches_up(cluster):
    contract = load_contract()
    for topic in FLOW:  # as the contract says: 3 replicas, 2 in sync
        assert {len(p["replicas"]) for p in partitions(cluster, [topic])} == {contract.topic(topic).replicas} == {3}
        assert min_insync(cluster, topic) == str(contract.topic(topic).min_insync) == "2"

    bsns = [builders.bsn() for _ in range(PEOPLE)]
    with cluster.client("decisions", Rol.municipality) as client:
        cases = {bsn: client.post("/uitkeringen", json=builders.uitkering(bsn)).json()["uitkeringId"] for bsn in bsns}
    eventually(lambda: set(bsns) <= population(cluster, "2026-01-01"), timeout=60)

    # the node that leads most of the flow's partitions
    leaders = Counter(p["leader"] for p in partitions(cluster, FLOW))
    victim = cluster.broker.nodes[leaders.most_common(1)[0][0] - 1]

    for i, maand in enumerate(MONTHS):
        response = deliver(cluster, [month(bsn, maand) for bsn in bsns])
        assert response.json()["aantallen"]["geaccepteerd"] == PEOPLE, response.text
        if i == 0:  # its incomes and settlements are on their way
            victim.kill()

    # the flow goes on without it: every month of every case settled
    expected = {(case, maand) for case in cases.values() for maand in MONTHS}

    def all_settled():
        found = {
            (data["uitkeringId"], data["maand"]) for data in map(lambda r: json.loads(r.value), settlements(cluster))
        }
        return found >= expected

    eventually(all_settled, timeout=90, interval=1)
    assert any(len(p["isr"]) == 2 for p in partitions(cluster, FLOW)), "the flow ran on two brokers"
    for service in cluster.services.values():  # ready: one broker of the bootstrap list away is no outage
        assert httpx.get(f"{service.url}/health/ready").status_code == 200, service.name

    victim.start(timeout=120)  # a JVM on a busy machine: it has taken 50 s
    eventually(lambda: all(len(p["isr"]) == 3 for p in partitions(cluster, FLOW)), timeout=60, interval=0.5)

    # nothing doubled: each month of each case settled once, under one event id, in decisions too
    records = settlements(cluster)
    by_month = Counter((data["uitkeringId"], data["maand"]) for data in (json.loads(r.value) for r in records))
    assert set(by_month) == expected and set(by_month.values()) == {1}
    assert len({dict(r.headers)["ce_id"] for r in records}) == len(expected)
    with cluster.client("decisions", Rol.municipality) as client:
        for case in cases.values():
            made = client.get(f"/uitkeringen/{case}/verrekeningen").json()
            assert sorted((s["maand"], s["versie"]) for s in made) == [(m, 1) for m in MONTHS]

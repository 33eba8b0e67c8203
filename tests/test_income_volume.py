"""20.000 declarations over HTTP and the same 20.000 over Kafka give identical monthly figures
(two populations of the same shape, compared person by person), with two instances of income
sharing the requests and the ingest topic's partitions. `make bench` reports the rates of one, and
the whole monthly delivery of 100.000 to its settlements (deploy/bench_levering.py)."""

import os

import pytest

from deploy import volume
from deploy.services import ServiceProcess
from schakel.api import Rol
from schakel.events import Pseudonymiser
from tests.support.stack import development, free_port, start_stack, token

pytestmark = pytest.mark.integration

RECORDS = int(os.environ.get("SCHAKEL_VOLUME_RECORDS", "20000"))


def test_http_and_kafka_deliveries_give_identical_monthly_figures(tmp_path):
    # a stack of its own: a population this size would slow every other test's lookups
    stack = start_stack(tmp_path, ["income"])
    income = stack.services["income"]
    second = ServiceProcess("income", free_port(), income.env, tmp_path / "income-2.log").start()
    try:
        second.wait_ready()
        uitslag = run(stack, [income.url, second.url])
    finally:
        second.stop()
        stack.close()
        stack.collector.close()
    print(
        f"\n{uitslag.records} records: HTTP {uitslag.http_per_seconde:.0f} records/s, "
        f"Kafka {uitslag.kafka_per_seconde:.0f} records/s"
    )

    personen = RECORDS // volume.PER_PERSOON
    expected = {
        "geaccepteerd": 16 * personen,
        "correctie": 3 * personen,
        "herhaling": personen,
        "verouderd": 0,
        "buitenPopulatie": 0,
        "afgewezen": 0,
    }
    assert uitslag.aantallen_http == uitslag.aantallen_kafka == expected
    assert all(len(months) == 10 for months in uitslag.maanden_http), "December 2025 to September 2026"
    assert uitslag.maanden_http == uitslag.maanden_kafka


def run(stack, urls: list[str]) -> volume.Uitslag:
    database = stack.services["income"].env["INCOME_DATABASE_URL"]
    pseudonym = Pseudonymiser(development().pseudonym_key.get_secret_value().encode())
    return volume.compare(stack.kafka, urls, database, token(Rol.data_provider), pseudonym, RECORDS)

"""100.000 declarations over HTTP and the same 100.000 over Kafka give identical monthly figures
(two populations of the same shape, compared person by person). `make bench` reports the rates."""

import os

import pytest

from deploy import volume
from schakel.api import Rol
from schakel.events import Pseudonymiser
from tests.support.stack import development, start_stack, token

pytestmark = pytest.mark.integration

RECORDS = int(os.environ.get("SCHAKEL_VOLUME_RECORDS", "100000"))


def test_http_and_kafka_deliveries_give_identical_monthly_figures(tmp_path):
    # a stack of its own: a population this size would slow every other test's lookups
    stack = start_stack(tmp_path, ["income"])
    try:
        uitslag = run(stack)
    finally:
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
        "buitenPopulatie": 0,
        "afgewezen": 0,
    }
    assert uitslag.aantallen_http == uitslag.aantallen_kafka == expected
    assert all(len(months) == 10 for months in uitslag.maanden_http), "December 2025 to September 2026"
    assert uitslag.maanden_http == uitslag.maanden_kafka


def run(stack) -> volume.Uitslag:
    income = stack.services["income"]
    pseudonym = Pseudonymiser(development().pseudonym_key.get_secret_value().encode())
    return volume.compare(
        stack.kafka, income.url, income.env["INCOME_DATABASE_URL"], token(Rol.data_provider), pseudonym, RECORDS
    )

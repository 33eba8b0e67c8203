"""The toeslagen signal end to end: a provider's polis delivery shows a new job, decisions settles
the month and, because the household's expected income for the year moved by more than the
threshold, announces `toeslageninkomen.gewijzigd` on the real broker, keyed by the person's
pseudonym; the citizen and the municipality read the estimate, another citizen does not."""

import json

import pytest

from schakel.api import Rol
from schakel.events.models import ToeslageninkomenGewijzigd
from tests.support import builders, kafka
from tests.support.polis import aangifte, deliver, open_case
from tests.support.stack import eventually, pseudonym

pytestmark = pytest.mark.integration


def settled(stack, uitkering_id: str) -> list[str]:
    with stack.client("decisions", Rol.municipality) as client:
        return [v["maand"] for v in client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()]


def signalen(stack, bsn: str) -> list:
    return [
        r
        for r in kafka.read(stack.kafka, "verrekeningen", key=pseudonym(bsn))
        if dict(r.headers)["ce_type"].decode() == ToeslageninkomenGewijzigd.TYPE
    ]


def test_a_new_job_is_signalled_for_toeslagen_and_the_citizen_reads_the_estimate(stack):
    bsn = builders.bsn("GM0363")
    uitkering_id = open_case(stack, bsn, startdatum="2026-03-01")
    klein = {"fiscaalLoon": 10000, "ingehoudenLoonheffing": 0}
    deliver(
        stack, [aangifte(bsn, "2026-03-01", "2026-03-31", **klein), aangifte(bsn, "2026-04-01", "2026-04-30", **klein)]
    )
    eventually(lambda: settled(stack, uitkering_id) == ["2026-03", "2026-04"])

    # a job from May: 1.900,00 fiscal wage, 1.500,00 net
    deliver(stack, [aangifte(bsn, "2026-05-01", "2026-05-31", fiscaalLoon=190000, ingehoudenLoonheffing=40000)])
    [record] = eventually(lambda: signalen(stack, bsn))
    attributes = b" ".join(value for _, value in record.headers)
    assert bsn.encode() not in attributes + record.key, "no BSN in the key or the CloudEvents attributes"
    signaal = json.loads(record.value)
    assert (signaal["uitkeringId"], signaal["jaar"], signaal["verrekendeMaanden"]) == (uitkering_id, 2026, ["2026-05"])
    assert (signaal["voor"]["fiscaalLoon"], signaal["na"]["fiscaalLoon"]) == (20000, 210000)
    assert signaal["verschil"] > signaal["drempel"] and "Mijn toeslagen" in signaal["stap"]

    with stack.client("decisions", Rol.burger, bsn=bsn) as mij:
        [jaar] = mij.get(f"/uitkeringen/{uitkering_id}/toeslageninkomen").json()
    assert (jaar["jaar"], jaar["jaarinkomen"], jaar["vanMaand"], jaar["totMaand"]) == (
        2026,
        signaal["na"]["jaarinkomen"],
        "2026-03",
        "2026-05",
    )
    assert "januari en februari 2026 kent Schakel niet" in jaar["uitleg"]
    with stack.client("decisions", Rol.municipality) as client:
        assert client.get(f"/uitkeringen/{uitkering_id}/toeslageninkomen").json() == [jaar]
    with stack.client("decisions", Rol.burger, bsn=builders.bsn("GM0363")) as ander:
        assert ander.get(f"/uitkeringen/{uitkering_id}/toeslageninkomen").status_code == 404

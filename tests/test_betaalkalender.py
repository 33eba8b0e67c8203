"""The payment calendar end to end: two decisions instances on one database propose this month's
advance for each running case under the municipality's policy, each case and month once, on the
real broker; the citizen reads their own calendar, another citizen does not; a payout of holiday
allowance is announced once, and announced again once when its end is corrected."""

import json
from collections import Counter

import pytest

from deploy.kafka_broker import free_port
from deploy.services import ServiceProcess
from schakel.api import Rol
from schakel.events.models import VakantietoeslagHerzien, VakantietoeslagVastgesteld, VoorschotVoorgesteld
from tests.support import builders, kafka
from tests.support.polis import open_case
from tests.support.stack import TODAY, eventually, start_stack

pytestmark = pytest.mark.integration

INTERVAL = {"DECISIONS_VOORSCHOT_INTERVAL_SECONDEN": "0.5"}


@pytest.fixture(scope="module")
def twee(tmp_path_factory):
    """Income, and decisions twice on one database, both running the proposal job often (the tests'
    cases are their own: the advance's only for running cases, the holiday allowance for ended ones)."""
    tmp = tmp_path_factory.mktemp("betaalkalender")
    stack = start_stack(tmp, ["income"])
    first = stack.start("decisions", **INTERVAL)
    second = ServiceProcess("decisions", free_port(), first.env, tmp / "decisions-2.log").start()
    try:
        second.wait_ready(timeout=120)
        yield stack
    finally:
        second.stop()
        stack.close()
        stack.collector.close()


def voorstellen(stack) -> list[dict]:
    return [
        json.loads(r.value)
        for r in kafka.read(stack.kafka, "verrekeningen")
        if dict(r.headers)["ce_type"].decode() == VoorschotVoorgesteld.TYPE
    ]


def test_each_running_case_gets_this_months_advance_once_and_the_citizen_sees_it(twee):
    stack = twee
    with stack.client("decisions", Rol.municipality) as client:
        beleid = {"geldigVanaf": "2026-11-01", "percentage": 95, "maanden": 3, "doelWerkdagen": 5, "leverdag": 15}
        assert client.post("/voorschotbeleid", json=beleid).status_code == 200
    bsns = [builders.bsn() for _ in range(4)]
    ids = {open_case(stack, bsn, startdatum="2026-10-01"): bsn for bsn in bsns}
    eventually(lambda: set(ids) <= {v["uitkeringId"] for v in voorstellen(stack)}, timeout=60)
    # a case opened later is proposed by a later round of either instance, which passes the others again
    laat = open_case(stack, builders.bsn(), startdatum="2026-10-01")
    eventually(lambda: laat in {v["uitkeringId"] for v in voorstellen(stack)}, timeout=60)

    gedaan = voorstellen(stack)
    assert Counter(v["uitkeringId"] for v in gedaan) == Counter([*ids, laat])
    maand = f"{TODAY:%Y-%m}"
    assert {(v["maand"], v["bedrag"]) for v in gedaan} == {(maand, round((140_150 - 7_008) * 95 / 100))}

    uitkering_id, bsn = next(iter(ids.items()))
    with stack.client("decisions", Rol.burger, bsn=bsn) as client:
        oktober, november = client.get(f"/uitkeringen/{uitkering_id}/betaalkalender").json()
    assert (oktober["maand"], oktober["voorschotVoorgesteld"]) == ("2026-10", None)
    assert (november["maand"], november["voorschotVoorgesteld"]) == (maand, gedaan[0]["bedrag"])
    assert (november["polisVerwachtOp"], november["verrekeningVerwachtOp"]) == ("2027-01-15", "2027-01-22")
    with stack.client("decisions", Rol.burger, bsn=builders.bsn()) as client:
        assert client.get(f"/uitkeringen/{uitkering_id}/betaalkalender").status_code == 404


def test_the_holiday_allowance_of_a_case_that_ended_three_months_ago_is_announced_once(twee):
    """Ended on 20 August, so its holiday allowance is due by 20 November: this month, on the stack's day."""
    stack = twee

    def beeindigd() -> str:
        uitkering_id = open_case(stack, builders.bsn(), startdatum="2026-06-01")
        with stack.client("decisions", Rol.municipality) as client:
            einde = {"einddatum": "2026-08-20", "reden": "werk"}
            assert client.post(f"/uitkeringen/{uitkering_id}/_beeindig", json=einde).status_code == 200
        return uitkering_id

    def aangekondigd(uitkering_id: str, soort: str = VakantietoeslagVastgesteld.TYPE) -> list[dict]:
        return [
            data
            for r in kafka.read(stack.kafka, "verrekeningen")
            if dict(r.headers)["ce_type"].decode() == soort
            and (data := json.loads(r.value))["uitkeringId"] == uitkering_id
        ]

    eerste = beeindigd()
    [event] = eventually(lambda: aangekondigd(eerste), timeout=60)
    with stack.client("decisions", Rol.municipality) as client:
        [stand] = client.get(f"/uitkeringen/{eerste}/vakantietoeslag").json()
    assert (event["vanMaand"], event["totMaand"], event["uitbetalenUiterlijk"]) == ("2026-06", "2026-08", "2026-11-20")
    assert event["bedrag"] == stand["bedrag"] == sum(m["gereserveerd"] for m in stand["maanden"]) > 0
    assert not event["voorlopig"], "every month's polis was due by the stack's day, none with income"
    # a case ended later is announced by a later round of either instance, which passes the first again
    tweede = beeindigd()
    eventually(lambda: aangekondigd(tweede), timeout=60)
    assert len(aangekondigd(eerste)) == 1

    # the end was 31 July: August leaves the payout, which the revision job (either instance) announces
    with stack.client("decisions", Rol.municipality) as client:
        assert client.put(f"/uitkeringen/{eerste}/einddatum", json={"einddatum": "2026-07-31"}).status_code == 200
    [herzien] = eventually(lambda: aangekondigd(eerste, VakantietoeslagHerzien.TYPE), timeout=60)
    [augustus] = herzien["wijzigingen"]
    assert (augustus["maand"], augustus["gereserveerd"], augustus["reden"]) == ("2026-08", None, "vervallen")
    assert (herzien["vorigBedrag"], herzien["bedrag"]) == (
        event["bedrag"],
        event["bedrag"] - augustus["vorigGereserveerd"],
    )
    with stack.client("decisions", Rol.municipality) as client:
        [stand] = client.get(f"/uitkeringen/{eerste}/vakantietoeslag").json()
    assert (stand["totMaand"], stand["bedrag"]) == ("2026-07", herzien["bedrag"])
    # the second's end corrected after it: its revision comes from a later round, which passed the first again
    with stack.client("decisions", Rol.municipality) as client:
        assert client.put(f"/uitkeringen/{tweede}/einddatum", json={"einddatum": "2026-07-31"}).status_code == 200
    eventually(lambda: aangekondigd(tweede, VakantietoeslagHerzien.TYPE), timeout=60)
    assert len(aangekondigd(eerste, VakantietoeslagHerzien.TYPE)) == 1

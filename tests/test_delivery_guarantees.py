"""No doubles, poison messages to the dead-letter topic, and replay after a fix, through the real
services and the real broker."""

import asyncio
from datetime import date

import pytest

from schakel.api import Rol
from schakel.events import Event, encode
from schakel.messaging.replay import replay
from tests.support import builders, kafka
from tests.support.stack import DOELGROEPREGISTER, TODAY, eventually, population, pseudonym

pytestmark = pytest.mark.integration

registratie = builders.registratie


def status(stack, bsn: str) -> dict | None:
    with stack.client("registration", Rol.uwv) as client:
        response = client.post("/deelnamestatussen/_zoek", json={"bsn": bsn})
    return response.json() if response.status_code == 200 else None


def test_a_redelivered_event_changes_state_once(stack):
    bsn = builders.bsn()
    gestart = registratie(bsn, "gestart", grond="participatiewet", startdatum="2026-02-01")
    kafka.produce_events(stack.kafka, DOELGROEPREGISTER, [gestart, gestart])
    # an event behind them on the same partition: once it is applied, so are they
    kafka.produce_events(stack.kafka, DOELGROEPREGISTER, [registratie(bsn, "beeindigd", einddatum="2026-08-31")])
    eventually(lambda: (s := status(stack, bsn)) and s["doelgroepregistraties"][0]["einddatum"] == "2026-08-31")

    assert len(status(stack, bsn)["doelgroepregistraties"]) == 1
    # the relay publishes after the commit: wait for the end's status, then count
    emitted = eventually(
        lambda: len(found := kafka.read(stack.kafka, "deelnamestatussen", key=pseudonym(bsn))) >= 2 and found
    )
    assert [dict(r.headers)["ce_type"] for r in emitted] == [b"nl.participatiewet.deelnamestatus.gewijzigd"] * 2
    assert not kafka.read(stack.kafka, "doelgroepregister.dlq", key=pseudonym(bsn)), "the repeat was no poison"


def test_poison_goes_to_the_dead_letter_topic_and_the_events_behind_it_still_flow(stack):
    bsn = builders.bsn()
    key = pseudonym(bsn)
    valid = Event(
        type="nl.participatiewet.uitkering.geopend",
        source="urn:nld:oin:00000001003214345000:systeem:decisions",
        key=key,
        data={
            "uitkeringId": "0b5d6f1e-7a61-4f43-9d0a-3a8c7b1f2e90",
            "bsn": bsn,
            "gemeentecode": "GM0363",
            "geboortedatum": "1990-05-01",
            "startdatum": "2026-01-01",
        },
    )
    wrong_bsn = Event(type=valid.type, source=valid.source, key=key, data=valid.data | {"bsn": "123456789"})
    k, v, h = encode(valid)
    kafka.produce(
        stack.kafka,
        "uitkeringen",
        [
            encode(wrong_bsn),
            (k, b"{not json", h),
            (k, v, [x for x in h if x[0] != "ce_id"]),
            (k, v, h),
        ],
    )

    eventually(lambda: bsn in population(stack, "2026-02-01"))

    def dead_letters():  # written batch by batch: wait for all three
        found = [
            r
            for r in kafka.read(stack.kafka, "uitkeringen.dlq", key=key)
            if dict(r.headers)["dlq-consumer"] == b"schakel-income"
        ]
        return len(found) >= 3 and found

    dead = eventually(dead_letters)
    reasons = [dict(r.headers)["dlq-reden"].decode() for r in dead]
    assert len(reasons) == 3
    assert "data/bsn: format" in reasons[0] and "123456789" not in reasons[0], "field and rule, never the value"
    assert "not valid JSON" in reasons[1]
    assert "ce_id" in reasons[2]
    assert {dict(r.headers)["dlq-bron-topic"] for r in dead} == {b"uitkeringen"}


def test_uwvs_topic_meets_the_date_rules_of_the_api(stack):
    bsn = builders.bsn()
    te_vroeg = registratie(bsn, "gestart", grond="wajong", startdatum="1999-12-31")
    kafka.produce_events(stack.kafka, DOELGROEPREGISTER, [te_vroeg])
    kafka.produce_events(
        stack.kafka, DOELGROEPREGISTER, [registratie(bsn, "gestart", grond="wajong", startdatum="2026-02-01")]
    )
    eventually(lambda: status(stack, bsn))

    [dead] = eventually(lambda: kafka.read(stack.kafka, "doelgroepregister.dlq", key=pseudonym(bsn)))
    assert dict(dead.headers)["dlq-reden"].decode().startswith("onverwerkbaar-bericht: datum-buiten-bereik: ")
    [registratie_nu] = status(stack, bsn)["doelgroepregistraties"]
    assert registratie_nu.pop("uitleg").startswith("U staat sinds")
    assert registratie_nu == {"grond": "wajong", "startdatum": "2026-02-01", "einddatum": None}, (
        "the refused one left nothing, the next one flowed"
    )


def test_a_dead_letter_is_applied_when_replayed_after_the_cause_is_fixed(stack):
    bsn = builders.bsn()
    # UWV sent the end of a registration before its start: impossible now, so a dead letter
    kafka.produce_events(stack.kafka, DOELGROEPREGISTER, [registratie(bsn, "beeindigd", einddatum="2026-08-31")])
    eventually(lambda: kafka.read(stack.kafka, "doelgroepregister.dlq", key=pseudonym(bsn)))
    kafka.produce_events(
        stack.kafka, DOELGROEPREGISTER, [registratie(bsn, "gestart", grond="wajong", startdatum="2026-02-01")]
    )
    eventually(lambda: status(stack, bsn))

    assert asyncio.run(replay(stack.kafka, "doelgroepregister.dlq")).replayed >= 1
    registraties = eventually(lambda: (s := status(stack, bsn))["doelgroepregistraties"][0]["einddatum"] and s)
    [beeindigd] = registraties["doelgroepregistraties"]
    assert "UWV heeft de registratie beëindigd" in beeindigd.pop("uitleg")
    assert beeindigd == {"grond": "wajong", "startdatum": "2026-02-01", "einddatum": "2026-08-31"}
    assert TODAY > date(2026, 8, 31) and registraties["status"] == "geen", "the registration ended before today"

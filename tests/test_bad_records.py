"""One bad record never stalls a service: the records that broke a consumer before (a benefit
ended on 9999-12-31, a polis event from source `x`, a null `traceparent`, deeply nested JSON, a
month 1899-12, a malformed `ce_time`) go to the dead-letter topic with a reason that names a rule
or an error class, never a value, and the records behind them on the same partition are applied.
On the real broker with the services as processes."""

import json
import uuid
from dataclasses import replace

import pytest

from schakel.api import Rol
from schakel.events import Event, encode, load_contract
from tests.support import builders, kafka
from tests.support.polis import DECISIONS, aangeleverd, aangifte, deliver, emitted, geopend, months, open_case
from tests.support.stack import POLISAANGIFTEN, PROVIDER, eventually, pseudonym

pytestmark = pytest.mark.integration


def dead(stack, topic: str, consumer: str, *events: Event) -> dict[str, str]:
    """The dead-letter reasons this consumer gave these events."""
    ids = {e.id for e in events}
    return {
        h["ce_id"].decode(): h["dlq-reden"].decode()
        for h in (dict(r.headers) for r in kafka.read(stack.kafka, load_contract().topic(topic).dlq))
        if h.get("ce_id", b"").decode() in ids and h["dlq-consumer"].decode() == consumer
    }


def beeindigd(bsn: str, einddatum: str) -> Event:
    return Event(
        type="nl.participatiewet.uitkering.beeindigd",
        source=DECISIONS,
        key=pseudonym(bsn),
        data={
            "uitkeringId": str(uuid.uuid4()),
            "bsn": bsn,
            "gemeentecode": "GM0363",
            "einddatum": einddatum,
            "reden": "werk",
        },
    )


def test_an_end_date_in_9999_and_a_malformed_ce_time_do_not_stop_reapplication(stack):
    bsn = builders.bsn()
    badly_timed = geopend(bsn)
    endless, good = beeindigd(bsn, "9999-12-31"), beeindigd(bsn, "2026-06-30")
    k, v, h = encode(badly_timed)
    kafka.produce(
        stack.kafka,
        "uitkeringen",
        [(k, v, [(n, b"gisteren" if n == "ce_time" else x) for n, x in h]), encode(endless), encode(good)],
    )

    opened = eventually(
        lambda: [json.loads(r.value) for r in kafka.read(stack.kafka, "heraanvraagtermijnen", key=pseudonym(bsn))]
    )
    assert [o["uitkeringId"] for o in opened] == [good.data["uitkeringId"]], "the record behind them is applied"
    reasons = eventually(
        lambda: len(r := dead(stack, "uitkeringen", "schakel-reapplication", badly_timed, endless)) == 2 and r
    )
    assert reasons[badly_timed.id] == "ongeldig-bericht: ce_time is not an RFC 3339 timestamp"
    assert reasons[endless.id].startswith(("ongeldig-bericht: data/einddatum", "onverwerkbaar: "))
    assert "9999" not in reasons[endless.id]


def test_bad_polis_records_are_dead_lettered_and_the_declaration_behind_them_is_stored(stack):
    bsn = builders.bsn()
    open_case(stack, bsn)
    levering = f"kafka-{uuid.uuid4()}"
    nested, foreign, good = (
        aangeleverd(levering, aangifte(bsn, begin=f"2026-0{m}-01", einde=f"2026-0{m}-28")) for m in (1, 2, 3)
    )
    k, v, h = encode(nested)
    records = [(k, b'{"leveringId": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", h)]
    k, v, h = encode(foreign)
    records.append((k, v, [(n, b"x" if n == "ce_source" else x) for n, x in h]))
    k, v, h = encode(good)
    records.append((k, v, h + [("traceparent", None)]))  # a broken trace header never stops an event
    kafka.produce(stack.kafka, POLISAANGIFTEN, records)

    assert eventually(lambda: "2026-03" in months(stack, bsn) and months(stack, bsn))["2026-03"]["nettoInkomen"] > 0
    reasons = eventually(lambda: len(r := dead(stack, POLISAANGIFTEN, "schakel-income", nested, foreign)) == 2 and r)
    assert reasons == {
        nested.id: "ongeldig-bericht: RecursionError",
        foreign.id: "ongeldig-bericht: ce_source is not urn:nld:oin:<OIN>:systeem:<naam>",
    }
    assert set(months(stack, bsn)) == {"2026-03"}, "nothing of the bad records was stored"


def test_a_month_before_1900_is_dead_lettered_and_the_next_month_is_still_settled(stack):
    bsn = builders.bsn()
    uitkering_id = open_case(stack, bsn)
    deliver(stack, [aangifte(bsn, begin="2026-01-01", einde="2026-01-31")])
    [januari] = eventually(lambda: emitted(stack, bsn))
    ancient = Event(
        type="nl.participatiewet.maandinkomen.vastgesteld",
        source=DECISIONS.replace("decisions", "income"),
        key=pseudonym(bsn),
        data=januari | {"maand": "1899-12"},
    )
    kafka.produce_events(stack.kafka, "maandinkomens", [ancient])
    deliver(stack, [aangifte(bsn, begin="2026-02-01", einde="2026-02-28")])  # published behind it

    with stack.client("decisions", Rol.municipality) as client:
        settled = eventually(
            lambda: (
                {s["maand"] for s in client.get(f"/uitkeringen/{uitkering_id}/verrekeningen").json()}
                >= {"2026-01", "2026-02"}
            )
        )
    assert settled
    reason = eventually(lambda: dead(stack, "maandinkomens", "schakel-decisions", ancient))[ancient.id]
    assert reason.startswith(("ongeldig-bericht: data/maand", "onverwerkbaar: ")) and "1899" not in reason


def test_a_record_whose_source_names_another_provider_is_dead_lettered_never_applied(stack):
    bsn = builders.bsn()
    open_case(stack, bsn)
    levering = f"kafka-{uuid.uuid4()}"
    own = aangeleverd(levering, aangifte(bsn, begin="2026-01-01", einde="2026-01-31"))
    forged = replace(
        aangeleverd(levering, aangifte(bsn, begin="2026-02-01", einde="2026-02-28")),
        source="urn:nld:oin:00000001822477348000:systeem:polisleveringen",  # another provider's OIN
    )
    kafka.produce_events(stack.kafka_as(PROVIDER.principal), POLISAANGIFTEN, [forged, own])

    assert eventually(lambda: "2026-01" in months(stack, bsn))
    reasons = eventually(lambda: dead(stack, POLISAANGIFTEN, "schakel-income", forged))
    assert reasons[forged.id] == (
        "bron-onjuist: ce_source names another organisation than the one that wrote the topic"
    )
    assert set(months(stack, bsn)) == {"2026-01"}, "the forged declaration was not stored"
    # the person's processing log says a declaration about them was refused
    with stack.client("income", Rol.privacy_officer) as officer:
        log = officer.post("/verwerkingen/_zoek", json={"bsn": bsn}).json()["verwerkingen"]
    assert sorted(r["status"] for r in log if r["naam"] == forged.type) == ["ERROR", "OK"]

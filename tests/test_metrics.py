"""An operator scrapes every service: a bad record shows as dead-lettered and on the dead-letter
topic's depth, consumers show their lag, the outbox its backlog, tasks are up, requests are
timed per route; and no label carries a person."""

import re
import uuid

import httpx
import pytest

from deploy.services import SERVICES
from schakel.events import encode
from tests.support import builders, kafka
from tests.support.polis import aangeleverd, aangifte, months, open_case
from tests.support.stack import POLISAANGIFTEN, eventually

pytestmark = pytest.mark.integration


def scrape(stack, name: str) -> dict[str, float]:
    text = httpx.get(stack.services[name].url.removesuffix("/api/v1") + "/metrics", timeout=10).text
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^([a-z_]+(?:\{[^}]*\})?) (\S+)$", text, re.M)}


def value(samples: dict[str, float], name: str, **labels: str) -> float:
    return sum(
        v
        for k, v in samples.items()
        if k.split("{")[0] == name and all(f'{label}="{wanted}"' in k for label, wanted in labels.items())
    )


def test_a_dead_lettered_record_shows_in_the_metrics_and_no_label_names_a_person(stack):
    before = scrape(stack, "income")
    bsn = builders.bsn()
    open_case(stack, bsn)
    k, v, h = encode(aangeleverd(f"metrics-{uuid.uuid4()}", aangifte(bsn)))
    kafka.produce(stack.kafka, POLISAANGIFTEN, [(k, v, [(n, b"x" if n == "ce_source" else x) for n, x in h])])
    kafka.produce_events(stack.kafka, POLISAANGIFTEN, [aangeleverd(f"metrics-{uuid.uuid4()}", aangifte(bsn))])
    eventually(lambda: "2026-01" in months(stack, bsn))

    dead = eventually(
        lambda: (
            (s := scrape(stack, "income"))
            and value(
                s,
                "schakel_events_processed_total",
                outcome="dead_lettered",
                messaging_destination_name=POLISAANGIFTEN,
            )
            > value(
                before,
                "schakel_events_processed_total",
                outcome="dead_lettered",
                messaging_destination_name=POLISAANGIFTEN,
            )
            and s
        )
    )
    assert (
        value(
            dead,
            "schakel_events_processed_total",
            outcome="applied",
            cloudevents_event_type="nl.polis.aangifte.aangeleverd",
        )
        >= 1
    )
    assert eventually(
        lambda: (
            value(scrape(stack, "income"), "schakel_dlq_records", messaging_destination_name="polisaangiften.dlq") >= 1
        )
    )
    # the lag gauge follows the offset commit after the good record's transaction
    assert eventually(
        lambda: (
            value(scrape(stack, "income"), "messaging_kafka_consumer_lag", messaging_destination_name=POLISAANGIFTEN)
            == 0
        )
    )
    # and the instance's last commit, which tells a stalled consumer from one catching up
    assert value(scrape(stack, "income"), "schakel_consumer_progress_timestamp_seconds") > 0

    # the broker's view of the group, which a consumer that fetches nothing cannot hide: caught up, the
    # group stands at each partition's end (past the transactions' commit markers too)
    def eind(s: dict[str, float]) -> float:
        return value(s, "schakel_consumer_group_end_offset", messaging_destination_name=POLISAANGIFTEN)

    def achter(s: dict[str, float]) -> float:
        return eind(s) - value(s, "schakel_consumer_group_committed_offset", messaging_destination_name=POLISAANGIFTEN)

    assert eventually(lambda: (s := scrape(stack, "income")) and eind(s) >= 2 and achter(s) == 0)
    # the figures an operator asks about: declarations per provider and outcome, settlements per municipality
    assert value(dead, "schakel_declarations_total", outcome="geaccepteerd") >= 1
    assert eventually(
        lambda: (
            value(
                scrape(stack, "decisions"),
                "schakel_events_published_total",
                gemeentecode="GM0363",
                cloudevents_event_type="nl.participatiewet.verrekening.vastgesteld",
            )
            >= 1
        )
    )

    secrets = scrape(stack, "decisions")
    assert value(secrets, "schakel_task_up", task="webhook-keys") == 1, "ran at start"
    assert any(k.startswith("schakel_webhook_secrets{") for k in secrets), "and reported what its keys read"
    assert value(secrets, "schakel_webhook_secrets", key="none") == 0
    assert value(secrets, "schakel_task_up", task="feed-horizon") == 1, "looked at what holds the feed back"
    assert "schakel_feed_held_since_timestamp_seconds" in secrets
    # the indexes migrations build concurrently: built at start, each instance looked
    assert value(secrets, "schakel_task_up", task="indexes") == 1
    assert value(secrets, "schakel_database_indexes_not_ready") == 0
    # income's large bodies: each refusal's reason there at 0, so the alert sees the first one as an increase
    refusals = {k for k in scrape(stack, "income") if k.startswith("schakel_http_large_bodies_refused_total")}
    assert refusals == {
        f'schakel_http_large_bodies_refused_total{{reason="{r}"}}' for r in ("busy", "too_slow", "paused")
    }
    for name in SERVICES:
        samples = scrape(stack, name)
        assert value(samples, "schakel_task_up", task="consumer") == 1
        assert "schakel_outbox_backlog_events" in samples
        assert value(samples, "http_server_request_duration_seconds_count") > 0
        labels = " ".join(samples)
        assert not re.search(r'="[0-9]{9}"', labels) and bsn not in labels, "no BSN in any label"
        assert not re.search(r'="[0-9a-f]{32,}"', labels), "no pseudonym or other person key in any label"

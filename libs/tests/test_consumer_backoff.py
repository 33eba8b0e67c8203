"""How long a consumer waits for a dependency that is away: its own backoff, or as long as a source
said (a quota's Retry-After), never so long that readiness takes the instances out for one answer."""

import asyncio

import pytest

from schakel.errors import SourceRefused, Unavailable
from schakel.events import load_contract
from schakel.messaging import ConsumerRunner
from schakel.messaging import consumer as consumer_module
from schakel.messaging.kafka import KafkaConfig


@pytest.mark.parametrize(
    ("failure", "waits"),
    [
        (Unavailable("weg"), [0.4, 0.8, 1.6]),  # the source said nothing: the consumer's own backoff
        (Unavailable("wacht", retry_after=12), [12, 12, 12]),
        (Unavailable("wacht", retry_after=120), [consumer_module.MOST_TOLD_WAIT] * 3),
        (SourceRefused("401"), [0.4, 0.8, 1.6]),
    ],
)
async def test_a_consumer_waits_its_own_backoff_or_what_the_source_said_within_bounds(failure, waits, monkeypatch):
    waited = []

    async def wait_any(stop, timeout):
        waited.append(timeout)

    monkeypatch.setattr(consumer_module, "wait_any", wait_any)
    runner = ConsumerRunner(
        db=None,
        kafka=KafkaConfig(bootstrap="b:9092", client_id="t"),
        contract=load_contract(),
        group_id="g",
        handlers={},
        topics=[],
    )
    for outage in (1, 2, 3):
        assert await runner._wait_out(failure, outage, asyncio.Event())
    assert waited == waits and consumer_module.MOST_TOLD_WAIT < 30, "below readiness' 30 s of failing"

"""Which subscriptions a municipality may add: not the same one twice, not more than a limit, no
query in the callback URL, no port the network does not let through, and one answer for a host that is internal or not found."""

import asyncio
from dataclasses import replace
from datetime import date

import pytest

from decisions.domain.fouten import Geweigerd, UrlNietToegestaan
from decisions.domain.webhook import MAX_ABONNEMENTEN
from decisions.service import webhooks
from decisions.tests.fakes import BELEID, ports, resolver
from decisions.tests.opslag import sql_ports
from decisions.tests.test_service_webhooks import AMSTERDAM, ROTTERDAM, URL, VANDAAG, geopend, ronde
from schakel.events.models import UitkeringGeopend, VerrekeningVastgesteld

TYPES = [UitkeringGeopend.TYPE, VerrekeningVastgesteld.TYPE]


async def test_the_same_subscription_twice_is_refused_naming_the_url_and_another_url_or_types_are_taken():
    p, uow = ports(VANDAAG)
    await webhooks.abonneer(p, AMSTERDAM, URL, TYPES)

    with pytest.raises(Geweigerd) as refused:
        await webhooks.abonneer(p, AMSTERDAM, URL, list(reversed(TYPES)))
    assert (refused.value.code, refused.value.field) == ("abonnement-bestaat-al", "url")

    await webhooks.abonneer(p, AMSTERDAM, URL, TYPES[:1])
    await webhooks.abonneer(p, AMSTERDAM, URL + "2", TYPES)
    await webhooks.abonneer(p, ROTTERDAM, URL, TYPES)  # another municipality's is its own
    assert len(uow.abonnementen.rijen) == 4


async def test_the_same_receiver_written_otherwise_is_the_same_subscription():
    p, _ = ports(VANDAAG)
    await webhooks.abonneer(p, AMSTERDAM, "https://ontvanger.example.nl", TYPES)
    for anders in (
        "HTTPS://Ontvanger.Example.NL/",
        "https://ontvanger.example.nl:443",
    ):
        with pytest.raises(Geweigerd) as refused:
            await webhooks.abonneer(p, AMSTERDAM, anders, TYPES)
        assert refused.value.code == "abonnement-bestaat-al", anders


async def test_requests_at_once_on_the_database_add_one_subscription_and_stay_within_the_limit(tmp_path):
    """On PostgreSQL each request reads the active subscriptions in its own transaction: without
    taking turns, all would find no twin and room."""
    db, p = await sql_ports(tmp_path, date(2026, 11, 2))
    try:
        twins = await asyncio.gather(
            *(webhooks.abonneer(p, AMSTERDAM, URL, TYPES) for _ in range(6)), return_exceptions=True
        )
        assert sum(not isinstance(t, BaseException) for t in twins) == 1, twins
        assert all(t.code == "abonnement-bestaat-al" for t in twins if isinstance(t, Geweigerd))
        others = [webhooks.abonneer(p, AMSTERDAM, f"{URL}{i}", TYPES) for i in range(MAX_ABONNEMENTEN + 5)]
        await asyncio.gather(*others, return_exceptions=True)
        assert len(await webhooks.lijst(p, AMSTERDAM)) == MAX_ABONNEMENTEN
    finally:
        await db.dispose()


async def test_a_municipality_has_at_most_so_many_active_subscriptions():
    p, uow = ports(VANDAAG)
    ids = [(await webhooks.abonneer(p, AMSTERDAM, f"{URL}{i}", TYPES)).abonnement_id for i in range(MAX_ABONNEMENTEN)]

    with pytest.raises(Geweigerd) as refused:
        await webhooks.abonneer(p, AMSTERDAM, f"{URL}-meer", TYPES)
    assert refused.value.code == "te-veel-abonnementen" and str(MAX_ABONNEMENTEN) in refused.value.reason

    await webhooks.stop(p, AMSTERDAM, ids[0])  # one ended makes room
    await webhooks.abonneer(p, AMSTERDAM, f"{URL}-meer", TYPES)


async def test_a_callback_url_with_a_query_is_refused():
    p, uow = ports(VANDAAG)
    with pytest.raises(UrlNietToegestaan) as refused:
        await webhooks.abonneer(p, AMSTERDAM, URL + "?token=s3cr3t", TYPES)
    assert refused.value.field == "url" and "query" in refused.value.detail
    assert not uow.abonnementen.rijen


async def test_a_host_not_found_and_an_internal_one_get_the_same_answer():
    antwoorden = []
    for adressen in ((), ("10.0.0.7",)):
        p, _ = ports(VANDAAG, resolver=resolver(*adressen))
        with pytest.raises(UrlNietToegestaan) as refused:
            await webhooks.abonneer(p, AMSTERDAM, URL, TYPES)
        antwoorden.append(refused.value.detail)
    assert antwoorden[0] == antwoorden[1]


async def test_a_port_the_network_does_not_let_through_is_refused_and_earlier_subscriptions_are_still_delivered():
    p, _ = ports(VANDAAG)
    eerder = await webhooks.abonneer(p, AMSTERDAM, "https://bo.example.nl:8443/hook", TYPES)
    p = replace(p, webhooks=replace(BELEID, poorten=(443,)))

    with pytest.raises(UrlNietToegestaan) as refused:
        await webhooks.abonneer(p, AMSTERDAM, "https://bo.example.nl:8443/ander", TYPES)
    assert refused.value.field == "url" and "poort 443" in refused.value.detail
    await webhooks.abonneer(p, AMSTERDAM, "https://bo.example.nl/hook", TYPES)

    await geopend(p)
    assert await ronde(p) == 2
    assert sorted(url for url, _, _ in p.verzender.ontvangen) == sorted([eerder.url, "https://bo.example.nl/hook"])

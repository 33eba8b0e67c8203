"""Names are looked up in threads of their own: names whose DNS hangs hold up neither the lookups of
other names nor the process's other lookups (the database's, Kafka's), which go through the loop's
default pool."""

import asyncio
import socket
import threading

import pytest

from schakel.dns import Opzoeker

HANGT = ".hangt.test"


@pytest.fixture
def opzoeker():
    return Opzoeker(8, "test-dns")


@pytest.fixture
def hangende_dns(monkeypatch):
    """Names under `HANGT` hang until the test lets them go (`los`); each lookup of one is counted."""
    los, echt, gevraagd = threading.Event(), socket.getaddrinfo, []

    def getaddrinfo(host, *args, **kwargs):
        if host.endswith(HANGT):
            gevraagd.append(host)
            los.wait(20)
            raise socket.gaierror(socket.EAI_NONAME, "not found")
        return echt(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield gevraagd, los
    los.set()


async def test_hanging_names_hold_up_neither_other_names_nor_the_process_s_other_lookups(hangende_dns, opzoeker):
    gevraagd, los = hangende_dns
    loop = asyncio.get_running_loop()
    namen = [f"n{i}{HANGT}" for i in range(7)]
    # each name asked by five deliveries: more lookups than the loop's default pool has threads (at most 32)
    hangend = [asyncio.create_task(opzoeker(naam, 443)) for naam in namen for _ in range(5)]
    await asyncio.sleep(0)

    # a guard against waiting for ever, not a measurement: each returns at once, or not until `los`
    assert await asyncio.wait_for(opzoeker("localhost", 443), 10), "another name did not wait"
    assert await asyncio.wait_for(loop.getaddrinfo("localhost", 5432), 10), "the database's lookup did not wait"

    los.set()
    uitkomsten = await asyncio.gather(*hangend, return_exceptions=True)
    assert all(isinstance(u, OSError) for u in uitkomsten)
    assert sorted(gevraagd) == sorted(namen), "one lookup of each name, whoever asked"


async def test_with_every_thread_held_by_a_hanging_name_another_name_fails_at_once(hangende_dns, opzoeker):
    gevraagd, los = hangende_dns
    hangend = [asyncio.create_task(opzoeker(f"n{i}{HANGT}", 443)) for i in range(8)]
    await asyncio.sleep(0)

    with pytest.raises(TimeoutError):  # within WACHT: it does not queue behind them
        await opzoeker(f"nog-een{HANGT}", 443)

    los.set()
    await asyncio.gather(*hangend, return_exceptions=True)
    assert len(gevraagd) == 8


async def test_an_ip_address_is_its_own_only_address(opzoeker):
    assert await opzoeker("127.0.0.1", 8082) == ["127.0.0.1"]


async def test_a_burst_of_more_names_than_threads_is_looked_up(opzoeker):
    """Threads busy with names that answer are not threads held: a round of webhook deliveries to more
    hosts than the resolver has threads (or a console reading more names than its 16) waits for a
    thread, it does not fail as a time-out while no name server hangs."""
    namen = [f"127.0.0.{i}" for i in range(1, 21)]
    uitkomsten = await asyncio.wait_for(asyncio.gather(*(opzoeker(n, 443) for n in namen), return_exceptions=True), 10)
    assert uitkomsten == [[n] for n in namen]

"""Webhook signatures (Standard Webhooks), retry schedule, callback URLs, the address policy
against server-side request forgery, and the circuit per subscriber."""

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address

from decisions.domain.webhook import (
    Circuit,
    adres_fout,
    adres_toegestaan,
    host_ascii,
    na_aflevering,
    onderteken,
    url_fout,
    wachttijd,
)

GEHEIM = "whsec_" + base64.b64encode(b"0123456789abcdef01234567").decode()


def test_signature_is_hmac_sha256_over_id_timestamp_and_body():
    body = b'{"type":"nl.participatiewet.verrekening.vastgesteld"}'
    expected = base64.b64encode(
        hmac.new(b"0123456789abcdef01234567", b"msg_1.1700000000." + body, hashlib.sha256).digest()
    ).decode()
    assert onderteken(GEHEIM, "msg_1", 1700000000, body) == "v1," + expected
    assert onderteken(GEHEIM, "msg_1", 1700000001, body) != onderteken(GEHEIM, "msg_1", 1700000000, body)


def test_retries_back_off_exponentially_up_to_an_hour():
    assert [wachttijd(p, 5) for p in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert wachttijd(20, 5) == 3600


def test_callback_urls_are_https_except_localhost_where_local_delivery_is_switched_on():
    assert url_fout("https://backoffice.gemeente.nl/hooks", lokaal=False) is None
    assert url_fout("http://127.0.0.1:9000/hook", lokaal=True) is None
    assert url_fout("http://127.0.0.1:9000/hook", lokaal=False) is not None
    assert url_fout("http://backoffice.gemeente.nl/hooks", lokaal=True) is not None
    assert url_fout("ftp://x", lokaal=True) is not None
    assert url_fout("http://[::1", lokaal=True) == "dit is geen geldige URL"
    assert url_fout("https://host:99999/x", lokaal=False) == "dit is geen geldige URL"
    for met_inlog in ("https://user:pass@backoffice.gemeente.nl/hooks", "https://token@backoffice.gemeente.nl/"):
        assert "gebruikersnaam of wachtwoord" in url_fout(met_inlog, lokaal=False)
    assert "geen query" in url_fout("https://backoffice.gemeente.nl/hooks?token=abc", lokaal=False)
    for met_fragment in ("https://backoffice.gemeente.nl/hooks#token=abc", "https://backoffice.gemeente.nl/#"):
        assert "geen fragment" in url_fout(met_fragment, lokaal=False), met_fragment


def test_a_callback_url_s_port_written_or_its_scheme_s_must_be_one_the_network_lets_through():
    """The chart's NetworkPolicy lets webhooks out on DECISIONS_WEBHOOK_POORTEN only: another port
    would be taken and then every delivery would time out."""
    for toegestaan in ("https://bo.example.nl/hook", "https://bo.example.nl:443/hook", "https://[2001:4860::8888]/"):
        assert url_fout(toegestaan, lokaal=False, poorten=(443,)) is None, toegestaan
    assert url_fout("https://bo.example.nl:8443/hook", lokaal=False, poorten=(443, 8443)) is None
    reden = url_fout("https://bo.example.nl:8443/hook", lokaal=False, poorten=(443,))
    assert reden is not None and "8443" in reden and "443" in reden.replace("8443", "")
    assert "poorten 443, 9443" in url_fout("https://bo.example.nl:8443/", lokaal=False, poorten=(9443, 443))
    assert url_fout("http://127.0.0.1/hook", lokaal=True, poorten=(443,)) is not None  # http's own port: 80
    assert url_fout("https://bo.example.nl:8443/hook", lokaal=False) is None  # no list: any port


def test_a_host_must_be_an_ip_address_or_a_well_formed_idna_name():
    assert host_ascii("Backoffice.Gemeente.NL.") == "backoffice.gemeente.nl"
    assert host_ascii("xn--bcher-kva.de") == "xn--bcher-kva.de"
    assert host_ascii("bücher.de") == "xn--bcher-kva.de"
    assert host_ascii("::1") == "::1"
    for slecht in ("xn--a.com", "xn--zz.com", "a..com", "-a.com", "exa_mple.com", "a" * 64 + ".nl", ""):
        assert host_ascii(slecht) is None, slecht
    assert url_fout("https://xn--a.com/hook", lokaal=False) is not None


def test_only_public_unicast_addresses_are_allowed_also_inside_ipv6_forms():
    for openbaar in ("8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8", "2002:808:808::1", "64:ff9b::808:808"):
        assert adres_toegestaan(ip_address(openbaar)), openbaar
    intern = (
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "192.0.0.192",  # a cloud's metadata service
        "192.0.0.9",
        "192.88.99.1",
        "0.0.0.0",
        "224.0.0.1",
        "239.1.1.1",
        "240.0.0.1",
        "255.255.255.255",
        "192.0.2.1",
        "198.18.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fec0::1",  # site-local
        "3fff::1",
        "5f00::1",
        "ff0e::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",  # IPv4-mapped
        "2002:7f00:1::",
        "2002:a00:1::",  # 6to4 around 127.0.0.1 and 10.0.0.1
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::808:808",  # NAT64, and its local-use prefix
        "::127.0.0.1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    )  # IPv4-compatible, Teredo
    for adres in intern:
        assert not adres_toegestaan(ip_address(adres)), adres


def test_local_delivery_allows_this_machines_loopback_and_nothing_else_inside():
    assert adres_toegestaan(ip_address("127.0.0.1"), lokaal=True)
    assert adres_toegestaan(ip_address("::1"), lokaal=True)
    assert not adres_toegestaan(ip_address("10.0.0.1"), lokaal=True)
    assert not adres_toegestaan(ip_address("0.0.0.0"), lokaal=True)


def test_one_internal_address_among_a_hosts_addresses_refuses_the_host():
    assert adres_fout(["8.8.8.8", "2001:4860:4860::8888"], lokaal=False) is None
    assert adres_fout(["8.8.8.8", "10.0.0.1"], lokaal=False) is not None
    assert adres_fout(["fe80::1%eth0"], lokaal=False) is not None
    # a name not found is answered as an internal one: two answers would tell which internal names exist
    assert adres_fout([], lokaal=False) == adres_fout(["10.0.0.1"], lokaal=False)


NU = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_the_circuit_opens_after_the_threshold_of_failures_in_a_row_and_a_success_closes_it():
    circuit = Circuit()
    for _ in range(2):
        circuit = na_aflevering(circuit, False, NU, drempel=3, basis=60)
        assert not circuit.open(NU)
    circuit = na_aflevering(circuit, False, NU, drempel=3, basis=60)
    assert circuit == Circuit(3, NU + timedelta(seconds=60), 1) and circuit.open(NU)
    assert not circuit.open(NU + timedelta(seconds=60)), "then one delivery probes"
    assert na_aflevering(circuit, True, NU, drempel=3, basis=60) == Circuit()


def test_a_failed_probe_opens_the_circuit_twice_as_long_up_to_an_hour():
    circuit = Circuit(3, NU, 1)
    circuit = na_aflevering(circuit, False, NU, drempel=3, basis=60)
    assert circuit == Circuit(4, NU + timedelta(seconds=120), 2)
    assert na_aflevering(Circuit(20, NU, 12), False, NU, drempel=3, basis=60).onderbroken_tot == NU + timedelta(hours=1)

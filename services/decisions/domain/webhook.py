"""Webhook rules: the Standard Webhooks signature, the retry schedule, which callback URLs and
addresses a delivery may go to, and the circuit that pauses a subscriber that keeps failing.

Signature: `webhook-signature: v1,<base64 HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>">`
with the subscription's secret (`whsec_` + base64 key), so a receiver can check both the sender
and the freshness of a delivery.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from urllib.parse import SplitResult, urlsplit

MAX_WACHTTIJD = 3600.0  # never wait more than an hour between attempts
MAX_ABONNEMENTEN = 25  # active subscriptions of a municipality: every event of it goes to each one
GONE = 410  # a receiver that answers 410 Gone has gone for good: its subscription stops (Standard Webhooks)


class Stopreden(StrEnum):
    """Why a subscription stopped."""

    ontvanger_weg = "ontvanger-weg"  # its receiver answered 410 Gone
    beeindigd = "beeindigd"  # the municipality ended it


LOKAAL = {"localhost", "127.0.0.1", "::1"}
STANDAARDPOORT = {"https": 443, "http": 80}  # a scheme's port where a URL names none


def poort(parts: SplitResult) -> int:
    """The port a split URL reaches: its own, or its scheme's (a URL taken has http or https)."""
    return parts.port or STANDAARDPOORT.get(parts.scheme, 80)


LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
NAT64 = IPv6Network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4 address reached
NAT64_LOKAAL = IPv6Network("64:ff9b:1::/48")  # RFC 8215: local use, the mapping is not public
IPV4_COMPATIBEL = IPv6Network("::/96")  # deprecated ::a.b.c.d, still routed to a.b.c.d by some stacks
# not public, whatever the Python version's `is_global` says of them (3.11 calls several global)
NIET_OPENBAAR = (
    IPv4Network("100.64.0.0/10"),  # carrier-grade NAT (RFC 6598)
    IPv4Network("192.0.0.0/24"),  # IETF protocol assignments (RFC 6890); a cloud's metadata service at .192
    IPv4Network("192.88.99.0/24"),  # the former 6to4 relay anycast (RFC 7526)
    IPv6Network("fec0::/10"),  # site-local (deprecated, RFC 3879): still routed inside some networks
    IPv6Network("3fff::/20"),  # documentation (RFC 9637)
    IPv6Network("5f00::/16"),  # SRv6 segment identifiers (RFC 9602)
)


def onderteken(geheim: str, bericht_id: str, tijdstip: int, body: bytes) -> str:
    sleutel = base64.b64decode(geheim.removeprefix("whsec_"))
    mac = hmac.new(sleutel, f"{bericht_id}.{tijdstip}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def status_na(gelukt: bool, weg: bool, poging: int, max_pogingen: int) -> str:
    """A delivery's status after attempt `poging`: delivered; given up after the last attempt, or when
    the receiver answered that it is gone for good (`weg`, 410); else waiting for its next attempt."""
    if gelukt:
        return "afgeleverd"
    return "mislukt" if weg or poging >= max_pogingen else "wachtend"


def wachttijd(poging: int, basis: float) -> float:
    """Seconds before attempt `poging + 1`: doubling from `basis`, at most an hour."""
    return min(basis * 2.0 ** (poging - 1), MAX_WACHTTIJD)


# --- where a delivery may go ------------------------------------------------------------------


def url_fout(url: str, lokaal: bool, poorten: tuple[int, ...] | None = None) -> str | None:
    """Why a callback URL is not acceptable, or None: HTTPS to a well-formed host name (plain HTTP
    to this machine only where local delivery is switched on, in development), on one of `poorten`
    (None: any) as written or its scheme's own."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "dit is geen geldige URL"
    if not parts.hostname or host_ascii(parts.hostname) is None:
        return "de host van de URL is geen geldige (internationale) domeinnaam of IP-adres"
    if "@" in parts.netloc:
        # a credential in the URL would be kept as typed and listed to the operator; the signature
        # (Webhook-Signature, with the subscription's secret) is what proves the sender
        return "een callback-URL bevat geen gebruikersnaam of wachtwoord; de handtekening bewijst de afzender"
    if parts.query:  # the more common place for such a credential (?token=...), for the same reason
        return "een callback-URL heeft geen query (?…): die wordt leesbaar bewaard en getoond; de handtekening bewijst de afzender"
    if parts.fragment or url.endswith("#"):  # never sent, so only a secret would be there, kept as typed
        return (
            "een callback-URL heeft geen fragment (#…): dat wordt niet verstuurd, maar wel leesbaar bewaard en getoond"
        )
    if not (parts.scheme == "https" or (parts.scheme == "http" and lokaal and parts.hostname in LOKAAL)):
        return "een callback-URL gebruikt https" + (" (of http naar localhost)" if lokaal else "")
    return _poort_fout(poort(parts), poorten)


def _poort_fout(poort: int, poorten: tuple[int, ...] | None) -> str | None:
    # the network lets deliveries out on these ports only: on another, every delivery would time out
    if poorten is None or poort in poorten:
        return None
    namen = [str(p) for p in sorted(poorten)]
    toegestaan = f"poort {namen[0]}" if len(namen) == 1 else f"een van de poorten {', '.join(namen)}"
    return f"deze URL gebruikt poort {poort}; webhooks gaan alleen naar {toegestaan}"


def abonnement_fout(bestaande: list[tuple[str, list[str]]], url: str, event_types: list[str]) -> Weigering | None:
    """Why a municipality with these active subscriptions (URL, event types) may not add this one, or None:
    not the same one twice (each event would go twice), and not more than MAX_ABONNEMENTEN."""
    if any(_zelfde(u, url) and sorted(t) == sorted(event_types) for u, t in bestaande):
        return Weigering(
            "abonnement-bestaat-al",
            "url",
            "er is al een actief abonnement met deze callback-URL en eventTypes: elk event zou twee keer komen",
        )
    if len(bestaande) >= MAX_ABONNEMENTEN:
        return Weigering(
            "te-veel-abonnementen",
            None,
            f"een gemeente heeft ten hoogste {MAX_ABONNEMENTEN} actieve abonnementen; beëindig er eerst een",
        )
    return None


def _zelfde(a: str, b: str) -> bool:
    """Whether two callback URLs reach the same receiver: scheme and host are not case-sensitive, a
    scheme's own port need not be written, and an empty path is the root."""

    def vorm(url: str) -> tuple[str, str | None, int | None, str]:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, parts.hostname, parts.port or STANDAARDPOORT.get(scheme), parts.path or "/"

    return vorm(a) == vorm(b)


@dataclass(frozen=True)
class Weigering:
    code: str
    field: str | None
    reden: str


def host_ascii(host: str) -> str | None:
    """The host as it goes on the wire (an IP address, or the ASCII form of an internationalised
    name), or None when it is neither: every label letters, digits and hyphens, and an `xn--`
    label must decode to a real internationalised label (IDNA) and encode back the same."""
    try:
        return str(ip_address(host))
    except ValueError:
        pass
    try:
        ascii_naam = host.rstrip(".").encode("idna").decode("ascii").lower()
        if ascii_naam.encode("ascii").decode("idna").encode("idna").decode("ascii").lower() != ascii_naam:
            return None
    except UnicodeError:
        return None
    labels = ascii_naam.split(".")
    if len(ascii_naam) > 253 or not all(LABEL.match(label) for label in labels):
        return None
    return ascii_naam


def adres_fout(adressen: list[str], lokaal: bool) -> str | None:
    """Why a delivery may not go to a host with these addresses, or None. Every address must be
    public: one internal address among them is enough to refuse (the client might pick it). A name
    that is not found gets the same answer: two answers would tell which internal names exist."""
    if adressen and all(adres_toegestaan(ip_address(a.split("%")[0]), lokaal) for a in adressen):
        return None
    return NIET_BEREIKBAAR


NIET_BEREIKBAAR = (
    "de host is niet openbaar bereikbaar: de naam is niet te vinden, of heeft een adres dat niet openbaar is "
    "(intern, lokaal of gereserveerd)"
)


def adres_toegestaan(adres: IPv4Address | IPv6Address, lokaal: bool = False) -> bool:
    """A public unicast address; an IPv6 form that carries an IPv4 address (mapped, 6to4, NAT64,
    compatible) is judged by the IPv4 address the packets reach. With `lokaal`, this
    machine's loopback addresses too (development only)."""
    if isinstance(adres, IPv6Address):
        if adres in NAT64_LOKAAL or adres.teredo:  # where those go is not up to the address
            return False
        ingebed = _ingebed_ipv4(adres)
        if ingebed is not None:
            return adres_toegestaan(ingebed, lokaal)
    if lokaal and adres.is_loopback:
        return True
    return adres.is_global and not (
        adres.is_multicast
        or adres.is_reserved
        or adres.is_private
        or adres.is_loopback
        or adres.is_link_local
        or adres.is_unspecified
        or any(adres in net for net in NIET_OPENBAAR)
    )


def _ingebed_ipv4(adres: IPv6Address) -> IPv4Address | None:
    if adres.ipv4_mapped or adres.sixtofour:
        return adres.ipv4_mapped or adres.sixtofour
    if adres in NAT64 or (adres in IPV4_COMPATIBEL and int(adres) > 1):
        return IPv4Address(int(adres) & 0xFFFFFFFF)
    return None


# --- the circuit per subscriber ---------------------------------------------------------------


@dataclass(frozen=True)
class Circuit:
    """A subscriber's run of failures: after `drempel` failed deliveries in a row its deliveries
    wait (without using attempts) until `onderbroken_tot`; then one delivery probes."""

    opeenvolgende_fouten: int = 0
    onderbroken_tot: datetime | None = None
    onderbrekingen: int = 0  # openings in a row: each one lasts twice as long as the one before

    def open(self, nu: datetime) -> bool:
        return self.onderbroken_tot is not None and self.onderbroken_tot > nu


def na_aflevering(circuit: Circuit, gelukt: bool, nu: datetime, drempel: int, basis: float) -> Circuit:
    """The circuit after a delivery: a success closes it; the `drempel`-th failure in a row opens
    it, and so does every failed probe after that, each time twice as long (at most an hour)."""
    if gelukt:
        return Circuit()
    fouten = circuit.opeenvolgende_fouten + 1
    if fouten < drempel:
        return Circuit(fouten, None, circuit.onderbrekingen)
    keer = circuit.onderbrekingen + 1
    return Circuit(fouten, nu + timedelta(seconds=wachttijd(keer, basis)), keer)


class AfleverFout(Exception):
    """A delivery that did not get a status code; `str(exc)` is what the delivery log shows."""


class NietVerbonden(AfleverFout):
    """No connection was made (refused, or none within the connect time-out), so nothing was sent:
    the host's next address may be tried."""


class AdresGeweigerd(Exception):
    """A delivery that may not go out: `str(exc)` is what the delivery log shows (with no duration:
    nothing was sent), `reden` what a subscriber is told."""

    def __init__(self, woord: str, reden: str) -> None:
        super().__init__(woord)
        self.reden = reden

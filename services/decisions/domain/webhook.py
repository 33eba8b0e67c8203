"""Webhook rules: the Standard Webhooks signature and the retry schedule.

Signature: `webhook-signature: v1,<base64 HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>">`
with the subscription's secret (`whsec_` + base64 key), so a receiver can check both the sender
and the freshness of a delivery.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlsplit

MAX_WACHTTIJD = 3600.0  # never wait more than an hour between attempts
LOKAAL = {"localhost", "127.0.0.1", "::1"}


def onderteken(geheim: str, bericht_id: str, tijdstip: int, body: bytes) -> str:
    sleutel = base64.b64decode(geheim.removeprefix("whsec_"))
    mac = hmac.new(sleutel, f"{bericht_id}.{tijdstip}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def wachttijd(poging: int, basis: float) -> float:
    """Seconds before attempt `poging + 1`: doubling from `basis`, at most an hour."""
    return min(basis * 2 ** (poging - 1), MAX_WACHTTIJD)


def url_fout(url: str, ontwikkeling: bool) -> str | None:
    """Why a callback URL is not acceptable, or None: HTTPS only (plain HTTP to this machine in development)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "dit is geen geldige URL"
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and ontwikkeling and parts.hostname in LOKAAL:
        return None
    return "een callback-URL gebruikt https" + (" (of http naar localhost in ontwikkeling)" if ontwikkeling else "")

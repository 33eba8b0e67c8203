"""The message key for a person: a keyed hash of the BSN, stable across services, never the BSN.

All services share the key (a secret), so the same person lands on the same partition everywhere
and events of one person stay ordered; without the key the pseudonym cannot be reversed by
hashing all 10^9 possible BSNs.
"""

from __future__ import annotations

import hashlib
import hmac
import re

VORM = re.compile(r"[0-9a-f]{64}")  # what a pseudonym looks like: HMAC-SHA256 in hexadecimal


class Pseudonymiser:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key must be at least 16 bytes")
        # keyed once: a copy per BSN costs half of a new HMAC (a delivery asks it per declaration)
        self._keyed = hmac.new(key, digestmod=hashlib.sha256)

    def __call__(self, bsn: str) -> str:
        h = self._keyed.copy()
        h.update(bsn.encode("ascii"))
        return h.hexdigest()

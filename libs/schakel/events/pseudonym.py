"""The message key for a person: a keyed hash of the BSN, stable across services, never the BSN.

All services share the key (a secret), so the same person lands on the same partition everywhere
and events of one person stay ordered; without the key the pseudonym cannot be reversed by
hashing all 10^9 possible BSNs. Other secrets a service needs at rest (a cursor's seal, a remembered
answer's encryption) are keys of their own derived from it, one per purpose.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet

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


def derived_key(key: bytes, purpose: str) -> bytes:
    """A key of its own for `purpose` (32 bytes): not the pseudonym key itself, so what it seals or
    hashes says nothing of that key."""
    return hmac.digest(key, f"schakel {purpose}".encode(), "sha256")


def derived_fernet(key: bytes, purpose: str) -> Fernet:
    """A Fernet key (AES-128-CBC and HMAC-SHA256) of its own for `purpose` (`derived_key`)."""
    return Fernet(base64.urlsafe_b64encode(derived_key(key, purpose)))

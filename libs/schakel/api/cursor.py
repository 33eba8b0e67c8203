"""Opaque cursors for paging by key: where a read stands (e.g. the last BSN of a page) travels in a
URL without being readable there (a BSN never appears in a URL). Sealed with Fernet (AES-128-CBC
and HMAC-SHA256) under a key of their own derived from the pseudonym key, bound to the party that
read the page before, and valid for a day."""

from __future__ import annotations

import base64
import hmac
from datetime import datetime
from typing import Any

import orjson
from cryptography.fernet import Fernet, InvalidToken

from schakel.api.problems import onjuist_veld

GELDIG = 86_400  # seconds: long enough to page through a national population, short enough to lapse


class Cursors:
    def __init__(self, secret: bytes, purpose: str) -> None:
        key = hmac.digest(secret, f"schakel cursor: {purpose}".encode(), "sha256")  # not the pseudonym key itself
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, caller: str, position: dict[str, Any], now: datetime) -> str:
        return self._fernet.encrypt_at_time(orjson.dumps([caller, position]), int(now.timestamp())).decode()

    def open(self, caller: str, cursor: str, now: datetime, field: str) -> dict[str, Any]:
        """The position sealed for `caller`; another party's cursor is refused as a forged or lapsed one
        is (422, as Schakel answers what the schema cannot judge)."""
        try:
            sealed = orjson.loads(self._fernet.decrypt_at_time(cursor, GELDIG, int(now.timestamp())))
        except (InvalidToken, ValueError):
            sealed = None
        if sealed is None or sealed[0] != caller:
            reden = "Deze cursor is niet (meer) geldig: gebruik binnen een dag de `volgende` van uw laatste pagina."
            raise onjuist_veld(field, "ongeldige-cursor", "Ongeldige cursor", reden)
        position: dict[str, Any] = sealed[1]
        return position

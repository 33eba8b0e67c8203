"""Webhook secrets at rest: encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under the key in
DECISIONS_WEBHOOK_SLEUTEL, so a copy of the database (a backup, a dump) cannot sign webhooks.
The key stays in configuration, never in the database."""

from __future__ import annotations

from cryptography.fernet import Fernet


class Kluis:
    def __init__(self, sleutel: str) -> None:
        self._fernet = Fernet(sleutel.encode())  # a malformed key fails at start, not at the first webhook

    def versleutel(self, geheim: str) -> str:
        return self._fernet.encrypt(geheim.encode()).decode()

    def ontsleutel(self, opgeslagen: str) -> str:
        return self._fernet.decrypt(opgeslagen.encode()).decode()

"""Webhook secrets at rest: encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under the key in
DECISIONS_WEBHOOK_SLEUTEL, so a copy of the database (a backup, a dump) cannot sign webhooks.
The key stays in configuration, never in the database.

Rotation: DECISIONS_WEBHOOK_SLEUTEL holds one key or several, comma-separated. The first encrypts
new secrets, every one decrypts (MultiFernet), so a new key goes first and the old one stays after
it until every secret encrypted under it is gone."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet


def sleutelbos(sleutels: str) -> MultiFernet:
    """The comma-separated keys, the first one encrypting; a malformed key fails at start, not at
    the first webhook."""
    return MultiFernet([Fernet(s.strip().encode()) for s in sleutels.split(",") if s.strip()])


class Kluis:
    def __init__(self, sleutels: str) -> None:
        self._fernet = sleutelbos(sleutels)

    def versleutel(self, geheim: str) -> str:
        return self._fernet.encrypt(geheim.encode()).decode()

    def ontsleutel(self, opgeslagen: str) -> str | None:
        """The secret, or None when none of the keys decrypts it (encrypted under a key that was
        removed, or a row restored from another environment)."""
        try:
            return self._fernet.decrypt(opgeslagen.encode()).decode()
        except InvalidToken:
            return None

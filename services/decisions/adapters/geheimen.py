"""Webhook secrets at rest: encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under the key in
DECISIONS_WEBHOOK_SLEUTEL, so a copy of the database (a backup, a dump) cannot sign webhooks.
The key stays in configuration, never in the database.

Rotation: DECISIONS_WEBHOOK_SLEUTEL holds one key or several, comma-separated. The first encrypts
new secrets, every one decrypts (MultiFernet), so a new key goes first and the old one stays after
it until `herversleutel` has written every active secret anew under the first (README: "Rotating
the webhook key")."""

from __future__ import annotations

import logging
from collections import Counter

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from decisions.adapters.tables import abonnementen
from schakel.persistence import Database
from schakel.telemetry import metrics

log = logging.getLogger(__name__)


def sleutelbos(sleutels: str) -> MultiFernet:
    """The comma-separated keys, the first one encrypting; a malformed key fails at start, not at
    the first webhook."""
    return MultiFernet(_fernets(sleutels))


def _fernets(sleutels: str) -> list[Fernet]:
    return [Fernet(s.strip().encode()) for s in sleutels.split(",") if s.strip()]


class Kluis:
    def __init__(self, sleutels: str) -> None:
        fernets = _fernets(sleutels)
        self._fernet, self._eerste = MultiFernet(fernets), fernets[0]

    def versleutel(self, geheim: str) -> str:
        return self._fernet.encrypt(geheim.encode()).decode()

    def ontsleutel(self, opgeslagen: str) -> str | None:
        """The secret, or None when none of the keys decrypts it (encrypted under a key that was
        removed, or a row restored from another environment)."""
        try:
            return self._fernet.decrypt(opgeslagen.encode()).decode()
        except InvalidToken:
            return None

    def onder_eerste(self, opgeslagen: str) -> str | None:
        """The stored secret as the first key encrypts it: as it is when it already does, written anew
        when an older key reads it; None when no key reads it."""
        try:
            self._eerste.decrypt(opgeslagen.encode())
            return opgeslagen
        except InvalidToken:
            pass
        try:
            return self._fernet.rotate(opgeslagen.encode()).decode()
        except InvalidToken:
            return None


async def herversleutel(db: Database, kluis: Kluis) -> Counter[str]:
    """Writes every active subscription's secret that an older key encrypts anew under the first, so
    that the older key can go; returns (and `schakel_webhook_secrets` shows) how many each key read as
    this run found them: `first`, `older` (written anew now, or at the next run when it changed
    meanwhile), `none` (no key reads it, its deliveries fail `sleutel-onleesbaar`). `older` is 0 only
    after a run that found nothing to write: a run that wrote them says nothing of an instance still
    on an older setting that writes them back after it. Every instance runs it with its own keys:
    during a rollout that puts a new key first, instances that have both keys may write a secret back
    and forth, and each reads it."""
    a = abonnementen.c
    async with db.alone() as conn:
        rows = (
            await conn.execute(
                # in key order: instances writing at once lock the rows in one order
                sa.select(a.abonnement_id, a.geheim).where(a.actief.is_(True)).order_by(a.abonnement_id)
            )
        ).all()
    stand: Counter[str] = Counter(first=0, older=0, none=0)
    anew = {}
    for r in rows:
        geheim = kluis.onder_eerste(r.geheim)
        if geheim is None:
            stand["none"] += 1
        elif geheim == r.geheim:
            stand["first"] += 1
        else:
            stand["older"] += 1
            anew[r.abonnement_id] = (r.geheim, geheim)
    if anew:
        async with db.transaction() as conn:
            for abonnement_id, (oud, geheim) in anew.items():
                # only over the secret it read: one stopped or written meanwhile is left as it is
                await conn.execute(
                    abonnementen.update()
                    .where(a.abonnement_id == abonnement_id, a.geheim == oud, a.actief.is_(True))
                    .values(geheim=geheim)
                )
        log.info("webhook keys: %d secret(s) written anew under the first key", len(anew))
    if stand["none"]:
        log.warning("webhook keys: no key reads the secret of %d active subscription(s)", stand["none"])
    for key, count in stand.items():
        metrics.WEBHOOK_SECRETS.labels(key).set(count)
    return stand

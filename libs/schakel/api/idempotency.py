"""Idempotency-Key for POST requests: a replay with the same key returns the first answer and
changes nothing. The key is stored in the same transaction as the state change it guards."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Header
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from schakel.api.auth import Principal
from schakel.api.problems import Problem

metadata = sa.MetaData()
idempotency_keys = sa.Table(
    "idempotency_keys", metadata,
    sa.Column("oin", sa.String(20), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$",
    description="Maakt een herhaald verzoek veilig: hetzelfde antwoord, geen tweede wijziging.")]


class Idempotency:
    def __init__(self, principal: Principal, key: str | None, operation: str, request: Any) -> None:
        self._principal, self._key = principal, key
        payload = json.dumps([operation, request], sort_keys=True, default=str).encode()
        self._fingerprint = hashlib.sha256(payload).hexdigest()

    async def earlier(self, conn: AsyncConnection) -> tuple[int, Any] | None:
        """The stored answer for this key, or None. The same key with another request is refused."""
        if self._key is None:
            return None
        row = (await conn.execute(sa.select(idempotency_keys).where(
            idempotency_keys.c.oin == self._principal.oin, idempotency_keys.c.key == self._key))).first()
        if row is None:
            return None
        if row.fingerprint != self._fingerprint:
            raise Problem(409, "idempotency-key-hergebruikt", "Idempotency-Key al gebruikt",
                          "Deze Idempotency-Key hoort bij een ander verzoek.")
        return row.status, row.body

    async def remember(self, conn: AsyncConnection, status: int, body: Any) -> None:
        if self._key is None:
            return
        try:
            await conn.execute(idempotency_keys.insert().values(
                oin=self._principal.oin, key=self._key, fingerprint=self._fingerprint, status=status,
                body=body, created_at=datetime.now(timezone.utc)))
        except IntegrityError as exc:
            # the same key in a concurrent request that committed first; this one rolls back
            raise Problem(409, "idempotency-key-in-gebruik", "Idempotency-Key in gebruik",
                          "Een gelijktijdig verzoek met deze Idempotency-Key is al verwerkt; herhaal het verzoek.") from exc

"""A service's SQL stores in a test without the service: a new database of the test's own (SQLite,
or PostgreSQL when SCHAKEL_TEST_POSTGRES_URL names a server), migrated, and what a unit of work
needs of the service (`schakel.runtime.uow.Transactional`)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from types import SimpleNamespace

from schakel.events import load_contract
from schakel.messaging import Outbox
from schakel.persistence import Database, migrate
from tests.support.stack import new_database_url

SERVICES = Path(__file__).parents[2] / "services"


async def op_revisie(tmp: Path, service: str, revisie: str = "heads") -> Database:
    """A new database of the service's own, migrated up to `revisie` (without one: the heads), as a
    migration's test sets up the data it finds. Dispose of it when done."""
    db = Database(await asyncio.to_thread(new_database_url, tmp, f"{service}-{uuid.uuid4().hex[:8]}"))
    await migrate(db, SERVICES / service / "migrations", revisie)
    return db


async def gemigreerd(tmp: Path, service: str) -> tuple[Database, SimpleNamespace]:
    """(the database, the service as its units of work see it: `transaction`, `outbox` and `lezer()`
    for the reads that need no transaction). Dispose of the database when done."""
    db = await op_revisie(tmp, service)
    outbox = Outbox(load_contract(), f"urn:nld:oin:00000001003214345000:systeem:{service}", service)
    lezer = SimpleNamespace(transaction=db.alone, outbox=outbox)
    return db, SimpleNamespace(transaction=db.transaction, outbox=outbox, lezer=lambda: lezer)

"""The ports of the SQL adapter tests: the in-memory ones with the SQL unit of work on a migrated
database of their own (SQLite, or PostgreSQL when SCHAKEL_TEST_POSTGRES_URL names a server)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from decisions.adapters.geheimen import Kluis
from decisions.adapters.repository import UnitOfWork
from decisions.service.ports import Ports
from decisions.settings import DEV_WEBHOOK_SLEUTEL
from decisions.tests.fakes import ports
from schakel.events import load_contract
from schakel.messaging import Outbox
from schakel.persistence import migrate
from schakel.persistence.database import Database
from tests.support.stack import new_database_url

MIGRATIES = Path(__file__).parents[1] / "migrations"


async def sql_ports(tmp_path: Path, vandaag: date) -> tuple[Database, Ports]:
    """A new migrated database and the ports on it (dispose of the database when done)."""
    db = Database(await asyncio.to_thread(new_database_url, tmp_path, f"decisions-{uuid.uuid4().hex[:8]}"))
    await migrate(db, MIGRATIES)
    outbox = Outbox(load_contract(), "urn:nld:oin:00000001003214345000:systeem:decisions", "decisions")
    service = SimpleNamespace(transaction=db.transaction, outbox=outbox)
    p, _ = ports(vandaag)
    return db, replace(p, uow=lambda: UnitOfWork(service, kluis=Kluis(DEV_WEBHOOK_SLEUTEL)))

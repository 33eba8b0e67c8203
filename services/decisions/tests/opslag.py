"""The ports of the SQL adapter tests: the in-memory ones with the SQL unit of work on a migrated
database of their own (SQLite, or PostgreSQL when SCHAKEL_TEST_POSTGRES_URL names a server)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from decisions.adapters.geheimen import Kluis
from decisions.adapters.repository import UnitOfWork
from decisions.service.ports import Ports
from decisions.settings import DEV_WEBHOOK_SLEUTEL
from decisions.tests.fakes import ports
from schakel.persistence.database import Database
from tests.support.opslag import gemigreerd


async def sql_ports(tmp_path: Path, vandaag: date) -> tuple[Database, Ports]:
    """A new migrated database and the ports on it (dispose of the database when done)."""
    db, service = await gemigreerd(tmp_path, "decisions")
    p, _ = ports(vandaag)
    return db, replace(p, uow=lambda: UnitOfWork(service, kluis=Kluis(DEV_WEBHOOK_SLEUTEL)))

"""The shape of the code, checked: domain rules import no framework and do no I/O; the service layer
knows only its ports (no adapters, no HTTP, no SQL); services never import each other; time comes
from the clock; and every service's tables are what its migrations build."""

import ast
import asyncio
import re
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from deploy.services import SERVICES
from schakel import logboek
from schakel.api.idempotency import metadata as idempotency_metadata
from schakel.messaging.tables import metadata as messaging_metadata
from schakel.persistence import Database, migrate
from schakel.persistence.programmacijfers import metadata as programmacijfers_metadata
from schakel.runtime.periodic import metadata as periodic_metadata

ROOT = Path(__file__).resolve().parents[1]
PURE = ("schakel.primitives", "schakel.errors", "schakel.caller")
IO = ("os", "pathlib", "io", "socket", "sqlite3", "subprocess", "shutil", "http", "urllib.request", "asyncio", "yaml")
NOT_IN_SERVICE_LAYER = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "aiokafka",
    "httpx",
    "pydantic",
    "schakel.api",
    "schakel.runtime",
    "schakel.messaging",
    "schakel.persistence",
)


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "tests" not in p.relative_to(ROOT).parts)


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("service", SERVICES)
def test_domain_rules_import_no_framework_and_do_no_io(service):
    wrong = {
        f"{p.relative_to(ROOT)}: {name}"
        for p in modules(ROOT / "services" / service / "domain")
        for name in imports(p)
        if under(name, *IO)
        or not (under(name, *PURE, f"{service}.domain", "__future__") or name.split(".")[0] in sys.stdlib_module_names)
    }
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("service", SERVICES)
def test_the_service_layer_knows_only_its_ports(service):
    wrong = {
        f"{p.relative_to(ROOT)}: {name}"
        for p in modules(ROOT / "services" / service / "service")
        for name in imports(p)
        if under(name, *NOT_IN_SERVICE_LAYER, f"{service}.adapters", f"{service}.entrypoints", f"{service}.bootstrap")
    }
    assert not wrong, sorted(wrong)


def test_services_never_import_each_other_and_libraries_never_import_services():
    wrong = set()
    deployables = [*SERVICES, "console"]  # the operations console reads the others over HTTP only
    for service in deployables:
        others = [s for s in deployables if s != service]
        wrong |= {
            f"{p.relative_to(ROOT)}: {name}"
            for p in modules(ROOT / "services" / service)
            for name in imports(p)
            if under(name, *others)
        }
    wrong |= {
        f"{p.relative_to(ROOT)}: {name}"
        for p in modules(ROOT / "libs" / "schakel")
        for name in imports(p)
        if under(name, *deployables)
    }
    assert not wrong, sorted(wrong)


def test_time_comes_from_the_clock():
    """No date.today(), datetime.now() or time.time() outside schakel/clock.py: a test sets the date."""
    system_time = re.compile(r"\b(date\.today|datetime\.(now|utcnow|today)|time\.time)\(")
    clock = ROOT / "libs" / "schakel" / "clock.py"
    wrong = [
        f"{p.relative_to(ROOT)}:{n}"
        for folder in (ROOT / "services", ROOT / "libs" / "schakel")
        for p in modules(folder)
        if p != clock
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if system_time.search(line)
    ]
    assert not wrong, wrong


@pytest.mark.parametrize("service", SERVICES)
def test_the_tables_are_what_the_migrations_build(service, tmp_path):
    tables = __import__(f"{service}.adapters.tables", fromlist=["metadata"])

    everything = sa.MetaData()  # the service's tables and the platform's, as one database holds them
    for metadata in (
        tables.metadata,
        messaging_metadata,
        idempotency_metadata,
        logboek.metadata,
        periodic_metadata,
        programmacijfers_metadata,
    ):
        for table in metadata.tables.values():
            table.to_metadata(everything)

    async def differences():
        db = Database(f"sqlite+aiosqlite:///{tmp_path / service}.db")
        await migrate(db, ROOT / "services" / service / "migrations")
        try:
            async with db.engine.connect() as conn:
                return await conn.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), everything))
        finally:
            await db.dispose()

    assert asyncio.run(differences()) == []

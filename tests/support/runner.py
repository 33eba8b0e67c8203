"""The consumer runner and the outbox relay on their own: a platform-only database and events of
one type on the real broker."""

import asyncio
import inspect
import uuid
from datetime import date

from deploy.databases import new_database
from schakel.events import Event, load_contract
from schakel.events.models import DeelnamestatusGewijzigd
from schakel.messaging import ConsumerRunner
from schakel.persistence import Database, migrate
from tests.support import builders
from tests.support.events import deelnamestatus
from tests.support.stack import new_database_url

TYPE = DeelnamestatusGewijzigd.TYPE


def status(gemeentecode: str, ingangsdatum: date = date(2026, 1, 1)) -> DeelnamestatusGewijzigd:
    return deelnamestatus(builders.bsn(), "geen", None, ingangsdatum, gemeentecode)


def status_event(gemeentecode: str) -> Event:
    return Event(
        type=TYPE,
        source="urn:nld:oin:00000001003214345000:systeem:registration",
        key=uuid.uuid4().hex * 2,
        data=status(gemeentecode).as_json(),
    )


async def platform_database(tmp_path, sqlite: bool = False) -> Database:
    """The platform's tables in a new database: on the run's server (PostgreSQL in CI), or on SQLite
    whatever the run's, for what only SQLite has (the relay's lease)."""
    if sqlite:
        db = Database(await new_database(tmp_path, "lib", None))
    else:
        db = Database(await asyncio.to_thread(new_database_url, tmp_path, "lib"))
    (tmp_path / "versions").mkdir()
    await migrate(db, tmp_path / "versions")
    return db


async def _holds(done) -> bool:
    result = done()
    return bool(await result if inspect.isawaitable(result) else result)


async def consume_until(stack, db, handler, done, **options) -> ConsumerRunner:
    """Runs a consumer runner with a fresh group until `done()` holds (60 s at most), then stops it.
    `done` may be a coroutine function, to ask the database what was committed: a handler's own
    record of what it saw includes tries that were rolled back."""
    runner = ConsumerRunner(
        db=db,
        kafka=stack.kafka,
        contract=load_contract(),
        handlers={TYPE: handler},
        topics=["deelnamestatussen"],
        **{"group_id": f"test-{uuid.uuid4()}", **options},
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    async with asyncio.timeout(60):
        while not await _holds(done):
            await asyncio.sleep(0.05)
    stop.set()
    await task
    return runner

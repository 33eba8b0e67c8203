"""What a transaction did is counted once it commits (`after_commit`): a consumer batch that rolls
back and is tried again, or split to isolate a record, counted its events again on every try (a real
database: SQLite here, PostgreSQL in CI)."""

import pytest
from prometheus_client import REGISTRY

from schakel.events import load_contract
from schakel.messaging import Outbox
from schakel.persistence import after_commit
from schakel.runtime.uow import SqlUnitOfWork, apart
from tests.support.runner import TYPE, platform_database, status

SOURCE = "urn:nld:oin:00000001003214345000:systeem:registration"


class Eenheid(SqlUnitOfWork):
    def bind(self, conn) -> None:
        pass


class Dienst:
    def __init__(self, db) -> None:
        self.outbox = Outbox(load_contract(), SOURCE, "registration")
        self.transaction = db.transaction


def published(gemeentecode: str) -> float:
    labels = {"cloudevents_event_type": TYPE, "gemeentecode": gemeentecode}
    return REGISTRY.get_sample_value("schakel_events_published_total", labels) or 0.0


async def test_an_action_runs_once_its_transaction_commits_never_after_a_rollback_and_at_once_outside_one(tmp_path):
    db = await platform_database(tmp_path)
    done: list[str] = []
    with pytest.raises(ValueError):
        async with db.transaction():
            after_commit(lambda: done.append("rolled back"))
            raise ValueError("a failed batch")
    async with db.transaction():
        after_commit(lambda: done.append("committed"))
        assert done == [], "not before the commit"
    assert done == ["committed"]
    after_commit(lambda: done.append("outside"))
    assert done == ["committed", "outside"]
    await db.dispose()


async def test_published_events_are_counted_once_committed_and_not_for_a_try_that_rolled_back(tmp_path):
    db = await platform_database(tmp_path)
    dienst = Dienst(db)
    before = published("GM0014")
    for attempt in range(3):  # a consumer batch that fails twice, then commits
        try:
            async with db.transaction() as conn, Eenheid(dienst, conn) as uow:
                await uow.publish(*(uow.event("a" * 64, status("GM0014")) for _ in range(4)))
                if attempt < 2:
                    raise RuntimeError("the batch fails after publishing")
        except RuntimeError:
            assert published("GM0014") == before, "nothing counted for a try that rolled back"
    assert published("GM0014") == before + 4
    await db.dispose()


async def test_what_a_savepoint_rolled_back_is_not_counted_and_a_failing_action_leaves_the_commit_and_the_rest(
    tmp_path, caplog
):
    db = await platform_database(tmp_path)
    dienst = Dienst(db)
    before = published("GM0518")
    done: list[str] = []

    def fails() -> None:
        raise RuntimeError("a broken metric")

    async with db.transaction() as conn, Eenheid(dienst, conn) as uow:
        with pytest.raises(ValueError):
            async with apart(conn):  # a handler's refusal: its work taken back
                await uow.publish(uow.event("b" * 64, status("GM0518")))
                raise ValueError("refused")
        async with apart(conn):
            await uow.publish(uow.event("c" * 64, status("GM0518")))
        after_commit(fails)
        after_commit(lambda: done.append("after the failing one"))
    assert published("GM0518") == before + 1, "only the event the savepoint kept"
    assert done == ["after the failing one"]
    assert "an action after commit failed: RuntimeError" in caplog.text
    await db.dispose()

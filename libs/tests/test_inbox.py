"""The inbox on a real database (SQLite here, PostgreSQL in CI): a batch's events are claimed in one
statement, each once, and a refused one can be claimed again."""

import pytest
from prometheus_client import REGISTRY

from schakel.messaging.inbox import claim, unclaim
from tests.support.runner import platform_database, status_event

pytestmark = pytest.mark.integration


def statements() -> float:
    return REGISTRY.get_sample_value("schakel_db_statements_total") or 0


async def test_a_batch_is_claimed_in_one_statement_each_event_once(tmp_path):
    db = await platform_database(tmp_path)
    applied, batch = [status_event("GM0014") for _ in range(3)], [status_event("GM0014") for _ in range(700)]
    async with db.transaction() as conn:
        await claim(conn, applied)
    async with db.transaction() as conn:
        before = statements()
        claimed = await claim(conn, [*batch, *applied, batch[0]])
        assert statements() - before == 1, "one round trip for the batch, not one per event"
    assert claimed == {(e.source, e.id) for e in batch}, "what the inbox holds, and a repeat, are not claimed again"
    async with db.transaction() as conn:
        await unclaim(conn, batch[:2])
    async with db.transaction() as conn:
        again = await claim(conn, batch)
    assert again == {(e.source, e.id) for e in batch[:2]}, "a refused event can be applied later"
    await db.dispose()

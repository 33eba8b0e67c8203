"""What holds the change feed back, watched (on the in-memory ports): since when the oldest writing
transaction on the database server has been running, as a gauge for the alert, and once in the log
when it runs too long."""

import logging
from datetime import date, timedelta

from decisions.service.gebeurtenissen import HORIZON_INTERVAL, TE_LANG, Horizon
from decisions.service.ports import Lopend
from decisions.tests.fakes import ports
from schakel.telemetry import metrics

VANDAAG = date(2026, 11, 2)


def gauge() -> float:
    return metrics.FEED_HELD_SINCE._value.get()


async def test_the_feed_is_held_since_the_oldest_running_transaction_was_first_seen_and_freed_when_it_ends():
    p, uow = ports(VANDAAG)
    horizon, stap = Horizon(p), timedelta(seconds=HORIZON_INTERVAL)
    assert await horizon.meet() is None and gauge() == 0, "nothing runs"

    uow.gebeurtenissen.lopend = Lopend(100, None)
    gezien = p.clock.now()
    assert await horizon.meet() == gezien
    p.clock.advance(stap)
    assert await horizon.meet() == gezien, "the same transaction still runs"
    assert gauge() == gezien.timestamp()

    uow.gebeurtenissen.lopend = Lopend(130, None)  # 100 ended; an other one is the oldest now
    p.clock.advance(stap)
    assert await horizon.meet() == p.clock.now()

    uow.gebeurtenissen.lopend = None
    p.clock.advance(stap)
    assert await horizon.meet() is None and gauge() == 0


async def test_a_transaction_running_too_long_is_logged_once(caplog):
    p, uow = ports(VANDAAG)
    horizon = Horizon(p)
    uow.gebeurtenissen.lopend = Lopend(4711, None)
    caplog.set_level(logging.WARNING, "decisions.service.gebeurtenissen")
    await horizon.meet()
    p.clock.advance(TE_LANG - timedelta(seconds=1))
    await horizon.meet()
    assert not caplog.records, "not yet"
    for _ in range(3):
        p.clock.advance(timedelta(seconds=HORIZON_INTERVAL))
        await horizon.meet()
    [melding] = caplog.records
    assert "transaction 4711" in melding.getMessage() and "10 minutes" in melding.getMessage()

    uow.gebeurtenissen.lopend = Lopend(4712, None)  # another one, running as long: logged in its turn
    await horizon.meet()
    p.clock.advance(TE_LANG)
    await horizon.meet()
    assert len(caplog.records) == 2 and "transaction 4712" in caplog.records[1].getMessage()


async def test_the_log_names_the_xid_the_server_shows_after_a_wraparound(caplog):
    """pg_current_snapshot() counts transactions in 64 bits (epoch and xid), pg_stat_activity.backend_xid and
    pg_prepared_xacts.transaction show the 32-bit xid: the runbook's query must find it with what the log says."""
    p, uow = ports(VANDAAG)
    horizon = Horizon(p)
    uow.gebeurtenissen.lopend = Lopend(3 * 2**32 + 4711, None)  # the fourth epoch
    caplog.set_level(logging.WARNING, "decisions.service.gebeurtenissen")
    await horizon.meet()
    p.clock.advance(TE_LANG)
    await horizon.meet()
    [melding] = caplog.records
    assert "backend_xid = '4711'" in melding.getMessage()


async def test_where_the_server_shows_when_the_transaction_began_the_feed_is_held_since_then_also_after_a_restart(
    caplog,
):
    p, uow = ports(VANDAAG)
    begonnen = p.clock.now() - TE_LANG - timedelta(minutes=5)
    uow.gebeurtenissen.lopend = Lopend(4711, begonnen)
    caplog.set_level(logging.WARNING, "decisions.service.gebeurtenissen")
    assert await Horizon(p).meet() == begonnen and gauge() == begonnen.timestamp()
    [melding] = caplog.records
    assert "held back for 15 minutes" in melding.getMessage(), "at once, not ten minutes after a start"


async def test_a_transaction_that_began_long_ago_but_holds_the_feed_only_now_is_not_held_since_it_began(caplog):
    """A session that read for two hours and then wrote holds back only what wrote after it: the instance,
    which looked before and saw nothing, counts from now, and says nothing of two hours."""
    p, uow = ports(VANDAAG)
    horizon = Horizon(p)
    caplog.set_level(logging.WARNING, "decisions.service.gebeurtenissen")
    assert await horizon.meet() is None, "nothing runs"
    p.clock.advance(timedelta(seconds=HORIZON_INTERVAL))
    uow.gebeurtenissen.lopend = Lopend(4711, p.clock.now() - timedelta(hours=2))
    assert await horizon.meet() == p.clock.now() and gauge() == p.clock.now().timestamp()
    assert caplog.records == []

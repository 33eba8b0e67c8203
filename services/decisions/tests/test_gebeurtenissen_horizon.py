"""What holds the change feed back, watched (on the in-memory ports): since when the oldest writing
transaction on the database server has been running, as a gauge for the alert, and once in the log
when it runs too long."""

import logging
from datetime import date, timedelta

from decisions.service.gebeurtenissen import HORIZON_INTERVAL, TE_LANG, Horizon
from decisions.tests.fakes import ports
from schakel.telemetry import metrics

VANDAAG = date(2026, 11, 2)


def gauge() -> float:
    return metrics.FEED_HELD_SINCE._value.get()


async def test_the_feed_is_held_since_the_oldest_running_transaction_was_first_seen_and_freed_when_it_ends():
    p, uow = ports(VANDAAG)
    horizon, stap = Horizon(p), timedelta(seconds=HORIZON_INTERVAL)
    assert await horizon.meet() is None and gauge() == 0, "nothing runs"

    uow.gebeurtenissen.lopend = 100
    gezien = p.clock.now()
    assert await horizon.meet() == gezien
    p.clock.advance(stap)
    assert await horizon.meet() == gezien, "the same transaction still runs"
    assert gauge() == gezien.timestamp()

    uow.gebeurtenissen.lopend = 130  # 100 ended; an other one is the oldest now
    p.clock.advance(stap)
    assert await horizon.meet() == p.clock.now()

    uow.gebeurtenissen.lopend = None
    p.clock.advance(stap)
    assert await horizon.meet() is None and gauge() == 0


async def test_a_transaction_running_too_long_is_logged_once(caplog):
    p, uow = ports(VANDAAG)
    horizon = Horizon(p)
    uow.gebeurtenissen.lopend = 4711
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

    uow.gebeurtenissen.lopend = 4712  # another one, running as long: logged in its turn
    await horizon.meet()
    p.clock.advance(TE_LANG)
    await horizon.meet()
    assert len(caplog.records) == 2 and "transaction 4712" in caplog.records[1].getMessage()

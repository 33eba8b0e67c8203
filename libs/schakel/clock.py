"""Time is a dependency. The service layer and the rules ask a `Clock` for today's date and the
current instant, never the system: a test sets the date, so no test depends on the day it runs.

`today()` is the legal date in the Netherlands (Europe/Amsterdam): a benefit, a window or a term
starts and ends on Dutch calendar days. `now()` is the instant (UTC) for timestamps.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from schakel.primitives.periode import NL, dag_van


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """The real time; `today` fixed from configuration in development and tests (`SCHAKEL_TODAY`),
    so that services started for a test all live on the same day, whatever the calendar says."""

    def __init__(self, today: date | None = None) -> None:
        self._today = today

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self._today or dag_van(self.now())


class FixedClock:
    """A clock a test sets and moves."""

    def __init__(self, today: date, at: datetime | None = None) -> None:
        self._now = at or datetime(today.year, today.month, today.day, 10, tzinfo=NL).astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return dag_van(self._now)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


SYSTEM = SystemClock()

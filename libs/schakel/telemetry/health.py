"""The health of a service's background work (outbox relay, consumers, periodic jobs), for readiness
and `schakel_task_up`.

Every background task reports through a `TaskHealth`: `ok()` after work went through, `failing(exc)`
when a dependency or a job failed and is being retried. Readiness reads `problem()` of the relay and
the consumers: a task that ended, or one that has been failing for longer than a threshold, makes the
service not ready. What
it says names the task and the error class, never a message (a message can quote personal data).
"""

from __future__ import annotations

import asyncio
import time
import traceback
from pathlib import Path

from schakel.telemetry import metrics

ROOT = Path(__file__).resolve().parents[3]


class TaskHealth:
    def __init__(self, name: str) -> None:
        self.name = name
        self.task: asyncio.Task[None] | None = None
        self.failing_since: float | None = None
        self.error: str | None = None
        self.beat_at = time.monotonic()

    def beat(self) -> None:
        """The task is alive and going round its loop (the supervisor restarts one that stops beating)."""
        self.beat_at = time.monotonic()

    def stalled(self, seconds: float) -> bool:
        return time.monotonic() - self.beat_at > seconds

    def ok(self) -> None:
        self.beat()
        self.failing_since, self.error = None, None
        metrics.TASK_UP.labels(self.name).set(1)

    def failing(self, exc: BaseException) -> None:
        self.beat()
        if self.failing_since is None:
            self.failing_since = time.monotonic()
        self.error = exc.__class__.__name__
        metrics.TASK_UP.labels(self.name).set(0)

    def problem(self, threshold: float) -> str | None:
        """Why this task makes the service not ready, or None."""
        if self.task is not None and self.task.done():
            return f"{self.name} is gestopt"
        if self.failing_since is not None and time.monotonic() - self.failing_since > threshold:
            return f"{self.name} faalt al {time.monotonic() - self.failing_since:.0f} s ({self.error})"
        return None


def where(exc: BaseException) -> str:
    """The error class and the innermost line of Schakel's own code it came from, e.g.
    `ValueError in reapplication/domain/termijn.py:22`: enough to find the rule, and no value."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename]
    if not own:
        return exc.__class__.__name__
    frame = own[-1]
    path = Path(frame.filename).relative_to(ROOT)
    short = Path(*path.parts[1:]) if path.parts[0] in ("services", "libs") else path
    return f"{exc.__class__.__name__} in {short}:{frame.lineno}"
